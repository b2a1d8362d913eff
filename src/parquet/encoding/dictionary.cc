#include "parquet/encoding/dictionary.h"

namespace loglake::parquet {
namespace {
constexpr size_t kInitialSlots = 1024;
}  // namespace

StringDictionary::StringDictionary() { Clear(); }

void StringDictionary::Grow() {
  // Entries are re-inserted in index order: hashes_ and offsets_ are read sequentially, and only
  // the writes into the new table are scattered.
  std::vector<Slot> bigger(slots_.size() * 2, Slot{0, 0, 0, 0});
  const size_t mask = bigger.size() - 1;
  for (size_t i = 0; i < size(); ++i) {
    const uint64_t hash = hashes_[i];
    size_t pos = hash & mask;
    while (bigger[pos].index_plus_one != 0) pos = (pos + 1) & mask;
    bigger[pos] = Slot{static_cast<uint32_t>(hash >> 32), static_cast<uint32_t>(i + 1),
                       static_cast<uint32_t>(offsets_[i] + 4), static_cast<uint32_t>(offsets_[i + 1] - offsets_[i] - 4)};
  }
  slots_.swap(bigger);
  mask_ = mask;
}

void StringDictionary::Clear() {
  if (slots_.empty()) {
    slots_.assign(kInitialSlots, Slot{0, 0, 0, 0});
  } else {
    std::fill(slots_.begin(), slots_.end(), Slot{0, 0, 0, 0});
  }
  mask_ = slots_.size() - 1;
  hashes_.clear();
  offsets_.assign(1, 0);
  arena_.clear();
}

void StringDictionary::Reserve(size_t entries) {
  if (size() > 0) return;
  const size_t slots = SlotsFor(entries, kInitialSlots);
  if (slots <= slots_.size()) return;
  slots_.assign(slots, Slot{0, 0, 0, 0});
  mask_ = slots - 1;
  hashes_.reserve(entries);
  offsets_.reserve(entries + 1);
}

void StringDictionary::Release() {
  std::vector<Slot>().swap(slots_);
  std::vector<uint64_t>().swap(hashes_);
  std::vector<uint64_t>().swap(offsets_);
  arena_.Release();
  Clear();
}

}  // namespace loglake::parquet
