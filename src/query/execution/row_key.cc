#include "query/execution/row_key.h"

namespace loglake::query {

int CompareCells(const Column& a, size_t i, const Column& b, size_t j) {
  switch (a.type()) {
    case ColumnType::kString: {
      int c = a.String(i).compare(b.String(j));
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case ColumnType::kInt32: {
      int32_t x = a.Int32(i), y = b.Int32(j);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case ColumnType::kInt64:
    case ColumnType::kTimestamp: {
      int64_t x = a.Int64(i), y = b.Int64(j);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case ColumnType::kDouble: return CompareDoubles(a.Double(i), b.Double(j));
    case ColumnType::kBool: return static_cast<int>(a.Bool(i)) - static_cast<int>(b.Bool(j));
  }
  return 0;
}

}  // namespace loglake::query
