#include "lake/stream_decompressor.h"

#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>

namespace loglake::lake {
namespace {

// zlib counts in uInt; larger pieces are handed over in parts.
constexpr size_t kMaxZlibPiece = std::numeric_limits<uInt>::max();

class GzipDecompressor final : public StreamDecompressor {
 public:
  ~GzipDecompressor() override {
    if (initialized_) inflateEnd(&z_);
  }

  Status Init() {
    // 16 + MAX_WBITS: gzip framing (header and CRC checked), not raw deflate or zlib.
    if (inflateInit2(&z_, 16 + MAX_WBITS) != Z_OK) return Status::Internal("cannot initialise zlib");
    initialized_ = true;
    return Status::OK();
  }

  Result<size_t> Decompress(std::string_view* input, char* out, size_t capacity) override {
    size_t written = 0;
    while (written < capacity) {
      if (member_ended_) {
        // Zero bytes after a member are padding (some writers round files up to a block size);
        // gzip(1) ignores them too. Anything else starts another member.
        while (!input->empty() && (padding_ || input->front() == '\0')) {
          if (input->front() != '\0') return Damaged("data after the zero padding that follows the last member");
          padding_ = true;
          input->remove_prefix(1);
        }
        if (input->empty()) break;
        if (inflateReset(&z_) != Z_OK) return Status::Internal("cannot reset zlib");
        member_ended_ = false;
      }
      // With no new input, inflate may still owe output for what it has read: it stopped because
      // the last call's output was full.
      if (input->empty() && !output_owed_) break;
      const size_t in_piece = std::min(input->size(), kMaxZlibPiece);
      const size_t out_piece = std::min(capacity - written, kMaxZlibPiece);
      z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input->data()));
      z_.avail_in = static_cast<uInt>(in_piece);
      z_.next_out = reinterpret_cast<Bytef*>(out + written);
      z_.avail_out = static_cast<uInt>(out_piece);
      const int rc = inflate(&z_, Z_NO_FLUSH);
      input->remove_prefix(in_piece - z_.avail_in);
      written += out_piece - z_.avail_out;
      if (z_.avail_in < in_piece) in_member_ = true;
      output_owed_ = z_.avail_out == 0;
      if (rc == Z_STREAM_END) {
        member_ended_ = true;
        in_member_ = false;
        output_owed_ = false;
      } else if (rc == Z_BUF_ERROR) {
        // No progress possible: fine when the input is used up (more may come), not otherwise.
        output_owed_ = false;
        if (!input->empty()) return Damaged("inflate made no progress");
      } else if (rc != Z_OK) {
        return Damaged(z_.msg != nullptr ? z_.msg : "inflate failed");
      }
    }
    return written;
  }

  Status Finish() const override {
    if (in_member_) return Status::InvalidArgument("gzip stream is truncated (it ends before its end marker)");
    return Status::OK();
  }

 private:
  static Status Damaged(const std::string& what) {
    return Status::InvalidArgument("gzip stream is damaged: " + what);
  }

  z_stream z_{};
  bool initialized_ = false;
  bool member_ended_ = false;
  bool in_member_ = false;     // bytes of a member were given and its end was not met yet
  bool output_owed_ = false;   // the last inflate filled its output: it may have more to give
  bool padding_ = false;       // zero bytes after the last member were met
};

class ZstdDecompressor final : public StreamDecompressor {
 public:
  ~ZstdDecompressor() override { ZSTD_freeDCtx(ctx_); }

  Status Init(uint64_t max_window_bytes) {
    ctx_ = ZSTD_createDCtx();
    if (ctx_ == nullptr) return Status::Internal("cannot create a zstd context");
    const ZSTD_bounds bounds = ZSTD_dParam_getBounds(ZSTD_d_windowLogMax);
    int log = 0;
    while (log < 63 && (uint64_t{2} << log) <= max_window_bytes) ++log;
    log = std::clamp(log, std::max(10, bounds.lowerBound), bounds.upperBound);
    const size_t rc = ZSTD_DCtx_setParameter(ctx_, ZSTD_d_windowLogMax, log);
    if (ZSTD_isError(rc)) {
      return Status::Internal(std::string("cannot limit the zstd window: ") + ZSTD_getErrorName(rc));
    }
    max_window_mib_ = static_cast<double>(uint64_t{1} << log) / (1 << 20);
    return Status::OK();
  }

  Result<size_t> Decompress(std::string_view* input, char* out, size_t capacity) override {
    ZSTD_outBuffer o{out, capacity, 0};
    // ZSTD_decompressStream may hold output back (it flushes a block at a time), so it is called
    // until the buffer is full, or the input is used up and nothing more comes out. Once a frame
    // has ended it is not called without input: it would report the next frame as begun.
    while (o.pos < o.size) {
      if (input->empty() && !frame_open_) break;
      ZSTD_inBuffer in{input->data(), input->size(), 0};
      const size_t before = o.pos;
      const size_t rc = ZSTD_decompressStream(ctx_, &o, &in);
      input->remove_prefix(in.pos);
      if (ZSTD_isError(rc)) return ZstdError(rc);
      frame_open_ = rc != 0;
      if (in.pos == 0 && o.pos == before) break;  // needs more input
    }
    return o.pos;
  }

  Status Finish() const override {
    if (frame_open_) return Status::InvalidArgument("zstd stream is truncated (its last frame ends early)");
    return Status::OK();
  }

 private:
  Status ZstdError(size_t rc) const {
    if (ZSTD_getErrorCode(rc) == ZSTD_error_frameParameter_windowTooLarge) {
      char limit[32];
      std::snprintf(limit, sizeof(limit), "%g MiB", max_window_mib_);
      return Status::InvalidArgument(std::string("zstd frame needs a window larger than the ") + limit +
                                     " allowed (it was written with `zstd --long`?)");
    }
    return Status::InvalidArgument(std::string("zstd stream is damaged: ") + ZSTD_getErrorName(rc));
  }

  ZSTD_DCtx* ctx_ = nullptr;
  bool frame_open_ = false;
  double max_window_mib_ = 0;
};

}  // namespace

const char* StreamCompressionName(StreamCompression compression) {
  switch (compression) {
    case StreamCompression::kGzip: return "gzip";
    case StreamCompression::kZstd: return "zstd";
    case StreamCompression::kNone: return "none";
  }
  return "none";
}

StreamCompression SniffCompression(std::string_view head) {
  auto starts_with = [&head](std::string_view magic) {
    return head.size() >= magic.size() && head.substr(0, magic.size()) == magic;
  };
  if (starts_with("\x1f\x8b")) return StreamCompression::kGzip;
  if (starts_with("\x28\xb5\x2f\xfd")) return StreamCompression::kZstd;
  return StreamCompression::kNone;
}

Result<std::unique_ptr<StreamDecompressor>> StreamDecompressor::Create(StreamCompression compression,
                                                                       uint64_t max_zstd_window_bytes) {
  switch (compression) {
    case StreamCompression::kGzip: {
      auto d = std::make_unique<GzipDecompressor>();
      RETURN_IF_ERROR(d->Init());
      return std::unique_ptr<StreamDecompressor>(std::move(d));
    }
    case StreamCompression::kZstd: {
      auto d = std::make_unique<ZstdDecompressor>();
      RETURN_IF_ERROR(d->Init(max_zstd_window_bytes));
      return std::unique_ptr<StreamDecompressor>(std::move(d));
    }
    case StreamCompression::kNone: break;
  }
  return Status::InvalidArgument("no decompressor for an uncompressed stream");
}

}  // namespace loglake::lake
