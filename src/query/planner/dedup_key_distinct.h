// DISTINCT over the dedup key: with deduplication on, count(DISTINCT k) where k is the table's
// dedup key is count(k), so no set of distinct keys needs to be built.
//
// Why it holds: deduplication (plan.h) keeps each non-NULL key once per day partition, and a
// record and its copies always share a day, because partitioning uses the record's own time
// (DESIGN: a key identifies one record). So after dedup every non-NULL key occurs once in the whole
// scan — hence once in any group too — and DISTINCT removes nothing. NULL keys are skipped by both
// forms. The same holds for sum/avg(DISTINCT k); min/max ignore DISTINCT anyway.
//
// Only valid with dedup on: with --no-dedup the copies are all there and DISTINCT must stay.
#pragma once

#include <optional>

#include "query/plan.h"

namespace loglake::query {

// The plan with DISTINCT dropped from every aggregate whose argument is the dedup key column; nullopt
// when no aggregate qualifies (the plan runs as is). Call only when the scan deduplicates.
std::optional<QueryPlan> DropDistinctOnDedupKey(const QueryPlan& plan);

}  // namespace loglake::query
