#include "query/execution/hash_table.h"

#include <cstring>

#include <xxhash.h>

#include "query/execution/row_key.h"

namespace loglake::query {
namespace {

constexpr size_t kInitialSlots = 1024;

uint64_t HashWords(const uint64_t* w, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ULL * (n + 1);
  for (size_t i = 0; i < n; ++i) h = (h ^ w[i]) * 0xbf58476d1ce4e5b9ULL + (h >> 29);
  return MixHash(h);
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
  size_t n = direct_.size() * 4 + slots_.size() * 8 + group_hash_.size() * 8 + fixed_keys_.size() * 8 +
             serialized_.size() + offsets_.size() * 8;
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
    case Layout::kFixed: FixedBatch(keys, num_rows, {}, out); return;
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
