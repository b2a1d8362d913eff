#include "parquet/bloom_filter.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "parquet/metadata.h"

namespace loglake::parquet {
namespace {

// The specification's salt constants: odd numbers that make the eight bit positions of a key
// independent of each other.
constexpr uint32_t kSalt[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                               0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};

// Rounds up to whole 32-byte blocks within [kMinBytes, kMaxBytes]. The specification lets a
// filter have any number of blocks (a value's block is ((hash >> 32) * blocks) >> 32); rounding up
// to a power of two, as some writers do, wastes up to half of the filter.
uint32_t RoundToBlocks(uint64_t bytes) {
  bytes = std::clamp<uint64_t>(bytes, BloomFilter::kMinBytes, BloomFilter::kMaxBytes);
  return static_cast<uint32_t>((bytes + BloomFilter::kBlockBytes - 1) / BloomFilter::kBlockBytes *
                               BloomFilter::kBlockBytes);
}

// False-positive probability of a split-block filter holding on average `load` values a block.
// A block with k values answers "maybe" for an absent value when each of its eight words has the
// probed bit set, (1 - (31/32)^k)^8; k follows a Poisson law of mean `load`. This is what the
// filter really achieves: the textbook (1 - e^(-8 n / m))^8 ignores that blocks fill unevenly
// and promises 1% where a split-block filter of that size gives about 1.5%.
double SplitBlockFpp(double load) {
  double fpp = 0;
  double p = std::exp(-load);  // P(k = 0)
  const double last = load + 12 * std::sqrt(load) + 30;
  for (int k = 0; k <= last; ++k) {
    fpp += p * std::pow(1.0 - std::pow(31.0 / 32.0, k), 8);
    p *= load / (k + 1);
  }
  return fpp;
}

}  // namespace

uint32_t BloomFilter::OptimalNumBytes(uint64_t ndv, double fpp) {
  if (!(fpp >= 0.0001)) fpp = 0.0001;  // also catches NaN
  fpp = std::min(fpp, 0.5);
  // The largest load (values a block) that keeps the false-positive probability at most fpp, by
  // bisection (SplitBlockFpp grows with the load): 0.0001 allows ~10 values a block, 0.5 ~80.
  double lo = 0.5;
  double hi = 256;
  for (int i = 0; i < 40; ++i) {
    const double mid = (lo + hi) / 2;
    (SplitBlockFpp(mid) <= fpp ? lo : hi) = mid;
  }
  const double bytes = std::ceil(static_cast<double>(ndv) / lo) * kBlockBytes;
  return RoundToBlocks(bytes >= static_cast<double>(kMaxBytes) ? kMaxBytes : static_cast<uint64_t>(bytes));
}

BloomFilter::BloomFilter(uint32_t num_bytes) : words_(RoundToBlocks(num_bytes) / 4, 0) {}

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
