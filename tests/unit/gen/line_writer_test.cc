#include "gen/line_writer.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace loglake::gen {
namespace {

// Runs `fill` on a LineWriter over a scratch buffer and returns what it wrote.
template <typename F>
std::string Written(F fill) {
  char buf[512];
  LineWriter w(buf);
  fill(w);
  return std::string(buf, w.pos());
}

TEST(LineWriterTest, EscapesWhatJsonRequires) {
  EXPECT_EQ(Written([](LineWriter& w) { w.String("plain"); }), "\"plain\"");
  EXPECT_EQ(Written([](LineWriter& w) { w.String("a\"b\\c\nd\re\tf"); }), "\"a\\\"b\\\\c\\nd\\re\\tf\"");
  EXPECT_EQ(Written([](LineWriter& w) { w.String(std::string_view("\x01\x1f\0", 3)); }),
            "\"\\u0001\\u001f\\u0000\"");
  // Non-ASCII UTF-8 passes through unchanged.
  EXPECT_EQ(Written([](LineWriter& w) { w.String("東京 café 🎧"); }), "\"東京 café 🎧\"");
}

TEST(LineWriterTest, Numbers) {
  EXPECT_EQ(Written([](LineWriter& w) { w.Int(INT64_MIN); }), "-9223372036854775808");
  EXPECT_EQ(Written([](LineWriter& w) { w.UInt(UINT64_MAX); }), "18446744073709551615");
  EXPECT_EQ(Written([](LineWriter& w) { w.Fixed(12.3456, 3); }), "12.346");
  EXPECT_EQ(Written([](LineWriter& w) { w.Fixed(0.05, 3); }), "0.050");
  EXPECT_EQ(Written([](LineWriter& w) { w.Hex(0xabcdef0123456789ULL, 16); }), "abcdef0123456789");
  EXPECT_EQ(Written([](LineWriter& w) { w.Hex(0x1234, 8); }), "00001234");
  EXPECT_EQ(Written([](LineWriter& w) { w.HexGroup(0); }), "0");
  EXPECT_EQ(Written([](LineWriter& w) { w.HexGroup(0x0f0); }), "f0");
  EXPECT_EQ(Written([](LineWriter& w) { w.HexGroup(0xffff); }), "ffff");
}

TEST(LineWriterTest, UuidIsVersion4WithRfcVariant) {
  const std::regex v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (uint64_t hi : {0ULL, ~0ULL, 0x0123456789abcdefULL}) {
    for (uint64_t lo : {0ULL, ~0ULL, 0xfedcba9876543210ULL}) {
      const std::string u = Written([&](LineWriter& w) { w.Uuid(hi, lo); });
      EXPECT_TRUE(std::regex_match(u, v4)) << u;
    }
  }
  EXPECT_EQ(Written([](LineWriter& w) { w.Uuid(0x0123456789abcdefULL, 0xfedcba9876543210ULL); }),
            "01234567-89ab-4def-bedc-ba9876543210");
}

}  // namespace
}  // namespace loglake::gen
