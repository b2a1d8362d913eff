#include "lake/stream_decompressor.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "compressed_text.h"

namespace loglake::lake {
namespace {

using testing_util::Gzip;
using testing_util::Zstd;

// Some NDJSON that compresses well, with enough of it to span many output buffers.
std::string Text(int records, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s;
  for (int i = 0; i < records; ++i) {
    s += "{\"uuid\":\"u" + std::to_string(rng()) + "\",\"time\":\"2024-05-01T00:00:00Z\",\"n\":" + std::to_string(i) +
         "}\n";
  }
  return s;
}

// Decompresses `stream` handing it over `in_piece` bytes at a time into buffers of `out_piece`
// bytes, as a reader of a file or a pipe would. Returns the status of the first error (or of
// Finish()); *out gets what was decompressed before it.
Status DecompressInPieces(StreamCompression compression, std::string_view stream, size_t in_piece, size_t out_piece,
                          std::string* out, uint64_t max_zstd_window_bytes = kDefaultMaxZstdWindowBytes) {
  ASSIGN_OR_RETURN(std::unique_ptr<StreamDecompressor> d,
                   StreamDecompressor::Create(compression, max_zstd_window_bytes));
  std::string buffer(out_piece, '\0');
  size_t given = 0;
  std::string_view pending;
  while (true) {
    ASSIGN_OR_RETURN(const size_t n, d->Decompress(&pending, buffer.data(), buffer.size()));
    out->append(buffer.data(), n);
    if (n > 0) continue;
    EXPECT_TRUE(pending.empty()) << "0 bytes out while input is left";
    if (given == stream.size()) break;
    const size_t take = std::min(in_piece, stream.size() - given);
    pending = stream.substr(given, take);
    given += take;
  }
  return d->Finish();
}

TEST(StreamDecompressorTest, SniffsByMagicNumber) {
  EXPECT_EQ(SniffCompression(Gzip("{}")), StreamCompression::kGzip);
  EXPECT_EQ(SniffCompression(Zstd("{}")), StreamCompression::kZstd);
  EXPECT_EQ(SniffCompression("{\"a\":1}"), StreamCompression::kNone);
  EXPECT_EQ(SniffCompression("\xEF\xBB\xBF{}"), StreamCompression::kNone);  // a BOM
  EXPECT_EQ(SniffCompression(""), StreamCompression::kNone);
  EXPECT_EQ(SniffCompression("\x1f"), StreamCompression::kNone);  // too short to be gzip
  EXPECT_EQ(SniffCompression("\x28\xb5\x2f"), StreamCompression::kNone);
  EXPECT_EQ(SniffCompression("(not json)"), StreamCompression::kNone);
  EXPECT_STREQ(StreamCompressionName(StreamCompression::kGzip), "gzip");
  EXPECT_EQ(StreamDecompressor::Create(StreamCompression::kNone).status().code(), StatusCode::kInvalidArgument);
}

TEST(StreamDecompressorTest, AnyPieceSizesGiveTheSameBytes) {
  const std::string text = Text(3000, 1);
  for (StreamCompression c : {StreamCompression::kGzip, StreamCompression::kZstd}) {
    const std::string stream = c == StreamCompression::kGzip ? Gzip(text) : Zstd(text);
    for (size_t in_piece : {size_t{1}, size_t{7}, size_t{4096}, stream.size()}) {
      for (size_t out_piece : {size_t{1}, size_t{13}, size_t{65536}, text.size() + 1}) {
        if (in_piece == 1 && out_piece == 1) continue;  // slow and adds nothing to 1 x 13
        std::string out;
        Status st = DecompressInPieces(c, stream, in_piece, out_piece, &out);
        ASSERT_TRUE(st.ok()) << StreamCompressionName(c) << " " << in_piece << "/" << out_piece << ": " << st.ToString();
        ASSERT_EQ(out, text) << StreamCompressionName(c) << " " << in_piece << "/" << out_piece;
      }
    }
  }
}

TEST(StreamDecompressorTest, HighlyCompressibleStreamsComeOutWhole) {
  // 8 MB of one byte is a few KB of compressed stream, drawn out 4 KB at a time. (Both
  // decompressors also keep calling the library with no new input while it may owe output, as
  // zlib's and zstd's documentation require; neither library was seen to need it with these
  // streams, so no test here fails without that.)
  const std::string text(8 << 20, 'x');
  for (StreamCompression c : {StreamCompression::kGzip, StreamCompression::kZstd}) {
    const std::string stream = c == StreamCompression::kGzip ? Gzip(text) : Zstd(text);
    std::string out;
    Status st = DecompressInPieces(c, stream, stream.size(), 4096, &out);
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(out.size(), text.size()) << StreamCompressionName(c);
  }
}

TEST(StreamDecompressorTest, ConcatenatedMembersAndFramesAreOneStream) {
  const std::string a = Text(500, 2), b = Text(700, 3), empty;
  std::string out;
  ASSERT_TRUE(DecompressInPieces(StreamCompression::kGzip, Gzip(a) + Gzip(empty) + Gzip(b), 333, 1000, &out).ok());
  EXPECT_EQ(out, a + b);
  out.clear();
  ASSERT_TRUE(DecompressInPieces(StreamCompression::kZstd, Zstd(a) + Zstd(b), 333, 1000, &out).ok());
  EXPECT_EQ(out, a + b);
}

TEST(StreamDecompressorTest, ZeroPaddingAfterTheLastGzipMemberIsIgnored) {
  const std::string a = Text(300, 6), b = Text(200, 7);
  const std::string zeros(1000, '\0');
  std::string out;
  Status st = DecompressInPieces(StreamCompression::kGzip, Gzip(a) + Gzip(b) + zeros, 77, 4096, &out);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(out, a + b);
  // Padding ends the stream: a member or any other byte after it is damage.
  for (const std::string& after : {Gzip(b), std::string("x")}) {
    out.clear();
    st = DecompressInPieces(StreamCompression::kGzip, Gzip(a) + zeros + after, 77, 4096, &out);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(st.message().find("after the zero padding"), std::string::npos) << st.ToString();
    EXPECT_EQ(out, a);
  }
}

TEST(StreamDecompressorTest, TruncationAndDamageAreNamedErrorsAfterTheGoodPart) {
  const std::string text = Text(4000, 4);
  for (StreamCompression c : {StreamCompression::kGzip, StreamCompression::kZstd}) {
    const std::string name = StreamCompressionName(c);
    const std::string stream = c == StreamCompression::kGzip ? Gzip(text) : Zstd(text);

    // Cut anywhere: an error from Finish(), and what came out is a prefix of the text.
    for (size_t cut : {size_t{5}, stream.size() / 3, stream.size() - 1}) {
      std::string out;
      Status st = DecompressInPieces(c, std::string_view(stream).substr(0, cut), 1000, 4096, &out);
      EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << name << " cut at " << cut;
      EXPECT_NE(st.message().find(name + " stream is truncated"), std::string::npos) << st.ToString();
      EXPECT_EQ(text.compare(0, out.size(), out), 0) << name << ": output is not a prefix of the text";
    }
    // A cut member followed by more members cannot be told from damage: either way an error.
    {
      std::string out;
      Status st = DecompressInPieces(c, stream.substr(0, stream.size() / 2) + stream, 1000, 4096, &out);
      EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << name;
    }
    // Flipped bytes in the middle: an error naming the format (gzip's CRC catches what the
    // deflate stream does not), never a crash.
    std::mt19937 rng(5);
    for (int trial = 0; trial < 50; ++trial) {
      std::string damaged = stream;
      damaged[stream.size() / 4 + rng() % (stream.size() / 2)] ^= static_cast<char>(1 + rng() % 255);
      std::string out;
      Status st = DecompressInPieces(c, damaged, 777, 4096, &out);
      if (st.ok()) {
        // zstd without a checksum may decode a flipped literal to other bytes; sizes still match.
        EXPECT_EQ(c, StreamCompression::kZstd);
        EXPECT_EQ(out.size(), text.size());
        continue;
      }
      EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
      EXPECT_NE(st.message().find(name + " stream is"), std::string::npos) << st.ToString();
    }
    // Not the format at all (after the magic bytes).
    std::string out;
    const std::string magic = stream.substr(0, 4);
    Status st = DecompressInPieces(c, magic + "this is not compressed at all", 1000, 4096, &out);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << name;
  }
}

// A zstd frame streamed without its size, as `zstd --long=N` writes one: its header asks for a
// window of 2^window_log bytes.
std::string ZstdWithWindow(std::string_view text, int window_log) {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  EXPECT_FALSE(ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, window_log)));
  EXPECT_FALSE(ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_enableLongDistanceMatching, 1)));
  std::string out(ZSTD_compressBound(text.size()) + 1024, '\0');
  ZSTD_outBuffer o{out.data(), out.size(), 0};
  ZSTD_inBuffer in{text.data(), text.size(), 0};
  EXPECT_FALSE(ZSTD_isError(ZSTD_compressStream2(c, &o, &in, ZSTD_e_continue)));
  ZSTD_inBuffer none{nullptr, 0, 0};
  EXPECT_EQ(ZSTD_compressStream2(c, &o, &none, ZSTD_e_end), 0u);
  ZSTD_freeCCtx(c);
  out.resize(o.pos);
  return out;
}

TEST(StreamDecompressorTest, AZstdWindowOverTheLimitIsNamedNotTaken) {
  const std::string text = Text(2000, 7);
  const std::string frame = ZstdWithWindow(text, 28);  // 256 MiB
  std::string out;
  Status st = DecompressInPieces(StreamCompression::kZstd, frame, frame.size(), 1 << 16, &out);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("zstd frame needs a window larger than the 128 MiB allowed"), std::string::npos)
      << st.ToString();
  EXPECT_TRUE(out.empty());
  // Allowed with a limit of 256 MiB (or anything up to the next power of two).
  for (uint64_t limit : {uint64_t{256} << 20, (uint64_t{512} << 20) - 1}) {
    out.clear();
    ASSERT_TRUE(DecompressInPieces(StreamCompression::kZstd, frame, 1000, 1 << 16, &out, limit).ok());
    EXPECT_EQ(out, text);
  }
  // A limit is rounded down to a power of two: 255 MiB allows 128 MiB.
  out.clear();
  st = DecompressInPieces(StreamCompression::kZstd, frame, frame.size(), 1 << 16, &out, (uint64_t{256} << 20) - 1);
  EXPECT_NE(st.message().find("128 MiB allowed"), std::string::npos) << st.ToString();
  // Frames within the limit are unaffected by it.
  out.clear();
  ASSERT_TRUE(DecompressInPieces(StreamCompression::kZstd, Zstd(text), 999, 1 << 16, &out, 1 << 20).ok());
  EXPECT_EQ(out, text);
}

}  // namespace
}  // namespace loglake::lake
