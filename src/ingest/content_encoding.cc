#include "ingest/content_encoding.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include "common/ascii.h"
#include "lake/stream_decompressor.h"

namespace loglake::ingest {
namespace {

constexpr size_t kChunk = 64 * 1024;

Status TooLarge(size_t max_bytes) {
  return Status::ResourceExhausted("request body is over the limit of " + std::to_string(max_bytes) +
                                   " bytes once decompressed (max_body_bytes)");
}

// Decodes a whole body through the stream decompressor, stopping once it passes max_bytes.
Status Decode(lake::StreamCompression compression, std::string_view body, size_t max_bytes, std::string* out) {
  ASSIGN_OR_RETURN(std::unique_ptr<lake::StreamDecompressor> decompressor, lake::StreamDecompressor::Create(compression));
  const size_t start = out->size();
  while (true) {
    // One byte more than the limit allows tells "exactly at the limit" from "over it".
    const size_t room = std::min(kChunk, max_bytes + 1 - (out->size() - start));
    const size_t at = out->size();
    out->resize(at + room);
    Result<size_t> n = decompressor->Decompress(&body, out->data() + at, room);
    out->resize(at + (n.ok() ? *n : 0));
    RETURN_IF_ERROR(n.status());
    if (out->size() - start > max_bytes) return TooLarge(max_bytes);
    if (*n == 0) break;  // the body is used up
  }
  return decompressor->Finish();
}

}  // namespace

Status DecodeContent(std::string_view encoding, std::string_view body, size_t max_bytes, std::string* out) {
  std::string e = AsciiLowered(encoding);
  while (!e.empty() && e.back() == ' ') e.pop_back();
  while (!e.empty() && e.front() == ' ') e.erase(e.begin());
  if (e.empty() || e == "identity") {
    if (body.size() > max_bytes) return TooLarge(max_bytes);
    out->append(body);
    return Status::OK();
  }
  if (e == "gzip" || e == "x-gzip") return Decode(lake::StreamCompression::kGzip, body, max_bytes, out);
  if (e == "zstd") return Decode(lake::StreamCompression::kZstd, body, max_bytes, out);
  return Status::InvalidArgument("Content-Encoding '" + std::string(encoding) +
                                 "' is not supported; send gzip, zstd or an uncompressed body");
}

}  // namespace loglake::ingest
