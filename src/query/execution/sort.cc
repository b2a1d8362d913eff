#include "query/execution/sort.h"

#include <algorithm>
#include <numeric>

namespace loglake::query {

void SortRowIndices(const std::vector<SortColumn>& keys, std::vector<uint32_t>* rows, size_t limit) {
  auto less = [&keys](uint32_t x, uint32_t y) {
    int c = CompareRows(keys, x, keys, y);
    return c != 0 ? c < 0 : x < y;  // ties: input order (row indexes ascend with arrival)
  };
  if (limit < rows->size()) {
    std::partial_sort(rows->begin(), rows->begin() + static_cast<std::ptrdiff_t>(limit), rows->end(), less);
    rows->resize(limit);
  } else {
    std::sort(rows->begin(), rows->end(), less);
  }
}

std::vector<uint32_t> Iota(size_t n) {
  std::vector<uint32_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0u);
  return rows;
}

void AppendRows(const Column& src, const std::vector<uint32_t>* rows, Column* dst) {
  size_t n = rows ? rows->size() : src.size();
  for (size_t k = 0; k < n; ++k) dst->AppendFrom(src, rows ? (*rows)[k] : k);
}

Column Gather(const Column& src, const std::vector<uint32_t>& rows) {
  Column out(src.type());
  AppendRows(src, &rows, &out);
  return out;
}

}  // namespace loglake::query
