#include "ingest/content_encoding.h"

#include <gtest/gtest.h>

#include "compressed_text.h"

namespace loglake::ingest {
namespace {

using testing_util::Gzip;
using testing_util::Zstd;

std::string Records(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "{\"uuid\":\"u" + std::to_string(i) + "\",\"time\":\"2024-05-01T00:00:00Z\"}\n";
  return s;
}

TEST(ContentEncoding, IdentityGzipAndZstdDecodeToTheSameBytes) {
  const std::string text = Records(5000);
  for (const char* encoding : {"", "identity", "gzip", "GZIP", "x-gzip", "zstd", " zstd "}) {
    const std::string e(encoding);
    std::string body = text;
    if (e.find("gzip") != std::string::npos || e.find("GZIP") != std::string::npos) body = Gzip(text);
    if (e.find("zstd") != std::string::npos) body = Zstd(text);
    std::string out;
    Status st = DecodeContent(e, body, 10 << 20, &out);
    ASSERT_TRUE(st.ok()) << e << ": " << st.ToString();
    EXPECT_EQ(out, text) << e;
  }
}

TEST(ContentEncoding, ConcatenatedGzipMembersAreOneBody) {
  std::string out;
  ASSERT_TRUE(DecodeContent("gzip", Gzip("{\"a\":1}\n") + Gzip("{\"a\":2}\n"), 1 << 20, &out).ok());
  EXPECT_EQ(out, "{\"a\":1}\n{\"a\":2}\n");
}

TEST(ContentEncoding, BombsStopAtTheLimit) {
  const std::string zeros(50 << 20, '0');  // compresses to a few tens of KB
  for (const std::string& body : {Gzip(zeros), Zstd(zeros)}) {
    std::string out;
    Status st = DecodeContent(body == Zstd(zeros) ? "zstd" : "gzip", body, 1 << 20, &out);
    EXPECT_EQ(st.code(), StatusCode::kResourceExhausted) << st.ToString();
    EXPECT_NE(st.message().find("max_body_bytes"), std::string::npos);
    EXPECT_LE(out.size(), (1u << 20) + 128 * 1024);  // never much past the limit
  }
  std::string out;
  EXPECT_EQ(DecodeContent("", std::string(100, 'x'), 99, &out).code(), StatusCode::kResourceExhausted);
  // Exactly at the limit is fine.
  out.clear();
  EXPECT_TRUE(DecodeContent("gzip", Gzip(std::string(1000, 'y')), 1000, &out).ok());
  EXPECT_EQ(out.size(), 1000u);
}

TEST(ContentEncoding, DamagedTruncatedAndUnknownAreClearErrors) {
  const std::string text = Records(100);
  std::string gz = Gzip(text);
  std::string out;
  Status truncated = DecodeContent("gzip", std::string_view(gz).substr(0, gz.size() / 2), 1 << 20, &out);
  EXPECT_EQ(truncated.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(truncated.message().find("gzip"), std::string::npos);
  out.clear();
  EXPECT_EQ(DecodeContent("gzip", "this is not gzip at all", 1 << 20, &out).code(), StatusCode::kInvalidArgument);
  std::string zs = Zstd(text);
  out.clear();
  Status zt = DecodeContent("zstd", std::string_view(zs).substr(0, zs.size() - 3), 1 << 20, &out);
  EXPECT_EQ(zt.code(), StatusCode::kInvalidArgument) << zt.ToString();
  out.clear();
  EXPECT_EQ(DecodeContent("zstd", "garbage!", 1 << 20, &out).code(), StatusCode::kInvalidArgument);
  out.clear();
  Status unknown = DecodeContent("br", "x", 1 << 20, &out);
  EXPECT_EQ(unknown.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.message().find("'br' is not supported"), std::string::npos);
}

}  // namespace
}  // namespace loglake::ingest
