#include "json/number.h"

#include <cfloat>
#include <charconv>
#include <limits>
#include <system_error>

namespace loglake::json {
namespace {

inline bool IsDigit(char c) {
  return static_cast<unsigned>(static_cast<unsigned char>(c) - '0') <= 9;
}

constexpr int64_t kExponentClamp = 1000000000;

// Powers of ten that a double holds exactly.
constexpr double kExactPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
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

}  // namespace

bool ParseJsonNumber(std::string_view text, JsonNumber* out) {
  const char* p = text.data();
  const char* end = p + text.size();
  JsonNumber n;
  n.text = text;
  if (p < end && *p == '-') {
    n.negative = true;
    ++p;
  }
  const char* digits = p;
  if (p == end || !IsDigit(*p)) return false;
  if (*p == '0') {
    ++p;
  } else {
    while (p < end && IsDigit(*p)) ++p;
  }
  n.int_digits = std::string_view(digits, static_cast<size_t>(p - digits));
  if (p < end && *p == '.') {
    ++p;
    digits = p;
    while (p < end && IsDigit(*p)) ++p;
    if (p == digits) return false;
    n.frac_digits = std::string_view(digits, static_cast<size_t>(p - digits));
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool negative_exponent = false;
    if (p < end && (*p == '+' || *p == '-')) {
      negative_exponent = *p == '-';
      ++p;
    }
    if (p == end || !IsDigit(*p)) return false;
    int64_t e = 0;
    while (p < end && IsDigit(*p)) {
      if (e < kExponentClamp) e = e * 10 + (*p - '0');
      ++p;
    }
    if (e > kExponentClamp) e = kExponentClamp;
    n.exponent = negative_exponent ? -e : e;
  }
  if (p != end) return false;
  *out = n;
  return true;
}

bool ScaledInt64(const JsonNumber& number, int scale, int64_t* out, bool* exact) {
  // Fast path: a plain integer of at most 18 digits cannot overflow.
  if (scale == 0 && number.frac_digits.empty() && number.exponent == 0 && number.int_digits.size() <= 18) {
    int64_t v = 0;
    for (char c : number.int_digits) v = v * 10 + (c - '0');
    *out = number.negative ? -v : v;
    *exact = true;
    return true;
  }
  // The value is D * 10^shift, where D is the digit string int_digits + frac_digits.
  const size_t int_len = number.int_digits.size();
  const size_t total = int_len + number.frac_digits.size();
  const int64_t shift = number.exponent - static_cast<int64_t>(number.frac_digits.size()) + scale;
  auto digit = [&](size_t i) {
    return i < int_len ? number.int_digits[i] - '0' : number.frac_digits[i - int_len] - '0';
  };
  // The leading `keep` digits form the integer part; the others are discarded by the floor.
  const int64_t keep = shift >= 0 ? static_cast<int64_t>(total) : static_cast<int64_t>(total) + shift;
  constexpr uint64_t kLimit = uint64_t{1} << 63;  // magnitude of INT64_MIN
  uint64_t magnitude = 0;
  bool is_exact = true;
  for (size_t i = 0; i < total; ++i) {
    const int d = digit(i);
    if (static_cast<int64_t>(i) < keep) {
      if (magnitude > (kLimit - static_cast<uint64_t>(d)) / 10) return false;
      magnitude = magnitude * 10 + static_cast<uint64_t>(d);
    } else if (d != 0) {
      is_exact = false;
    }
  }
  if (shift > 0 && magnitude != 0) {
    for (int64_t i = 0; i < shift; ++i) {
      if (magnitude > kLimit / 10) return false;
      magnitude *= 10;
    }
  }
  if (number.negative) {
    if (!is_exact) ++magnitude;  // floor: toward the past
    if (magnitude > kLimit) return false;
    *out = magnitude == kLimit ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(magnitude);
  } else {
    if (magnitude > kLimit - 1) return false;
    *out = static_cast<int64_t>(magnitude);
  }
  *exact = is_exact;
  return true;
}

DoubleConversion ToDouble(const JsonNumber& number, double* out) {
  if (FastToDouble(number, out)) return DoubleConversion::kOk;
  const char* begin = number.text.data();
  const char* end = begin + number.text.size();
  double value = 0;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec == std::errc() && ptr == end) {
    *out = value;
    return DoubleConversion::kOk;
  }
  // from_chars reports both overflow and underflow as out of range: tell them apart by the
  // decimal exponent of the first significant digit.
  int64_t magnitude_exponent = 0;
  bool found = false;
  for (size_t i = 0; i < number.int_digits.size() && !found; ++i) {
    if (number.int_digits[i] != '0') {
      magnitude_exponent = static_cast<int64_t>(number.int_digits.size() - i) - 1;
      found = true;
    }
  }
  for (size_t i = 0; i < number.frac_digits.size() && !found; ++i) {
    if (number.frac_digits[i] != '0') {
      magnitude_exponent = -static_cast<int64_t>(i) - 1;
      found = true;
    }
  }
  if (!found || magnitude_exponent + number.exponent < 0) {
    *out = number.negative ? -0.0 : 0.0;
    return DoubleConversion::kOk;
  }
  return DoubleConversion::kOutOfRange;
}

}  // namespace loglake::json
