#include "json/number.h"

#include <cfloat>
#include <charconv>
#include <limits>
#include <system_error>

#include "common/time.h"
#include "json/scan.h"

namespace loglake::json {
namespace {

// Epoch numbers at least this large (in magnitude) are milliseconds, smaller ones seconds.
constexpr int64_t kEpochMillisThreshold = 100000000000;

}  // namespace

bool ParseJsonNumber(std::string_view text, JsonNumber* out) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  JsonNumber n;
  // The one scanner of the grammar (also the fast path's); what follows a literal must be the end.
  if (scan::Number(text.data(), end, &n) != end) return false;
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

namespace internal {

DoubleConversion SlowToDouble(const JsonNumber& number, double* out) {
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

}  // namespace internal

bool EpochMicros(const JsonNumber& number, int64_t* micros, bool* millis) {
  // The unit follows from the integer part: whole seconds (or milliseconds) truncated toward 0.
  int64_t whole;
  bool exact;
  bool ok = ScaledInt64(number, 0, &whole, &exact);
  const int64_t truncated = whole + (number.negative && !exact ? 1 : 0);
  *millis = !ok || truncated >= kEpochMillisThreshold || truncated <= -kEpochMillisThreshold;
  ok = ScaledInt64(number, *millis ? 3 : 6, micros, &exact);
  return ok && *micros >= kMinTimestampMicros && *micros <= kMaxTimestampMicros;
}

}  // namespace loglake::json
