// Sorting rows by ORDER BY keys: comparison of whole rows and a stable sort of row indexes.
//
// Keys are columns evaluated beforehand (one per ORDER BY item, all with the same rows); the
// order of each is given by a SortKeySpec (row_key.h). Ties keep their input order, so a
// multi-threaded result is deterministic whenever the keys are.
#pragma once

#include <cstdint>
#include <vector>

#include "common/column.h"
#include "query/execution/row_key.h"

namespace loglake::query {

struct SortColumn {
  const Column* column = nullptr;
  SortKeySpec spec;
};

// Negative when row i of `a` sorts before row j of `b` (same number and types of keys).
inline int CompareRows(const std::vector<SortColumn>& a, size_t i, const std::vector<SortColumn>& b, size_t j) {
  for (size_t k = 0; k < a.size(); ++k) {
    int c = CompareSortCells(*a[k].column, i, *b[k].column, j, a[k].spec);
    if (c != 0) return c;
  }
  return 0;
}

// Reorders *rows (indexes into the key columns) into sorted order, stably. When `limit` is
// given only the first `limit` positions must be sorted; the rest are dropped.
void SortRowIndices(const std::vector<SortColumn>& keys, std::vector<uint32_t>* rows,
                    size_t limit = static_cast<size_t>(-1));

// The rows 0..n-1 in order.
std::vector<uint32_t> Iota(size_t n);

// Appends rows `rows` of `src` (or rows [0, src.size()) when rows is null) to *dst (same type).
void AppendRows(const Column& src, const std::vector<uint32_t>* rows, Column* dst);

// Rows `rows` of `src`, in that order.
Column Gather(const Column& src, const std::vector<uint32_t>& rows);

}  // namespace loglake::query
