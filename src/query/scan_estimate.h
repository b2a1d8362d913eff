// What a query would read, known before it runs: the day partitions its predicates select
// (partition projection, query/planner/partition_projection.h) and the compressed size of their
// data files. No file is opened: the sizes come from the directory entries, so the estimate costs
// a few directory listings however large the lake is. It is an upper bound of the bytes the query
// scans (pruning of row groups and pages only lowers it), which is what a "this search would read
// 40 GB" warning needs.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "query/plan.h"
#include "query/planner/day_set.h"

namespace loglake::query {

// The days `plan`'s filter can match (a superset; DaySet::All() without time predicates).
DaySet ProjectedDays(const QueryPlan& plan);

struct ScanEstimate {
  uint64_t bytes = 0;  // sum of the sizes of the data files in the selected day partitions
  uint64_t files = 0;
  uint64_t days = 0;   // day partitions that exist and are selected
};

Result<ScanEstimate> EstimateScan(const std::string& lake_dir, const QueryPlan& plan);

}  // namespace loglake::query
