// The PLAIN encoding: fixed-width values little-endian back to back, booleans bit-packed
// LSB-first, byte arrays as a 4-byte little-endian length followed by the bytes.
//
// Encoders append to a std::string. Decoders read exactly n values from an untrusted buffer and
// fail with Corruption when it is too short; *consumed (when not null) receives the bytes used.
// Decoded byte arrays are views into the input buffer, valid as long as it is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace loglake::parquet {

void AppendPlainInt32(const int32_t* values, size_t n, std::string* out);
void AppendPlainInt64(const int64_t* values, size_t n, std::string* out);
void AppendPlainDouble(const double* values, size_t n, std::string* out);
// values[i] is 0 or 1 (any non-zero counts as true).
void AppendPlainBoolean(const uint8_t* values, size_t n, std::string* out);
void AppendPlainByteArray(std::string_view value, std::string* out);

Status DecodePlainInt32(std::string_view in, size_t n, int32_t* out, size_t* consumed = nullptr);
Status DecodePlainInt64(std::string_view in, size_t n, int64_t* out, size_t* consumed = nullptr);
Status DecodePlainDouble(std::string_view in, size_t n, double* out, size_t* consumed = nullptr);
// FLOAT values, widened to double.
Status DecodePlainFloat(std::string_view in, size_t n, double* out, size_t* consumed = nullptr);
// Writes 0 or 1 per value.
Status DecodePlainBoolean(std::string_view in, size_t n, uint8_t* out, size_t* consumed = nullptr);
Status DecodePlainByteArray(std::string_view in, size_t n, std::string_view* out, size_t* consumed = nullptr);

}  // namespace loglake::parquet
