#include "query/engine.h"

#include <chrono>
#include <optional>

#include "common/time.h"
#include "query/binder.h"
#include "query/execution/evaluator.h"
#include "query/execution/explain.h"
#include "query/execution/result_builder.h"
#include "query/execution/scan_executor.h"
#include "query/execution/table_source.h"
#include "query/planner/dedup_key_distinct.h"

namespace loglake::query {

Result<QueryResult> RunQuery(const std::string& lake_dir, std::string_view sql, const std::vector<Value>& params,
                             const QueryOptions& options) {
  TableResolver resolve = [&](std::string_view name) {
    return ResolveQueryTable(lake_dir, name, options.schema_path);
  };
  const int64_t now = options.now_micros ? *options.now_micros : NowMicros();
  ASSIGN_OR_RETURN(QueryPlan plan, PlanQuery(sql, params, resolve, now));
  return ExecutePlan(lake_dir, plan, options);
}

Result<QueryResult> ExecutePlan(const std::string& lake_dir, const QueryPlan& bound, const QueryOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  // With dedup, DISTINCT over the dedup key removes nothing (planner/dedup_key_distinct.h).
  std::optional<QueryPlan> rewritten;
  if (options.dedup) rewritten = DropDistinctOnDedupKey(bound);
  const QueryPlan& plan = rewritten ? *rewritten : bound;
  std::unique_ptr<ExprEvaluator> filter;
  if (plan.filter) {
    ASSIGN_OR_RETURN(filter, ExprEvaluator::Compile(*plan.filter));
  }
  ScanRequest request;
  request.table_dir = TableDirectory(lake_dir, plan.table.name);
  request.plan = &plan;
  request.options = options;
  request.filter = filter.get();
  // The per-thread builders hold the aggregation; together they stay within max_memory_bytes.
  MemoryBudget memory(options.limits.max_memory_bytes);
  request.make_builder = [&]() { return ResultBuilder::Create(plan, options.limits, &memory); };
  ASSIGN_OR_RETURN(ScanReport report, RunScan(request));

  std::unique_ptr<ResultBuilder> merged = std::move(report.builders[0]);
  for (size_t i = 1; i < report.builders.size(); ++i) {
    RETURN_IF_ERROR(merged->Merge(std::move(*report.builders[i])));
    report.builders[i].reset();  // its memory is returned (and uncharged) before the next merge
  }
  report.builders.clear();
  ASSIGN_OR_RETURN(QueryResult result, merged->Finish());
  const uint64_t max_rows = options.limits.max_result_rows;
  if (max_rows > 0 && result.num_rows() > max_rows) {
    return Status::ResourceExhausted("the result has " + std::to_string(result.num_rows()) +
                                     " rows, more than the limit (max_result_rows = " + std::to_string(max_rows) +
                                     "); add a LIMIT or a narrower filter, or raise the limit");
  }
  result.stats = report.stats;
  result.stats.rows_returned = result.num_rows();
  result.stats.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options.explain) result.explain = FormatExplain(plan, report, result.stats);
  return result;
}

}  // namespace loglake::query
