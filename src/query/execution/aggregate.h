// Aggregate states: the per-group accumulators of hash aggregation, one object per aggregate
// call holding the state of every group in flat vectors (indexed by group id), updated a batch
// at a time.
//
// Semantics are Trino's: count(*) counts rows, count(x) non-null values; sum, min, max and avg
// ignore NULLs and give NULL for a group without values; sum of integer/bigint is bigint and
// fails with "bigint addition overflow" rather than wrapping; avg of integers is computed exactly
// (128-bit sum) and divided once at the end; min/max order values like ORDER BY (varchar by
// bytes, NaN above every number). DISTINCT variants first collect the distinct (group, value)
// pairs (aggregate_distinct.h) and aggregate them at Finish; min/max ignore DISTINCT.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/column.h"
#include "common/status.h"
#include "query/plan.h"

namespace loglake::query {

class AggregateState {
 public:
  // `arg_type` is the argument's SqlType (ignored for count(*)); `grouped` is false when the
  // query has no GROUP BY (only group 0 exists). InvalidArgument for combinations the binder
  // should have rejected (sum of varchar...).
  static Result<std::unique_ptr<AggregateState>> Make(const AggregateCall& call, SqlType arg_type, bool grouped);
  virtual ~AggregateState() = default;

  // Makes room for groups [0, num_groups).
  virtual void Resize(size_t num_groups) = 0;
  // Folds rows [0, num_rows) into their groups. `arg` has num_rows rows (null for count(*)).
  virtual Status Update(const uint32_t* group_ids, size_t num_rows, const Column* arg) = 0;
  // Folds `other` (a state of the same call) into this one: its group g into group_map[g].
  // Resize() must already cover every target group.
  virtual Status Merge(AggregateState& other, const std::vector<uint32_t>& group_map) = 0;
  // The final value of groups [0, num_groups), a column of PhysicalType(call.type).
  virtual Result<Column> Finish(size_t num_groups) = 0;
  // Bytes the state holds, in constant time: the aggregation charges it against
  // QueryLimits::max_memory_bytes after every batch.
  virtual size_t MemoryUsage() const = 0;
};

}  // namespace loglake::query
