#include "query/execution/hash_table.h"

#include <algorithm>
#include <cstring>

#include <xxhash.h>

#include "query/execution/row_key.h"

namespace loglake::query {
namespace {

constexpr size_t kInitialSlots = 1024;
// The packed path: batches smaller than this go straight to the group table; the local table
// starts at kLocalSlots slots; a batch with more than max(kMinLocalLimit, rows / kLocalShare)
// distinct keys gives up on it (high-cardinality keys gain nothing from a second table).
constexpr size_t kMinPackedRows = 256;
constexpr size_t kLocalSlots = 256;
constexpr size_t kMinLocalLimit = 64;
constexpr size_t kLocalShare = 8;

uint64_t HashWords(const uint64_t* w, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ULL * (n + 1);
  for (size_t i = 0; i < n; ++i) h = (h ^ w[i]) * 0xbf58476d1ce4e5b9ULL + (h >> 29);
  return MixHash(h);
}

// [*lo, *hi] of v[0, n), n > 0. Two plain reductions, which compilers vectorize.
template <typename T>
void RangeOf(const T* v, size_t n, int64_t* lo, int64_t* hi) {
  T mn = v[0];
  T mx = v[0];
  for (size_t i = 1; i < n; ++i) {
    mn = v[i] < mn ? v[i] : mn;
    mx = v[i] > mx ? v[i] : mx;
  }
  *lo = mn;
  *hi = mx;
}

// packed[i] (=, or |= unless `first`) the offset of v[i] from `lo`, shifted to its bits.
template <typename T>
void PackInto(const T* v, size_t n, uint64_t lo, int shift, bool first, uint64_t* packed) {
  if (first) {
    for (size_t i = 0; i < n; ++i) packed[i] = (static_cast<uint64_t>(static_cast<int64_t>(v[i])) - lo) << shift;
  } else {
    for (size_t i = 0; i < n; ++i) packed[i] |= (static_cast<uint64_t>(static_cast<int64_t>(v[i])) - lo) << shift;
  }
}

void AppendFixed(uint64_t v, std::string* out) {
  char buf[8];
  std::memcpy(buf, &v, 8);
  out->append(buf, 8);
}

}  // namespace

GroupHashTable::GroupHashTable(std::vector<ColumnType> key_types) : key_types_(std::move(key_types)) {
  bool all_fixed = true;
  for (ColumnType t : key_types_) {
    key_columns_.emplace_back(t);
    all_fixed = all_fixed && IsFixedWidth(t);
  }
  // The fixed layout keeps a 64-bit null mask: more keys than that serialize.
  if (!all_fixed || key_types_.size() > 63) {
    layout_ = Layout::kSerialized;
    offsets_.push_back(0);
  } else if (key_types_.size() == 1 && key_types_[0] != ColumnType::kDouble) {
    layout_ = Layout::kDirect;
    direct_.assign(kDirectSpan, 0);
  } else {
    layout_ = Layout::kFixed;
  }
  words_per_key_ = key_types_.size() + 1;
  slots_ = ZeroedWords(kInitialSlots);
  mask_ = kInitialSlots - 1;
}

size_t GroupHashTable::MemoryUsage() const {
  // Capacities, not sizes: a vector that just doubled holds twice what it uses.
  size_t n = direct_.capacity() * 4 + slots_.size() * 8 + group_hash_.capacity() * 8 +
             fixed_keys_.capacity() * 8 + serialized_.capacity() + offsets_.capacity() * 8;
  for (const Column& c : key_columns_) n += c.ByteSize();
  return n;
}

uint32_t GroupHashTable::NewGroup(const std::vector<const Column*>& keys, size_t row) {
  for (size_t k = 0; k < keys.size(); ++k) key_columns_[k].AppendFrom(*keys[k], row);
  return static_cast<uint32_t>(num_groups_++);
}

void GroupHashTable::Grow() {
  ZeroedWords old = std::move(slots_);
  slots_ = ZeroedWords(old.size() * 2);
  mask_ = slots_.size() - 1;
  for (size_t i = 0; i < old.size(); ++i) {
    uint64_t s = old[i];
    if (s == 0) continue;
    uint64_t h = group_hash_[(s & 0xffffffffULL) - 1];
    uint64_t idx = h & mask_;
    while (slots_[idx] != 0) idx = (idx + 1) & mask_;
    slots_[idx] = s;
  }
}

void GroupHashTable::FindOrInsert(const std::vector<const Column*>& keys, size_t num_rows,
                                  std::vector<uint32_t>* group_ids) {
  group_ids->resize(num_rows);
  uint32_t* out = group_ids->data();
  if (key_types_.empty()) {
    if (num_rows > 0 && num_groups_ == 0) num_groups_ = 1;
    std::fill(out, out + num_rows, 0);
    return;
  }
  switch (layout_) {
    case Layout::kDirect: {
      const Column& c = *keys[0];
      scratch_rows_.clear();
      const uint8_t* valid = c.validity().data();
      for (size_t r = 0; r < num_rows; ++r) {
        if (!valid[r]) {
          if (null_group_ == 0) {
            null_group_ = NewGroup(keys, r) + 1;
            group_hash_.push_back(0);
            fixed_keys_.insert(fixed_keys_.end(), words_per_key_, 0);
          }
          out[r] = null_group_ - 1;
          continue;
        }
        uint64_t v = FixedWidthKeyBits(c, r);
        if (v < static_cast<uint64_t>(kDirectSpan)) {
          uint32_t& g = direct_[v];
          if (g == 0) {
            g = NewGroup(keys, r) + 1;
            group_hash_.push_back(0);
            fixed_keys_.insert(fixed_keys_.end(), words_per_key_, 0);
          }
          out[r] = g - 1;
        } else {
          scratch_rows_.push_back(static_cast<uint32_t>(r));
        }
      }
      if (!scratch_rows_.empty()) {
        std::vector<uint32_t> rows;
        rows.swap(scratch_rows_);
        FixedBatch(keys, rows.size(), rows, out);
        rows.swap(scratch_rows_);
      }
      return;
    }
    case Layout::kFixed:
      if (!PackedBatch(keys, num_rows, out)) FixedBatch(keys, num_rows, {}, out);
      return;
    case Layout::kSerialized: SerializedBatch(keys, num_rows, out); return;
  }
}

// Rows `rows` of the batch (all rows when `rows` is empty and n == num_rows).
void GroupHashTable::FixedBatch(const std::vector<const Column*>& keys, size_t n, const std::vector<uint32_t>& rows,
                                uint32_t* out) {
  const size_t w = words_per_key_;
  scratch_words_.assign(n * w, 0);
  uint64_t* words = scratch_words_.data();
  const bool all = rows.empty();
  for (size_t k = 0; k < keys.size(); ++k) {
    const Column& c = *keys[k];
    if (all && c.null_count() == 0 && c.type() == ColumnType::kInt32) {
      const int32_t* v = c.int32_values().data();
      for (size_t i = 0; i < n; ++i) words[i * w + 1 + k] = static_cast<uint64_t>(static_cast<int64_t>(v[i]));
      continue;
    }
    if (all && c.null_count() == 0 && (c.type() == ColumnType::kInt64 || c.type() == ColumnType::kTimestamp)) {
      const int64_t* v = c.int64_values().data();
      for (size_t i = 0; i < n; ++i) words[i * w + 1 + k] = static_cast<uint64_t>(v[i]);
      continue;
    }
    const uint8_t* valid = c.validity().data();
    for (size_t i = 0; i < n; ++i) {
      size_t r = all ? i : rows[i];
      if (valid[r]) {
        words[i * w + 1 + k] = FixedWidthKeyBits(c, r);
      } else {
        words[i * w] |= uint64_t{1} << k;
      }
    }
  }
  for (size_t i = 0; i < n; ++i) {
    const uint64_t* key = words + i * w;
    uint64_t h = HashWords(key, w);
    uint64_t tag = h >> 32;
    uint64_t idx = h & mask_;
    size_t r = all ? i : rows[i];
    while (true) {
      uint64_t s = slots_[idx];
      if (s == 0) {
        uint32_t g = NewGroup(keys, r);
        fixed_keys_.insert(fixed_keys_.end(), key, key + w);
        group_hash_.push_back(h);
        slots_[idx] = (tag << 32) | (uint64_t{g} + 1);
        if (num_groups_ * 4 > slots_.size() * 3) Grow();
        out[r] = g;
        break;
      }
      if ((s >> 32) == tag) {
        uint32_t g = static_cast<uint32_t>((s & 0xffffffffULL) - 1);
        const uint64_t* stored = fixed_keys_.data() + size_t{g} * w;
        size_t k = 0;
        while (k < w && stored[k] == key[k]) ++k;
        if (k == w) {
          out[r] = g;
          break;
        }
      }
      idx = (idx + 1) & mask_;
    }
  }
}

bool GroupHashTable::PackedBatch(const std::vector<const Column*>& keys, size_t n, uint32_t* out) {
  if (n < kMinPackedRows) return false;
  // Per key: the batch minimum and where its offset bits go.
  std::vector<std::pair<uint64_t, int>> min_and_shift(keys.size());
  int total_bits = 0;
  for (size_t k = 0; k < keys.size(); ++k) {
    const Column& c = *keys[k];
    if (c.null_count() != 0) return false;
    int64_t lo = 0;
    int64_t hi = 0;
    switch (c.type()) {
      case ColumnType::kInt32: RangeOf(c.int32_values().data(), n, &lo, &hi); break;
      case ColumnType::kInt64:
      case ColumnType::kTimestamp: RangeOf(c.int64_values().data(), n, &lo, &hi); break;
      case ColumnType::kBool: hi = 1; break;
      default: return false;  // doubles compare by canonical bits, not by offset
    }
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    const int bits = span == 0 ? 0 : 64 - __builtin_clzll(span);
    if (total_bits + bits > 64) return false;
    min_and_shift[k] = {static_cast<uint64_t>(lo), bits == 0 ? -1 : total_bits};
    total_bits += bits;
  }
  packed_keys_.resize(n);
  uint64_t* packed = packed_keys_.data();
  bool first = true;  // the first key with bits writes, the others add theirs
  for (size_t k = 0; k < keys.size(); ++k) {
    const auto [lo, shift] = min_and_shift[k];
    if (shift < 0) continue;  // one value in the whole batch
    const Column& c = *keys[k];
    switch (c.type()) {
      case ColumnType::kInt32: PackInto(c.int32_values().data(), n, lo, shift, first, packed); break;
      case ColumnType::kBool: PackInto(c.bool_values().data(), n, lo, shift, first, packed); break;
      default: PackInto(c.int64_values().data(), n, lo, shift, first, packed); break;
    }
    first = false;
  }
  if (first) std::fill(packed, packed + n, 0);  // every key is constant: one group

  // Batch-local ids by first appearance, through a small open-addressing table (raw pointers in
  // the loop: stores through vector members would make the compiler reload them every row).
  size_t capacity = kLocalSlots;
  int hash_shift = 64 - __builtin_ctzll(capacity);
  local_slots_key_.assign(capacity, 0);
  local_slots_id_.assign(capacity, 0);
  first_rows_.clear();
  local_of_row_.resize(n);
  uint64_t* slot_key = local_slots_key_.data();
  uint32_t* slot_id = local_slots_id_.data();
  uint32_t* local_of_row = local_of_row_.data();
  const size_t max_local = std::max(kMinLocalLimit, n / kLocalShare);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t key = packed[i];
    size_t idx = static_cast<size_t>(MixHash(key) >> hash_shift);
    uint32_t id;
    while ((id = slot_id[idx]) != 0 && slot_key[idx] != key) idx = (idx + 1) & (capacity - 1);
    if (id != 0) {
      local_of_row[i] = id - 1;
      continue;
    }
    if (first_rows_.size() == max_local) return false;
    local_of_row[i] = static_cast<uint32_t>(first_rows_.size());
    first_rows_.push_back(static_cast<uint32_t>(i));
    slot_key[idx] = key;
    slot_id[idx] = static_cast<uint32_t>(first_rows_.size());
    if (first_rows_.size() * 2 > capacity) {
      // Double the local table and re-place its entries.
      std::vector<uint64_t> old_keys = std::move(local_slots_key_);
      std::vector<uint32_t> old_ids = std::move(local_slots_id_);
      capacity *= 2;
      hash_shift -= 1;
      local_slots_key_.assign(capacity, 0);
      local_slots_id_.assign(capacity, 0);
      slot_key = local_slots_key_.data();
      slot_id = local_slots_id_.data();
      for (size_t s = 0; s < old_ids.size(); ++s) {
        if (old_ids[s] == 0) continue;
        size_t at = static_cast<size_t>(MixHash(old_keys[s]) >> hash_shift);
        while (slot_id[at] != 0) at = (at + 1) & (capacity - 1);
        slot_key[at] = old_keys[s];
        slot_id[at] = old_ids[s];
      }
    }
  }

  // The first row of each local key finds (or makes) its group; the other rows copy it.
  FixedBatch(keys, first_rows_.size(), first_rows_, out);
  group_of_local_.resize(first_rows_.size());
  for (size_t l = 0; l < first_rows_.size(); ++l) group_of_local_[l] = out[first_rows_[l]];
  const uint32_t* local = local_of_row_.data();
  const uint32_t* group = group_of_local_.data();
  for (size_t i = 0; i < n; ++i) out[i] = group[local[i]];
  ++packed_batches_;
  return true;
}

void GroupHashTable::SerializedBatch(const std::vector<const Column*>& keys, size_t n, uint32_t* out) {
  scratch_bytes_.clear();
  scratch_offsets_.assign(1, 0);
  for (size_t r = 0; r < n; ++r) {
    for (size_t k = 0; k < keys.size(); ++k) {
      const Column& c = *keys[k];
      if (c.IsNull(r)) {
        scratch_bytes_.push_back('\0');
        continue;
      }
      scratch_bytes_.push_back('\1');
      if (c.type() == ColumnType::kString) {
        std::string_view s = c.String(r);
        uint32_t len = static_cast<uint32_t>(s.size());
        char buf[4];
        std::memcpy(buf, &len, 4);
        scratch_bytes_.append(buf, 4);
        scratch_bytes_.append(s);
      } else {
        AppendFixed(FixedWidthKeyBits(c, r), &scratch_bytes_);
      }
    }
    scratch_offsets_.push_back(scratch_bytes_.size());
  }
  for (size_t r = 0; r < n; ++r) {
    const char* key = scratch_bytes_.data() + scratch_offsets_[r];
    size_t len = scratch_offsets_[r + 1] - scratch_offsets_[r];
    uint64_t h = XXH3_64bits(key, len);
    uint64_t tag = h >> 32;
    uint64_t idx = h & mask_;
    while (true) {
      uint64_t s = slots_[idx];
      if (s == 0) {
        uint32_t g = NewGroup(keys, r);
        serialized_.append(key, len);
        offsets_.push_back(serialized_.size());
        group_hash_.push_back(h);
        slots_[idx] = (tag << 32) | (uint64_t{g} + 1);
        if (num_groups_ * 4 > slots_.size() * 3) Grow();
        out[r] = g;
        break;
      }
      if ((s >> 32) == tag) {
        uint32_t g = static_cast<uint32_t>((s & 0xffffffffULL) - 1);
        if (offsets_[g + 1] - offsets_[g] == len && std::memcmp(serialized_.data() + offsets_[g], key, len) == 0) {
          out[r] = g;
          break;
        }
      }
      idx = (idx + 1) & mask_;
    }
  }
}

}  // namespace loglake::query
