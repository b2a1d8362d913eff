#include "parquet/encoding/delta_binary_packed.h"

#include <algorithm>
#include <type_traits>

#include "parquet/encoding/bit_packing.h"
#include "parquet/encoding/bit_util.h"

namespace loglake::parquet {
namespace {

constexpr size_t kBlockSize = 128;
constexpr size_t kMiniblocksPerBlock = 4;
constexpr size_t kMiniblockSize = kBlockSize / kMiniblocksPerBlock;
// Upper bound accepted for a block's size: far above what any writer uses, low enough that
// arithmetic on it cannot overflow.
constexpr uint64_t kMaxBlockSize = 1 << 20;

template <typename T>
void Encode(const T* values, size_t n, std::string* out) {
  using U = std::make_unsigned_t<T>;
  AppendUleb128(out, kBlockSize);
  AppendUleb128(out, kMiniblocksPerBlock);
  AppendUleb128(out, n);
  AppendUleb128(out, ZigZagEncode(n > 0 ? static_cast<int64_t>(values[0]) : 0));
  U deltas[kBlockSize];
  for (size_t start = 1; start < n; start += kBlockSize) {
    const size_t count = std::min(kBlockSize, n - start);
    T min_delta = 0;
    for (size_t i = 0; i < count; ++i) {
      deltas[i] = static_cast<U>(static_cast<U>(values[start + i]) - static_cast<U>(values[start + i - 1]));
      const T d = static_cast<T>(deltas[i]);
      min_delta = i == 0 ? d : std::min(min_delta, d);
    }
    std::fill(deltas + count, deltas + kBlockSize, static_cast<U>(min_delta));  // pad: packs to 0
    uint8_t widths[kMiniblocksPerBlock] = {};
    const size_t used_miniblocks = (count + kMiniblockSize - 1) / kMiniblockSize;
    for (size_t i = 0; i < kBlockSize; ++i) deltas[i] = static_cast<U>(deltas[i] - static_cast<U>(min_delta));
    for (size_t m = 0; m < used_miniblocks; ++m) {
      U all = 0;
      for (size_t i = 0; i < kMiniblockSize; ++i) all |= deltas[m * kMiniblockSize + i];
      widths[m] = static_cast<uint8_t>(BitWidth(all));
    }
    AppendUleb128(out, ZigZagEncode(min_delta));
    out->append(reinterpret_cast<const char*>(widths), kMiniblocksPerBlock);
    for (size_t m = 0; m < used_miniblocks; ++m) {
      if constexpr (sizeof(T) == 4) {
        PackBits32(deltas + m * kMiniblockSize, kMiniblockSize, widths[m], out);
      } else {
        PackBits64(deltas + m * kMiniblockSize, kMiniblockSize, widths[m], out);
      }
    }
  }
}

template <typename T>
Status Decode(std::string_view in, size_t n, T* out, size_t* consumed) {
  const uint8_t* data = Bytes(in);
  const size_t size = in.size();
  size_t pos = 0;
  uint64_t block_size, miniblocks, total, first_zigzag;
  if (!ReadUleb128(data, size, &pos, &block_size) || !ReadUleb128(data, size, &pos, &miniblocks) ||
      !ReadUleb128(data, size, &pos, &total) || !ReadUleb128(data, size, &pos, &first_zigzag)) {
    return Status::Corruption("DELTA_BINARY_PACKED header is truncated");
  }
  if (block_size == 0 || block_size % 128 != 0 || block_size > kMaxBlockSize || miniblocks == 0 ||
      block_size % miniblocks != 0 || (block_size / miniblocks) % 32 != 0) {
    return Status::Corruption("DELTA_BINARY_PACKED block of " + std::to_string(block_size) + " values in " +
                              std::to_string(miniblocks) + " miniblocks is not a valid layout");
  }
  if (total != n) {
    return Status::Corruption("DELTA_BINARY_PACKED data holds " + std::to_string(total) + " values, " +
                              std::to_string(n) + " expected");
  }
  const uint64_t per_miniblock = block_size / miniblocks;
  if (n == 0) {
    if (consumed) *consumed = pos;
    return Status::OK();
  }
  uint64_t prev = static_cast<uint64_t>(ZigZagDecode(first_zigzag));
  out[0] = static_cast<T>(prev);
  size_t done = 1;
  uint64_t buf[128];
  while (done < n) {
    uint64_t min_zigzag;
    if (!ReadUleb128(data, size, &pos, &min_zigzag)) {
      return Status::Corruption("DELTA_BINARY_PACKED block header is truncated after " +
                                std::to_string(done) + " of " + std::to_string(n) + " values");
    }
    const uint64_t min_delta = static_cast<uint64_t>(ZigZagDecode(min_zigzag));
    if (size - pos < miniblocks) {
      return Status::Corruption("DELTA_BINARY_PACKED miniblock widths are truncated");
    }
    const uint8_t* widths = data + pos;
    pos += miniblocks;
    for (uint64_t m = 0; m < miniblocks && done < n; ++m) {
      const int width = widths[m];
      if (width > 64) {
        return Status::Corruption("DELTA_BINARY_PACKED miniblock bit width " + std::to_string(width) +
                                  " exceeds 64");
      }
      const size_t take = static_cast<size_t>(std::min<uint64_t>(per_miniblock, n - done));
      // The last miniblock is padded to full size by the format; require only the bits we use.
      const uint64_t full_bytes = per_miniblock * width / 8;
      if (BytesForBits(static_cast<uint64_t>(take) * width) > size - pos) {
        return Status::Corruption("DELTA_BINARY_PACKED miniblock is truncated");
      }
      const uint8_t* src = data + pos;
      for (size_t i = 0; i < take; i += 128) {
        const size_t chunk = std::min<size_t>(128, take - i);
        UnpackBits64(src + i / 8 * width, width, chunk, buf);
        for (size_t j = 0; j < chunk; ++j) {
          prev += min_delta + buf[j];
          out[done++] = static_cast<T>(prev);
        }
      }
      pos += static_cast<size_t>(std::min<uint64_t>(full_bytes, size - pos));
    }
  }
  if (consumed) *consumed = pos;
  return Status::OK();
}

}  // namespace

void AppendDeltaBinaryPacked(const int32_t* values, size_t n, std::string* out) { Encode(values, n, out); }
void AppendDeltaBinaryPacked(const int64_t* values, size_t n, std::string* out) { Encode(values, n, out); }

Status DecodeDeltaBinaryPacked(std::string_view in, size_t n, int32_t* out, size_t* consumed) {
  return Decode(in, n, out, consumed);
}
Status DecodeDeltaBinaryPacked(std::string_view in, size_t n, int64_t* out, size_t* consumed) {
  return Decode(in, n, out, consumed);
}

}  // namespace loglake::parquet
