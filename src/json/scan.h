// Byte-level scanners for the record parser's fast path (fast_path.cc).
//
// Every scanner takes the end of the text and never reports a token that crosses it, but may
// read up to kScanOverread bytes past the position it stops at: callers guarantee that many
// readable bytes after `end` (RecordParser's padding contract). They validate what they pass
// over exactly as RFC 8259 and simdjson do; where they are unsure (a \u escape of a surrogate),
// they fail, and the caller falls back to the simdjson path, which decides.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "json/number.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace loglake::json::scan {

// The most any scanner reads past the byte it stops at.
constexpr size_t kScanOverread = 16;

inline bool IsDigit(char c) {
  return static_cast<unsigned>(static_cast<unsigned char>(c) - '0') <= 9;
}

// JSON whitespace; a line feed only when `newlines` (the NDJSON fast path treats a line feed as
// the end of the line, not as whitespace).
inline const char* SkipSpace(const char* p, const char* end, bool newlines) {
  while (p < end) {
    const char c = *p;
    if (c == ' ' || c == '\t' || c == '\r' || (c == '\n' && newlines)) {
      ++p;
    } else {
      break;
    }
  }
  return p;
}

// SkipSpace for the common case of compact JSON: one compare when p is not at whitespace.
inline const char* SkipSpaceIfAny(const char* p, const char* end, bool newlines) {
  return static_cast<unsigned char>(*p) <= ' ' ? SkipSpace(p, end, newlines) : p;
}

// The offset from p of the first byte that is a quote, a backslash, a control character or not
// ASCII (the bytes that end a plain run of string content). Past `end`, the result is at or
// past `end` too, so callers need only check that the byte found lies before `end`.
inline size_t PlainRun(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  size_t i = 0;
  while (true) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // Signed compare: bytes 0x80..0xFF are negative, so "< 0x20" also catches non-ASCII.
    const __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)), _mm_cmplt_epi8(x, space));
    const unsigned bits = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (bits != 0) return i + static_cast<size_t>(__builtin_ctz(bits));
    i += 16;
    if (p + i >= end) return p < end ? static_cast<size_t>(end - p) : 0;
  }
#else
  size_t i = 0;
  while (p + i < end) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) return i;
    ++i;
  }
  return i;
#endif
}

// The length of the valid UTF-8 sequence at p (p[0] >= 0x80) that ends before `end`, or 0 if it
// is invalid: overlong forms, surrogates and code points above U+10FFFF are invalid.
inline size_t Utf8Sequence(const char* p, const char* end) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  const size_t available = static_cast<size_t>(end - p);
  auto cont = [&](size_t i) { return (u[i] & 0xC0) == 0x80; };
  const unsigned c = u[0];
  if (c < 0xC2) return 0;  // a continuation byte, or the lead of an overlong 2-byte form
  if (c < 0xE0) return available >= 2 && cont(1) ? 2 : 0;
  if (c < 0xF0) {
    if (available < 3 || !cont(2)) return 0;
    const unsigned lo = c == 0xE0 ? 0xA0 : 0x80;  // E0 80..9F would be overlong
    const unsigned hi = c == 0xED ? 0x9F : 0xBF;  // ED A0..BF would be a surrogate
    return u[1] >= lo && u[1] <= hi ? 3 : 0;
  }
  if (c < 0xF5) {
    if (available < 4 || !cont(2) || !cont(3)) return 0;
    const unsigned lo = c == 0xF0 ? 0x90 : 0x80;  // F0 80..8F would be overlong
    const unsigned hi = c == 0xF4 ? 0x8F : 0xBF;  // F4 90.. is above U+10FFFF
    return u[1] >= lo && u[1] <= hi ? 4 : 0;
  }
  return 0;
}

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const char lower = static_cast<char>(c | 0x20);
  if (lower >= 'a' && lower <= 'f') return lower - 'a' + 10;
  return -1;
}

// The code point of the escape at p (p[0] == '\\') and its length in *length; -1 if it is
// invalid or a surrogate half (whose pairing rules are left to simdjson).
inline int32_t Escape(const char* p, const char* end, size_t* length) {
  if (end - p < 2) return -1;
  *length = 2;
  switch (p[1]) {
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'u': {
      if (end - p < 6) return -1;
      int32_t v = 0;
      for (int i = 2; i < 6; ++i) {
        const int h = HexValue(p[i]);
        if (h < 0) return -1;
        v = v * 16 + h;
      }
      if (v >= 0xD800 && v <= 0xDFFF) return -1;
      *length = 6;
      return v;
    }
    default: return -1;
  }
}

// Scans the content of a string whose opening quote is just before p. Returns the position of
// its closing quote, or nullptr if the string is invalid (a control character, invalid UTF-8,
// a bad or surrogate escape) or does not end before `end`. *escaped tells whether it has escapes.
inline const char* StringEnd(const char* p, const char* end, bool* escaped) {
  while (true) {
    p += PlainRun(p, end);
    if (p >= end) return nullptr;
    const char c = *p;
    if (c == '"') return p;
    if (c == '\\') {
      size_t length;
      if (Escape(p, end, &length) < 0) return nullptr;
      *escaped = true;
      p += length;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      const size_t length = Utf8Sequence(p, end);
      if (length == 0) return nullptr;
      p += length;
    } else {
      return nullptr;  // a control character
    }
  }
}

// Appends the unescaped content of a string validated by StringEnd to `out`.
template <typename Out>
inline void Unescape(const char* p, const char* close, Out* out) {
  while (p < close) {
    const char* backslash = static_cast<const char*>(std::memchr(p, '\\', static_cast<size_t>(close - p)));
    if (backslash == nullptr) backslash = close;
    out->append(p, static_cast<size_t>(backslash - p));
    if (backslash == close) return;
    size_t length = 0;
    const uint32_t cp = static_cast<uint32_t>(Escape(backslash, close, &length));
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    p = backslash + length;
  }
}

// Scans a JSON number literal starting at p. Returns the position after it, or nullptr if the
// text there is not a valid number (RFC 8259 grammar). Fills *out like ParseJsonNumber.
inline const char* Number(const char* p, const char* end, JsonNumber* out) {
  const char* const start = p;
  out->negative = false;
  out->exponent = 0;
  out->frac_digits = {};
  if (p < end && *p == '-') {
    out->negative = true;
    ++p;
  }
  const char* digits = p;
  if (p >= end || !IsDigit(*p)) return nullptr;
  if (*p == '0') {
    ++p;
  } else {
    while (p < end && IsDigit(*p)) ++p;
  }
  out->int_digits = std::string_view(digits, static_cast<size_t>(p - digits));
  if (p < end && *p == '.') {
    ++p;
    digits = p;
    while (p < end && IsDigit(*p)) ++p;
    if (p == digits) return nullptr;
    out->frac_digits = std::string_view(digits, static_cast<size_t>(p - digits));
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool negative_exponent = false;
    if (p < end && (*p == '+' || *p == '-')) {
      negative_exponent = *p == '-';
      ++p;
    }
    if (p >= end || !IsDigit(*p)) return nullptr;
    constexpr int64_t kClamp = 1000000000;  // JsonNumber::exponent's clamp
    int64_t e = 0;
    while (p < end && IsDigit(*p)) {
      if (e < kClamp) e = e * 10 + (*p - '0');
      ++p;
    }
    if (e > kClamp) e = kClamp;
    out->exponent = negative_exponent ? -e : e;
  }
  // A number runs into the next structural character or whitespace; "1x" or "01" is one bad
  // token for simdjson, so anything else right after it fails here too.
  if (p < end) {
    const char c = *p;
    if (!(c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '\n')) return nullptr;
  }
  out->text = std::string_view(start, static_cast<size_t>(p - start));
  return p;
}

}  // namespace loglake::json::scan
