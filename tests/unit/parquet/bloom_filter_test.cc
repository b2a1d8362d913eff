#include "parquet/bloom_filter.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "parquet/metadata.h"

namespace loglake::parquet {
namespace {

TEST(BloomFilterTest, HashIsXxh64OfPlainBytes) {
  // XXH64 of the empty input with seed 0, a published test vector.
  EXPECT_EQ(BloomFilter::Hash(std::string_view()), 0xEF46DB3751D8E999ull);
  // Integers hash as their little-endian bytes, like the PLAIN encoding without a length prefix.
  const int32_t i32 = 0x04030201;
  EXPECT_EQ(BloomFilter::Hash(i32), BloomFilter::Hash(std::string_view("\x01\x02\x03\x04", 4)));
  const int64_t i64 = -2;
  EXPECT_EQ(BloomFilter::Hash(i64),
            BloomFilter::Hash(std::string_view("\xfe\xff\xff\xff\xff\xff\xff\xff", 8)));
  EXPECT_EQ(BloomFilter::Hash(1.0), BloomFilter::Hash(std::string_view("\0\0\0\0\0\0\xf0\x3f", 8)));
}

TEST(BloomFilterTest, InsertSetsTheSpecifiedBits) {
  // One block: the block index is 0 whatever the hash; key 1 sets bit SALT[i] >> 27 of word i.
  BloomFilter filter(32);
  filter.Insert(0x0000000000000001ull);
  const uint32_t salts[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                             0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};
  const std::string_view bits = filter.bitset();
  for (int i = 0; i < 8; ++i) {
    uint32_t word;
    std::memcpy(&word, bits.data() + 4 * i, 4);
    EXPECT_EQ(word, 1u << (salts[i] >> 27)) << "word " << i;
  }
  // With 4 blocks, the upper half of the hash picks the block: (0x80000000 * 4) >> 32 = 2.
  BloomFilter four(128);
  four.Insert(0x8000000000000001ull);
  const std::string_view fb = four.bitset();
  for (size_t i = 0; i < fb.size(); ++i) {
    EXPECT_EQ(fb[i] != 0, i >= 64 && i < 96 && fb[i] != 0) << "byte " << i << " outside block 2";
  }
  EXPECT_TRUE(four.Check(0x8000000000000001ull));
}

TEST(BloomFilterTest, NoFalseNegativesAndFppNearTarget) {
  const uint64_t n = 100000;
  const double fpp = 0.01;
  BloomFilter filter(BloomFilter::OptimalNumBytes(n, fpp));
  for (uint64_t i = 0; i < n; ++i) filter.Insert(BloomFilter::Hash("user-" + std::to_string(i)));
  for (uint64_t i = 0; i < n; ++i) ASSERT_TRUE(filter.Check(BloomFilter::Hash("user-" + std::to_string(i))));
  uint64_t false_positives = 0;
  const uint64_t probes = 200000;
  for (uint64_t i = 0; i < probes; ++i) {
    false_positives += filter.Check(BloomFilter::Hash("other-" + std::to_string(i)));
  }
  const double measured = static_cast<double>(false_positives) / probes;
  // Sized for the split-block layout itself: close to the target, neither above nor far below.
  EXPECT_LT(measured, fpp * 1.3) << measured;
  EXPECT_GT(measured, fpp * 0.6) << measured << ": the filter is larger than it needs to be";
}

TEST(BloomFilterTest, Sizing) {
  EXPECT_EQ(BloomFilter::OptimalNumBytes(0, 0.01), 32u);
  EXPECT_EQ(BloomFilter::OptimalNumBytes(1, 0.01), 32u);
  // 1M values at 1%: about 10.5 bits a value, in whole 32-byte blocks (no power-of-two rounding).
  const uint32_t million = BloomFilter::OptimalNumBytes(1000000, 0.01);
  EXPECT_EQ(million % 32, 0u);
  EXPECT_GT(million, 1'280'000u);
  EXPECT_LT(million, 1'360'000u);
  EXPECT_EQ(BloomFilter::OptimalNumBytes(uint64_t{1} << 40, 0.01), BloomFilter::kMaxBytes);
  EXPECT_EQ(BloomFilter::OptimalNumBytes(1000, -1), BloomFilter::OptimalNumBytes(1000, 0.0001));
  for (uint64_t ndv : {10ull, 1000ull, 123456ull}) {
    const uint32_t bytes = BloomFilter::OptimalNumBytes(ndv, 0.05);
    EXPECT_EQ(bytes % 32, 0u);
    EXPECT_LE(bytes, BloomFilter::OptimalNumBytes(ndv, 0.01));
  }
  EXPECT_EQ(BloomFilter(100).num_bytes(), 128u);
  EXPECT_EQ(BloomFilter(160).num_bytes(), 160u) << "any number of blocks";
  EXPECT_EQ(BloomFilter(0).num_bytes(), 32u);
}

TEST(BloomFilterTest, FromBitsetAndSerializedForm) {
  BloomFilter filter(1024);
  for (int i = 0; i < 100; ++i) filter.Insert(BloomFilter::Hash(int64_t{i}));
  auto copy = BloomFilter::FromBitset(filter.bitset());
  ASSERT_TRUE(copy.ok());
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(copy->Check(BloomFilter::Hash(int64_t{i})));
  // Any multiple of 32 bytes is valid on read (the block index does not need a power of two).
  auto odd = BloomFilter::FromBitset(std::string(96, '\0'));
  ASSERT_TRUE(odd.ok());
  odd->Insert(12345);
  EXPECT_TRUE(odd->Check(12345));
  EXPECT_FALSE(BloomFilter::FromBitset("").ok());
  EXPECT_FALSE(BloomFilter::FromBitset(std::string(33, '\0')).ok());

  std::string stored;
  filter.AppendTo(&stored);
  BloomFilterHeader header;
  size_t header_len = 0;
  ASSERT_TRUE(DeserializeFrom(stored, &header, &header_len).ok());
  EXPECT_EQ(header.num_bytes, 1024);
  EXPECT_EQ(stored.size(), header_len + 1024);
  EXPECT_EQ(stored.substr(header_len), filter.bitset());
}

}  // namespace
}  // namespace loglake::parquet
