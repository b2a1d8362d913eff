// ResultBuilder: everything after the scan. It consumes filtered, deduplicated table-level rows
// and produces the query's result: projection (plain queries) or hash aggregation + HAVING
// (aggregate queries), then ORDER BY (a bounded top-N heap when LIMIT is set), OFFSET, LIMIT.
//
// The scan runs on many threads: each thread feeds its own builder (Create per thread) and the
// builders are merged at the end. Kept rows are bounded: as soon as the result is certain to
// exceed QueryLimits::max_result_rows (after OFFSET/LIMIT) the builder fails with
// ResourceExhausted naming the setting. Aggregation state grows with the number of groups and
// distinct values; it is kept compact (query/execution/aggregate*.h) and bounded: the builders of
// one query charge it to a shared MemoryBudget after every batch and fail with ResourceExhausted
// once the total passes QueryLimits::max_memory_bytes (nothing spills to disk yet).
//
// The operators live in small files: project.h (per-batch expressions), hash_table.h (group
// ids), aggregate.h / aggregate_distinct.h (states), sort.h / topn.h (ORDER BY), row_key.h
// (Trino's value order).
#pragma once

#include <memory>
#include <optional>

#include "common/status.h"
#include "query/engine.h"
#include "query/execution/evaluator.h"
#include "query/execution/memory_budget.h"
#include "query/plan.h"

namespace loglake::query {

class ResultBuilder {
 public:
  // `plan` (and `budget`, when given) must outlive the builder. The builders of one query share
  // `budget` (of limits.max_memory_bytes); without one, the builder gets a budget of its own.
  static Result<std::unique_ptr<ResultBuilder>> Create(const QueryPlan& plan, const QueryLimits& limits,
                                                       MemoryBudget* budget = nullptr);
  virtual ~ResultBuilder() = default;

  // Adds rows. input.columns is indexed like table-level kColumnRef indexes (table columns, then
  // datepath); the columns the plan references are non-null, the rest may be null.
  virtual Status Add(const EvalInput& input) = 0;

  // Folds another builder of the same plan (a per-thread partial result) into this one.
  // `other` is left in an unspecified state.
  virtual Status Merge(ResultBuilder&& other) = 0;

  // For scans that can stop early: when the plan has ORDER BY ... LIMIT n, and the builder
  // already holds offset+n rows, the value of the first sort key that a new row must beat to
  // enter the result (rows whose first key sorts after it, or equal to it, cannot change the
  // result). nullopt otherwise.
  // Precisely: a row whose first key sorts strictly after the boundary (in that key's direction
  // and NULL placement; the boundary may be a NULL) can never enter. A row whose first key
  // equals it can only win on a later sort key, so with one sort key it cannot enter either
  // (ties go to rows seen first); with several keys a scan must still read such rows. The
  // boundary only moves forward as rows arrive.
  virtual std::optional<Value> TopNBoundary() const = 0;

  // True when no further row can change the result (e.g. LIMIT n without ORDER BY is full).
  virtual bool Saturated() const = 0;

  // The result (names, types, columns); stats are left for the caller to fill.
  virtual Result<QueryResult> Finish() = 0;
};

}  // namespace loglake::query
