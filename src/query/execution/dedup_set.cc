#include "query/execution/dedup_set.h"

#include <cstring>

#include <xxhash.h>

namespace loglake::query {

void DedupKeyHashes(const Column& keys, std::vector<KeyHash>* hashes, std::vector<uint8_t>* null_rows) {
  const size_t n = keys.size();
  hashes->resize(n);
  if (null_rows != nullptr) null_rows->assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (keys.IsNull(i)) {
      (*hashes)[i] = KeyHash{};
      if (null_rows != nullptr) (*null_rows)[i] = 1;
      continue;
    }
    XXH128_hash_t h;
    switch (keys.type()) {
      case ColumnType::kString: {
        const std::string_view s = keys.String(i);
        h = XXH3_128bits(s.data(), s.size());
        break;
      }
      case ColumnType::kInt32: {
        const int64_t v = keys.Int32(i);  // widened: an int32 key hashes like the same int64
        h = XXH3_128bits(&v, sizeof(v));
        break;
      }
      case ColumnType::kInt64:
      case ColumnType::kTimestamp: {
        const int64_t v = keys.Int64(i);
        h = XXH3_128bits(&v, sizeof(v));
        break;
      }
      case ColumnType::kDouble: {
        const double v = keys.Double(i);
        h = XXH3_128bits(&v, sizeof(v));
        break;
      }
      case ColumnType::kBool: {
        const uint8_t v = keys.Bool(i) ? 1 : 0;
        h = XXH3_128bits(&v, sizeof(v));
        break;
      }
    }
    (*hashes)[i] = KeyHash{h.low64, h.high64};
  }
}

bool KeyHashSet::Insert(const KeyHash& key) {
  KeyHash h = key;
  if (h.low == 0 && h.high == 0) h.low = 1;
  // Grow at 3/4 load: probes stay short and the table costs at most 2x the keys' bytes.
  if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(h.high) & mask;
  while (true) {
    KeyHash& slot = slots_[i];
    if (slot.low == 0 && slot.high == 0) {
      slot = h;
      ++size_;
      return true;
    }
    if (slot == h) return false;
    i = (i + 1) & mask;
  }
}

void KeyHashSet::Grow() {
  std::vector<KeyHash> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, KeyHash{});
  const size_t mask = slots_.size() - 1;
  for (const KeyHash& h : old) {
    if (h.low == 0 && h.high == 0) continue;
    size_t i = static_cast<size_t>(h.high) & mask;
    while (slots_[i].low != 0 || slots_[i].high != 0) i = (i + 1) & mask;
    slots_[i] = h;
  }
}

void KeyHashSet::Clear() {
  std::vector<KeyHash>().swap(slots_);
  size_ = 0;
}

}  // namespace loglake::query
