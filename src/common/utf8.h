// Stepping through UTF-8 text one code point at a time.
//
// Text from logs is not guaranteed to be well-formed, so none of these fail: a byte that does not
// start a well-formed sequence (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF) is a
// code point of its own, one byte long, that DecodeUtf8 reports as kInvalidCodePoint. Callers
// decide what such a byte means (copied through, escaped, counted as one character).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace loglake {

inline constexpr uint32_t kInvalidCodePoint = 0xFFFFFFFF;

inline bool IsUtf8Continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Bytes in the sequence that `lead` announces, without looking further: 1 for ASCII and for
// bytes that cannot lead (stray continuation bytes), so that malformed text still advances.
// Cheap enough for hot loops (LIKE's '_'); DecodeUtf8 checks the sequence as well.
inline size_t Utf8SequenceLength(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

// Decodes the code point at text[i] (i < text.size()) and sets *len to its byte length: the
// sequence's length if it is well-formed, else 1 with kInvalidCodePoint returned.
inline uint32_t DecodeUtf8(std::string_view text, size_t i, size_t* len) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  *len = 1;
  if (b0 < 0x80) return b0;
  size_t n;
  uint32_t cp;
  uint32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return kInvalidCodePoint;
  }
  if (n > text.size() - i) return kInvalidCodePoint;
  for (size_t k = 1; k < n; ++k) {
    if (!IsUtf8Continuation(byte(i + k))) return kInvalidCodePoint;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kInvalidCodePoint;
  *len = n;
  return cp;
}

// Byte offset of the code point after the one starting at text[i]: the next byte that is not a
// continuation byte (or text.size()). Counts like CodePointCount.
inline size_t NextCodePoint(std::string_view text, size_t i) {
  ++i;
  while (i < text.size() && IsUtf8Continuation(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}

// Appends `cp` (a valid code point, <= U+10FFFF) encoded as UTF-8.
inline void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace loglake
