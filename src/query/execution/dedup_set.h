// Deduplication by key: KeyHashSet remembers the 128-bit hashes of the keys seen in one day
// partition, and DedupKeyHashes() computes them for a column of keys.
//
// Keys are hashed as lake/dedup_key.h says (XXH3-128), the same hash the writer's duplicate index
// uses. 16 bytes per key (open addressing at load <= 1/2 to 3/4: 21..32 bytes per distinct key)
// keeps a day's set small: 10M keys ≈ 256 MB worst case, typically ~200 MB. The caller frees the
// set when its day is done.
//
// A NULL key identifies nothing, so rows with a NULL key are never duplicates of each other.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "common/column.h"
#include "lake/dedup_key.h"

namespace loglake::query {

using lake::KeyHash;

// hashes[i] is the hash of row i of `keys`; null_rows[i] (when given) is 1 for NULL keys.
void DedupKeyHashes(const Column& keys, std::vector<KeyHash>* hashes, std::vector<uint8_t>* null_rows);

class KeyHashSet {
 public:
  KeyHashSet() = default;
  // Adds `h`; true when it was not in the set yet (the row is a first occurrence).
  bool Insert(const KeyHash& h);
  size_t size() const { return size_; }
  // Bytes held by the table.
  size_t MemoryBytes() const { return slots_.size() * sizeof(KeyHash); }
  // Empties the set and returns its memory.
  void Clear();

 private:
  void Grow();

  // An all-zero slot is empty; a hash that is all zero is stored as {1, 0} (see Insert).
  std::vector<KeyHash> slots_;
  size_t size_ = 0;
};

}  // namespace loglake::query
