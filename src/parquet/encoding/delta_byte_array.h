// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY, the byte-array encodings of Parquet v2 writers.
//
// DELTA_LENGTH_BYTE_ARRAY: the lengths as DELTA_BINARY_PACKED, then all the bytes concatenated.
// DELTA_BYTE_ARRAY (incremental / front coding): the length of the prefix each value shares with
// the previous value as DELTA_BINARY_PACKED, then the suffixes as DELTA_LENGTH_BYTE_ARRAY.
//
// Decoders take untrusted input: lengths are checked against the data, a prefix may not be longer
// than the previous value, and DELTA_BYTE_ARRAY's reconstructed output (which can be much larger
// than its input) is capped by `max_output_bytes`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace loglake::parquet {

// How many leading bytes a and b share (DELTA_BYTE_ARRAY's prefix length of b after a).
inline size_t SharedPrefixLength(std::string_view a, std::string_view b) {
  const size_t limit = a.size() < b.size() ? a.size() : b.size();
  size_t p = 0;
  while (p < limit && a[p] == b[p]) ++p;
  return p;
}

void AppendDeltaLengthByteArray(const std::string_view* values, size_t n, std::string* out);
void AppendDeltaByteArray(const std::string_view* values, size_t n, std::string* out);

// Decodes n values; out[i] are views into `in`. *consumed (when not null) gets the bytes used.
Status DecodeDeltaLengthByteArray(std::string_view in, size_t n, std::string_view* out,
                                  size_t* consumed = nullptr);

// Decodes n values, appending their bytes to *arena (reserved up front, so it grows once); out[i]
// are views into *arena, valid until it is next modified. Fails with ResourceExhausted when the
// values would need more than max_output_bytes.
Status DecodeDeltaByteArray(std::string_view in, size_t n, std::string* arena, std::string_view* out,
                            uint64_t max_output_bytes = uint64_t{256} << 20);

}  // namespace loglake::parquet
