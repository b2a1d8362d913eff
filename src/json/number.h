// Exact conversions of JSON number literals, used by the record parser.
//
// A JSON number is kept as its decimal text (sign, integer digits, fraction digits, exponent),
// so that integer and timestamp columns convert it without going through a double: 1500.0 and
// 1.5e3 are exactly 1500, 9007199254740993 stays 9007199254740993, and 1700000000.123456 s is
// exactly 1700000000123456 µs.
#pragma once

#include <cstdint>
#include <string_view>

namespace loglake::json {

struct JsonNumber {
  bool negative = false;
  std::string_view int_digits;   // at least one digit, no leading zero unless it is "0"
  std::string_view frac_digits;  // possibly empty
  int64_t exponent = 0;          // clamped to +-1e9, far beyond any representable value
  std::string_view text;         // the whole literal
};

// Parses `text` if it is exactly a JSON number literal (RFC 8259 grammar: no '+', no leading
// zeros, no surrounding whitespace, no "NaN"/"Infinity").
bool ParseJsonNumber(std::string_view text, JsonNumber* out);

// floor(number * 10^scale) as int64. False if it does not fit. *exact tells whether nothing was
// discarded by the floor (the scaled number is an integer).
bool ScaledInt64(const JsonNumber& number, int scale, int64_t* out, bool* exact);

enum class DoubleConversion { kOk, kOutOfRange };
// The nearest double (round-to-nearest-even). Magnitudes beyond DBL_MAX are out of range;
// magnitudes below the smallest subnormal become a zero of the number's sign.
DoubleConversion ToDouble(const JsonNumber& number, double* out);

}  // namespace loglake::json
