#include "query/execution/dedup_set.h"

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
    (*hashes)[i] = lake::HashKeyValue(keys, i);
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
