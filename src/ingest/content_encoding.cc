#include "ingest/content_encoding.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "common/ascii.h"

namespace loglake::ingest {
namespace {

constexpr size_t kChunk = 64 * 1024;

Status TooLarge(size_t max_bytes) {
  return Status::ResourceExhausted("request body is over the limit of " + std::to_string(max_bytes) +
                                   " bytes once decompressed (max_body_bytes)");
}

Status DecodeGzip(std::string_view body, size_t max_bytes, std::string* out) {
  z_stream z{};
  // 16 + MAX_WBITS: gzip framing; several concatenated gzip members are one body (as `cat a.gz
  // b.gz` and some shippers produce).
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return Status::Internal("cannot initialise zlib");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&z, inflateEnd);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  const size_t start = out->size();
  while (true) {
    // One byte more than the limit allows tells "exactly at the limit" from "over it".
    const size_t room = std::min(kChunk, max_bytes + 1 - (out->size() - start));
    const size_t at = out->size();
    out->resize(at + room);
    z.next_out = reinterpret_cast<Bytef*>(out->data() + at);
    z.avail_out = static_cast<uInt>(room);
    const int rc = inflate(&z, Z_NO_FLUSH);
    out->resize(at + (room - z.avail_out));
    if (out->size() - start > max_bytes) return TooLarge(max_bytes);
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      if (inflateReset(&z) != Z_OK) return Status::Internal("cannot reset zlib");
      continue;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0) {
      return Status::InvalidArgument("gzip body is truncated (the stream ends before its end marker)");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return Status::InvalidArgument(std::string("gzip body is damaged: ") + (z.msg ? z.msg : "inflate failed"));
    }
  }
  return Status::OK();
}

Status DecodeZstd(std::string_view body, size_t max_bytes, std::string* out) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (!ctx) return Status::Internal("cannot create a zstd context");
  ZSTD_inBuffer in{body.data(), body.size(), 0};
  const size_t start = out->size();
  size_t last = 1;
  while (in.pos < in.size || last != 0) {
    if (out->size() - start > max_bytes) return TooLarge(max_bytes);
    const size_t at = out->size();
    out->resize(at + kChunk);
    ZSTD_outBuffer o{out->data() + at, kChunk, 0};
    last = ZSTD_decompressStream(ctx.get(), &o, &in);
    out->resize(at + o.pos);
    if (ZSTD_isError(last)) return Status::InvalidArgument(std::string("zstd body is damaged: ") + ZSTD_getErrorName(last));
    if (in.pos == in.size && last != 0 && o.pos == 0) {
      return Status::InvalidArgument("zstd body is truncated (the frame ends early)");
    }
  }
  if (out->size() - start > max_bytes) return TooLarge(max_bytes);
  return Status::OK();
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
  if (e == "gzip" || e == "x-gzip") return DecodeGzip(body, max_bytes, out);
  if (e == "zstd") return DecodeZstd(body, max_bytes, out);
  return Status::InvalidArgument("Content-Encoding '" + std::string(encoding) +
                                 "' is not supported; send gzip, zstd or an uncompressed body");
}

}  // namespace loglake::ingest
