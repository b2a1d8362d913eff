// BYTE_STREAM_SPLIT: byte k of every value goes to stream k, the streams concatenated. It leaves
// sizes unchanged but groups similar bytes (a double's sign and exponent) so a codec compresses
// them better.
//
// Decoders require the input to be exactly n * width bytes (the whole value section of a page),
// since the stream stride is derived from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace loglake::parquet {

void AppendByteStreamSplit(const double* values, size_t n, std::string* out);

// Generic form: n values of `width` bytes each into out[0 .. n * width).
Status DecodeByteStreamSplit(std::string_view in, size_t n, size_t width, uint8_t* out);
Status DecodeByteStreamSplitDouble(std::string_view in, size_t n, double* out);
// FLOAT values, widened to double.
Status DecodeByteStreamSplitFloat(std::string_view in, size_t n, double* out);
Status DecodeByteStreamSplitInt32(std::string_view in, size_t n, int32_t* out);
Status DecodeByteStreamSplitInt64(std::string_view in, size_t n, int64_t* out);

}  // namespace loglake::parquet
