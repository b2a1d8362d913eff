// PredicateSummary: what a filter says about single columns, in a form that storage metadata
// (row-group statistics, the page index, bloom filters, dictionaries) can refute.
//
// The filter's top-level AND-ed conjuncts are analysed one by one. A conjunct becomes a
// SummaryConjunct when it is a simple predicate on one column, or an OR of them (on any columns):
//   col = c, col IN (c...)                 → kIn      (also what bloom filters and dictionaries test)
//   col <, <=, >, >= c, BETWEEN, LIKE 'p%'  → kRange   (LIKE without wildcards is kIn)
//   col <> c                                → kNotEqual
//   col IS NULL / IS NOT NULL               → kIsNull / kIsNotNull
// where col is a table column (possibly under a widening cast integer → bigint) and c a constant.
// Conjuncts of other shapes are left out: the summary is implied by the filter, so a unit the
// summary rules out cannot hold a matching row, and pruning with it is always safe.
//
// Constants are stored in the column's statistics domain (parquet::StatValue: int64 for integer,
// timestamp and boolean columns, double for doubles, bytes for strings) so that they compare
// directly with decoded bounds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parquet/statistics.h"
#include "query/expr.h"
#include "query/types.h"

namespace loglake::query {

struct ColumnPredicate {
  enum class Kind : uint8_t { kIn, kRange, kNotEqual, kIsNull, kIsNotNull };
  Kind kind = Kind::kIn;
  int column = -1;  // table-level column index
  // kIn: the values (non-null, at least one); kNotEqual: one value.
  std::vector<parquet::StatValue> values;
  // kRange: absent bounds are open.
  std::optional<parquet::StatValue> low;
  bool low_inclusive = true;
  std::optional<parquet::StatValue> high;
  bool high_inclusive = true;

  // `names` (table-level column names) spell the column; "#<index>" without them.
  std::string ToString(const std::vector<std::string>* names = nullptr) const;
};

// An OR of column predicates: a unit can match the conjunct when one of them can match it.
struct SummaryConjunct {
  std::vector<ColumnPredicate> any_of;
};

struct PredicateSummary {
  std::vector<SummaryConjunct> conjuncts;
  // The filter can never be true (e.g. WHERE false, col = NULL): nothing needs to be read.
  bool never_true = false;

  // Table-level columns some conjunct constrains, ascending.
  std::vector<int> Columns() const;
  std::string ToString(const std::vector<std::string>* names = nullptr) const;
};

// `column_types` are the table-level types (QueryPlan::TableLevelTypes()). Columns at index >=
// `num_stored_columns` (datepath) are not in files and are left out.
PredicateSummary SummarizeFilter(const Expr* filter, const std::vector<SqlType>& column_types,
                                 int num_stored_columns);

// What storage metadata knows about a unit (row group or page) of one column.
struct UnitBounds {
  std::optional<parquet::StatValue> min;  // absent: unknown
  std::optional<parquet::StatValue> max;
  bool bounds_exact = false;              // min and max are values of the unit (not widened)
  std::optional<int64_t> null_count;      // absent: unknown
  int64_t num_values = 0;                 // rows of the unit (flat columns)
  bool all_null = false;                  // known to hold only nulls
};

// False only when no value within `bounds` can satisfy `p`.
bool MayMatch(const ColumnPredicate& p, const UnitBounds& bounds);

// Bounds from decoded chunk statistics.
UnitBounds BoundsFromStatistics(const parquet::ColumnStatistics& stats, int64_t num_values);

}  // namespace loglake::query
