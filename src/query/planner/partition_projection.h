// Partition projection: the days a query's filter can match, so that only their directories are
// listed.
//
// The filter's AND-ed conjuncts that constrain the time column or `datepath` narrow the set:
//   time  =, <, <=, >, >=, BETWEEN, IN against constants (timestamps or dates), and the same on
//         CAST(time AS date);
//   datepath  =, <, <=, >, >=, BETWEEN, IN against strings, and LIKE with a literal prefix
//         ('2024/03/%' is March 2024; 'yyyy/MM/dd' order is string order, so any string bound
//         maps to a day range).
// An OR of such predicates is the union of their sets; any other conjunct (NOT, functions,
// other columns) leaves the set alone. The result is a superset of the days that hold matching
// rows — never a subset — so projection can only skip directories that cannot match.
#pragma once

#include "query/expr.h"
#include "query/planner/day_set.h"

namespace loglake::query {

// `time_index` is the table-level index of the time column, `datepath_index` that of datepath.
// A null filter gives DaySet::All().
DaySet ProjectDays(const Expr* filter, int time_index, int datepath_index);

}  // namespace loglake::query
