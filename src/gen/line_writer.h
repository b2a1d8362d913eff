// LineWriter: formats JSON text into a caller's buffer with no bounds checks and no allocation.
//
// The generator formats a few hundred million values per run, so everything here is a raw store
// through a cursor: numbers go through std::to_chars, hex through a table, strings are escaped
// only where JSON requires it. The caller guarantees the room: it starts a record only when at
// least kRecordRoom bytes are free, and no record comes near that size (the generator checks).
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace loglake::gen {

class LineWriter {
 public:
  explicit LineWriter(char* at) : p_(at) {}

  char* pos() const { return p_; }
  // Continues after text that someone else wrote at pos().
  void MoveTo(char* p) { p_ = p; }

  void Raw(std::string_view s) {
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  // For literals: the length is known at compile time, so the copy becomes a few moves.
  template <size_t N>
  void Lit(const char (&s)[N]) {
    std::memcpy(p_, s, N - 1);
    p_ += N - 1;
  }
  void Char(char c) { *p_++ = c; }

  // A JSON string literal of `s`, escaped as RFC 8259 requires (at most 6 bytes per input byte).
  void String(std::string_view s);
  // A string known to need no escaping (ids, pooled literals).
  void PlainString(std::string_view s) {
    *p_++ = '"';
    Raw(s);
    *p_++ = '"';
  }

  void Int(int64_t v) { p_ = std::to_chars(p_, p_ + 24, v).ptr; }
  void UInt(uint64_t v) { p_ = std::to_chars(p_, p_ + 24, v).ptr; }
  // `v` with exactly `decimals` digits after the point (v finite and below 1e15).
  void Fixed(double v, int decimals) {
    p_ = std::to_chars(p_, p_ + 40, v, std::chars_format::fixed, decimals).ptr;
  }

  // `digits` lowercase hex digits of the low bits of v (even digits <= 16), most significant first.
  void Hex(uint64_t v, int digits) {
    for (int i = digits - 2; i >= 0; i -= 2) {
      std::memcpy(p_ + i, kHexPairs + 2 * (v & 0xff), 2);
      v >>= 8;
    }
    p_ += digits;
  }
  // v (below 2^16) without leading zeros, lowercase: an IPv6 group.
  void HexGroup(uint64_t v) {
    static constexpr char kHex[] = "0123456789abcdef";
    int digits = v >= 0x1000 ? 4 : v >= 0x100 ? 3 : v >= 0x10 ? 2 : 1;
    for (int i = digits - 1; i >= 0; --i) {
      p_[i] = kHex[v & 0xf];
      v >>= 4;
    }
    p_ += digits;
  }

  // A random-looking RFC 4122 version-4 UUID built from two 64-bit words.
  void Uuid(uint64_t hi, uint64_t lo) {
    hi = (hi & ~0xf000ULL) | 0x4000ULL;                         // version 4
    lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10xx
    Hex(hi >> 32, 8);
    Char('-');
    Hex(hi >> 16, 4);
    Char('-');
    Hex(hi, 4);
    Char('-');
    Hex(lo >> 48, 4);
    Char('-');
    Hex(lo, 12);
  }

 private:
  static constexpr char kHexPairs[] =
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
      "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
      "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
      "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
      "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
      "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
      "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
      "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

  char* p_;
};

inline void LineWriter::String(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  *p_++ = '"';
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != '"' && c != '\\') {
      *p_++ = ch;
      continue;
    }
    *p_++ = '\\';
    switch (c) {
      case '"': *p_++ = '"'; break;
      case '\\': *p_++ = '\\'; break;
      case '\n': *p_++ = 'n'; break;
      case '\r': *p_++ = 'r'; break;
      case '\t': *p_++ = 't'; break;
      default:
        Lit("u00");
        *p_++ = kHex[c >> 4];
        *p_++ = kHex[c & 0xf];
    }
  }
  *p_++ = '"';
}

}  // namespace loglake::gen
