// Parquet bit packing: values of `width` bits stored back to back, least significant bit first
// (the order the RLE/bit-packed hybrid and DELTA_BINARY_PACKED encodings use).
//
// Unpacking works on groups of eight values (eight values of width w fill exactly w bytes) with the
// width as a compile-time constant, so the inner loop is shifts and masks on 64-bit loads.
// Callers check bounds: the unpack functions read exactly BytesForBits(n * width) bytes from `in`
// and never more.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace loglake::parquet {

// Unpacks n values of `width` bits (0..32) from `in` into out[0..n).
void UnpackBits32(const uint8_t* in, int width, size_t n, uint32_t* out);
// Unpacks n values of `width` bits (0..64) from `in` into out[0..n).
void UnpackBits64(const uint8_t* in, int width, size_t n, uint64_t* out);

// Appends BytesForBits(n * width) bytes holding the low `width` bits of in[0..n).
// width: 0..32 for PackBits32, 0..64 for PackBits64.
void PackBits32(const uint32_t* in, size_t n, int width, std::string* out);
void PackBits64(const uint64_t* in, size_t n, int width, std::string* out);

}  // namespace loglake::parquet
