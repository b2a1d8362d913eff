// Probing a stored split-block bloom filter without reading its whole bitset.
//
// A split-block filter answers for a value from one 32-byte block of its bitset, the block its
// hash names (bloom_filter.h). A query testing a handful of values against a filter of hundreds of
// KB therefore needs the filter's header (to learn where the bitset starts and how many blocks it
// has) and one block per value: ~100 bytes instead of the whole filter. Answers are exactly those
// of BloomFilter::Check over the whole bitset.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "parquet/input_source.h"
#include "parquet/metadata.h"

namespace loglake::parquet {

// Where a chunk's bitset lies, from its BloomFilterHeader.
struct BloomFilterLocation {
  uint64_t bitset_offset = 0;  // file offset of the bitset (just after the header)
  uint32_t num_bytes = 0;      // bitset size: a non-zero multiple of BloomFilter::kBlockBytes

  // The index of the block that holds `hash`'s bits, and that block's file offset.
  uint32_t BlockOf(uint64_t hash) const;
  uint64_t BlockOffset(uint32_t block) const;
};

// Reads and checks the chunk's BloomFilterHeader (one read of a few dozen bytes): the bitset must
// lie after the leading magic bytes and end before `limit` and agree with ColumnMetaData.bloom_filter_length when the writer
// stored it. NotFound when the chunk has no bloom filter.
Result<BloomFilterLocation> ReadBloomFilterLocation(const InputSource& in, const ColumnMetaData& meta, uint64_t limit);

// Whether `block` (BloomFilter::kBlockBytes bytes: the block BlockOf(hash) names) may hold `hash`.
bool BloomBlockMayContain(std::string_view block, uint64_t hash);

}  // namespace loglake::parquet
