// Constant folding: evaluates, at bind time, the constant subtrees whose value matters to
// planning, so that the executor's partition projection and statistics pruning see
// `time >= <timestamp constant>` rather than an expression:
//   - CASTs of constants that convert exactly (NULL to any type, integer → bigint → double,
//     varchar → timestamp/date/integer/bigint/double, date ↔ timestamp);
//   - timestamp/date ± interval, interval ± interval, negation of numbers and intervals;
//   - + - * of integers, bigints and doubles (integer results only when they do not overflow).
// Anything else (or a result out of range) is left to the executor, which reports runtime
// errors the way Trino does.
#pragma once

#include "common/status.h"
#include "query/expr.h"

namespace loglake::query::binder {

// Folds `e` itself when all of its args are constants and the operation is one of the above
// (args are assumed already folded). A constant CAST that cannot convert (CAST('abc' AS
// integer)) is InvalidArgument "cannot cast 'abc' to integer".
Result<ExprPtr> FoldConstants(ExprPtr e);

// Adds `months` to a timestamp (µs), keeping the time of day and clamping the day to the end of
// the month, as Trino does (2024-01-31 + 1 month = 2024-02-29). False when out of range.
bool AddMonthsToTimestamp(int64_t micros, int64_t months, int64_t* out);

}  // namespace loglake::query::binder
