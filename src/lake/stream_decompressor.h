// StreamDecompressor: gzip and zstd streams decompressed piece by piece, in bounded memory.
//
// What `loglake convert` reads json.gz archives (as Firehose and most log shippers write them) and
// .zst files with, and what the ingest server decodes compressed request bodies with. Several
// concatenated gzip members (`cat a.gz b.gz`) or zstd frames are one stream, as gzip(1) and
// zstd(1) treat them; zero bytes after the last gzip member are padding, ignored as gzip(1) does.
// A stream is told from plain JSON by its magic number, not a file name.
//
// Errors are InvalidArgument naming the format: damaged data as soon as it is met, a stream that
// stops inside a member or frame from Finish().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "common/status.h"

namespace loglake::lake {

enum class StreamCompression { kNone, kGzip, kZstd };

// "gzip", "zstd" or "none".
const char* StreamCompressionName(StreamCompression compression);

// By the stream's first bytes: gzip starts 1f 8b, zstd 28 b5 2f fd. JSON text never starts with
// 0x1f or '(', so a caller that has fewer than kSniffBytes can decide on what it has when the
// first byte is anything else.
StreamCompression SniffCompression(std::string_view head);
constexpr size_t kSniffBytes = 4;

// The most memory a zstd frame may ask for its window (the history it refers back to), by
// default: libzstd's own default limit. Frames written with `zstd --long` (up to 2 GiB) need more.
constexpr uint64_t kDefaultMaxZstdWindowBytes = uint64_t{128} << 20;

class StreamDecompressor {
 public:
  virtual ~StreamDecompressor() = default;

  // For kGzip or kZstd. A zstd frame whose window is over `max_zstd_window_bytes` (rounded down
  // to a power of two, at least 1 KiB) is an error naming the limit, not memory taken.
  static Result<std::unique_ptr<StreamDecompressor>> Create(
      StreamCompression compression, uint64_t max_zstd_window_bytes = kDefaultMaxZstdWindowBytes);

  // Decompresses from the front of *input, removing what it consumed, into out[0, capacity);
  // returns the bytes written. Returns 0 only once *input is used up (or capacity is 0): the
  // caller then gives more input, or calls Finish() at the end of it.
  virtual Result<size_t> Decompress(std::string_view* input, char* out, size_t capacity) = 0;

  // At the end of the input: whether the last member or frame was complete.
  virtual Status Finish() const = 0;
};

}  // namespace loglake::lake
