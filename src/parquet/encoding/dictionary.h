// Dictionary builders for RLE_DICTIONARY column chunks.
//
// A builder maps each distinct value to a dense index (0, 1, 2, ... in order of first appearance)
// and can write the PLAIN-encoded dictionary page body. The writer watches plain_size() and falls
// back to PLAIN once it passes the chunk's dictionary limit.
//
// Both builders are open-addressing hash tables (linear probing, power-of-two size, at most half
// full). A large dictionary does not fit in cache, so each lookup is a cache miss; callers that
// know the next values can hide those misses by prefetching a few values ahead (Prefetch*()).
// StringDictionary copies each distinct string once into one contiguous arena, already in the
// PLAIN form of the dictionary page, and keeps the hash, offset and length in the slot, so a
// lookup touches the slot and, on a match, the arena only.
// Inserting an existing value allocates nothing. The arena holds at most 4 GiB (callers cap the
// dictionary far below: a dictionary page must fit in 2 GiB).
// NumericDictionary keeps values in the slots and keys doubles by their bit pattern, so 0.0 and
// -0.0 (and distinct NaN payloads) stay distinct entries and round-trip exactly.
#pragma once

// XXH3 is inlined (static copies of its functions in this translation unit): every value of a
// dictionary-encoded string column is hashed, most are short, and the library call plus its
// length dispatch cost as much as the hash itself.
#define XXH_INLINE_ALL
#include <xxhash.h>
#undef XXH_INLINE_ALL

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "parquet/byte_buffer.h"

namespace loglake::parquet {

// Hash-table slots for `entries` values at most half full (as the dictionaries keep their tables),
// a power of two, at least `initial`.
inline size_t SlotsFor(size_t entries, size_t initial) {
  return std::bit_ceil(std::max<size_t>(entries * 2 + 1, initial));
}

// Whether the n bytes at a and b are equal. Inline word compares: dictionary values are mostly
// short, and a call to memcmp costs more than comparing them.
inline bool BytesEqual(const char* a, const char* b, size_t n) {
  auto load64 = [](const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  };
  auto load32 = [](const char* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  };
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (load64(a + i) != load64(b + i)) return false;
    }
    return load64(a + n - 8) == load64(b + n - 8);  // the last 8 bytes, overlapping the loop's
  }
  if (n >= 4) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

class StringDictionary {
 public:
  StringDictionary();

  static uint64_t Hash(std::string_view value) { return XXH3_64bits(value.data(), value.size()); }

  // Pipelined lookups: PrefetchSlot(h) a dozen values ahead, PrefetchEntry(h) a few values ahead
  // (it reads the slot, by then cached, and starts loading the entry's bytes), then Insert(v, h).
  void PrefetchSlot(uint64_t hash) const { __builtin_prefetch(&slots_[hash & mask_]); }
  void PrefetchEntry(uint64_t hash) const {
    const Slot& slot = slots_[hash & mask_];
    if (slot.index_plus_one != 0) __builtin_prefetch(arena_.data() + slot.offset);
  }

  // Index of `value` (whose Hash() is `hash`), which is added when new.
  uint32_t Insert(std::string_view value, uint64_t hash) {
    const uint32_t tag = static_cast<uint32_t>(hash >> 32);
    for (size_t pos = hash & mask_;; pos = (pos + 1) & mask_) {
      const Slot& slot = slots_[pos];
      if (slot.index_plus_one == 0) return Add(value, hash, pos);
      if (slot.tag == tag && slot.length == value.size() &&
          BytesEqual(arena_.data() + slot.offset, value.data(), value.size())) {
        return slot.index_plus_one - 1;
      }
    }
  }
  uint32_t Insert(std::string_view value) { return Insert(value, Hash(value)); }

  size_t size() const { return offsets_.size() - 1; }
  std::string_view value(uint32_t i) const {
    return std::string_view(arena_.data() + offsets_[i] + 4, offsets_[i + 1] - offsets_[i] - 4);
  }
  // Entry i PLAIN-encoded: its 4-byte length, then its bytes.
  std::string_view plain_value(uint32_t i) const {
    return std::string_view(arena_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  // The PLAIN dictionary page body (every entry PLAIN-encoded, in index order): entries are
  // stored that way, so the page needs no serializing.
  std::string_view plain() const { return arena_.view(); }
  uint64_t plain_size() const { return arena_.size(); }
  // Appends the PLAIN dictionary page body.
  void AppendPlain(std::string* out) const { out->append(plain()); }
  // Forgets every entry, keeping the allocated capacity (hash table included) for the next column
  // chunk, which is likely to hold about as many distinct values.
  void Clear();
  // Forgets every entry and shrinks to the initial size (for a large dictionary the writer abandoned).
  void Release();
  // Sizes the (empty) hash table for `entries` values without growing; never shrinks it.
  void Reserve(size_t entries);
  // Bytes of the hash table.
  size_t table_bytes() const { return slots_.size() * sizeof(Slot); }

 private:
  struct Slot {
    uint32_t tag;             // high 32 bits of the hash, to skip most string comparisons
    uint32_t index_plus_one;  // 0 marks an empty slot
    uint32_t offset;          // of the entry's bytes in arena_
    uint32_t length;
  };
  uint32_t Add(std::string_view value, uint64_t hash, size_t pos) {
    const uint32_t index = static_cast<uint32_t>(size());
    const size_t start = arena_.size();
    char* p = arena_.Extend(4 + value.size());
    const uint32_t length = static_cast<uint32_t>(value.size());
    std::memcpy(p, &length, 4);
    if (length > 0) std::memcpy(p + 4, value.data(), length);
    offsets_.push_back(arena_.size());
    hashes_.push_back(hash);
    slots_[pos] = Slot{static_cast<uint32_t>(hash >> 32), index + 1, static_cast<uint32_t>(start + 4), length};
    if (size() * 2 > slots_.size()) Grow();
    return index;
  }
  void Grow();

  std::vector<Slot> slots_;
  size_t mask_;
  std::vector<uint64_t> hashes_;   // per entry, for rehashing
  std::vector<uint64_t> offsets_;  // entry i, PLAIN-encoded, is arena_[offsets_[i], offsets_[i + 1])
  ByteBuffer arena_;
};

// T is int32_t, int64_t or double.
template <typename T>
class NumericDictionary {
  static_assert(std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> || std::is_same_v<T, double>);
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;

 public:
  NumericDictionary() { Clear(); }

  // Starts loading the slot `value` lands on (see StringDictionary).
  void Prefetch(T value) const { __builtin_prefetch(&slots_[Hash(std::bit_cast<Bits>(value)) & mask_]); }

  uint32_t Insert(T value) {
    const Bits bits = std::bit_cast<Bits>(value);
    for (size_t pos = Hash(bits) & mask_;; pos = (pos + 1) & mask_) {
      const Slot& slot = slots_[pos];
      if (slot.index_plus_one == 0) return Add(value, pos);
      if (slot.bits == bits) return slot.index_plus_one - 1;
    }
  }

  size_t size() const { return values_.size(); }
  T value(uint32_t i) const { return values_[i]; }
  uint64_t plain_size() const { return values_.size() * sizeof(T); }
  void AppendPlain(std::string* out) const {
    if (!values_.empty()) out->append(reinterpret_cast<const char*>(values_.data()), plain_size());
  }
  void Release() {
    slots_.clear();
    slots_.shrink_to_fit();
    values_.clear();
    values_.shrink_to_fit();
    Clear();
  }
  size_t table_bytes() const { return slots_.size() * sizeof(Slot); }
  // Like StringDictionary::Reserve.
  void Reserve(size_t entries) {
    if (!values_.empty()) return;
    const size_t slots = SlotsFor(entries, kInitialSlots);
    if (slots <= slots_.size()) return;
    slots_.assign(slots, Slot{});
    mask_ = slots - 1;
    values_.reserve(entries);
  }
  // Keeps the hash table's capacity, like StringDictionary::Clear.
  void Clear() {
    values_.clear();
    if (slots_.empty()) {
      slots_.assign(kInitialSlots, Slot{});
    } else {
      std::fill(slots_.begin(), slots_.end(), Slot{});
    }
    mask_ = slots_.size() - 1;
  }

 private:
  struct Slot {
    Bits bits = 0;
    uint32_t index_plus_one = 0;  // 0 marks an empty slot
  };
  static constexpr size_t kInitialSlots = 1024;
  static size_t Hash(Bits bits) {
    // A full 64-bit mix (xor-shift, multiply, xor-shift): the table keeps the low bits, and every
    // input bit must reach them. A multiply alone only carries bits upwards, and the low bits of
    // doubles with few decimals (latencies like 91.925) repeat, so probe runs grew ten times longer.
    uint64_t x = static_cast<uint64_t>(bits);
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    return static_cast<size_t>(x);
  }
  uint32_t Add(T value, size_t pos) {
    const uint32_t index = static_cast<uint32_t>(values_.size());
    values_.push_back(value);
    slots_[pos] = Slot{std::bit_cast<Bits>(value), index + 1};
    if (values_.size() * 2 > slots_.size()) Grow();
    return index;
  }
  void Grow() {
    std::vector<Slot> bigger(slots_.size() * 2);
    const size_t mask = bigger.size() - 1;
    for (const Slot& s : slots_) {
      if (s.index_plus_one == 0) continue;
      size_t pos = Hash(s.bits) & mask;
      while (bigger[pos].index_plus_one != 0) pos = (pos + 1) & mask;
      bigger[pos] = s;
    }
    slots_.swap(bigger);
    mask_ = mask;
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::vector<T> values_;
};

}  // namespace loglake::parquet
