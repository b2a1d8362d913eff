// Page compression codecs: Snappy, ZSTD and uncompressed for reading and writing; GZIP for reading
// (decompression) only, since some writers still produce it.
//
// Decompression checks the result against the size the page header announces: a mismatch is
// Corruption, and no buffer larger than kMaxDecompressedBytes is ever allocated from a header.
// Compressor and Decompressor keep their codec contexts between calls (creating a ZSTD context
// costs more than compressing a small page); they are not thread-safe, use one per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "parquet/metadata.h"

namespace loglake::parquet {

enum class Codec { kUncompressed, kSnappy, kZstd, kGzip };

// Largest decompressed page accepted (the format caps page sizes at 2 GiB; real pages are MBs).
inline constexpr uint64_t kMaxDecompressedBytes = uint64_t{1} << 30;

// "snappy", "zstd", "gzip", "none"/"uncompressed" (case-insensitive); InvalidArgument otherwise.
Result<Codec> ParseCodecName(std::string_view name);
// "snappy", "zstd", "gzip", "uncompressed".
const char* CodecToString(Codec codec);

CompressionCodec ToThrift(Codec codec);
// Unimplemented for the codecs loglake cannot read (LZO, BROTLI, LZ4, LZ4_RAW, unknown values).
Result<Codec> FromThrift(CompressionCodec codec);

class Compressor {
 public:
  // zstd_level applies to kZstd only (1..22; 3 is zstd's default trade-off).
  Compressor(Codec codec, int zstd_level = 3);
  ~Compressor();
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;

  Codec codec() const { return codec_; }
  // Replaces *out with the compressed form of `input`. kGzip is Unimplemented (read-only codec).
  Status Compress(std::string_view input, std::string* out);
  // The compressed form of `input`, in a buffer the compressor owns and reuses: valid until the
  // next call. For kUncompressed, `input` itself. Unlike the std::string form it never zero-fills
  // the worst-case output size, which the page writer would otherwise pay on every page.
  Result<std::string_view> Compress(std::string_view input);

 private:
  char* Reserve(size_t bytes);

  Codec codec_;
  int zstd_level_;
  void* zstd_ctx_ = nullptr;  // ZSTD_CCtx*, created on first use
  std::unique_ptr<char[]> buffer_;
  size_t buffer_size_ = 0;
};

class Decompressor {
 public:
  Decompressor() = default;
  ~Decompressor();
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;

  // Replaces *out with the decompressed form of `input`, which must be exactly
  // `expected_size` bytes (else Corruption).
  Status Decompress(Codec codec, std::string_view input, uint64_t expected_size, std::string* out);

  // Like Decompress, but may stop early: replaces *out with a prefix of the decompressed data
  // that holds at least its first min(want, expected_size) bytes (Snappy and ZSTD decode
  // sequentially, so a reader wanting the start of a page need not pay for the rest). Other
  // codecs decompress everything. Corruption when even that prefix cannot be produced.
  Status DecompressPrefix(Codec codec, std::string_view input, uint64_t expected_size, uint64_t want,
                          std::string* out);

 private:
  void* zstd_ctx_ = nullptr;  // ZSTD_DCtx*, created on first use
};

// One-shot forms (a fresh context per call).
Status Compress(Codec codec, std::string_view input, std::string* out, int zstd_level = 3);
Status Decompress(Codec codec, std::string_view input, uint64_t expected_size, std::string* out);

}  // namespace loglake::parquet
