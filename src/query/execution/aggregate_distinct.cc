#include "query/execution/aggregate_distinct.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include <xxhash.h>

#include "query/execution/row_key.h"

namespace loglake::query {
namespace {

constexpr size_t kInitialEntries = 1024;
constexpr size_t kBatch = 4096;

}  // namespace

// Entry layouts (no entry is all zero):
//   fixed-width:           {value bits, group + 1}
//   varchar, no GROUP BY:  {hash low, hash high}  (an all-zero hash is nudged to low = 1)
//   varchar, GROUP BY:     {hash low, hash high, group + 1}
DistinctSet::DistinctSet(ColumnType value_type, bool grouped)
    : is_string_(value_type == ColumnType::kString), grouped_(grouped) {
  stride_ = (is_string_ && grouped_) ? 3 : 2;
  words_ = ZeroedWords(kInitialEntries * stride_);
  mask_ = kInitialEntries - 1;
}

uint32_t DistinctSet::GroupOf(const uint64_t* e) const {
  if (!is_string_) return static_cast<uint32_t>(e[1] - 1);
  if (!grouped_) return 0;
  return static_cast<uint32_t>(e[2] - 1);
}

uint64_t DistinctSet::HashOf(const uint64_t* e) const {
  if (!is_string_) return MixHash(e[0] ^ MixHash(e[1]));
  // The value is already a strong hash.
  return stride_ == 3 ? e[0] ^ MixHash(e[2]) : e[0];
}

void DistinctSet::MakeEntry(uint32_t group, const Column& values, size_t row, uint64_t* e) const {
  if (!is_string_) {
    e[0] = FixedWidthKeyBits(values, row);
    e[1] = uint64_t{group} + 1;
    return;
  }
  std::string_view s = values.String(row);
  XXH128_hash_t h = XXH3_128bits(s.data(), s.size());
  e[0] = h.low64;
  e[1] = h.high64;
  if (grouped_) {
    e[2] = uint64_t{group} + 1;
  } else if (e[0] == 0 && e[1] == 0) {
    e[0] = 1;
  }
}

void DistinctSet::Grow() {
  ZeroedWords old = std::move(words_);
  size_t capacity = (mask_ + 1) * 2;
  words_ = ZeroedWords(capacity * stride_);
  mask_ = capacity - 1;
  size_ = 0;
  // Reinserting in chunks keeps the prefetching path.
  std::vector<uint64_t> chunk;
  chunk.reserve(kBatch * stride_);
  for (size_t i = 0; i < old.size(); i += stride_) {
    if (IsEmpty(&old[i])) continue;
    chunk.insert(chunk.end(), &old[i], &old[i] + stride_);
    if (chunk.size() == kBatch * stride_) {
      InsertEntries(chunk.data(), kBatch);
      chunk.clear();
    }
  }
  InsertEntries(chunk.data(), chunk.size() / stride_);
}

void DistinctSet::InsertEntries(const uint64_t* entries, size_t n) {
  if (n == 0) return;
  // Grow first so that the whole batch fits under a 3/4 load factor.
  while ((size_ + n) * 4 > (mask_ + 1) * 3) Grow();
  scratch_hashes_.resize(n);
  uint64_t* hashes = scratch_hashes_.data();
  for (size_t i = 0; i < n; ++i) hashes[i] = HashOf(entries + i * stride_);
  constexpr size_t kAhead = 16;
  for (size_t i = 0; i < std::min(n, kAhead); ++i) __builtin_prefetch(&words_[(hashes[i] & mask_) * stride_], 1);
  const size_t stride = stride_;
  uint64_t* words = words_.data();
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) __builtin_prefetch(&words[(hashes[i + kAhead] & mask_) * stride], 1);
    const uint64_t* e = entries + i * stride;
    uint64_t idx = hashes[i] & mask_;
    while (true) {
      uint64_t* slot = &words[idx * stride];
      if (slot[0] == 0 && slot[1] == 0 && (stride == 2 || slot[2] == 0)) {
        for (size_t k = 0; k < stride; ++k) slot[k] = e[k];
        ++size_;
        break;
      }
      if (slot[0] == e[0] && slot[1] == e[1] && (stride == 2 || slot[2] == e[2])) break;
      idx = (idx + 1) & mask_;
    }
  }
}

void DistinctSet::Insert(const uint32_t* group_ids, const Column& values, size_t num_rows) {
  const uint8_t* valid = values.validity().data();
  scratch_.resize(kBatch * stride_);
  for (size_t start = 0; start < num_rows; start += kBatch) {
    size_t end = std::min(num_rows, start + kBatch);
    size_t n = 0;
    for (size_t r = start; r < end; ++r) {
      if (!valid[r]) continue;
      MakeEntry(group_ids ? group_ids[r] : 0, values, r, &scratch_[n * stride_]);
      ++n;
    }
    InsertEntries(scratch_.data(), n);
  }
}

void DistinctSet::Merge(DistinctSet&& other, const std::vector<uint32_t>& group_map) {
  bool only_group_zero = !grouped_ && group_map.size() <= 1 && (group_map.empty() || group_map[0] == 0);
  if (only_group_zero && other.size_ > size_) {
    std::swap(words_, other.words_);
    std::swap(mask_, other.mask_);
    std::swap(size_, other.size_);
  }
  // `other` is walked in slot order, i.e. sorted by hash. Inserted into a table of the same
  // capacity, that run lands on one region already at this table's load and piles into one
  // enormous probe cluster (quadratic time). Growing first to a strictly larger capacity that
  // also holds both sets spreads each run of `other` over several regions of this table.
  while ((size_ + other.size_) * 4 > (mask_ + 1) * 3 || mask_ <= other.mask_) Grow();
  std::vector<uint64_t> chunk;
  chunk.reserve(kBatch * stride_);
  for (size_t i = 0; i < other.words_.size(); i += stride_) {
    const uint64_t* e = &other.words_[i];
    if (other.IsEmpty(e)) continue;
    size_t at = chunk.size();
    chunk.insert(chunk.end(), e, e + stride_);
    uint32_t g = group_map[other.GroupOf(e)];
    if (!is_string_) {
      chunk[at + 1] = uint64_t{g} + 1;
    } else if (grouped_) {
      chunk[at + 2] = uint64_t{g} + 1;
    }
    if (chunk.size() == kBatch * stride_) {
      InsertEntries(chunk.data(), kBatch);
      chunk.clear();
    }
  }
  InsertEntries(chunk.data(), chunk.size() / stride_);
}

}  // namespace loglake::query
