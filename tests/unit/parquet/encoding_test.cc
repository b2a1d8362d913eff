// Tests for the Parquet encodings: round trips over random data with fixed seeds, edge values,
// byte vectors worked out by hand from the format specification, and malformed input.

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/encoding/bit_packing.h"
#include "parquet/encoding/bit_util.h"
#include "parquet/encoding/byte_stream_split.h"
#include "parquet/encoding/delta_binary_packed.h"
#include "parquet/encoding/delta_byte_array.h"
#include "parquet/encoding/dictionary.h"
#include "parquet/encoding/plain.h"
#include "parquet/encoding/rle_hybrid.h"

namespace loglake::parquet {
namespace {

std::string Hex(std::string_view s) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (!out.empty()) out.push_back(' ');
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string FromBytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

// ---------------------------------------------------------------------------------------------
// Varints and zigzag

TEST(BitUtilTest, Uleb128RoundTripAndLimits) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{127}, uint64_t{128}, uint64_t{300}, uint64_t{1} << 35,
                     ~uint64_t{0}}) {
    std::string s;
    AppendUleb128(&s, v);
    size_t pos = 0;
    uint64_t back = 0;
    ASSERT_TRUE(ReadUleb128(Bytes(s), s.size(), &pos, &back));
    EXPECT_EQ(back, v);
    EXPECT_EQ(pos, s.size());
  }
  std::string s;
  AppendUleb128(&s, 300);
  EXPECT_EQ(Hex(s), "ac 02");
  size_t pos = 0;
  uint64_t v;
  EXPECT_FALSE(ReadUleb128(Bytes(s), 1, &pos, &v)) << "truncated";
  std::string endless(11, '\x80');
  pos = 0;
  EXPECT_FALSE(ReadUleb128(Bytes(endless), endless.size(), &pos, &v)) << "more than 10 bytes";
  std::string too_big = FromBytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02});
  pos = 0;
  EXPECT_FALSE(ReadUleb128(Bytes(too_big), too_big.size(), &pos, &v)) << "bits beyond 64";
  AppendUleb128(&s, uint64_t{1} << 35);
  pos = 2;
  EXPECT_FALSE(ReadUleb128(Bytes(s), s.size(), &pos, &v, 5)) << "longer than the 5-byte limit";
}

TEST(BitUtilTest, ZigZag) {
  EXPECT_EQ(ZigZagEncode(0), 0u);
  EXPECT_EQ(ZigZagEncode(-1), 1u);
  EXPECT_EQ(ZigZagEncode(1), 2u);
  EXPECT_EQ(ZigZagEncode(-2), 3u);
  EXPECT_EQ(ZigZagEncode(std::numeric_limits<int64_t>::max()), ~uint64_t{0} - 1);
  EXPECT_EQ(ZigZagEncode(std::numeric_limits<int64_t>::min()), ~uint64_t{0});
  for (int64_t v : {int64_t{0}, int64_t{-5}, int64_t{77}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(ZigZagDecode(ZigZagEncode(v)), v);
  }
}

// ---------------------------------------------------------------------------------------------
// Bit packing

TEST(BitPackingTest, SpecExampleWidth3) {
  // The specification's example: 0..7 with bit width 3 packs to 10001000 11000110 11111010.
  const uint32_t values[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  std::string packed;
  PackBits32(values, 8, 3, &packed);
  EXPECT_EQ(Hex(packed), "88 c6 fa");
  uint32_t back[8];
  UnpackBits32(Bytes(packed), 3, 8, back);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(back[i], values[i]);
}

TEST(BitPackingTest, RoundTripEveryWidth32) {
  std::mt19937_64 rng(42);
  for (int width = 0; width <= 32; ++width) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{9}, size_t{64}, size_t{1001}}) {
      std::vector<uint32_t> values(n);
      const uint64_t mask = width == 32 ? 0xffffffffull : (uint64_t{1} << width) - 1;
      for (auto& v : values) v = static_cast<uint32_t>(rng() & mask);
      std::string packed;
      PackBits32(values.data(), n, width, &packed);
      ASSERT_EQ(packed.size(), BytesForBits(n * width));
      // Unpack from an exactly sized heap copy so ASan catches any read past the end.
      std::vector<uint8_t> exact(packed.begin(), packed.end());
      std::vector<uint32_t> back(n + 1, 0xdeadbeef);
      UnpackBits32(exact.data(), width, n, back.data());
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(back[i], values[i]) << "width " << width << " i " << i;
      EXPECT_EQ(back[n], 0xdeadbeef) << "wrote past n";
    }
  }
}

TEST(BitPackingTest, RoundTripEveryWidth64) {
  std::mt19937_64 rng(43);
  for (int width = 0; width <= 64; ++width) {
    for (size_t n : {size_t{1}, size_t{8}, size_t{13}, size_t{256}}) {
      std::vector<uint64_t> values(n);
      const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
      for (auto& v : values) v = rng() & mask;
      if (width > 0) values[0] = mask;  // all ones, the widest value
      std::string packed;
      PackBits64(values.data(), n, width, &packed);
      ASSERT_EQ(packed.size(), BytesForBits(n * width));
      std::vector<uint8_t> exact(packed.begin(), packed.end());
      std::vector<uint64_t> back(n);
      UnpackBits64(exact.data(), width, n, back.data());
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(back[i], values[i]) << "width " << width << " i " << i;
    }
  }
}

TEST(BitPackingTest, PackMasksHighBits) {
  const uint32_t values[2] = {0xff, 0x1};
  std::string packed;
  PackBits32(values, 2, 1, &packed);
  EXPECT_EQ(Hex(packed), "03");
}

// ---------------------------------------------------------------------------------------------
// RLE / bit-packed hybrid

std::vector<uint32_t> DecodeAll(std::string_view data, int width, size_t n) {
  std::vector<uint32_t> out(n);
  RleHybridDecoder decoder(data, width);
  Status st = decoder.Decode(out.data(), n);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

TEST(RleHybridTest, SpecExamples) {
  // A bit-packed run: one group of 0..7 at width 3 (header (1 << 1) | 1 = 3).
  const uint32_t ramp[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  std::string s;
  AppendRleHybrid(ramp, 8, 3, &s);
  EXPECT_EQ(Hex(s), "03 88 c6 fa");
  EXPECT_EQ(DecodeAll(s, 3, 8), std::vector<uint32_t>(ramp, ramp + 8));

  // An RLE run: ten 5s at width 3 (header 10 << 1 = 0x14, value in one byte).
  std::vector<uint32_t> fives(10, 5);
  s.clear();
  AppendRleHybrid(fives.data(), fives.size(), 3, &s);
  EXPECT_EQ(Hex(s), "14 05");

  // Width 9 stores an RLE value in two bytes: 300 = 0x012c.
  std::vector<uint32_t> big(8, 300);
  s.clear();
  AppendRleHybrid(big.data(), big.size(), 9, &s);
  EXPECT_EQ(Hex(s), "10 2c 01");
}

TEST(RleHybridTest, MixedRunsBorrowToFillGroups) {
  // Three literals then twenty 1s: the literal run borrows five 1s to make a group of eight,
  // and the remaining fifteen 1s form an RLE run.
  std::vector<uint32_t> v = {2, 3, 2};
  v.insert(v.end(), 20, 1);
  std::string s;
  AppendRleHybrid(v.data(), v.size(), 2, &s);
  // 03 = one bit-packed group; 2,3,2,1,1,1,1,1 at 2 bits, first value in the low bits:
  // 0b01'10'11'10 = 0x6e, 0b01'01'01'01 = 0x55.
  // 1e = RLE run of 15; 01 = value.
  EXPECT_EQ(Hex(s), "03 6e 55 1e 01");
  EXPECT_EQ(DecodeAll(s, 2, v.size()), v);
}

TEST(RleHybridTest, LengthPrefixedLevels) {
  std::vector<uint8_t> levels(100, 1);
  levels[10] = 0;
  std::string s;
  AppendLengthPrefixedRleHybrid(levels.data(), levels.size(), 1, &s);
  ASSERT_GE(s.size(), 4u);
  EXPECT_EQ(LoadLE<uint32_t>(s.data()), s.size() - 4);
  s += "trailing value bytes";
  std::vector<uint8_t> back(levels.size());
  size_t consumed = 0;
  ASSERT_TRUE(DecodeLengthPrefixedRleHybrid(s, 1, levels.size(), back.data(), &consumed).ok());
  EXPECT_EQ(back, levels);
  EXPECT_EQ(s.substr(consumed), "trailing value bytes");
}

TEST(RleHybridTest, DictionaryIndexForm) {
  std::vector<uint32_t> idx = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::string s;
  AppendDictionaryIndices(idx.data(), idx.size(), 4, &s);
  EXPECT_EQ(static_cast<uint8_t>(s[0]), 4);
  std::vector<uint32_t> back(idx.size());
  ASSERT_TRUE(DecodeDictionaryIndices(s, idx.size(), back.data()).ok());
  EXPECT_EQ(back, idx);
  EXPECT_TRUE(DecodeDictionaryIndices("", 0, back.data()).ok()) << "no values, no bytes needed";
  EXPECT_FALSE(DecodeDictionaryIndices("", 1, back.data()).ok());
  EXPECT_FALSE(DecodeDictionaryIndices(FromBytes({33, 2, 0}), 1, back.data()).ok()) << "width 33";
}

TEST(RleHybridTest, RandomRoundTripsInOddBatches) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    const int width = static_cast<int>(rng() % 33);
    const uint64_t mask = width == 32 ? 0xffffffffull : (uint64_t{1} << width) - 1;
    const size_t n = rng() % 3000;
    std::vector<uint32_t> v;
    while (v.size() < n) {
      // Alternate between repeats and noise so both run kinds and their borders are exercised.
      const uint32_t value = static_cast<uint32_t>(rng() & mask);
      const size_t len = rng() % 4 == 0 ? rng() % 40 : 1;
      for (size_t i = 0; i < len && v.size() < n; ++i) v.push_back(value);
    }
    std::string s;
    AppendRleHybrid(v.data(), v.size(), width, &s);
    std::vector<uint32_t> back(n);
    RleHybridDecoder decoder(s, width);
    size_t done = 0;
    while (done < n) {
      const size_t batch = std::min<size_t>(n - done, 1 + rng() % 37);
      ASSERT_TRUE(decoder.Decode(back.data() + done, batch).ok());
      done += batch;
    }
    ASSERT_EQ(back, v) << "trial " << trial << " width " << width;
    EXPECT_EQ(decoder.bytes_consumed(), s.size());
  }
}

TEST(RleHybridTest, WidthZeroAndWidth32) {
  std::vector<uint32_t> zeros(50, 0);
  std::string s;
  AppendRleHybrid(zeros.data(), zeros.size(), 0, &s);
  EXPECT_EQ(Hex(s), "64") << "RLE run of 50 with a zero-byte value";
  EXPECT_EQ(DecodeAll(s, 0, 50), zeros);

  std::vector<uint32_t> wide = {0xffffffffu, 0, 0x80000000u, 1, 2, 3, 4, 5, 6};
  s.clear();
  AppendRleHybrid(wide.data(), wide.size(), 32, &s);
  EXPECT_EQ(DecodeAll(s, 32, wide.size()), wide);
}

TEST(RleHybridTest, MalformedInputIsCorruption) {
  uint32_t out[64];
  // Ends before all values were read.
  const std::string short_stream_bytes = FromBytes({0x14, 0x05});
  RleHybridDecoder short_stream(short_stream_bytes, 3);
  EXPECT_EQ(short_stream.Decode(out, 11).code(), StatusCode::kCorruption);
  // Truncated RLE value (width 16 needs two bytes).
  const std::string truncated_value_bytes = FromBytes({0x10, 0x01});
  RleHybridDecoder truncated_value(truncated_value_bytes, 16);
  EXPECT_FALSE(truncated_value.Decode(out, 1).ok());
  // RLE value wider than the bit width.
  const std::string too_wide_bytes = FromBytes({0x10, 0x09});
  RleHybridDecoder too_wide(too_wide_bytes, 3);
  EXPECT_FALSE(too_wide.Decode(out, 1).ok());
  // Header varint that never ends.
  const std::string endless_bytes = std::string(8, '\xff');
  RleHybridDecoder endless(endless_bytes, 3);
  EXPECT_FALSE(endless.Decode(out, 1).ok());
  // Bit width out of range.
  const std::string bad_width_bytes = FromBytes({0x02, 0x00});
  RleHybridDecoder bad_width(bad_width_bytes, 40);
  EXPECT_FALSE(bad_width.Decode(out, 1).ok());
  // A bit-packed run announcing far more groups than there are bytes yields only what is there.
  const std::string huge_literal_bytes = FromBytes({0xff, 0xff, 0xff, 0x0f, 0xaa});
  RleHybridDecoder huge_literal(huge_literal_bytes, 1);
  EXPECT_TRUE(huge_literal.Decode(out, 8).ok());
  EXPECT_FALSE(huge_literal.Decode(out, 1).ok());
  // Levels above 255 cannot be returned as bytes.
  uint8_t levels[8];
  const std::string big_level_bytes = FromBytes({0x10, 0x00, 0x01});
  RleHybridDecoder big_level(big_level_bytes, 9);
  EXPECT_FALSE(big_level.Decode(levels, 8).ok());
  // A length prefix beyond the page.
  size_t consumed;
  EXPECT_FALSE(DecodeLengthPrefixedRleHybrid(FromBytes({0x10, 0, 0, 0, 0x02}), 1, 1, levels, &consumed).ok());
  EXPECT_FALSE(DecodeLengthPrefixedRleHybrid(FromBytes({0x01, 0}), 1, 1, levels, &consumed).ok());
}

TEST(RleHybridTest, RandomGarbageNeverCrashes) {
  std::mt19937_64 rng(99);
  std::vector<uint32_t> out(4096);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string junk(rng() % 40, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    RleHybridDecoder decoder(junk, static_cast<int>(rng() % 34));
    (void)decoder.Decode(out.data(), rng() % out.size());
  }
}

// ---------------------------------------------------------------------------------------------
// PLAIN

TEST(PlainTest, FixedWidthRoundTripsWithExtremes) {
  const std::vector<int32_t> i32 = {0, -1, 1, std::numeric_limits<int32_t>::min(),
                                    std::numeric_limits<int32_t>::max()};
  const std::vector<int64_t> i64 = {0, -1, std::numeric_limits<int64_t>::min(),
                                    std::numeric_limits<int64_t>::max()};
  const std::vector<double> f64 = {0.0, -0.0, 1e308, -4.9e-324, std::numeric_limits<double>::infinity()};
  std::string s;
  AppendPlainInt32(i32.data(), i32.size(), &s);
  EXPECT_EQ(Hex(s.substr(0, 8)), "00 00 00 00 ff ff ff ff");
  std::vector<int32_t> b32(i32.size());
  size_t consumed = 0;
  ASSERT_TRUE(DecodePlainInt32(s, i32.size(), b32.data(), &consumed).ok());
  EXPECT_EQ(b32, i32);
  EXPECT_EQ(consumed, 20u);

  s.clear();
  AppendPlainInt64(i64.data(), i64.size(), &s);
  std::vector<int64_t> b64(i64.size());
  ASSERT_TRUE(DecodePlainInt64(s, i64.size(), b64.data()).ok());
  EXPECT_EQ(b64, i64);
  EXPECT_FALSE(DecodePlainInt64(s, i64.size() + 1, b64.data()).ok());

  s.clear();
  AppendPlainDouble(f64.data(), f64.size(), &s);
  std::vector<double> bd(f64.size());
  ASSERT_TRUE(DecodePlainDouble(s, f64.size(), bd.data()).ok());
  for (size_t i = 0; i < f64.size(); ++i) {
    EXPECT_EQ(std::bit_cast<uint64_t>(bd[i]), std::bit_cast<uint64_t>(f64[i])) << i;
  }
}

TEST(PlainTest, FloatWidensToDouble) {
  const float floats[3] = {1.5f, -0.0f, 3.25e10f};
  std::string s(reinterpret_cast<const char*>(floats), sizeof(floats));
  double out[3];
  ASSERT_TRUE(DecodePlainFloat(s, 3, out).ok());
  EXPECT_EQ(out[0], 1.5);
  EXPECT_TRUE(std::signbit(out[1]));
  EXPECT_EQ(out[2], static_cast<double>(3.25e10f));
  EXPECT_FALSE(DecodePlainFloat(s, 4, out).ok());
}

TEST(PlainTest, BooleansAreBitPackedLsbFirst) {
  const uint8_t v[10] = {1, 0, 1, 1, 0, 0, 0, 0, 1, 1};
  std::string s;
  AppendPlainBoolean(v, 10, &s);
  EXPECT_EQ(Hex(s), "0d 03");
  uint8_t back[10];
  ASSERT_TRUE(DecodePlainBoolean(s, 10, back).ok());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(back[i], v[i]);
  EXPECT_FALSE(DecodePlainBoolean(s, 17, back).ok());
}

TEST(PlainTest, ByteArrays) {
  std::string s;
  AppendPlainByteArray("ab", &s);
  AppendPlainByteArray("", &s);
  AppendPlainByteArray(std::string(100000, 'x'), &s);
  EXPECT_EQ(Hex(s.substr(0, 10)), "02 00 00 00 61 62 00 00 00 00");
  std::string_view out[3];
  size_t consumed;
  ASSERT_TRUE(DecodePlainByteArray(s, 3, out, &consumed).ok());
  EXPECT_EQ(out[0], "ab");
  EXPECT_EQ(out[1], "");
  EXPECT_EQ(out[2], std::string(100000, 'x'));
  EXPECT_EQ(consumed, s.size());
  // Length beyond the data, truncated length, too few values.
  EXPECT_FALSE(DecodePlainByteArray(FromBytes({5, 0, 0, 0, 'a'}), 1, out).ok());
  EXPECT_FALSE(DecodePlainByteArray(FromBytes({5, 0}), 1, out).ok());
  EXPECT_FALSE(DecodePlainByteArray(s, 4, out).ok());
  EXPECT_FALSE(DecodePlainByteArray(FromBytes({0xff, 0xff, 0xff, 0xff, 'a'}), 1, out).ok());
}

// ---------------------------------------------------------------------------------------------
// Dictionaries

TEST(DictionaryTest, StringsGetDenseIndicesInFirstSeenOrder) {
  StringDictionary dict;
  EXPECT_EQ(dict.Insert("GET"), 0u);
  EXPECT_EQ(dict.Insert("POST"), 1u);
  EXPECT_EQ(dict.Insert("GET"), 0u);
  EXPECT_EQ(dict.Insert(""), 2u);
  EXPECT_EQ(dict.Insert(""), 2u);
  EXPECT_EQ(dict.size(), 3u);
  EXPECT_EQ(dict.value(1), "POST");
  EXPECT_EQ(dict.plain_size(), 4u + 3 + 4 + 4 + 4);
  std::string page;
  dict.AppendPlain(&page);
  EXPECT_EQ(page.size(), dict.plain_size());
  std::string_view decoded[3];
  ASSERT_TRUE(DecodePlainByteArray(page, 3, decoded).ok());
  EXPECT_EQ(decoded[0], "GET");
  EXPECT_EQ(decoded[2], "");
  EXPECT_EQ(dict.plain(), page) << "entries are kept in their PLAIN form";
  EXPECT_EQ(dict.plain_value(1), std::string_view("\x04\x00\x00\x00POST", 8));
  dict.Clear();
  EXPECT_EQ(dict.size(), 0u);
  EXPECT_EQ(dict.Insert("POST"), 0u);
  EXPECT_EQ(dict.Insert("GET"), 1u);
  dict.Release();
  EXPECT_EQ(dict.size(), 0u);
  EXPECT_EQ(dict.plain_size(), 0u);
  EXPECT_EQ(dict.Insert("GET"), 0u);
  EXPECT_EQ(dict.value(0), "GET");
}

TEST(DictionaryTest, StringsSurviveGrowth) {
  StringDictionary dict;
  std::vector<std::string> values;
  for (int i = 0; i < 50000; ++i) values.push_back("user-" + std::to_string(i * 7919 % 100003));
  for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(dict.Insert(values[i]), i);
  for (size_t i = 0; i < values.size(); i += 97) {
    EXPECT_EQ(dict.Insert(values[i]), i);
    EXPECT_EQ(dict.value(static_cast<uint32_t>(i)), values[i]);
  }
}

// Reserve sizes an empty table for the entries to come, so that none of them triggers a rehash;
// it never shrinks a table and does nothing once entries are in.
TEST(DictionaryTest, ReserveSizesTheTableUpFront) {
  StringDictionary dict;
  const size_t initial = dict.table_bytes();
  dict.Reserve(10);
  EXPECT_EQ(dict.table_bytes(), initial) << "small reservations keep the initial table";
  dict.Reserve(50000);
  const size_t reserved = dict.table_bytes();
  EXPECT_GE(reserved, 100000 * 16u);
  for (int i = 0; i < 50000; ++i) ASSERT_EQ(dict.Insert("user-" + std::to_string(i)), static_cast<uint32_t>(i));
  EXPECT_EQ(dict.table_bytes(), reserved) << "no growth within the reservation";
  EXPECT_EQ(dict.Insert("user-49999"), 49999u);
  dict.Reserve(1000000);
  EXPECT_EQ(dict.table_bytes(), reserved) << "not once entries are in";
  dict.Clear();
  dict.Reserve(10);
  EXPECT_EQ(dict.table_bytes(), reserved) << "never shrinks";

  NumericDictionary<double> d;
  d.Reserve(30000);
  const size_t numeric = d.table_bytes();
  EXPECT_GT(numeric, 60000u * 8);
  for (int i = 0; i < 30000; ++i) ASSERT_EQ(d.Insert(i * 0.5), static_cast<uint32_t>(i));
  EXPECT_EQ(d.table_bytes(), numeric);
  EXPECT_EQ(d.Insert(0.5), 1u);
}

TEST(DictionaryTest, NumericKeysByBitPattern) {
  NumericDictionary<double> d;
  EXPECT_EQ(d.Insert(0.0), 0u);
  EXPECT_EQ(d.Insert(-0.0), 1u) << "-0.0 must stay distinct to round-trip";
  EXPECT_EQ(d.Insert(std::numeric_limits<double>::quiet_NaN()), 2u);
  EXPECT_EQ(d.Insert(std::numeric_limits<double>::quiet_NaN()), 2u);
  EXPECT_EQ(d.Insert(0.0), 0u);

  NumericDictionary<int64_t> d64;
  std::mt19937_64 rng(5);
  std::vector<int64_t> values;
  for (int i = 0; i < 20000; ++i) values.push_back(static_cast<int64_t>(rng()));
  values.push_back(std::numeric_limits<int64_t>::min());
  for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(d64.Insert(values[i]), i);
  for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(d64.Insert(values[i]), i);
  std::string page;
  d64.AppendPlain(&page);
  EXPECT_EQ(page.size(), values.size() * 8);

  NumericDictionary<int32_t> d32;
  EXPECT_EQ(d32.Insert(200), 0u);
  EXPECT_EQ(d32.Insert(404), 1u);
  EXPECT_EQ(d32.Insert(200), 0u);
  EXPECT_EQ(d32.plain_size(), 8u);
}

// ---------------------------------------------------------------------------------------------
// DELTA_BINARY_PACKED

TEST(DeltaBinaryPackedTest, SpecExampleConsecutive) {
  // 1..5: block 128, 4 miniblocks, 5 values, first 1 (zigzag 2); min delta 1 (zigzag 2), all
  // widths 0 and so no miniblock data.
  const int64_t v[5] = {1, 2, 3, 4, 5};
  std::string s;
  AppendDeltaBinaryPacked(v, 5, &s);
  EXPECT_EQ(Hex(s), "80 01 04 05 02 02 00 00 00 00");
  int64_t back[5];
  size_t consumed;
  ASSERT_TRUE(DecodeDeltaBinaryPacked(s, 5, back, &consumed).ok());
  EXPECT_EQ(consumed, s.size());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(back[i], v[i]);
}

TEST(DeltaBinaryPackedTest, SpecExampleMixed) {
  // 7 5 3 1 2 3 4 5: deltas -2 -2 -2 1 1 1 1, min delta -2 (zigzag 3), relative deltas
  // 0 0 0 3 3 3 3 at width 2 in one 32-value miniblock (8 bytes: 0b11'00'00'00 = c0, 3f, zeros).
  const int32_t v[8] = {7, 5, 3, 1, 2, 3, 4, 5};
  std::string s;
  AppendDeltaBinaryPacked(v, 8, &s);
  EXPECT_EQ(Hex(s), "80 01 04 08 0e 03 02 00 00 00 c0 3f 00 00 00 00 00 00");
  int32_t back[8];
  size_t consumed;
  ASSERT_TRUE(DecodeDeltaBinaryPacked(s, 8, back, &consumed).ok());
  EXPECT_EQ(consumed, s.size());
  for (int i = 0; i < 8; ++i) EXPECT_EQ(back[i], v[i]);
}

template <typename T>
void DeltaRoundTrip(const std::vector<T>& v) {
  std::string s;
  AppendDeltaBinaryPacked(v.data(), v.size(), &s);
  s += "tail";
  std::vector<T> back(v.size());
  size_t consumed = 0;
  Status st = DecodeDeltaBinaryPacked(s, v.size(), back.data(), &consumed);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(back, v);
  EXPECT_EQ(s.substr(consumed), "tail");
}

TEST(DeltaBinaryPackedTest, RoundTripsIncludingWrapAround) {
  using L64 = std::numeric_limits<int64_t>;
  using L32 = std::numeric_limits<int32_t>;
  DeltaRoundTrip<int64_t>({});
  DeltaRoundTrip<int64_t>({42});
  DeltaRoundTrip<int64_t>({L64::min(), L64::max(), L64::min(), 0, L64::max(), -1});
  DeltaRoundTrip<int32_t>({L32::min(), L32::max(), L32::min(), 0, L32::max(), -1});
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 50; ++trial) {
    const size_t n = rng() % 2000;
    std::vector<int64_t> v64(n);
    std::vector<int32_t> v32(n);
    int64_t t = 1700000000000000;
    for (size_t i = 0; i < n; ++i) {
      // Mostly increasing timestamps, with some full-range noise in some trials.
      t += static_cast<int64_t>(rng() % 5000);
      v64[i] = trial % 3 == 0 ? static_cast<int64_t>(rng()) : t;
      v32[i] = trial % 3 == 0 ? static_cast<int32_t>(rng()) : static_cast<int32_t>(rng() % 600);
    }
    DeltaRoundTrip(v64);
    DeltaRoundTrip(v32);
  }
}

TEST(DeltaBinaryPackedTest, AcceptsOtherBlockShapes) {
  // Block of 256 values in 2 miniblocks of 128, 3 values, first 10; deltas +1 +1 (min 1, width 0).
  const std::string s = FromBytes({0x80, 0x02, 0x02, 0x03, 0x14, 0x02, 0x00, 0x00});
  int64_t out[3];
  ASSERT_TRUE(DecodeDeltaBinaryPacked(s, 3, out).ok());
  EXPECT_EQ(out[0], 10);
  EXPECT_EQ(out[2], 12);
}

TEST(DeltaBinaryPackedTest, MalformedInputIsCorruption) {
  int64_t out[16];
  EXPECT_FALSE(DecodeDeltaBinaryPacked(FromBytes({0x80}), 1, out).ok()) << "truncated header";
  EXPECT_FALSE(DecodeDeltaBinaryPacked(FromBytes({0x40, 0x04, 0x01, 0x00}), 1, out).ok()) << "block of 64";
  EXPECT_FALSE(DecodeDeltaBinaryPacked(FromBytes({0x80, 0x01, 0x00, 0x01, 0x00}), 1, out).ok())
      << "0 miniblocks";
  EXPECT_FALSE(DecodeDeltaBinaryPacked(FromBytes({0x80, 0x01, 0x03, 0x01, 0x00}), 1, out).ok()) << "128 / 3";
  EXPECT_FALSE(DecodeDeltaBinaryPacked(FromBytes({0x80, 0x01, 0x04, 0x02, 0x00}), 3, out).ok()) << "count";
  EXPECT_FALSE(DecodeDeltaBinaryPacked(FromBytes({0x80, 0x01, 0x04, 0x02, 0x00}), 2, out).ok()) << "no block";
  EXPECT_FALSE(
      DecodeDeltaBinaryPacked(FromBytes({0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x41, 0, 0, 0}), 2, out).ok())
      << "width 65";
  EXPECT_FALSE(
      DecodeDeltaBinaryPacked(FromBytes({0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x08, 0, 0, 0}), 2, out).ok())
      << "miniblock data missing";
  std::mt19937_64 rng(3);
  std::vector<int64_t> big(2048);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string junk(rng() % 48, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    if (junk.size() > 4 && trial % 2 == 0) {
      junk[0] = static_cast<char>(0x80);
      junk[1] = 0x01;
      junk[2] = 0x04;
    }
    (void)DecodeDeltaBinaryPacked(junk, rng() % big.size(), big.data());
  }
}

// ---------------------------------------------------------------------------------------------
// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY

TEST(DeltaByteArrayTest, LengthEncodingRoundTrip) {
  std::vector<std::string_view> v = {"Hello", "World", "Foobar", "ABCDEF", "", std::string_view("\0x", 2)};
  std::string s;
  AppendDeltaLengthByteArray(v.data(), v.size(), &s);
  EXPECT_EQ(s.substr(s.size() - 24), std::string("HelloWorldFoobarABCDEF") + std::string("\0x", 2));
  std::vector<std::string_view> back(v.size());
  size_t consumed;
  ASSERT_TRUE(DecodeDeltaLengthByteArray(s, v.size(), back.data(), &consumed).ok());
  EXPECT_EQ(back, v);
  EXPECT_EQ(consumed, s.size());
  EXPECT_FALSE(DecodeDeltaLengthByteArray(s.substr(0, s.size() - 1), v.size(), back.data()).ok());
}

TEST(DeltaByteArrayTest, SpecExampleFrontCoding) {
  // axis, axle, babble, babyhood -> prefixes 0 2 0 3, suffixes axis le babble yhood.
  std::vector<std::string_view> v = {"axis", "axle", "babble", "babyhood"};
  std::string s;
  AppendDeltaByteArray(v.data(), v.size(), &s);
  int32_t prefixes[4];
  size_t pos;
  ASSERT_TRUE(DecodeDeltaBinaryPacked(s, 4, prefixes, &pos).ok());
  EXPECT_EQ(std::vector<int32_t>(prefixes, prefixes + 4), (std::vector<int32_t>{0, 2, 0, 3}));
  EXPECT_EQ(s.substr(s.size() - 17), "axislebabbleyhood");
  std::string arena = "pre-existing";
  std::vector<std::string_view> back(4);
  ASSERT_TRUE(DecodeDeltaByteArray(s, 4, &arena, back.data()).ok());
  EXPECT_EQ(back, v);
  EXPECT_EQ(arena.substr(0, 12), "pre-existing");
}

TEST(DeltaByteArrayTest, RandomRoundTrips) {
  std::mt19937_64 rng(17);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<std::string> strings;
    const size_t n = rng() % 700;
    std::string prev;
    for (size_t i = 0; i < n; ++i) {
      std::string s = prev.substr(0, rng() % (prev.size() + 1));
      const size_t extra = rng() % 12;
      for (size_t k = 0; k < extra; ++k) s.push_back(static_cast<char>('a' + rng() % 3));
      strings.push_back(s);
      prev = s;
    }
    std::vector<std::string_view> v(strings.begin(), strings.end());
    std::string s;
    AppendDeltaByteArray(v.data(), v.size(), &s);
    std::string arena;
    std::vector<std::string_view> back(n);
    ASSERT_TRUE(DecodeDeltaByteArray(s, n, &arena, back.data()).ok());
    EXPECT_EQ(back, v);
  }
}

TEST(DeltaByteArrayTest, MalformedInput) {
  std::string arena;
  std::string_view out[4];
  // Prefix longer than the previous value: prefixes {0, 5}, suffixes {"ab", "c"}.
  std::string s;
  const int32_t prefixes[2] = {0, 5};
  AppendDeltaBinaryPacked(prefixes, 2, &s);
  std::vector<std::string_view> suffixes = {"ab", "c"};
  AppendDeltaLengthByteArray(suffixes.data(), 2, &s);
  EXPECT_EQ(DecodeDeltaByteArray(s, 2, &arena, out).code(), StatusCode::kCorruption);
  // Output over the cap: each value repeats the previous one in full.
  std::vector<std::string> big = {std::string(1000, 'z')};
  for (int i = 0; i < 3; ++i) big.push_back(big.back());
  std::vector<std::string_view> bv(big.begin(), big.end());
  s.clear();
  AppendDeltaByteArray(bv.data(), bv.size(), &s);
  EXPECT_EQ(DecodeDeltaByteArray(s, 4, &arena, out, 3999).code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(DecodeDeltaByteArray(s, 4, &arena, out, 4000).ok());
  // Negative length.
  const int32_t lengths[1] = {-3};
  s.clear();
  AppendDeltaBinaryPacked(lengths, 1, &s);
  EXPECT_FALSE(DecodeDeltaLengthByteArray(s + "abc", 1, out).ok());
}

// ---------------------------------------------------------------------------------------------
// BYTE_STREAM_SPLIT

TEST(ByteStreamSplitTest, DoubleRoundTripAndLayout) {
  const double v[3] = {1.0, -2.5, 0.0};
  std::string s;
  AppendByteStreamSplit(v, 3, &s);
  ASSERT_EQ(s.size(), 24u);
  // Stream 7 holds the top byte of each double: 0x3f, 0xc0, 0x00.
  EXPECT_EQ(Hex(s.substr(21)), "3f c0 00");
  double back[3];
  ASSERT_TRUE(DecodeByteStreamSplitDouble(s, 3, back).ok());
  EXPECT_EQ(back[0], 1.0);
  EXPECT_EQ(back[1], -2.5);
  EXPECT_FALSE(DecodeByteStreamSplitDouble(s.substr(1), 3, back).ok());
  EXPECT_FALSE(DecodeByteStreamSplitDouble(s, 2, back).ok()) << "size must match exactly";
}

TEST(ByteStreamSplitTest, FloatAndIntegers) {
  const float f[2] = {1.5f, -8.0f};
  const auto* fb = reinterpret_cast<const uint8_t*>(f);
  std::string s;
  for (int k = 0; k < 4; ++k) {
    for (int i = 0; i < 2; ++i) s.push_back(static_cast<char>(fb[i * 4 + k]));
  }
  double back[2];
  ASSERT_TRUE(DecodeByteStreamSplitFloat(s, 2, back).ok());
  EXPECT_EQ(back[0], 1.5);
  EXPECT_EQ(back[1], -8.0);
  EXPECT_FALSE(DecodeByteStreamSplitFloat(s, 3, back).ok());
  int32_t i32[2];
  ASSERT_TRUE(DecodeByteStreamSplitInt32(s, 2, i32).ok());
  EXPECT_EQ(std::bit_cast<float>(i32[0]), 1.5f);
  int64_t i64[1];
  ASSERT_TRUE(DecodeByteStreamSplitInt64(s, 1, i64).ok());
}

}  // namespace
}  // namespace loglake::parquet
