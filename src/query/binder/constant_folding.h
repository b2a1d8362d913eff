// Constant folding: evaluates, at bind time, the constant subtrees whose value matters to
// planning, so that the executor's partition projection and statistics pruning see
// `time >= <timestamp constant>` rather than an expression. Folded are CASTs of constants and
// negation, +, - and * of constants (numbers, timestamp/date ± interval, interval ± interval).
//
// Values come from the executor's own evaluator (EvaluateConstant), so a folded constant is
// exactly what the query would have computed row by row, with the same cast rules and messages.
// The one exception is interval ± interval, which only the binder computes: intervals are
// always constants, and the executor has no kernel for them.
#pragma once

#include "common/status.h"
#include "query/expr.h"

namespace loglake::query::binder {

// Folds `e` itself when all of its args are constants and it is one of the above (args are
// assumed already folded). A CAST that cannot convert its constant is an error now, with the
// evaluator's message (CAST('abc' AS integer): InvalidArgument "cannot cast 'abc' to integer").
// Arithmetic that fails (overflow, a result out of range) is left unfolded: the executor reports
// it only if a row needs the value, as Trino does (the subtree may sit in a CASE branch no row
// takes).
Result<ExprPtr> FoldConstants(ExprPtr e);

}  // namespace loglake::query::binder
