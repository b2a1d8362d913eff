// Byte-level helpers shared by the Parquet encodings: little-endian loads and stores, bit widths,
// ULEB128 varints and zigzag. Parquet stores every multi-byte value little-endian; loglake builds
// only for little-endian hosts, which the static_assert below enforces, so loads are plain memcpy.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace loglake::parquet {

static_assert(std::endian::native == std::endian::little, "loglake assumes a little-endian host");

template <typename T>
inline T LoadLE(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <typename T>
inline void StoreLE(void* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}

template <typename T>
inline void AppendLE(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

inline const uint8_t* Bytes(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

// Number of bits needed to represent v (0 for v == 0).
inline int BitWidth(uint64_t v) { return v == 0 ? 0 : 64 - std::countl_zero(v); }

// Bytes needed to hold `bits` bits.
inline uint64_t BytesForBits(uint64_t bits) { return (bits + 7) / 8; }

inline uint64_t ZigZagEncode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t ZigZagDecode(uint64_t v) { return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1)); }

inline void AppendUleb128(std::string* out, uint64_t v) {
  char buf[10];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out->append(buf, n);
}

// Reads a ULEB128 varint of at most `max_bytes` bytes from data[*pos..size), advancing *pos.
// Returns false when the input ends first or the varint is longer than max_bytes (10 bytes hold
// 64 bits, 5 bytes hold 32); bits beyond 64 are rejected too.
inline bool ReadUleb128(const uint8_t* data, size_t size, size_t* pos, uint64_t* value, int max_bytes = 10) {
  uint64_t result = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (*pos >= size) return false;
    const uint8_t b = data[(*pos)++];
    const uint64_t payload = b & 0x7f;
    if (i == 9 && payload > 1) return false;
    result |= payload << (7 * i);
    if ((b & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

}  // namespace loglake::parquet
