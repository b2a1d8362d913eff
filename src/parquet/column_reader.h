// Decodes the pages of one column chunk into a loglake Column.
//
// Handles dictionary pages, data pages v1 and v2, definition levels (RLE/bit-packed hybrid) and
// the value encodings PLAIN, PLAIN_DICTIONARY/RLE_DICTIONARY, DELTA_BINARY_PACKED,
// DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT and RLE (booleans), with the
// codecs of compression.h. Timestamps are converted to microseconds.
//
// The chunk is untrusted: value counts must agree between levels, page headers and the column
// metadata, dictionary indices must be inside the dictionary, and output is never sized from a
// count that the metadata has not already bounded. Errors name the page by its file offset; the
// caller adds the file, row group and column.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/column.h"
#include "common/status.h"
#include "parquet/metadata.h"
#include "parquet/page_reader.h"
#include "parquet/schema.h"

namespace loglake::parquet {

// Where a data page sits and which rows it holds (for a flat column, one value per row).
struct DataPageInfo {
  int ordinal = 0;             // among the chunk's data pages, as in the OffsetIndex
  int64_t offset = 0;          // file offset of the page header
  int64_t first_row_index = 0; // within the row group
  int64_t num_rows = 0;
  PageType type = PageType::DATA_PAGE;
  Encoding encoding = Encoding::PLAIN;
};

class ColumnChunkReader {
 public:
  // `chunk` holds the chunk's bytes, which start at file offset `chunk_offset`; `num_values` is
  // the value count the metadata promises (already checked against the row group).
  // Unimplemented for a codec loglake cannot read.
  static Result<std::unique_ptr<ColumnChunkReader>> Make(const ColumnDescriptor& col, CompressionCodec codec,
                                                         std::string chunk, int64_t chunk_offset, int64_t num_values);

  // Not movable: pages and dictionary entries point into the chunk and dictionary buffers.
  ColumnChunkReader(const ColumnChunkReader&) = delete;
  ColumnChunkReader& operator=(const ColumnChunkReader&) = delete;

  // Moves to the next data page, decoding a dictionary page met on the way. With `out`, the
  // page's values are appended to it; with nullptr the page body is skipped undecoded. Sets
  // *done (and leaves *info alone) once all num_values values have been seen.
  Status NextDataPage(DataPageInfo* info, Column* out, bool* done);

  // Appends every value of the chunk to *out.
  Status ReadAll(Column* out);

 private:
  ColumnChunkReader(const ColumnDescriptor& col, Codec codec, std::string chunk, int64_t chunk_offset,
                    int64_t num_values);

  Status ReadDictionaryPage(const Page& page);
  Status DecodeDataPage(const Page& page, int32_t num_values, Column* out);
  // Decodes `n` non-null values of `values`, encoded with `encoding`, into the typed scratch.
  Status DecodeValues(Encoding encoding, std::string_view values, size_t n);
  // Decodes n dictionary indices into indices_, checking each against the dictionary size.
  Status DecodeIndices(std::string_view values, size_t n, size_t dictionary_size);
  Status ConvertTimestamps(int64_t* values, size_t n) const;
  // Appends the n decoded values, interleaved with nulls per levels_, to *out.
  void Append(size_t num_levels, size_t num_non_null, Column* out) const;

  ColumnDescriptor col_;
  std::string chunk_;
  int64_t chunk_offset_;
  int64_t num_values_;
  PageReader pages_;
  int64_t values_seen_ = 0;
  int data_pages_seen_ = 0;

  // Dictionary: values decoded once per chunk (timestamps already in µs). String entries point
  // into dictionary_data_.
  bool has_dictionary_ = false;
  std::string dictionary_data_;
  std::vector<int32_t> dict_i32_;
  std::vector<int64_t> dict_i64_;
  std::vector<double> dict_f64_;
  std::vector<std::string_view> dict_str_;

  // Per-page scratch, reused across pages.
  std::vector<uint8_t> levels_;
  std::vector<uint32_t> indices_;
  std::vector<int32_t> i32_;
  std::vector<int64_t> i64_;
  std::vector<double> f64_;
  std::vector<uint8_t> bool_;
  std::vector<std::string_view> str_;
  std::string str_arena_;  // DELTA_BYTE_ARRAY reconstructions
};

}  // namespace loglake::parquet
