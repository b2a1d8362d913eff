// DistinctSet: the (group, value) pairs a DISTINCT aggregate has seen, kept compactly.
//
// Every non-null value becomes a fingerprint: fixed-width values (integers, timestamps, dates,
// booleans, doubles with -0/+0 and NaNs canonical) are stored exactly as their 64 bits next to
// the group id; varchar values are stored as their 128-bit XXH3 hash. We chose hashes over the
// strings themselves because count(DISTINCT uuid) over a month of logs must stay in memory: a
// pair costs 16 bytes (24 for varchar under GROUP BY) instead of the string plus its overhead.
// Two different strings are then counted once only if their 128-bit hashes collide; for 10^9
// distinct values the probability is below 10^-20, far below the rate of hardware memory errors,
// so the result is exact for practical purposes.
//
// Storage is one open-addressing table of fixed-stride tuples of 64-bit words (all-zero =
// empty), on huge pages when large (hash_table_memory.h). At millions of entries every insert
// is a cache miss, so inserts run a batch at a time with the slots of later entries prefetched
// while earlier ones are placed, keeping many misses in flight.
#pragma once

#include <cstdint>
#include <vector>

#include "common/column.h"
#include "query/execution/hash_table_memory.h"

namespace loglake::query {

class DistinctSet {
 public:
  // `value_type`: the physical type of the values; `grouped`: whether group ids other than 0
  // occur (no GROUP BY lets varchar entries drop the group word).
  DistinctSet(ColumnType value_type, bool grouped);

  // Adds the pairs (group_ids[r], values row r) for the non-null rows r < num_rows.
  void Insert(const uint32_t* group_ids, const Column& values, size_t num_rows);
  // Adds every pair of `other` (same value type), its group g renamed group_map[g]. `other` is
  // left in an unspecified state: when both sets hold only group 0, the larger one is kept and
  // the smaller inserted into it.
  void Merge(DistinctSet&& other, const std::vector<uint32_t>& group_map);

  size_t size() const { return size_; }
  size_t MemoryUsage() const { return words_.size() * 8; }

  // Calls fn(group, value_bits) for every pair. value_bits is the exact value for fixed-width
  // types (FixedWidthKeyBits) and meaningless for varchar.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t i = 0; i < words_.size(); i += stride_) {
      const uint64_t* e = &words_[i];
      if (IsEmpty(e)) continue;
      fn(GroupOf(e), e[0]);
    }
  }

 private:

  bool IsEmpty(const uint64_t* e) const {
    for (size_t k = 0; k < stride_; ++k) {
      if (e[k] != 0) return false;
    }
    return true;
  }
  uint32_t GroupOf(const uint64_t* e) const;
  void MakeEntry(uint32_t group, const Column& values, size_t row, uint64_t* e) const;
  uint64_t HashOf(const uint64_t* e) const;
  // Inserts the n entries (stride_ words each) of `entries`.
  void InsertEntries(const uint64_t* entries, size_t n);
  void Grow();

  bool is_string_;
  bool grouped_;
  size_t stride_;  // words per entry
  ZeroedWords words_;
  uint64_t mask_ = 0;  // capacity - 1, in entries
  size_t size_ = 0;
  std::vector<uint64_t> scratch_;
  std::vector<uint64_t> scratch_hashes_;
};

}  // namespace loglake::query
