#include "json/number.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <string>

namespace loglake::json {
namespace {

JsonNumber Must(std::string_view text) {
  JsonNumber n;
  EXPECT_TRUE(ParseJsonNumber(text, &n)) << text;
  return n;
}

// floor(text * 10^scale), or nullopt on overflow; `exact` reports the floor's exactness.
std::optional<int64_t> Scaled(std::string_view text, int scale, bool* exact = nullptr) {
  int64_t v;
  bool e;
  if (!ScaledInt64(Must(text), scale, &v, &e)) return std::nullopt;
  if (exact) *exact = e;
  return v;
}

TEST(JsonNumberTest, AcceptsTheJsonGrammar) {
  for (const char* ok : {"0", "-0", "7", "-12", "10", "0.5", "-0.0", "1e5", "1E+5", "1e-5", "2.50e010",
                         "123456789012345678901234567890"}) {
    JsonNumber n;
    EXPECT_TRUE(ParseJsonNumber(ok, &n)) << ok;
    EXPECT_EQ(n.text, ok);
  }
  JsonNumber n = Must("-12.340e-7");
  EXPECT_TRUE(n.negative);
  EXPECT_EQ(n.int_digits, "12");
  EXPECT_EQ(n.frac_digits, "340");
  EXPECT_EQ(n.exponent, -7);
}

TEST(JsonNumberTest, RejectsEverythingElse) {
  for (const char* bad :
       {"",    "-",        "+1",        "01", "-01", "1.", ".5",    "1e",  "1e+", "1.e5", "0x10",
        "NaN", "Infinity", "-Infinity", "1 ", " 1",  "1,", "1_000", "12x", "--1", "1e5.5"}) {
    JsonNumber n;
    EXPECT_FALSE(ParseJsonNumber(bad, &n)) << bad;
  }
}

TEST(JsonNumberTest, HugeExponentsAreClampedNotOverflowed) {
  JsonNumber n = Must("1e99999999999999999999");
  EXPECT_EQ(n.exponent, 1000000000);
  EXPECT_FALSE(Scaled("1e99999999999999999999", 0).has_value());
  EXPECT_EQ(Scaled("0e99999999999999999999", 0), 0);
  bool exact = true;
  EXPECT_EQ(Scaled("1e-99999999999999999999", 0, &exact), 0);
  EXPECT_FALSE(exact);
  EXPECT_EQ(Scaled("-1e-99999999999999999999", 0), -1);
}

TEST(JsonNumberTest, ScaledInt64IsExact) {
  bool exact = false;
  EXPECT_EQ(Scaled("1500", 0, &exact), 1500);
  EXPECT_TRUE(exact);
  EXPECT_EQ(Scaled("1500.000", 0, &exact), 1500);
  EXPECT_TRUE(exact);
  EXPECT_EQ(Scaled("1.5e3", 0, &exact), 1500);
  EXPECT_TRUE(exact);
  EXPECT_EQ(Scaled("15000e-1", 0, &exact), 1500);
  EXPECT_TRUE(exact);
  EXPECT_EQ(Scaled("1.5", 0, &exact), 1);
  EXPECT_FALSE(exact);
  EXPECT_EQ(Scaled("-1.5", 0, &exact), -2);  // floor
  EXPECT_FALSE(exact);
  EXPECT_EQ(Scaled("-0.000001", 6, &exact), -1);
  EXPECT_TRUE(exact);
  EXPECT_EQ(Scaled("-0.0000001", 6, &exact), -1);
  EXPECT_FALSE(exact);
  EXPECT_EQ(Scaled("1700000000.123456789", 6), 1700000000123456);
  EXPECT_EQ(Scaled("1700000000123.4567", 3), 1700000000123456);
  EXPECT_EQ(Scaled("0.000", 6), 0);
  EXPECT_EQ(Scaled("-0", 0), 0);
}

TEST(JsonNumberTest, ScaledInt64Limits) {
  EXPECT_EQ(Scaled("9223372036854775807", 0), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Scaled("-9223372036854775808", 0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(Scaled("-9223372036854775807.5", 0), std::numeric_limits<int64_t>::min());
  EXPECT_FALSE(Scaled("-9223372036854775808.5", 0).has_value());
  EXPECT_FALSE(Scaled("9223372036854775808", 0).has_value());
  EXPECT_FALSE(Scaled("-9223372036854775809", 0).has_value());
  EXPECT_EQ(Scaled("922337203685477580.7e1", 0), std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(Scaled("9223372036854775807", 1).has_value());
}

TEST(JsonNumberTest, ScaledInt64MatchesIntegerArithmetic) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 20000; ++i) {
    const int64_t v = static_cast<int64_t>(rng()) >> (rng() % 63);
    const int shift = static_cast<int>(rng() % 5);  // write v as v / 10^shift with `shift` decimals
    const uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    std::string digits = std::to_string(magnitude);
    if (digits.size() <= static_cast<size_t>(shift))
      digits = std::string(shift + 1 - digits.size(), '0') + digits;
    std::string text = v < 0 ? "-" : "";
    text.append(digits, 0, digits.size() - shift);
    if (shift > 0) {
      text.push_back('.');
      text.append(digits, digits.size() - shift, std::string::npos);
    }
    bool exact;
    ASSERT_EQ(Scaled(text, shift, &exact), v) << text;
    ASSERT_TRUE(exact);
    const std::string exp_form = text + "e" + std::to_string(-shift);  // same value, scaled back
    ASSERT_EQ(Scaled(exp_form, 2 * shift, &exact), v) << exp_form;
  }
}

TEST(JsonNumberTest, ToDouble) {
  double d = 0;
  EXPECT_EQ(ToDouble(Must("0.1"), &d), DoubleConversion::kOk);
  EXPECT_EQ(d, 0.1);
  EXPECT_EQ(ToDouble(Must("1.7976931348623157e308"), &d), DoubleConversion::kOk);
  EXPECT_EQ(d, std::numeric_limits<double>::max());
  EXPECT_EQ(ToDouble(Must("4.9406564584124654e-324"), &d), DoubleConversion::kOk);
  EXPECT_EQ(d, std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(ToDouble(Must("1e309"), &d), DoubleConversion::kOutOfRange);
  EXPECT_EQ(ToDouble(Must("-1e309"), &d), DoubleConversion::kOutOfRange);
  EXPECT_EQ(ToDouble(Must("1e-400"), &d), DoubleConversion::kOk);
  EXPECT_EQ(d, 0.0);
  EXPECT_FALSE(std::signbit(d));
  EXPECT_EQ(ToDouble(Must("-0.00000e-400"), &d), DoubleConversion::kOk);
  EXPECT_TRUE(std::signbit(d));
  EXPECT_EQ(ToDouble(Must("-0"), &d), DoubleConversion::kOk);
  EXPECT_TRUE(std::signbit(d));
  EXPECT_EQ(ToDouble(Must("0.000000000000000000001e-300"), &d), DoubleConversion::kOk);
  EXPECT_EQ(d, 1e-321);
}

TEST(JsonNumberTest, ToDoubleIsCorrectlyRoundedForShortAndLongNumbers) {
  // Short numbers take a fast path (at most 15 digits, exponent within +-22), long ones the
  // general one; both must give what from_chars, correctly rounded, gives.
  std::mt19937_64 rng(7);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string text = (rng() & 1) ? "-" : "";
    const int int_len = static_cast<int>(rng() % 20);
    const int frac_len = static_cast<int>(rng() % 12);
    if (int_len == 0) {
      text += "0";
    } else {
      text += static_cast<char>('1' + rng() % 9);
      for (int i = 1; i < int_len; ++i) text += static_cast<char>('0' + rng() % 10);
    }
    if (frac_len > 0) {
      text += ".";
      for (int i = 0; i < frac_len; ++i) text += static_cast<char>('0' + rng() % 10);
    }
    if (rng() % 3 == 0) text += "e" + std::to_string(static_cast<int>(rng() % 61) - 30);
    double expected = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), expected);
    ASSERT_TRUE(ec == std::errc() && ptr == text.data() + text.size()) << text;
    double d = 0;
    ASSERT_EQ(ToDouble(Must(text), &d), DoubleConversion::kOk) << text;
    ASSERT_EQ(d, expected) << text;
    ASSERT_EQ(std::signbit(d), std::signbit(expected)) << text;
  }
  double d = 0;
  EXPECT_EQ(ToDouble(Must("91.925"), &d), DoubleConversion::kOk);
  EXPECT_EQ(d, 91.925);
  EXPECT_EQ(ToDouble(Must("123456789012345e22"), &d), DoubleConversion::kOk);
  EXPECT_EQ(d, 123456789012345e22);
  EXPECT_EQ(ToDouble(Must("-0.0"), &d), DoubleConversion::kOk);
  EXPECT_TRUE(std::signbit(d));
}

}  // namespace
}  // namespace loglake::json
