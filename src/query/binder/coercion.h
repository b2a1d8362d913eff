// Trino's type rules as the binder applies them: which types convert implicitly, the common type
// of two operands and the insertion of explicit kCast nodes. Which explicit CASTs exist is the
// evaluator's CastSupported (query/execution/evaluator.h): one set of rules for bind and run time.
#pragma once

#include <optional>

#include "common/status.h"
#include "query/expr.h"
#include "query/types.h"

namespace loglake::query::binder {

// True when a value of `from` may be used where `to` is expected without a CAST:
// the same type; unknown (a bare NULL) to anything; integer → bigint → double; date → timestamp.
bool ImplicitlyCoercible(SqlType from, SqlType to);

// The type both `a` and `b` coerce to implicitly (the wider of the two), or nullopt when there
// is none (varchar and integer, timestamp and varchar, boolean and integer...). Two unknowns
// give unknown.
std::optional<SqlType> CommonSuperType(SqlType a, SqlType b);

// `e` as type `to`: e itself when it already has that type, otherwise a kCast node, folded to a
// constant when `e` is one. A constant that cannot be converted (CAST('x' AS timestamp)) is
// InvalidArgument naming the value and the type.
Result<ExprPtr> CastExpr(ExprPtr e, SqlType to);

}  // namespace loglake::query::binder
