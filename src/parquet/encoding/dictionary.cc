#include "parquet/encoding/dictionary.h"

#include "parquet/encoding/bit_util.h"

namespace loglake::parquet {
namespace {
constexpr size_t kInitialSlots = 1024;
}  // namespace

StringDictionary::StringDictionary() { Clear(); }

uint32_t StringDictionary::Add(std::string_view value, uint64_t hash, size_t pos) {
  const uint32_t index = static_cast<uint32_t>(size());
  arena_.append(value);
  offsets_.push_back(arena_.size());
  hashes_.push_back(hash);
  slots_[pos] = Slot{static_cast<uint32_t>(hash >> 32), index + 1, static_cast<uint32_t>(offsets_[index]),
                     static_cast<uint32_t>(value.size())};
  if (size() * 2 > slots_.size()) Grow();
  return index;
}

void StringDictionary::Grow() {
  std::vector<Slot> bigger(slots_.size() * 2, Slot{0, 0, 0, 0});
  const size_t mask = bigger.size() - 1;
  for (const Slot& s : slots_) {
    if (s.index_plus_one == 0) continue;
    size_t pos = hashes_[s.index_plus_one - 1] & mask;
    while (bigger[pos].index_plus_one != 0) pos = (pos + 1) & mask;
    bigger[pos] = s;
  }
  slots_.swap(bigger);
  mask_ = mask;
}

void StringDictionary::AppendPlain(std::string* out) const {
  out->reserve(out->size() + plain_size());
  for (size_t i = 0; i < size(); ++i) {
    const std::string_view v = value(static_cast<uint32_t>(i));
    AppendLE<uint32_t>(out, static_cast<uint32_t>(v.size()));
    out->append(v);
  }
}

void StringDictionary::Clear() {
  slots_.assign(kInitialSlots, Slot{0, 0, 0, 0});
  mask_ = kInitialSlots - 1;
  hashes_.clear();
  offsets_.assign(1, 0);
  arena_.clear();
}

}  // namespace loglake::parquet
