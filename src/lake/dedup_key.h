// The identity of a dedup key value, shared by the writer's duplicate index and query dedup.
//
// A key is identified by its XXH3-128 hash: a string's bytes; an integer's or timestamp's value as
// 8 little-endian bytes (an int32 is widened first, so it hashes like the same int64); a double's
// 8 bytes; a bool as one byte 0 or 1. Two keys are duplicates exactly when their hashes are equal:
// with 2^128 possible hashes, a collision among even billions of keys is far less likely than a
// disk error. Both sides must hash alike, or an index written by one would disagree with the key
// sets of the other: this file is the only place that hashes keys.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/column.h"

namespace loglake::lake {

struct KeyHash {
  uint64_t low = 0;
  uint64_t high = 0;
  bool operator==(const KeyHash& o) const { return low == o.low && high == o.high; }
};

// The hash of row `row` of `keys`, which must not be NULL.
KeyHash HashKeyValue(const Column& keys, size_t row);

}  // namespace loglake::lake
