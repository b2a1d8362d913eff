// NameTable: from a JSON key to the index of the column of that name, for the record parser.
//
// Producers write keys in the same order record after record, so the parser first checks the
// column it predicts (one compare of the key's raw bytes, closing quote included), and only on a
// miss probes an open-addressing hash table. Each name keeps its length and first 16 bytes
// inline, so most probes cost one multiply and two compares.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "common/column.h"

namespace loglake::json {

// The first min(n, 16) bytes of a name, as two words zero-filled past the name's end.
struct Head {
  uint64_t w0 = 0;
  uint64_t w1 = 0;
  bool operator==(const Head&) const = default;
};

// The Head of the n bytes at p; `padded`: p[0..16) is readable even when n is smaller, so that
// short names take two plain loads.
inline Head LoadHead(const char* p, size_t n, bool padded) {
  Head h;
  if (padded && std::endian::native == std::endian::little) {  // masks keep the low-order bytes
    std::memcpy(&h.w0, p, 8);
    std::memcpy(&h.w1, p + 8, 8);
    if (n < 16) {
      if (n < 8) {
        h.w0 &= (uint64_t{1} << (8 * n)) - 1;
        h.w1 = 0;
      } else {
        h.w1 &= (uint64_t{1} << (8 * (n - 8))) - 1;
      }
    }
  } else {
    std::memcpy(&h.w0, p, std::min<size_t>(n, 8));
    if (n > 8) std::memcpy(&h.w1, p + 8, std::min<size_t>(n - 8, 8));
  }
  return h;
}

class NameTable {
 public:
  // Indexes `fields` by name, leaving out field `skip` (the extra column, whose name is not a key).
  void Build(const std::vector<Field>& fields, int skip) {
    entries_.clear();
    for (const Field& f : fields) {
      Entry e{f.name, f.name.size(), LoadHead(f.name.data(), f.name.size(), false), {}, {}};
      // The name followed by its closing quote, for QuotedKeyAt.
      const std::string quoted = f.name + '"';
      e.quoted = LoadHead(quoted.data(), quoted.size(), false);
      const size_t n = quoted.size();
      e.quoted_mask.w0 = n >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1;
      e.quoted_mask.w1 = n >= 16 ? ~uint64_t{0} : n <= 8 ? 0 : (uint64_t{1} << (8 * (n - 8))) - 1;
      entries_.push_back(std::move(e));
    }
    size_t capacity = 8;
    while (capacity < fields.size() * 4) capacity *= 2;
    slots_.assign(capacity, -1);
    mask_ = capacity - 1;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (static_cast<int>(i) == skip) continue;
      size_t h = Hash(entries_[i].head, entries_[i].size) & mask_;
      while (slots_[h] >= 0) h = (h + 1) & mask_;
      slots_[h] = static_cast<int32_t>(i);
    }
  }

  // Whether field `index` is named `key`, whose first bytes are `head` (LoadHead).
  bool Matches(int index, std::string_view key, const Head& head) const {
    const Entry& e = entries_[static_cast<size_t>(index)];
    if (e.size != key.size() || !(e.head == head)) return false;
    return e.size <= 16 || std::memcmp(e.name.data() + 16, key.data() + 16, e.size - 16) == 0;
  }

  // The field named `key` (which LoadHead gave `head`), or -1.
  int Find(std::string_view key, const Head& head) const {
    for (size_t h = Hash(head, key.size()) & mask_;; h = (h + 1) & mask_) {
      const int32_t index = slots_[h];
      if (index < 0 || Matches(index, key, head)) return index;
    }
  }

  // Whether the bytes at p are field `index`'s name followed by a quote: the raw key of that
  // field, escapes aside. p[0..16) and p[0..name size] must be readable.
  bool QuotedKeyAt(int index, const char* p) const {
    const Entry& e = entries_[static_cast<size_t>(index)];
    if (e.size < 16 && std::endian::native == std::endian::little) {
      uint64_t w0, w1;
      std::memcpy(&w0, p, 8);
      std::memcpy(&w1, p + 8, 8);
      return (((w0 ^ e.quoted.w0) & e.quoted_mask.w0) | ((w1 ^ e.quoted.w1) & e.quoted_mask.w1)) == 0;
    }
    return std::memcmp(p, e.name.data(), e.size) == 0 && p[e.size] == '"';
  }

  size_t NameSize(int index) const { return entries_[static_cast<size_t>(index)].size; }

 private:
  struct Entry {
    std::string name;
    size_t size;
    Head head;
    Head quoted;       // head of the name followed by '"'
    Head quoted_mask;  // which bytes of `quoted` count
  };
  static size_t Hash(const Head& head, size_t size) {
    const uint64_t h = (head.w0 ^ head.w1 ^ (static_cast<uint64_t>(size) << 56)) * 0x9E3779B97F4A7C15ULL;
    return static_cast<size_t>(h >> 40);
  }
  std::vector<Entry> entries_;
  std::vector<int32_t> slots_;
  size_t mask_ = 0;
};

}  // namespace loglake::json
