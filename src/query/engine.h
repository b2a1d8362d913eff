// The query engine's entry points: SQL text (or a bound plan) over a lake directory in, a result
// table and statistics out. `loglake query` and the server's query API call these.
//
// RunQuery parses and binds (query/sql, query/binder) and then executes (query/execution):
// partition projection from the predicates (only the day directories that can match are
// listed), pruning of row groups by statistics, bloom filters and dictionaries and of pages by the
// page index, vectorized evaluation with late materialization, deduplication by the table's key
// per day, aggregation, top-N. Every query reports what it read and what it skipped.
//
// Limits are enforced while running: a query that would exceed them stops with
// ResourceExhausted (bytes, range) or DeadlineExceeded/Cancelled, naming the setting to change.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/column.h"
#include "common/status.h"
#include "query/plan.h"
#include "query/types.h"

namespace loglake::query {

struct QueryLimits {
  // Day partitions one query may read (after partition projection); 0 = no limit.
  int64_t max_days = 366;
  // Compressed bytes one query may read from storage (what Athena bills); 0 = no limit.
  uint64_t max_bytes_scanned = uint64_t{100} << 30;
  // Wall-clock time; 0 = no limit.
  int64_t timeout_ms = 300'000;
  // Rows a result may hold (LIMIT applies first); 0 = no limit.
  uint64_t max_result_rows = 1'000'000;
  // Memory the aggregation may hold, all threads together: the group hash tables, the aggregate
  // states and the DISTINCT sets (measured per batch, so it can be passed by up to one batch's
  // growth). Past it the query fails with ResourceExhausted: nothing spills to disk yet.
  // 0 = no limit.
  uint64_t max_memory_bytes = uint64_t{1} << 30;
};

struct QueryOptions {
  int threads = 0;      // 0: all cores
  bool dedup = true;    // false: raw rows, duplicates included (`--no-dedup`)
  bool explain = false;  // also fill QueryResult::explain
  QueryLimits limits;
  // Set to true from another thread to stop the query (it then returns Cancelled).
  const std::atomic<bool>* cancel = nullptr;
  // What now() and current_date mean; the wall clock when unset. Fixed per query.
  std::optional<int64_t> now_micros;
  // Schema file for tables other than the built-in access_log; when empty such tables are
  // resolved from the `loglake.schema` metadata of their files.
  std::string schema_path;
};

// What one pruning layer saw: `considered` units reached it, `pruned` of them were skipped.
struct PruneCount {
  uint64_t considered = 0;
  uint64_t pruned = 0;
};

struct QueryStats {
  uint64_t rows_returned = 0;
  uint64_t rows_scanned = 0;     // rows of the row groups/pages actually decoded
  uint64_t bytes_scanned = 0;    // compressed bytes read from storage (footers included)
  uint64_t days_listed = 0;      // day partitions whose directories were listed
  PruneCount files;              // by partition day and file-level statistics
  PruneCount row_groups_by_stats;
  PruneCount row_groups_by_bloom;
  PruneCount row_groups_by_dictionary;
  PruneCount pages_by_page_index;
  uint64_t duplicates_dropped = 0;
  double elapsed_seconds = 0;
};

struct QueryResult {
  std::vector<std::string> names;
  std::vector<SqlType> types;
  std::vector<Column> columns;  // columns[i] holds names[i], of PhysicalType(types[i])
  QueryStats stats;
  std::string explain;  // when QueryOptions::explain: the plan and what each pruning layer did

  size_t num_rows() const { return columns.empty() ? 0 : columns[0].size(); }
};

// Parses, binds and runs `sql` with positional parameters `params` (bound to `?` in order) over
// the lake at `lake_dir`.
Result<QueryResult> RunQuery(const std::string& lake_dir, std::string_view sql,
                             const std::vector<Value>& params, const QueryOptions& options);

// Runs a plan already bound (the binder's output).
Result<QueryResult> ExecutePlan(const std::string& lake_dir, const QueryPlan& plan,
                                const QueryOptions& options);

}  // namespace loglake::query
