#include "agent/body_compression.h"

#include <libdeflate.h>
#include <zstd.h>

namespace loglake::agent {
namespace {

Status Gzip(std::string_view input, int level, std::string* out) {
  // A compressor holds ~1 MB of tables: one per thread, made once (the shipper thread compresses
  // every batch), remade only when the level changes.
  struct Compressor {
    libdeflate_compressor* c = nullptr;
    int level = 0;
    ~Compressor() { libdeflate_free_compressor(c); }
  };
  thread_local Compressor compressor;
  if (compressor.c == nullptr || compressor.level != level) {
    libdeflate_free_compressor(compressor.c);
    compressor.c = libdeflate_alloc_compressor(level);
    compressor.level = level;
    if (compressor.c == nullptr) return Status::Internal("libdeflate: cannot make a compressor of level " + std::to_string(level));
  }
  out->resize(libdeflate_gzip_compress_bound(compressor.c, input.size()));
  const size_t n = libdeflate_gzip_compress(compressor.c, input.data(), input.size(), out->data(), out->size());
  if (n == 0) return Status::Internal("libdeflate gzip compression failed");
  out->resize(n);
  return Status::OK();
}

Status Zstd(std::string_view input, int level, std::string* out) {
  out->resize(ZSTD_compressBound(input.size()));
  const size_t n = ZSTD_compress(out->data(), out->size(), input.data(), input.size(), level);
  if (ZSTD_isError(n)) return Status::Internal(std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
  out->resize(n);
  return Status::OK();
}

}  // namespace

Result<BodyCodec> ParseBodyCodec(std::string_view name) {
  if (name == "none") return BodyCodec::kNone;
  if (name == "gzip") return BodyCodec::kGzip;
  if (name == "zstd") return BodyCodec::kZstd;
  return Status::InvalidArgument("compression '" + std::string(name) + "': gzip, zstd or none");
}

const char* ContentEncoding(BodyCodec codec) {
  switch (codec) {
    case BodyCodec::kGzip: return "gzip";
    case BodyCodec::kZstd: return "zstd";
    case BodyCodec::kNone: break;
  }
  return "";
}

Status CompressBody(BodyCodec codec, int level, std::string_view input, std::string* out) {
  switch (codec) {
    case BodyCodec::kGzip: return Gzip(input, level, out);
    case BodyCodec::kZstd: return Zstd(input, level, out);
    case BodyCodec::kNone: break;
  }
  out->assign(input);
  return Status::OK();
}

}  // namespace loglake::agent
