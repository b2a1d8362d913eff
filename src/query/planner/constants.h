// The constant value of an expression subtree that reads no column, for the planner's analyses.
//
// Literals and bound parameters are kConstant nodes; other column-free subtrees (a cast of a
// literal, now() - interval '1' day when the binder did not fold it) are evaluated with
// EvaluateConstant. Anything that reads a column, or fails to evaluate, has no constant value:
// the planner then simply does not use that predicate to prune (never an error).
#pragma once

#include <optional>

#include "query/expr.h"
#include "query/types.h"

namespace loglake::query {

bool ReadsColumns(const Expr& expr);
std::optional<Value> ConstantOf(const Expr& expr);

}  // namespace loglake::query
