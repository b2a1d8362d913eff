#include "parquet/encoding/bit_packing.h"

#include <array>
#include <cstring>
#include <utility>

#include "parquet/encoding/bit_util.h"

namespace loglake::parquet {
namespace {

template <typename T, int W>
constexpr T LowMask() {
  if constexpr (W == 0) {
    return 0;
  } else if constexpr (W == static_cast<int>(sizeof(T) * 8)) {
    return ~T{0};
  } else {
    return (T{1} << W) - 1;
  }
}

// Unpacks one group of eight values from `in`, which must have at least W + 8 readable bytes
// (the loads may run up to 8 bytes past the group; callers pad when the input ends sooner).
template <typename T, int W>
inline void UnpackGroup(const uint8_t* in, T* out) {
  constexpr T kMask = LowMask<T, W>();
  for (int i = 0; i < 8; ++i) {
    const int bit = i * W;
    const int shift = bit % 8;
    uint64_t word = LoadLE<uint64_t>(in + bit / 8) >> shift;
    if constexpr (W > 56) {
      // A value may straddle nine bytes; its top bits come from the ninth.
      if (shift + W > 64) word |= static_cast<uint64_t>(in[bit / 8 + 8]) << (64 - shift);
    }
    out[i] = static_cast<T>(word) & kMask;
  }
}

template <typename T, int W>
void UnpackGroups(const uint8_t* in, size_t groups, T* out) {
  if constexpr (W == 0) {
    std::memset(out, 0, groups * 8 * sizeof(T));
  } else {
    // Groups followed by at least 9 more input bytes are read in place; the rest via a padded copy.
    constexpr size_t kSlack = 9;
    const size_t in_place = groups > (kSlack + W - 1) / W ? groups - (kSlack + W - 1) / W : 0;
    for (size_t g = 0; g < in_place; ++g) UnpackGroup<T, W>(in + g * W, out + g * 8);
    for (size_t g = in_place; g < groups; ++g) {
      uint8_t buf[W + 16] = {};
      std::memcpy(buf, in + g * W, W);
      UnpackGroup<T, W>(buf, out + g * 8);
    }
  }
}

template <typename T>
using UnpackFn = void (*)(const uint8_t*, size_t, T*);

template <typename T, int... Ws>
constexpr auto MakeUnpackTable(std::integer_sequence<int, Ws...>) {
  return std::array<UnpackFn<T>, sizeof...(Ws)>{&UnpackGroups<T, Ws>...};
}

constexpr auto kUnpack32 = MakeUnpackTable<uint32_t>(std::make_integer_sequence<int, 33>());
constexpr auto kUnpack64 = MakeUnpackTable<uint64_t>(std::make_integer_sequence<int, 65>());

template <typename T, size_t N>
void Unpack(const std::array<UnpackFn<T>, N>& table, const uint8_t* in, int width, size_t n, T* out) {
  const size_t groups = n / 8;
  if (groups > 0) table[width](in, groups, out);
  const size_t rest = n % 8;
  if (rest == 0) return;
  // The last, partial group: only BytesForBits(rest * width) bytes may be read.
  const uint8_t* tail = in + groups * width;
  uint8_t buf[64] = {};
  const size_t tail_bytes = BytesForBits(rest * width);
  if (tail_bytes > 0) std::memcpy(buf, tail, tail_bytes);
  T vals[8];
  table[width](buf, 1, vals);
  std::memcpy(out + groups * 8, vals, rest * sizeof(T));
}

template <typename T>
void Pack(const T* in, size_t n, int width, std::string* out) {
  const size_t start = out->size();
  const size_t bytes = BytesForBits(static_cast<uint64_t>(n) * width);
  out->resize(start + bytes + 8);  // slack for the 8-byte stores, trimmed below
  if (width == 0) {
    out->resize(start);
    return;
  }
  uint8_t* dst = reinterpret_cast<uint8_t*>(out->data()) + start;
  const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  uint64_t acc = 0;  // holds `bits` (< 64) pending bits
  int bits = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t v = static_cast<uint64_t>(in[i]) & mask;
    acc |= v << bits;
    if (bits + width >= 64) {
      StoreLE<uint64_t>(dst, acc);
      dst += 8;
      const int used = 64 - bits;
      acc = used < 64 ? v >> used : 0;
      bits = bits + width - 64;
    } else {
      bits += width;
    }
  }
  StoreLE<uint64_t>(dst, acc);
  out->resize(start + bytes);
}

}  // namespace

void UnpackBits32(const uint8_t* in, int width, size_t n, uint32_t* out) {
  Unpack(kUnpack32, in, width, n, out);
}
void UnpackBits64(const uint8_t* in, int width, size_t n, uint64_t* out) {
  Unpack(kUnpack64, in, width, n, out);
}
void PackBits32(const uint32_t* in, size_t n, int width, std::string* out) { Pack(in, n, width, out); }
void PackBits64(const uint64_t* in, size_t n, int width, std::string* out) { Pack(in, n, width, out); }

}  // namespace loglake::parquet
