// DELTA_BINARY_PACKED for INT32 and INT64.
//
// Layout: a header <block size> <miniblocks per block> <total values> <first value (zigzag)>, all
// ULEB128, then blocks of <min delta (zigzag ULEB128)> <one bit-width byte per miniblock>
// <miniblocks, each bit-packed (delta - min delta) values>. Deltas wrap (two's complement), so any
// sequence, including INT64_MIN next to INT64_MAX, round-trips.
//
// The encoder writes blocks of 128 values in 4 miniblocks of 32 (what the format recommends and
// most writers use). The decoder accepts any block shape the format allows, within sane bounds,
// and miniblock widths up to 64 for both types (INT32 results wrap to 32 bits).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace loglake::parquet {

void AppendDeltaBinaryPacked(const int32_t* values, size_t n, std::string* out);
void AppendDeltaBinaryPacked(const int64_t* values, size_t n, std::string* out);

// Decodes a stream whose header says it holds exactly n values (else Corruption) into out[0..n).
// *consumed (when not null) receives the length of the encoded stream, so that data following it
// (as in DELTA_LENGTH_BYTE_ARRAY) can be located.
Status DecodeDeltaBinaryPacked(std::string_view in, size_t n, int32_t* out, size_t* consumed = nullptr);
Status DecodeDeltaBinaryPacked(std::string_view in, size_t n, int64_t* out, size_t* consumed = nullptr);

}  // namespace loglake::parquet
