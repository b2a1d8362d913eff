#include "parquet/compression.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>

namespace loglake::parquet {
namespace {

std::string SampleData() {
  // Log-like text: compressible, with some randomness.
  std::mt19937_64 rng(1);
  std::string s;
  while (s.size() < 200000) {
    s += "GET /api/v1/users/" + std::to_string(rng() % 10000) + "/orders?page=" + std::to_string(rng() % 9) +
         "\n";
  }
  return s;
}

TEST(CompressionTest, RoundTripEveryWritableCodec) {
  const std::string data = SampleData();
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kZstd}) {
    SCOPED_TRACE(CodecToString(codec));
    Compressor compressor(codec, 3);
    Decompressor decompressor;
    std::string compressed, back;
    for (int round = 0; round < 3; ++round) {  // contexts are reused
      ASSERT_TRUE(compressor.Compress(data, &compressed).ok());
      if (codec != Codec::kUncompressed) {
        EXPECT_LT(compressed.size(), data.size() / 2);
      }
      ASSERT_TRUE(decompressor.Decompress(codec, compressed, data.size(), &back).ok());
      EXPECT_EQ(back, data);
    }
    ASSERT_TRUE(Compress(codec, "", &compressed).ok());
    ASSERT_TRUE(Decompress(codec, compressed, 0, &back).ok());
    EXPECT_EQ(back, "");
  }
}

// The buffer-owning form: inputs of growing and shrinking sizes reuse one buffer, each result is
// a complete stream of its own input, and kUncompressed hands the input back without a copy.
TEST(CompressionTest, ReusedBufferFormRoundTrips) {
  const std::string data = SampleData();
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kZstd}) {
    SCOPED_TRACE(CodecToString(codec));
    Compressor compressor(codec, 3);
    Decompressor decompressor;
    std::string back;
    for (size_t size : {size_t{1000}, data.size(), size_t{0}, size_t{50000}, data.size()}) {
      const std::string_view input = std::string_view(data).substr(0, size);
      auto compressed = compressor.Compress(input);
      ASSERT_TRUE(compressed.ok()) << compressed.status().ToString();
      if (codec == Codec::kUncompressed) {
        EXPECT_EQ(compressed->data(), input.data());
      } else if (size > 1000) {
        EXPECT_LT(compressed->size(), size / 2);
      }
      ASSERT_TRUE(decompressor.Decompress(codec, *compressed, size, &back).ok());
      EXPECT_EQ(back, input);
    }
  }
  Compressor gzip(Codec::kGzip, 3);
  EXPECT_EQ(gzip.Compress("abc").status().code(), StatusCode::kUnimplemented);
}

// A prefix holds at least the bytes wanted, each equal to the data's, and for a small share of a
// large page much less than all of it; corrupt or truncated input is Corruption, not a crash.
TEST(CompressionTest, PrefixHoldsTheBytesWanted) {
  const std::string data = SampleData();
  for (Codec codec : {Codec::kSnappy, Codec::kZstd, Codec::kUncompressed}) {
    SCOPED_TRACE(CodecToString(codec));
    std::string compressed;
    ASSERT_TRUE(Compress(codec, data, &compressed).ok());
    Decompressor decompressor;
    std::string prefix;
    for (uint64_t want : {uint64_t{0}, uint64_t{1}, uint64_t{1000}, uint64_t{65536}, uint64_t{65537},
                          uint64_t{150000}, uint64_t{data.size()}, uint64_t{data.size() * 2}}) {
      ASSERT_TRUE(decompressor.DecompressPrefix(codec, compressed, data.size(), want, &prefix).ok()) << want;
      ASSERT_GE(prefix.size(), std::min<uint64_t>(want, data.size())) << want;
      ASSERT_LE(prefix.size(), data.size());
      EXPECT_EQ(prefix, std::string_view(data).substr(0, prefix.size())) << want;
      if (codec != Codec::kUncompressed && want == 1000) {
        EXPECT_LT(prefix.size(), data.size() / 2);
      }
    }
    if (codec == Codec::kUncompressed) continue;
    const std::string truncated = compressed.substr(0, compressed.size() / 2);
    EXPECT_EQ(decompressor.DecompressPrefix(codec, truncated, data.size(), data.size() - 1, &prefix).code(),
              StatusCode::kCorruption);
    std::string garbage = compressed;
    for (size_t i = 8; i < garbage.size(); i += 7) garbage[i] = static_cast<char>(garbage[i] ^ 0x5a);
    const Status st = decompressor.DecompressPrefix(codec, garbage, data.size(), data.size() / 2, &prefix);
    if (st.ok()) {
      EXPECT_GE(prefix.size(), data.size() / 2);  // decoded, if to wrong bytes: no crash
    }
    EXPECT_EQ(decompressor.DecompressPrefix(codec, compressed, data.size() + 1, 10, &prefix).code(),
              StatusCode::kCorruption)
        << "the length the page header gives is checked";
  }
}

TEST(CompressionTest, SizeMismatchIsCorruption) {
  const std::string data = SampleData();
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kZstd}) {
    SCOPED_TRACE(CodecToString(codec));
    std::string compressed, back;
    ASSERT_TRUE(Compress(codec, data, &compressed).ok());
    EXPECT_EQ(Decompress(codec, compressed, data.size() + 1, &back).code(), StatusCode::kCorruption);
    EXPECT_EQ(Decompress(codec, compressed, data.size() - 1, &back).code(), StatusCode::kCorruption);
  }
}

TEST(CompressionTest, BogusSizesAndDataAreRejectedWithoutHugeAllocations) {
  std::string compressed, back;
  ASSERT_TRUE(Compress(Codec::kZstd, "abc", &compressed).ok());
  EXPECT_EQ(Decompress(Codec::kZstd, compressed, kMaxDecompressedBytes + 1, &back).code(),
            StatusCode::kCorruption);
  EXPECT_EQ(Decompress(Codec::kSnappy, "\xff\xff\xff\xff\x0f", 1u << 31, &back).code(),
            StatusCode::kCorruption);
  EXPECT_FALSE(Decompress(Codec::kSnappy, "\x05garbage", 5, &back).ok());
  EXPECT_FALSE(Decompress(Codec::kZstd, "not a zstd frame", 16, &back).ok());
  std::mt19937_64 rng(2);
  for (int trial = 0; trial < 500; ++trial) {
    std::string junk(rng() % 64, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    for (Codec codec : {Codec::kSnappy, Codec::kZstd, Codec::kGzip}) {
      (void)Decompress(codec, junk, rng() % 4096, &back);
    }
  }
  // A valid stream truncated anywhere fails cleanly.
  const std::string data = SampleData();
  ASSERT_TRUE(Compress(Codec::kZstd, data, &compressed).ok());
  EXPECT_FALSE(
      Decompress(Codec::kZstd, compressed.substr(0, compressed.size() / 2), data.size(), &back).ok());
  ASSERT_TRUE(Compress(Codec::kSnappy, data, &compressed).ok());
  EXPECT_FALSE(
      Decompress(Codec::kSnappy, compressed.substr(0, compressed.size() / 2), data.size(), &back).ok());
}

TEST(CompressionTest, GzipIsReadOnlyAndChecked) {
  // `printf 'hello, parquet' | gzip -9 -n`
  const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48,
                              0xcd, 0xc9, 0xc9, 0xd7, 0x51, 0x28, 0x48, 0x2c, 0x2a, 0x2c, 0x4d, 0x2d,
                              0x01, 0x00, 0x01, 0x10, 0xa3, 0xd5, 0x0e, 0x00, 0x00, 0x00};
  const std::string_view input(reinterpret_cast<const char*>(gz), sizeof(gz));
  std::string out;
  ASSERT_TRUE(Decompress(Codec::kGzip, input, 14, &out).ok());
  EXPECT_EQ(out, "hello, parquet");
  EXPECT_EQ(Decompress(Codec::kGzip, input, 13, &out).code(), StatusCode::kCorruption);
  EXPECT_EQ(Decompress(Codec::kGzip, input, 15, &out).code(), StatusCode::kCorruption);
  EXPECT_EQ(Decompress(Codec::kGzip, input.substr(0, 20), 14, &out).code(), StatusCode::kCorruption);
  EXPECT_EQ(Compress(Codec::kGzip, "x", &out).code(), StatusCode::kUnimplemented);
}

TEST(CompressionTest, NamesAndThriftMapping) {
  EXPECT_EQ(*ParseCodecName("snappy"), Codec::kSnappy);
  EXPECT_EQ(*ParseCodecName("ZSTD"), Codec::kZstd);
  EXPECT_EQ(*ParseCodecName("none"), Codec::kUncompressed);
  EXPECT_EQ(*ParseCodecName("uncompressed"), Codec::kUncompressed);
  EXPECT_EQ(ParseCodecName("lz4").status().code(), StatusCode::kInvalidArgument);
  for (Codec c : {Codec::kUncompressed, Codec::kSnappy, Codec::kZstd, Codec::kGzip}) {
    EXPECT_EQ(*FromThrift(ToThrift(c)), c);
  }
  EXPECT_EQ(ToThrift(Codec::kSnappy), CompressionCodec::SNAPPY);
  EXPECT_EQ(ToThrift(Codec::kZstd), CompressionCodec::ZSTD);
  EXPECT_EQ(FromThrift(CompressionCodec::BROTLI).status().code(), StatusCode::kUnimplemented);
  EXPECT_EQ(FromThrift(static_cast<CompressionCodec>(99)).status().code(), StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace loglake::parquet
