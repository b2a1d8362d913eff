#include "parquet/encoding/plain.h"

#include <cstring>

#include "parquet/encoding/bit_util.h"

namespace loglake::parquet {
namespace {

void AppendRaw(const void* data, size_t bytes, std::string* out) {
  if (bytes > 0) out->append(static_cast<const char*>(data), bytes);
}

template <typename T>
Status DecodeFixed(std::string_view in, size_t n, T* out, size_t* consumed, const char* type_name) {
  if (n > in.size() / sizeof(T)) {
    return Status::Corruption(std::string("PLAIN ") + type_name + " data holds " +
                              std::to_string(in.size() / sizeof(T)) + " values, " + std::to_string(n) +
                              " expected");
  }
  if (n > 0) std::memcpy(out, in.data(), n * sizeof(T));
  if (consumed) *consumed = n * sizeof(T);
  return Status::OK();
}

}  // namespace

void AppendPlainInt32(const int32_t* values, size_t n, std::string* out) { AppendRaw(values, n * 4, out); }
void AppendPlainInt64(const int64_t* values, size_t n, std::string* out) { AppendRaw(values, n * 8, out); }
void AppendPlainDouble(const double* values, size_t n, std::string* out) { AppendRaw(values, n * 8, out); }

void AppendPlainBoolean(const uint8_t* values, size_t n, std::string* out) {
  const size_t start = out->size();
  out->resize(start + BytesForBits(n));
  uint8_t* dst = reinterpret_cast<uint8_t*>(out->data()) + start;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint8_t byte = 0;
    for (int b = 0; b < 8; ++b) byte |= static_cast<uint8_t>((values[i + b] != 0) << b);
    *dst++ = byte;
  }
  if (i < n) {
    uint8_t byte = 0;
    for (int b = 0; i + b < n; ++b) byte |= static_cast<uint8_t>((values[i + b] != 0) << b);
    *dst = byte;
  }
}

void AppendPlainByteArray(std::string_view value, std::string* out) {
  AppendLE<uint32_t>(out, static_cast<uint32_t>(value.size()));
  out->append(value);
}

Status DecodePlainInt32(std::string_view in, size_t n, int32_t* out, size_t* consumed) {
  return DecodeFixed(in, n, out, consumed, "INT32");
}
Status DecodePlainInt64(std::string_view in, size_t n, int64_t* out, size_t* consumed) {
  return DecodeFixed(in, n, out, consumed, "INT64");
}
Status DecodePlainDouble(std::string_view in, size_t n, double* out, size_t* consumed) {
  return DecodeFixed(in, n, out, consumed, "DOUBLE");
}

Status DecodePlainFloat(std::string_view in, size_t n, double* out, size_t* consumed) {
  if (n > in.size() / 4) {
    return Status::Corruption("PLAIN FLOAT data holds " + std::to_string(in.size() / 4) + " values, " +
                              std::to_string(n) + " expected");
  }
  for (size_t i = 0; i < n; ++i) out[i] = LoadLE<float>(in.data() + 4 * i);
  if (consumed) *consumed = n * 4;
  return Status::OK();
}

Status DecodePlainBoolean(std::string_view in, size_t n, uint8_t* out, size_t* consumed) {
  if (BytesForBits(n) > in.size()) {
    return Status::Corruption("PLAIN BOOLEAN data holds " + std::to_string(in.size() * 8) + " values, " +
                              std::to_string(n) + " expected");
  }
  const uint8_t* src = Bytes(in);
  for (size_t i = 0; i < n; ++i) out[i] = (src[i / 8] >> (i % 8)) & 1;
  if (consumed) *consumed = BytesForBits(n);
  return Status::OK();
}

Status DecodePlainByteArray(std::string_view in, size_t n, std::string_view* out, size_t* consumed) {
  size_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    if (in.size() - pos < 4) {
      return Status::Corruption("PLAIN BYTE_ARRAY data ends at value " + std::to_string(i) + " of " +
                                std::to_string(n));
    }
    const uint32_t len = LoadLE<uint32_t>(in.data() + pos);
    pos += 4;
    if (len > in.size() - pos) {
      return Status::Corruption("PLAIN BYTE_ARRAY value " + std::to_string(i) + " has length " +
                                std::to_string(len) + " but only " + std::to_string(in.size() - pos) +
                                " bytes remain");
    }
    out[i] = in.substr(pos, len);
    pos += len;
  }
  if (consumed) *consumed = pos;
  return Status::OK();
}

}  // namespace loglake::parquet
