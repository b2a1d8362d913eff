#include "parquet/bloom_probe.h"

#include <algorithm>
#include <string>

#include "parquet/bloom_filter.h"

namespace loglake::parquet {
namespace {

constexpr uint64_t kLeadingMagicBytes = 4;  // "PAR1": nothing lies before it
// A BloomFilterHeader is a handful of bytes (numBytes and three one-member unions).
constexpr uint64_t kHeaderProbeBytes = 64;

}  // namespace

uint32_t BloomFilterLocation::BlockOf(uint64_t hash) const {
  // The specification's block choice: the hash's upper half scaled to the number of blocks.
  const uint64_t num_blocks = num_bytes / BloomFilter::kBlockBytes;
  return static_cast<uint32_t>(((hash >> 32) * num_blocks) >> 32);
}

uint64_t BloomFilterLocation::BlockOffset(uint32_t block) const {
  return bitset_offset + uint64_t{block} * BloomFilter::kBlockBytes;
}

Result<BloomFilterLocation> ReadBloomFilterLocation(const InputSource& in, const ColumnMetaData& meta,
                                                    uint64_t limit) {
  if (!meta.bloom_filter_offset) return Status::NotFound("no bloom filter");
  limit = std::min(limit, in.size());
  const int64_t offset = *meta.bloom_filter_offset;
  if (offset < static_cast<int64_t>(kLeadingMagicBytes) || static_cast<uint64_t>(offset) >= limit) {
    return Status::Corruption("bloom filter lies outside the file");
  }
  const uint64_t available = limit - static_cast<uint64_t>(offset);
  std::string probe;
  RETURN_IF_ERROR(
      in.ReadAt(static_cast<uint64_t>(offset), static_cast<size_t>(std::min(available, kHeaderProbeBytes)), &probe));
  BloomFilterHeader header;
  size_t header_size = 0;
  Status st = DeserializeFrom(probe, &header, &header_size);
  if (!st.ok()) return st.WithContext("bloom filter header");
  if (header.num_bytes <= 0 || static_cast<uint32_t>(header.num_bytes) > BloomFilter::kMaxBytes ||
      header.num_bytes % BloomFilter::kBlockBytes != 0 ||
      static_cast<uint64_t>(header.num_bytes) > available - header_size) {
    return Status::Corruption("bloom filter of " + std::to_string(header.num_bytes) +
                              " bytes is not whole 32-byte blocks inside the file");
  }
  const uint64_t total = header_size + static_cast<uint64_t>(header.num_bytes);
  if (meta.bloom_filter_length && static_cast<uint64_t>(*meta.bloom_filter_length) != total) {
    return Status::Corruption("bloom filter length " + std::to_string(*meta.bloom_filter_length) +
                              " differs from its header's " + std::to_string(total));
  }
  BloomFilterLocation location;
  location.bitset_offset = static_cast<uint64_t>(offset) + header_size;
  location.num_bytes = static_cast<uint32_t>(header.num_bytes);
  return location;
}

bool BloomBlockMayContain(std::string_view block, uint64_t hash) {
  // A one-block filter maps every hash to its only block, so its Check is the block's answer.
  Result<BloomFilter> one_block = BloomFilter::FromBitset(block.substr(0, BloomFilter::kBlockBytes));
  return !one_block.ok() || one_block->Check(hash);
}

}  // namespace loglake::parquet
