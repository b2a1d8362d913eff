#include "query/param_text.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <string>

#include "common/ascii.h"
#include "common/time.h"

namespace loglake::query {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool LooksLikeInteger(std::string_view s) {
  size_t i = s.size() > 1 && s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return false;
  }
  return true;
}

// -?(digits[.digits*] | .digits)([eE][+-]?digits)? with a '.' or an exponent.
bool LooksLikeDecimal(std::string_view s) {
  size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
  size_t int_digits = 0, frac_digits = 0;
  bool dot = false, exponent = false;
  while (i < s.size() && IsDigit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    dot = true;
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    exponent = true;
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size() && (dot || exponent);
}

// YYYY-MM-DD followed by 'T', 't' or ' ' and hh:mm.
bool LooksLikeDateTime(std::string_view s) {
  if (s.size() < 16) return false;
  const char* p = s.data();
  const auto digits = [&](size_t at, size_t n) {
    for (size_t k = at; k < at + n; ++k) {
      if (!IsDigit(p[k])) return false;
    }
    return true;
  };
  return digits(0, 4) && p[4] == '-' && digits(5, 2) && p[7] == '-' && digits(8, 2) &&
         (p[10] == 'T' || p[10] == 't' || p[10] == ' ') && digits(11, 2) && p[13] == ':' && digits(14, 2);
}

Result<Value> ParseIntegerParam(std::string_view text) {
  if (!LooksLikeInteger(text)) {
    return Status::InvalidArgument("'" + std::string(text) + "' is not an integer");
  }
  int64_t v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
    return Status::InvalidArgument("integer " + std::string(text) +
                                   " is out of range for bigint; pass it as double: or string:");
  }
  if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) {
    return Value::Integer(static_cast<int32_t>(v));
  }
  return Value::Bigint(v);
}

Result<Value> ParseDoubleParam(std::string_view text) {
  if (text == "NaN") return Value::Double(std::numeric_limits<double>::quiet_NaN());
  if (text == "Infinity") return Value::Double(std::numeric_limits<double>::infinity());
  if (text == "-Infinity") return Value::Double(-std::numeric_limits<double>::infinity());
  if (!LooksLikeInteger(text) && !LooksLikeDecimal(text)) {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "' is not a double (examples: 1.5, -2e3, NaN, Infinity)");
  }
  double v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
    return Status::InvalidArgument("double " + std::string(text) + " is out of range");
  }
  return Value::Double(v);
}

Result<Value> ParseBoolParam(std::string_view text) {
  if (EqualsIgnoreCase(text, "true")) return Value::Boolean(true);
  if (EqualsIgnoreCase(text, "false")) return Value::Boolean(false);
  return Status::InvalidArgument("'" + std::string(text) + "' is not a boolean; use true or false");
}

Result<Value> ParseTimestampParam(std::string_view text) {
  Result<int64_t> micros = ParseTimestampMicros(text);
  if (!micros.ok()) {
    return Status::InvalidArgument("'" + std::string(text) + "' is not a timestamp (" +
                                   micros.status().message() +
                                   "); write 2024-05-01T12:00:00Z or 2024-05-01 12:00:00, or use string:");
  }
  return Value::Timestamp(*micros);
}

}  // namespace

Result<Value> ParseParamText(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    const std::string_view prefix = text.substr(0, colon);
    const std::string_view rest = text.substr(colon + 1);
    const auto is = [&](const char* name) { return EqualsIgnoreCase(prefix, name); };
    Result<Value> typed = Status::Internal("unset");
    bool matched = true;
    if (is("string") || is("varchar")) {
      typed = Value::Varchar(std::string(rest));
    } else if (is("int") || is("integer") || is("bigint")) {
      typed = ParseIntegerParam(rest);
    } else if (is("double")) {
      typed = ParseDoubleParam(rest);
    } else if (is("bool") || is("boolean")) {
      typed = ParseBoolParam(rest);
    } else if (is("timestamp")) {
      typed = ParseTimestampParam(rest);
    } else if (is("null")) {
      if (!rest.empty()) {
        return Status::InvalidArgument("null: takes no value (got '" + std::string(rest) + "')");
      }
      typed = Value::Null(SqlType::kUnknown);
    } else {
      matched = false;
    }
    if (matched) {
      if (!typed.ok()) return Status::InvalidArgument(std::string(prefix) + ": " + typed.status().message());
      return typed;
    }
  }
  if (LooksLikeInteger(text)) return ParseIntegerParam(text);
  if (LooksLikeDecimal(text)) return ParseDoubleParam(text);
  if (EqualsIgnoreCase(text, "true") || EqualsIgnoreCase(text, "false")) return ParseBoolParam(text);
  if (EqualsIgnoreCase(text, "null")) return Value::Null(SqlType::kUnknown);
  if (LooksLikeDateTime(text)) return ParseTimestampParam(text);
  return Value::Varchar(std::string(text));
}

}  // namespace loglake::query
