// Walks the pages of one column chunk held in memory: parses each page header, checks its sizes
// against the chunk, and decompresses the page body.
//
// The chunk bytes are untrusted. Every page must lie inside the chunk; sizes are checked before
// anything is allocated (a page may not claim more than kMaxPageBytes uncompressed, nor more than
// its codec could possibly expand it to); every step consumes at least one header byte, so the
// walk ends. Errors are Corruption (Unimplemented for a codec or page layout loglake cannot read)
// and carry no location: the caller adds file, row group, column and page.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "parquet/compression.h"
#include "parquet/metadata.h"

namespace loglake::parquet {

// Largest uncompressed page accepted. Writers cut pages at about 1 MB; the format allows 2 GiB.
inline constexpr int32_t kMaxPageBytes = 256 << 20;

struct Page {
  PageHeader header;
  int64_t offset = 0;  // of the page header, relative to the start of the chunk
  // DATA_PAGE and DICTIONARY_PAGE: the whole decompressed page body.
  // DATA_PAGE_V2: the values section only, decompressed.
  std::string_view data;
  // DATA_PAGE_V2 only: the definition-level section, stored uncompressed.
  std::string_view v2_definition_levels;
};

class PageReader {
 public:
  // `chunk` must outlive the reader and the pages it returns.
  PageReader(std::string_view chunk, Codec codec) : chunk_(chunk), codec_(codec) {}

  bool AtEnd() const { return pos_ >= chunk_.size(); }
  Codec codec() const { return codec_; }
  // Offset in the chunk of the next page header.
  uint64_t position() const { return pos_; }

  // Parses the next page header and checks its sizes. Then exactly one of ReadBody(), SkipBody()
  // or TakeStoredBody() must follow before the next NextHeader().
  Status NextHeader(Page* page);
  // Makes page->data (and v2_definition_levels) available, valid until the next ReadBody().
  Status ReadBody(Page* page);
  void SkipBody();
  // Instead of ReadBody()/SkipBody(): moves past the body of the page whose header was read last
  // and returns it as stored (compressed), a view into the chunk, to decompress later or never.
  std::string_view TakeStoredBody();
  // Decompresses a DATA_PAGE or DICTIONARY_PAGE body that TakeStoredBody() returned, whose header
  // says `uncompressed_size`: the result holds at least its first `want` bytes (all of them when
  // want >= uncompressed_size; Decompressor::DecompressPrefix). A view of *out, or of `stored`
  // itself for an uncompressed chunk.
  Result<std::string_view> DecompressStored(std::string_view stored, int32_t uncompressed_size, uint64_t want,
                                            std::string* out);

 private:
  Status CheckSizes(const PageHeader& h) const;

  std::string_view chunk_;
  Codec codec_;
  uint64_t pos_ = 0;
  std::string_view body_;  // of the page whose header was read last
  Decompressor decompressor_;
  std::string buffer_;
};

}  // namespace loglake::parquet
