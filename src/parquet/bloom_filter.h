// Parquet's split-block Bloom filter (SBBF), as the format specification defines it, so that any
// reader probing our filters (DuckDB, Spark, Trino) gets the same answers.
//
// The bitset is an array of 256-bit blocks, each eight 32-bit words. A value's 64-bit hash picks
// a block with its upper half, ((hash >> 32) * num_blocks) >> 32, and its lower half sets one bit
// in each word of that block (bit (key * SALT[i]) >> 27 of word i). The hash is XXH64 with seed 0
// of the value's PLAIN encoding without length prefix: a string's bytes, an INT32 or INT64 as its
// little-endian bytes, a DOUBLE as its 8 IEEE bytes.
//
// A filter answers "definitely absent" or "maybe present"; there are no false negatives.
#pragma once

// XXH64 is inlined here (static copies in each translation unit, as in encoding/dictionary.h):
// the writer hashes every PLAIN value of a bloom column, and the call costs as much as hashing an
// id of a few dozen bytes.
#define XXH_INLINE_ALL
#include <xxhash.h>
#undef XXH_INLINE_ALL

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace loglake::parquet {

class BloomFilter {
 public:
  static constexpr uint32_t kBlockBytes = 32;
  static constexpr uint32_t kMinBytes = 32;
  static constexpr uint32_t kMaxBytes = 128u << 20;

  // The smallest bitset (whole 32-byte blocks, within [kMinBytes, kMaxBytes]) whose false-positive
  // probability with `ndv` distinct values is at most `fpp` (clamped to 0.0001..0.5), computed for
  // the split-block layout itself: about 10.5 bits a value at 1%.
  static uint32_t OptimalNumBytes(uint64_t ndv, double fpp);

  // An empty filter; num_bytes is rounded up to whole blocks within [kMinBytes, kMaxBytes].
  explicit BloomFilter(uint32_t num_bytes);
  // A filter over a bitset read from a file: any non-zero multiple of 32 bytes up to kMaxBytes.
  static Result<BloomFilter> FromBitset(std::string_view bitset);

  static uint64_t Hash(std::string_view bytes) { return XXH64(bytes.data(), bytes.size(), 0); }
  static uint64_t Hash(int32_t v);
  static uint64_t Hash(int64_t v);
  static uint64_t Hash(double v);

  void Insert(uint64_t hash);
  // Inserts n hashes, prefetching blocks ahead: a large filter does not fit in cache.
  void InsertBatch(const uint64_t* hashes, size_t n);
  bool Check(uint64_t hash) const;

  uint32_t num_bytes() const { return static_cast<uint32_t>(words_.size() * 4); }
  // The raw bitset, as stored in a file after the BloomFilterHeader.
  std::string_view bitset() const {
    return std::string_view(reinterpret_cast<const char*>(words_.data()), words_.size() * 4);
  }
  // Appends the BloomFilterHeader followed by the bitset: what a file stores at
  // ColumnMetaData.bloom_filter_offset.
  void AppendTo(std::string* out) const;

 private:
  BloomFilter() = default;
  uint32_t* Block(uint64_t hash) { return &words_[BlockIndex(hash) * 8]; }
  const uint32_t* Block(uint64_t hash) const { return &words_[BlockIndex(hash) * 8]; }
  uint64_t BlockIndex(uint64_t hash) const { return ((hash >> 32) * (words_.size() / 8)) >> 32; }

  std::vector<uint32_t> words_;
};

}  // namespace loglake::parquet
