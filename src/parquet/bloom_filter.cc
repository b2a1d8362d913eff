#include "parquet/bloom_filter.h"

// Inlined for the same reason as in encoding/dictionary.h: bloom columns hash every PLAIN value.
#define XXH_INLINE_ALL
#include <xxhash.h>
#undef XXH_INLINE_ALL

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "parquet/metadata.h"

namespace loglake::parquet {
namespace {

// The specification's salt constants: odd numbers that make the eight bit positions of a key
// independent of each other.
constexpr uint32_t kSalt[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                               0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};

uint32_t ClampToPowerOfTwo(uint64_t bytes) {
  bytes = std::clamp<uint64_t>(bytes, BloomFilter::kMinBytes, BloomFilter::kMaxBytes);
  return static_cast<uint32_t>(std::bit_ceil(bytes));
}

}  // namespace

uint32_t BloomFilter::OptimalNumBytes(uint64_t ndv, double fpp) {
  if (!(fpp >= 0.0001)) fpp = 0.0001;  // also catches NaN
  fpp = std::min(fpp, 0.5);
  // With 8 bits set per value in a 256-bit block, fpp ~= (1 - e^(-8 / bits_per_value))^8.
  const double bits = -8.0 * static_cast<double>(ndv) / std::log(1.0 - std::pow(fpp, 1.0 / 8.0));
  const double bytes = std::ceil(bits / 8.0);
  return ClampToPowerOfTwo(bytes >= static_cast<double>(kMaxBytes) ? kMaxBytes
                                                                   : static_cast<uint64_t>(bytes));
}

BloomFilter::BloomFilter(uint32_t num_bytes) : words_(ClampToPowerOfTwo(num_bytes) / 4, 0) {}

Result<BloomFilter> BloomFilter::FromBitset(std::string_view bitset) {
  if (bitset.empty() || bitset.size() % kBlockBytes != 0 || bitset.size() > kMaxBytes) {
    return Status::Corruption("bloom filter bitset of " + std::to_string(bitset.size()) +
                              " bytes is not a non-zero multiple of 32 up to 128 MiB");
  }
  BloomFilter filter;
  filter.words_.resize(bitset.size() / 4);
  std::memcpy(filter.words_.data(), bitset.data(), bitset.size());
  return filter;
}

uint64_t BloomFilter::Hash(std::string_view bytes) { return XXH64(bytes.data(), bytes.size(), 0); }
uint64_t BloomFilter::Hash(int32_t v) { return XXH64(&v, sizeof(v), 0); }
uint64_t BloomFilter::Hash(int64_t v) { return XXH64(&v, sizeof(v), 0); }
uint64_t BloomFilter::Hash(double v) { return XXH64(&v, sizeof(v), 0); }

void BloomFilter::Insert(uint64_t hash) {
  uint32_t* block = Block(hash);
  const uint32_t key = static_cast<uint32_t>(hash);
  for (int i = 0; i < 8; ++i) block[i] |= uint32_t{1} << ((key * kSalt[i]) >> 27);
}

void BloomFilter::InsertBatch(const uint64_t* hashes, size_t n) {
  constexpr size_t kAhead = 16;
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) __builtin_prefetch(Block(hashes[i + kAhead]));
    Insert(hashes[i]);
  }
}

bool BloomFilter::Check(uint64_t hash) const {
  const uint32_t* block = Block(hash);
  const uint32_t key = static_cast<uint32_t>(hash);
  for (int i = 0; i < 8; ++i) {
    if ((block[i] & (uint32_t{1} << ((key * kSalt[i]) >> 27))) == 0) return false;
  }
  return true;
}

void BloomFilter::AppendTo(std::string* out) const {
  BloomFilterHeader header;
  header.num_bytes = static_cast<int32_t>(num_bytes());
  SerializeTo(header, out);
  out->append(bitset());
}

}  // namespace loglake::parquet
