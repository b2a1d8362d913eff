#include "parquet/encoding/delta_byte_array.h"

#include <algorithm>
#include <vector>

#include "parquet/encoding/delta_binary_packed.h"

namespace loglake::parquet {

void AppendDeltaLengthByteArray(const std::string_view* values, size_t n, std::string* out) {
  std::vector<int32_t> lengths(n);
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    lengths[i] = static_cast<int32_t>(values[i].size());
    total += values[i].size();
  }
  AppendDeltaBinaryPacked(lengths.data(), n, out);
  out->reserve(out->size() + total);
  for (size_t i = 0; i < n; ++i) out->append(values[i]);
}

void AppendDeltaByteArray(const std::string_view* values, size_t n, std::string* out) {
  std::vector<int32_t> prefixes(n);
  std::vector<std::string_view> suffixes(n);
  std::string_view prev;
  for (size_t i = 0; i < n; ++i) {
    const std::string_view v = values[i];
    const size_t p = SharedPrefixLength(prev, v);
    prefixes[i] = static_cast<int32_t>(p);
    suffixes[i] = v.substr(p);
    prev = v;
  }
  AppendDeltaBinaryPacked(prefixes.data(), n, out);
  AppendDeltaLengthByteArray(suffixes.data(), n, out);
}

Status DecodeDeltaLengthByteArray(std::string_view in, size_t n, std::string_view* out, size_t* consumed) {
  std::vector<int32_t> lengths(n);
  size_t pos = 0;
  RETURN_IF_ERROR(
      DecodeDeltaBinaryPacked(in, n, lengths.data(), &pos).WithContext("DELTA_LENGTH_BYTE_ARRAY lengths"));
  for (size_t i = 0; i < n; ++i) {
    if (lengths[i] < 0 || static_cast<size_t>(lengths[i]) > in.size() - pos) {
      return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY value " + std::to_string(i) + " has length " +
                                std::to_string(lengths[i]) + " but only " + std::to_string(in.size() - pos) +
                                " bytes remain");
    }
    out[i] = in.substr(pos, static_cast<size_t>(lengths[i]));
    pos += static_cast<size_t>(lengths[i]);
  }
  if (consumed) *consumed = pos;
  return Status::OK();
}

Status DecodeDeltaByteArray(std::string_view in, size_t n, std::string* arena, std::string_view* out,
                            uint64_t max_output_bytes) {
  std::vector<int32_t> prefixes(n);
  size_t pos = 0;
  RETURN_IF_ERROR(
      DecodeDeltaBinaryPacked(in, n, prefixes.data(), &pos).WithContext("DELTA_BYTE_ARRAY prefixes"));
  // The suffix views go into `out` for now; they are replaced by the full values below.
  RETURN_IF_ERROR(
      DecodeDeltaLengthByteArray(in.substr(pos), n, out).WithContext("DELTA_BYTE_ARRAY suffixes"));
  uint64_t total = 0;
  uint64_t prev_len = 0;
  for (size_t i = 0; i < n; ++i) {
    if (prefixes[i] < 0 || static_cast<uint64_t>(prefixes[i]) > prev_len) {
      return Status::Corruption("DELTA_BYTE_ARRAY value " + std::to_string(i) + " has prefix length " +
                                std::to_string(prefixes[i]) + " but the previous value has " +
                                std::to_string(prev_len) + " bytes");
    }
    prev_len = static_cast<uint64_t>(prefixes[i]) + out[i].size();
    total += prev_len;
    if (total > max_output_bytes) {
      return Status::ResourceExhausted("DELTA_BYTE_ARRAY values need more than " +
                                       std::to_string(max_output_bytes) + " bytes");
    }
  }
  const size_t base = arena->size();
  arena->reserve(base + total);
  size_t prev_start = base;
  for (size_t i = 0; i < n; ++i) {
    const size_t start = arena->size();
    // Within reserved capacity, so appending from the arena itself does not reallocate.
    arena->append(arena->data() + prev_start, static_cast<size_t>(prefixes[i]));
    arena->append(out[i]);
    prev_start = start;
  }
  size_t offset = base;
  for (size_t i = 0; i < n; ++i) {
    const size_t len = static_cast<size_t>(prefixes[i]) + out[i].size();
    out[i] = std::string_view(arena->data() + offset, len);
    offset += len;
  }
  return Status::OK();
}

}  // namespace loglake::parquet
