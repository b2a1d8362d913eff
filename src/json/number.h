// Exact conversions of JSON number literals, used by the record parser.
//
// A JSON number is kept as its decimal text (sign, integer digits, fraction digits, exponent),
// so that integer and timestamp columns convert it without going through a double: 1500.0 and
// 1.5e3 are exactly 1500, 9007199254740993 stays 9007199254740993, and 1700000000.123456 s is
// exactly 1700000000123456 µs.
#pragma once

#include <cfloat>
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
inline DoubleConversion ToDouble(const JsonNumber& number, double* out);

// Epoch seconds, or epoch milliseconds when |number| >= 1e11 (1e11 s is the year 5138, 1e11 ms
// is 1973), as microseconds floored toward the past. False if the result is outside the years
// 0000..9999 (kMinTimestampMicros..kMaxTimestampMicros); *millis tells which unit was chosen.
bool EpochMicros(const JsonNumber& number, int64_t* micros, bool* millis);

namespace internal {

// Powers of ten that a double holds exactly.
inline constexpr double kExactPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// The nearest double for numbers of at most 15 significant digits and a decimal exponent within
// +-22: the digits and the power of ten are both exact doubles, so one correctly rounded multiply
// or divide gives the correctly rounded result (Clinger's fast path). False for other numbers.
inline bool FastToDouble(const JsonNumber& number, double* out) {
#if FLT_EVAL_METHOD == 0
  const size_t digits = number.int_digits.size() + number.frac_digits.size();
  if (digits > 15) return false;
  const int64_t exponent = number.exponent - static_cast<int64_t>(number.frac_digits.size());
  if (exponent < -22 || exponent > 22) return false;
  uint64_t mantissa = 0;
  for (char c : number.int_digits) mantissa = mantissa * 10 + static_cast<uint64_t>(c - '0');
  for (char c : number.frac_digits) mantissa = mantissa * 10 + static_cast<uint64_t>(c - '0');
  double value = static_cast<double>(mantissa);
  if (exponent < 0) {
    value /= kExactPowersOfTen[-exponent];
  } else {
    value *= kExactPowersOfTen[exponent];
  }
  *out = number.negative ? -value : value;
  return true;
#else
  (void)number;
  (void)out;
  return false;  // extended-precision intermediates would round twice
#endif
}

// ToDouble for the numbers FastToDouble does not take.
DoubleConversion SlowToDouble(const JsonNumber& number, double* out);

}  // namespace internal

inline DoubleConversion ToDouble(const JsonNumber& number, double* out) {
  if (internal::FastToDouble(number, out)) return DoubleConversion::kOk;
  return internal::SlowToDouble(number, out);
}

}  // namespace loglake::json
