// Cell-level primitives shared by the operators: Trino's ordering of values, the hash mixer, and
// exact 128-bit fingerprints of values for DISTINCT sets.
//
// Ordering follows Trino: varchar by UTF-8 bytes; booleans false < true; doubles numerically
// with -0 == +0 and NaN larger than every number (and equal to itself). NULL placement is not a
// property of values but of a sort key (SortKeySpec), independent of its direction.
#pragma once

#include <cstdint>
#include <cstring>

#include "common/column.h"

namespace loglake::query {

// Three-way comparison of row i of `a` and row j of `b`, both non-null, of one physical type.
int CompareCells(const Column& a, size_t i, const Column& b, size_t j);

// Three-way comparison of doubles in Trino's total order (NaN largest, -0 == +0).
inline int CompareDoubles(double x, double y) {
  if (x < y) return -1;
  if (x > y) return 1;
  if (x == y) return 0;
  // At least one NaN.
  bool xn = x != x, yn = y != y;
  return xn == yn ? 0 : (xn ? 1 : -1);
}

struct SortKeySpec {
  bool descending = false;
  bool nulls_first = false;  // Trino's default is NULLS LAST for ASC and DESC alike
};

// CompareCells extended with NULLs and direction: negative when row i of `a` comes first.
inline int CompareSortCells(const Column& a, size_t i, const Column& b, size_t j, SortKeySpec spec) {
  bool an = a.IsNull(i), bn = b.IsNull(j);
  if (an || bn) {
    if (an && bn) return 0;
    return (an == spec.nulls_first) ? -1 : 1;
  }
  int c = CompareCells(a, i, b, j);
  return spec.descending ? -c : c;
}

// A fast, well-mixed 64-bit hash step (the finalizer of MurmurHash3/splitmix64).
inline uint64_t MixHash(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb53fe63ad3b5ULL;
  x ^= x >> 33;
  return x;
}

// The 64 bits that identify a non-null fixed-width value for grouping and DISTINCT: equal
// exactly when the values are equal in SQL (doubles: -0 and +0 are one value, every NaN is one
// value). Not meaningful for strings.
inline uint64_t FixedWidthKeyBits(const Column& c, size_t i) {
  switch (c.type()) {
    case ColumnType::kInt32: return static_cast<uint64_t>(static_cast<int64_t>(c.Int32(i)));
    case ColumnType::kInt64:
    case ColumnType::kTimestamp: return static_cast<uint64_t>(c.Int64(i));
    case ColumnType::kBool: return c.Bool(i) ? 1 : 0;
    case ColumnType::kDouble: {
      double d = c.Double(i);
      if (d == 0) d = 0;                            // -0 → +0
      if (d != d) return 0x7ff8000000000000ULL;     // one NaN
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof(bits));
      return bits;
    }
    case ColumnType::kString: break;
  }
  return 0;
}

inline bool IsFixedWidth(ColumnType t) { return t != ColumnType::kString; }

}  // namespace loglake::query
