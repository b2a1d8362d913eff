#include "parquet/compression.h"

#include <snappy-sinksource.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "common/ascii.h"

namespace loglake::parquet {
namespace {

Status CheckExpectedSize(const char* codec, uint64_t expected_size) {
  if (expected_size > kMaxDecompressedBytes) {
    return Status::Corruption(std::string(codec) + " page claims " + std::to_string(expected_size) +
                              " uncompressed bytes, more than the " + std::to_string(kMaxDecompressedBytes) +
                              " accepted");
  }
  return Status::OK();
}

Status SizeMismatch(const char* codec, uint64_t actual, uint64_t expected) {
  return Status::Corruption(std::string(codec) + " page decompresses to " + std::to_string(actual) +
                            " bytes, but its header says " + std::to_string(expected));
}

// Whether the length a Snappy stream announces is the page header's.
Status CheckSnappyLength(std::string_view input, uint64_t expected_size) {
  size_t actual = 0;
  if (!snappy::GetUncompressedLength(input.data(), input.size(), &actual)) {
    return Status::Corruption("SNAPPY page has a malformed length header");
  }
  if (actual != expected_size) return SizeMismatch("SNAPPY", actual, expected_size);
  return Status::OK();
}

// Whether `input` starts with a ZSTD frame whose content size, when it states one, is the page
// header's.
Status CheckZstdFrame(std::string_view input, uint64_t expected_size) {
  const unsigned long long content = ZSTD_getFrameContentSize(input.data(), input.size());
  if (content == ZSTD_CONTENTSIZE_ERROR) return Status::Corruption("ZSTD page does not start with a ZSTD frame");
  if (content != ZSTD_CONTENTSIZE_UNKNOWN && content != expected_size) {
    return SizeMismatch("ZSTD", content, expected_size);
  }
  return Status::OK();
}

Status DecompressSnappy(std::string_view input, uint64_t expected_size, std::string* out) {
  RETURN_IF_ERROR(CheckSnappyLength(input, expected_size));
  out->resize(static_cast<size_t>(expected_size));
  if (!snappy::RawUncompress(input.data(), input.size(), out->data())) {
    return Status::Corruption("SNAPPY page data is corrupt");
  }
  return Status::OK();
}

// Collects what snappy::UncompressAsMuchAsPossible emits into a buffer of the page's size.
class PrefixSink final : public snappy::Sink {
 public:
  PrefixSink(char* dest, size_t capacity) : dest_(dest), capacity_(capacity) {}
  void Append(const char* bytes, size_t n) override {
    n = std::min(n, capacity_ - size_);  // the decoder never exceeds the length header; be sure
    if (bytes != dest_ + size_) std::memcpy(dest_ + size_, bytes, n);
    size_ += n;
  }
  char* GetAppendBuffer(size_t length, char* scratch) override {
    return length <= capacity_ - size_ ? dest_ + size_ : scratch;
  }
  size_t size() const { return size_; }

 private:
  char* dest_;
  size_t capacity_;
  size_t size_ = 0;
};

// Snappy cannot stop at an output size, but it decodes a truncated input as far as it goes: feed
// it a share of the input in proportion to the output wanted, and more until that is covered.
Status DecompressSnappyPrefix(std::string_view input, uint64_t expected_size, uint64_t want, std::string* out) {
  RETURN_IF_ERROR(CheckSnappyLength(input, expected_size));
  out->resize(static_cast<size_t>(expected_size));
  const double ratio = static_cast<double>(input.size()) / static_cast<double>(std::max<uint64_t>(expected_size, 1));
  size_t feed = static_cast<size_t>(static_cast<double>(want) * ratio * 1.25) + 1024;
  while (true) {
    feed = std::min(feed, input.size());
    snappy::ByteArraySource source(input.data(), feed);
    PrefixSink sink(out->data(), out->size());
    const size_t produced = snappy::UncompressAsMuchAsPossible(&source, &sink);
    if (produced >= want) {
      out->resize(produced);
      return Status::OK();
    }
    if (feed == input.size()) return Status::Corruption("SNAPPY page data is corrupt");
    feed *= 2;
  }
}

Status DecompressZstdPrefix(ZSTD_DCtx* ctx, std::string_view input, uint64_t expected_size, uint64_t want,
                            std::string* out) {
  RETURN_IF_ERROR(CheckZstdFrame(input, expected_size));
  out->resize(static_cast<size_t>(want));
  ZSTD_DCtx_reset(ctx, ZSTD_reset_session_only);
  ZSTD_outBuffer o{out->data(), out->size(), 0};
  ZSTD_inBuffer i{input.data(), input.size(), 0};
  while (o.pos < o.size) {
    const size_t before_in = i.pos;
    const size_t before_out = o.pos;
    const size_t rc = ZSTD_decompressStream(ctx, &o, &i);
    if (ZSTD_isError(rc)) return Status::Corruption(std::string("ZSTD page is corrupt: ") + ZSTD_getErrorName(rc));
    if (rc == 0 || (i.pos == before_in && o.pos == before_out)) break;  // frame done, or stuck
  }
  if (o.pos < o.size) return Status::Corruption("ZSTD page ends before the " + std::to_string(want) + " bytes wanted");
  return Status::OK();
}

Status DecompressZstd(ZSTD_DCtx* ctx, std::string_view input, uint64_t expected_size, std::string* out) {
  RETURN_IF_ERROR(CheckZstdFrame(input, expected_size));
  out->resize(expected_size);
  const size_t n = ZSTD_decompressDCtx(ctx, out->data(), out->size(), input.data(), input.size());
  if (ZSTD_isError(n)) {
    return Status::Corruption(std::string("ZSTD page is corrupt: ") + ZSTD_getErrorName(n));
  }
  if (n != expected_size) return SizeMismatch("ZSTD", n, expected_size);
  return Status::OK();
}

Status DecompressGzip(std::string_view input, uint64_t expected_size, std::string* out) {
  out->resize(expected_size);
  z_stream zs{};
  // 15 + 32: the largest window, and accept both gzip and zlib headers.
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return Status::Internal("zlib inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  zs.avail_in = static_cast<uInt>(input.size());
  zs.next_out = reinterpret_cast<Bytef*>(out->data());
  zs.avail_out = static_cast<uInt>(out->size());
  Status status;
  for (;;) {
    const int rc = inflate(&zs, Z_FINISH);
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members continue the same output.
      if (zs.avail_in > 0 && zs.avail_out > 0 && inflateReset(&zs) == Z_OK) continue;
      break;
    }
    if (rc == Z_BUF_ERROR && zs.avail_out == 0) {
      status = Status::Corruption("GZIP page decompresses to more than the " + std::to_string(expected_size) +
                                  " bytes its header says");
    } else {
      status =
          Status::Corruption(std::string("GZIP page is corrupt: ") + (zs.msg ? zs.msg : "truncated data"));
    }
    break;
  }
  const uint64_t missing = zs.avail_out;
  inflateEnd(&zs);
  RETURN_IF_ERROR(status);
  if (missing != 0) return SizeMismatch("GZIP", expected_size - missing, expected_size);
  return Status::OK();
}

}  // namespace

Result<Codec> ParseCodecName(std::string_view name) {
  const std::string n = AsciiLowered(name);
  if (n == "snappy") return Codec::kSnappy;
  if (n == "zstd") return Codec::kZstd;
  if (n == "gzip") return Codec::kGzip;
  if (n == "none" || n == "uncompressed") return Codec::kUncompressed;
  return Status::InvalidArgument("unknown codec '" + std::string(name) +
                                 "': expected snappy, zstd or none (uncompressed)");
}

const char* CodecToString(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed: return "uncompressed";
    case Codec::kSnappy: return "snappy";
    case Codec::kZstd: return "zstd";
    case Codec::kGzip: return "gzip";
  }
  return "unknown";
}

CompressionCodec ToThrift(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed: return CompressionCodec::UNCOMPRESSED;
    case Codec::kSnappy: return CompressionCodec::SNAPPY;
    case Codec::kZstd: return CompressionCodec::ZSTD;
    case Codec::kGzip: return CompressionCodec::GZIP;
  }
  return CompressionCodec::UNCOMPRESSED;
}

Result<Codec> FromThrift(CompressionCodec codec) {
  switch (codec) {
    case CompressionCodec::UNCOMPRESSED: return Codec::kUncompressed;
    case CompressionCodec::SNAPPY: return Codec::kSnappy;
    case CompressionCodec::ZSTD: return Codec::kZstd;
    case CompressionCodec::GZIP: return Codec::kGzip;
    default: break;
  }
  return Status::Unimplemented("compression codec " + CodecName(codec) +
                               " is not supported (loglake reads SNAPPY, ZSTD, GZIP and UNCOMPRESSED)");
}

Compressor::Compressor(Codec codec, int zstd_level) : codec_(codec), zstd_level_(zstd_level) {}

Compressor::~Compressor() { ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(zstd_ctx_)); }

char* Compressor::Reserve(size_t bytes) {
  if (bytes > buffer_size_) {
    buffer_ = std::make_unique_for_overwrite<char[]>(bytes);
    buffer_size_ = bytes;
  }
  return buffer_.get();
}

Result<std::string_view> Compressor::Compress(std::string_view input) {
  switch (codec_) {
    case Codec::kUncompressed: return input;
    case Codec::kSnappy: {
      char* out = Reserve(snappy::MaxCompressedLength(input.size()));
      size_t n = 0;
      snappy::RawCompress(input.data(), input.size(), out, &n);
      return std::string_view(out, n);
    }
    case Codec::kZstd: {
      if (zstd_ctx_ == nullptr) zstd_ctx_ = ZSTD_createCCtx();
      if (zstd_ctx_ == nullptr) {
        return Status::ResourceExhausted("cannot allocate a ZSTD compression context");
      }
      const size_t bound = ZSTD_compressBound(input.size());
      char* out = Reserve(bound);
      const size_t n = ZSTD_compressCCtx(static_cast<ZSTD_CCtx*>(zstd_ctx_), out, bound, input.data(),
                                         input.size(), zstd_level_);
      if (ZSTD_isError(n)) {
        return Status::Internal(std::string("ZSTD compression failed: ") + ZSTD_getErrorName(n));
      }
      return std::string_view(out, n);
    }
    case Codec::kGzip: break;
  }
  return Status::Unimplemented("loglake does not write GZIP pages; use snappy, zstd or none");
}

Status Compressor::Compress(std::string_view input, std::string* out) {
  ASSIGN_OR_RETURN(std::string_view compressed, Compress(input));
  out->assign(compressed);
  return Status::OK();
}

Decompressor::~Decompressor() { ZSTD_freeDCtx(static_cast<ZSTD_DCtx*>(zstd_ctx_)); }

Status Decompressor::Decompress(Codec codec, std::string_view input, uint64_t expected_size,
                                std::string* out) {
  switch (codec) {
    case Codec::kUncompressed:
      if (input.size() != expected_size) return SizeMismatch("UNCOMPRESSED", input.size(), expected_size);
      out->assign(input);
      return Status::OK();
    case Codec::kSnappy:
      RETURN_IF_ERROR(CheckExpectedSize("SNAPPY", expected_size));
      return DecompressSnappy(input, expected_size, out);
    case Codec::kZstd:
      RETURN_IF_ERROR(CheckExpectedSize("ZSTD", expected_size));
      if (zstd_ctx_ == nullptr) zstd_ctx_ = ZSTD_createDCtx();
      if (zstd_ctx_ == nullptr) {
        return Status::ResourceExhausted("cannot allocate a ZSTD decompression context");
      }
      return DecompressZstd(static_cast<ZSTD_DCtx*>(zstd_ctx_), input, expected_size, out);
    case Codec::kGzip:
      RETURN_IF_ERROR(CheckExpectedSize("GZIP", expected_size));
      return DecompressGzip(input, expected_size, out);
  }
  return Status::Internal("unknown codec");
}

Status Decompressor::DecompressPrefix(Codec codec, std::string_view input, uint64_t expected_size, uint64_t want,
                                      std::string* out) {
  want = std::min(want, expected_size);
  switch (codec) {
    case Codec::kSnappy:
      RETURN_IF_ERROR(CheckExpectedSize("SNAPPY", expected_size));
      return DecompressSnappyPrefix(input, expected_size, want, out);
    case Codec::kZstd:
      RETURN_IF_ERROR(CheckExpectedSize("ZSTD", expected_size));
      if (zstd_ctx_ == nullptr) zstd_ctx_ = ZSTD_createDCtx();
      if (zstd_ctx_ == nullptr) return Status::ResourceExhausted("cannot allocate a ZSTD decompression context");
      return DecompressZstdPrefix(static_cast<ZSTD_DCtx*>(zstd_ctx_), input, expected_size, want, out);
    case Codec::kUncompressed:
    case Codec::kGzip:
      break;
  }
  return Decompress(codec, input, expected_size, out);
}

Status Compress(Codec codec, std::string_view input, std::string* out, int zstd_level) {
  Compressor compressor(codec, zstd_level);
  return compressor.Compress(input, out);
}

Status Decompress(Codec codec, std::string_view input, uint64_t expected_size, std::string* out) {
  Decompressor decompressor;
  return decompressor.Decompress(codec, input, expected_size, out);
}

}  // namespace loglake::parquet
