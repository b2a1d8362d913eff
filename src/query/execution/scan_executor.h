// RunScan: the scan side of a query — partition projection, listing, the pruning layers, late
// materialization, deduplication and the parallel drive that feeds ResultBuilders.
//
// Work units are row groups. Days are visited in ascending order, or newest first when the plan
// is ORDER BY <time column> DESC LIMIT n (oldest first for ASC); a day's files are listed and
// their footers read only when the scan reaches the day. Workers (QueryOptions::threads) take
// units from a shared queue, each feeding its own ResultBuilder.
//
// Early stops: a LIMIT without ORDER BY stops once a builder is Saturated(); a time top-N stops
// once TopNBoundary() shows that no remaining day can enter the result, and skips row groups
// whose time statistics cannot (within a day, row groups go newest first, or oldest for ASC) —
// except on days deduplicated by keys (below).
//
// Deduplication (plan.h), two ways:
//   * by index: a day that is one data file whose footer carries a usable duplicate index
//     (index_dedup.h) is deduplicated from the index alone: its key column is neither read nor
//     hashed, and its units commit in any order;
//   * by keys: on every other day, units carry a sequence number in (day, file path, row group)
//     order and their filtered rows are committed in that order under one lock, so the first
//     occurrence of a key in its day wins however the workers interleave; the day's key set is
//     freed when the next such day's first unit commits.
// Both keep the same rows. On days deduplicated by keys the top-N skips no row group, only whole
// days: a row group skipped for its times could hold the first occurrence of a key that
// reappears later. A day deduplicated by index knows which rows have earlier copies: it lets the
// top-N skip row groups and, when the day ends, takes back for a scan after all only those that
// hold an earlier copy of a row it would otherwise keep (index_dedup.h).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "query/engine.h"
#include "query/execution/evaluator.h"
#include "query/execution/result_builder.h"
#include "query/execution/table_source.h"
#include "query/plan.h"
#include "query/planner/day_set.h"
#include "query/planner/predicate_summary.h"

namespace loglake::query {

struct ScanRequest {
  std::string table_dir;
  const QueryPlan* plan = nullptr;
  QueryOptions options;
  const ExprEvaluator* filter = nullptr;  // plan.filter compiled, or null when there is none
  // False: every day is deduplicated by keys, duplicate indexes ignored (tests compare the two).
  bool use_duplicate_index = true;
  // Makes one (per-worker) builder.
  std::function<Result<std::unique_ptr<ResultBuilder>>()> make_builder;
};

struct ScanReport {
  std::vector<std::unique_ptr<ResultBuilder>> builders;  // to be merged (at least one)
  QueryStats stats;  // everything the scan measures; rows_returned and elapsed are the caller's
  PredicateSummary summary;
  DaySet projected;
  DayListing listing;
  bool dedup = false;
  // With dedup: the days (that had files) deduplicated by their file's index and by keys.
  uint64_t days_dedup_by_index = 0;
  uint64_t days_dedup_by_keys = 0;
  int threads = 1;
  uint64_t days_skipped_by_top_n = 0;
  uint64_t row_groups_skipped_by_top_n = 0;  // net of the rescanned ones
  // Skipped row groups scanned after all, for the earlier copies of rows a day by index keeps.
  uint64_t row_groups_rescanned_for_dedup = 0;
  bool stopped_at_limit = false;
};

Result<ScanReport> RunScan(const ScanRequest& request);

}  // namespace loglake::query
