// EXPLAIN text: the bound plan, then what the scan did — the predicates used for pruning, the
// days partition projection kept, and how many units each pruning layer considered and skipped.
#pragma once

#include <string>

#include "query/engine.h"
#include "query/execution/scan_executor.h"
#include "query/plan.h"

namespace loglake::query {

// `stats` is the query's final statistics (rows returned and elapsed time filled).
std::string FormatExplain(const QueryPlan& plan, const ScanReport& report, const QueryStats& stats);

}  // namespace loglake::query
