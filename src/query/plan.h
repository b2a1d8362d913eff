// QueryPlan: one bound SELECT over one table, as the binder produces it and the executor runs it.
//
// Expressions live at one of two levels:
//   table level:     kColumnRef index i < table.columns.size() is that table column; index ==
//                    table.columns.size() is the partition column `datepath` (varchar,
//                    'yyyy/MM/dd', the record's UTC day — whatever the table's layout).
//   aggregate level: kColumnRef index i < group_keys.size() is group key i; index
//                    group_keys.size() + j is aggregates[j].
// filter, group_keys and aggregate arguments are table level. outputs, having and order_by are
// table level in a plain query and aggregate level in an aggregate query.
//
// Semantics, in order: rows of the table → WHERE filter → (dedup: unless disabled, rows with a
// dedup key already seen in the same day partition are dropped; the first occurrence in (file
// path, row) order wins) → GROUP BY/aggregates → HAVING → ORDER BY → OFFSET → LIMIT → outputs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lake/table.h"
#include "query/expr.h"

namespace loglake::query {

// The name of the virtual partition column.
inline constexpr const char kDatePathColumn[] = "datepath";

enum class AggregateKind : uint8_t { kCountStar, kCount, kSum, kMin, kMax, kAvg };

// "count", "sum", "min", "max", "avg".
const char* AggregateKindName(AggregateKind kind);

struct AggregateCall {
  AggregateKind kind = AggregateKind::kCountStar;
  bool distinct = false;  // count(DISTINCT x) (also allowed for sum/avg/min/max)
  ExprPtr arg;            // table level; null for count(*)
  // count → bigint; sum of integer/bigint → bigint, of double → double; avg → double;
  // min/max → the argument's type.
  SqlType type = SqlType::kBigint;

  AggregateCall Clone() const;
  std::string ToString() const;  // "count(DISTINCT uuid)"
};

struct OutputColumn {
  std::string name;  // the alias, or the column name, or Trino's "_col<i>" for other expressions
  ExprPtr expr;
};

struct SortKey {
  ExprPtr expr;
  bool descending = false;
  // Trino's default: NULLS LAST for both ASC and DESC.
  bool nulls_first = false;
};

struct QueryPlan {
  lake::TableDef table;

  ExprPtr filter;  // WHERE; null when there is none. Boolean; NULL counts as false.

  bool aggregate = false;  // GROUP BY, aggregates or HAVING present (SELECT DISTINCT is bound as
                           // a GROUP BY of the outputs)
  std::vector<ExprPtr> group_keys;
  std::vector<AggregateCall> aggregates;
  ExprPtr having;  // null when there is none

  std::vector<OutputColumn> outputs;
  std::vector<SortKey> order_by;
  int64_t offset = 0;
  std::optional<int64_t> limit;

  // The SqlType of every table-level column index (table columns, then datepath).
  std::vector<SqlType> TableLevelTypes() const;
  // Table-level column indexes any expression of the plan reads, ascending.
  std::vector<int> ReferencedColumns() const;
  // A multi-line, indented description for EXPLAIN.
  std::string ToString() const;
};

}  // namespace loglake::query
