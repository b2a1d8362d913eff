#include "lake/json_text.h"

#include <gtest/gtest.h>

namespace loglake::lake {
namespace {

std::string Json(std::string_view s, bool* valid = nullptr) {
  std::string out;
  bool v = AppendJsonString(&out, s);
  if (valid) *valid = v;
  return out;
}

TEST(JsonTextTest, EscapesWhatJsonRequires) {
  EXPECT_EQ(Json("plain"), "\"plain\"");
  EXPECT_EQ(Json("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Json("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(Json(std::string_view("\x00\x01\x1f", 3)), "\"\\u0000\\u0001\\u001f\"");
  EXPECT_EQ(Json("\x7f/"), "\"\x7f/\"");
}

TEST(JsonTextTest, ValidUtf8IsKeptAsIs) {
  bool valid = false;
  EXPECT_EQ(Json("h\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80", &valid),
            "\"h\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80\"");
  EXPECT_TRUE(valid);
}

TEST(JsonTextTest, InvalidBytesBecomeReplacementCharacters) {
  bool valid = true;
  EXPECT_EQ(Json("a\xFF"
                 "b",
                 &valid),
            "\"a\xEF\xBF\xBD"
            "b\"");
  EXPECT_FALSE(valid);
  // Truncated sequence at the end, overlong '/', a UTF-16 surrogate, above U+10FFFF.
  for (const char* bad :
       {"\xE6\x97", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80", "\xF5\x80\x80\x80"}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << bad;
    std::string out = Json(bad, &valid);
    EXPECT_FALSE(valid);
    EXPECT_TRUE(IsValidUtf8(out)) << out;
  }
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBF"));
}

TEST(JsonTextTest, Base64MatchesRfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {{"", ""},
                                                       {"f", "Zg=="},
                                                       {"fo", "Zm8="},
                                                       {"foo", "Zm9v"},
                                                       {"foob", "Zm9vYg=="},
                                                       {"fooba", "Zm9vYmE="},
                                                       {"foobar", "Zm9vYmFy"}};
  for (auto [in, want] : cases) {
    std::string out;
    AppendBase64(&out, in);
    EXPECT_EQ(out, want) << in;
  }
  std::string out;
  AppendBase64(&out, std::string_view("\xFF\x00\xFE", 3));
  EXPECT_EQ(out, "/wD+");
}

}  // namespace
}  // namespace loglake::lake

namespace loglake::lake {
namespace {

TEST(DecodeBase64, RoundTripsEveryLengthAndRejectsMalformedText) {
  std::string bytes;
  for (int n = 0; n < 70; ++n) {
    std::string encoded;
    AppendBase64(&encoded, bytes);
    std::string decoded;
    ASSERT_TRUE(DecodeBase64(encoded, &decoded)) << encoded;
    EXPECT_EQ(decoded, bytes);
    bytes.push_back(static_cast<char>(n * 37 + 11));
  }
  std::string out;
  EXPECT_TRUE(DecodeBase64("eyJhIjoxfQ==", &out));
  EXPECT_EQ(out, "{\"a\":1}");
  for (const char* bad : {"abc", "ab=c", "a===", "ab\ncd==", "@@@@", "ab==cd==", "a=b="}) {
    std::string ignored;
    EXPECT_FALSE(DecodeBase64(bad, &ignored)) << bad;
  }
}

}  // namespace
}  // namespace loglake::lake
