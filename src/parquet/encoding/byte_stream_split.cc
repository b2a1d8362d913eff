#include "parquet/encoding/byte_stream_split.h"

#include <cstring>
#include <vector>

namespace loglake::parquet {

void AppendByteStreamSplit(const double* values, size_t n, std::string* out) {
  const size_t start = out->size();
  out->resize(start + n * 8);
  char* dst = out->data() + start;
  const char* src = reinterpret_cast<const char*>(values);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < 8; ++k) dst[k * n + i] = src[i * 8 + k];
  }
}

Status DecodeByteStreamSplit(std::string_view in, size_t n, size_t width, uint8_t* out) {
  if (width == 0 || n > in.size() / width || in.size() != n * width) {
    return Status::Corruption("BYTE_STREAM_SPLIT data of " + std::to_string(in.size()) +
                              " bytes cannot hold " + std::to_string(n) + " values of " +
                              std::to_string(width) + " bytes");
  }
  const uint8_t* src = reinterpret_cast<const uint8_t*>(in.data());
  for (size_t k = 0; k < width; ++k) {
    const uint8_t* stream = src + k * n;
    for (size_t i = 0; i < n; ++i) out[i * width + k] = stream[i];
  }
  return Status::OK();
}

Status DecodeByteStreamSplitDouble(std::string_view in, size_t n, double* out) {
  return DecodeByteStreamSplit(in, n, 8, reinterpret_cast<uint8_t*>(out));
}

Status DecodeByteStreamSplitInt32(std::string_view in, size_t n, int32_t* out) {
  return DecodeByteStreamSplit(in, n, 4, reinterpret_cast<uint8_t*>(out));
}

Status DecodeByteStreamSplitInt64(std::string_view in, size_t n, int64_t* out) {
  return DecodeByteStreamSplit(in, n, 8, reinterpret_cast<uint8_t*>(out));
}

Status DecodeByteStreamSplitFloat(std::string_view in, size_t n, double* out) {
  if (n > in.size() / 4) return DecodeByteStreamSplit(in, n, 4, nullptr);  // reports the size mismatch
  std::vector<float> floats(n);
  RETURN_IF_ERROR(DecodeByteStreamSplit(in, n, 4, reinterpret_cast<uint8_t*>(floats.data())));
  for (size_t i = 0; i < n; ++i) out[i] = floats[i];
  return Status::OK();
}

}  // namespace loglake::parquet
