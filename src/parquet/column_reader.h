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
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
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

  // Positions in the chunk's decode order (the n-th value decoded is position n; for a flat
  // column, the n-th row of the pages the chunk holds), as sorted, disjoint [begin, end) ranges.
  using PositionRanges = std::vector<std::pair<int64_t, int64_t>>;

  // Appends the values at the `wanted` positions to *out, in order. A data page holding none of
  // them is skipped without being decompressed; from the others only the wanted values are
  // materialized (a late-materialized column of a needle copies one value, not a page).
  Status ReadRanges(const PositionRanges& wanted, Column* out);

  // For a string column: the `wanted` positions whose value satisfies `match`, compared on the
  // decoded page without materializing the others. *selected gets their indexes among the wanted
  // positions (0 = wanted[0].first, counting on through the ranges), *out their values, in order.
  // A dictionary entry is matched once, not once per row; nulls never match. This is how a needle
  // (`uuid = ?`) reads a row group: one string copied, not 160k. Pages holding no wanted position
  // are skipped undecompressed, as in ReadRanges.
  Status SelectStrings(const PositionRanges& wanted, const std::function<bool(std::string_view)>& match,
                       std::vector<uint32_t>* selected, Column* out);

  // Dictionary-level decoding, for evaluating a predicate once per dictionary entry.
  static constexpr uint32_t kNullIndex = UINT32_MAX;
  // Like NextDataPage with an output, but a dictionary-encoded page is not expanded: *indices is
  // replaced by one entry per value of the page, its dictionary index (checked against the
  // dictionary) or kNullIndex for a null, and *as_indices is set. Any other page (a writer's PLAIN
  // fallback) appends its values to *out and clears *as_indices.
  Status NextDataPageIndices(DataPageInfo* info, std::vector<uint32_t>* indices, Column* out, bool* as_indices,
                             bool* done);
  // Whether the chunk's dictionary page has been met (it precedes the first data page).
  bool has_dictionary() const { return has_dictionary_; }
  // Entries in the dictionary, as its page header says.
  size_t dictionary_size() const { return dictionary_count_; }
  // Appends every dictionary entry to *out, in index order. The dictionary is decoded once a
  // page comes back from NextDataPageIndices as indices.
  void AppendDictionary(Column* out) const;
  // Dictionary entries decoded so far (ReadRanges decodes only a prefix of a large dictionary).
  size_t dictionary_entries_decoded() const { return dictionary_loaded_; }

 private:
  ColumnChunkReader(const ColumnDescriptor& col, Codec codec, std::string chunk, int64_t chunk_offset,
                    int64_t num_values);

  // Walks to the next data page, taking in a dictionary page met on the way, and parses its header
  // into *page and *info; the body is left for ReadBody()/SkipBody(), then FinishDataPage().
  Status NextDataHeader(Page* page, DataPageInfo* info, bool* done);
  void FinishDataPage(const DataPageInfo& info);
  // Checks a dictionary page's header and keeps its stored body for LoadDictionaryEntries.
  Status AcceptDictionaryPage(const Page& page, std::string_view stored);
  // Makes at least the first `count` dictionary entries (all, for LoadDictionary) available in
  // dict_*, decompressing only as much of a large page as they need (Decompressor::
  // DecompressPrefix): a needle's row uses one entry of each dictionary, and decompressing
  // whole dictionary pages was a quarter of a needle search.
  Status LoadDictionaryEntries(size_t count);
  Status LoadDictionary() { return LoadDictionaryEntries(dictionary_count_); }
  // Decodes the first n PLAIN entries of `data` (a dictionary page, or a prefix of it) into dict_*.
  Status DecodeDictionary(std::string_view data, size_t n);
  // The largest dictionary index among the values at the wanted positions in a page decoded as
  // indices (ForEachWantedPage's r), or -1 when they are all null.
  int64_t MaxWantedIndex(const PositionRanges& wanted, size_t r, const DataPageInfo& info, size_t non_null) const;
  Status DecodeDataPage(const Page& page, int32_t num_values, Column* out);
  // Walks the data pages to the last `wanted` position: a page holding none of them is skipped
  // undecompressed; each other page is decoded (DecodeLevelsAndValues, dictionary-encoded pages as
  // indices) and handed to visit(info, as_indices, non_null, r) -> Status, wanted[r] being the
  // first range that reaches into the page.
  template <typename VisitPage>
  Status ForEachWantedPage(const PositionRanges& wanted, VisitPage&& visit);
  // Decodes the page's definition levels into levels_ and its non-null values into the typed
  // scratch (or, with `as_indices` on a dictionary-encoded page, into indices_ only).
  Status DecodeLevelsAndValues(const Page& page, int32_t num_values, bool as_indices, size_t* non_null);
  // Decodes `n` non-null values of `values`, encoded with `encoding`, into the typed scratch.
  Status DecodeValues(Encoding encoding, std::string_view values, size_t n);
  // Decodes n dictionary indices into indices_, checking each against the dictionary size.
  Status DecodeIndices(std::string_view values, size_t n, size_t dictionary_size);
  // Decodes n dictionary indices (as DecodeIndices) and writes the entries they name to out[0, n).
  template <typename T>
  Status DecodeFromDictionary(std::string_view values, size_t n, const std::vector<T>& dictionary, T* out);
  Status ConvertTimestamps(int64_t* values, size_t n) const;
  // Appends the n decoded values, interleaved with nulls per levels_, to *out.
  void Append(size_t num_levels, size_t num_non_null, Column* out) const;
  // Where AppendRange() stopped in the current page: its level position and the number of
  // non-null values before it, so that ranges in order count the levels once.
  struct PageCursor {
    size_t level = 0;
    size_t value = 0;
  };
  // Appends the values at page positions [from, to) only (from >= cursor->level); with
  // `as_indices`, of a page decoded as dictionary indices.
  void AppendRange(size_t num_levels, size_t num_non_null, size_t from, size_t to, bool as_indices,
                   PageCursor* cursor, Column* out) const;

  ColumnDescriptor col_;
  std::string chunk_;
  int64_t chunk_offset_;
  int64_t num_values_;
  PageReader pages_;
  int64_t values_seen_ = 0;
  int data_pages_seen_ = 0;

  // Dictionary: its page's stored body, decoded on first use into dict_* (timestamps already in
  // µs; string entries point into dictionary_data_, or into chunk_ when uncompressed), a prefix
  // of it or all (LoadDictionaryEntries).
  bool has_dictionary_ = false;
  std::string_view dictionary_stored_;
  int32_t dictionary_page_size_ = 0;  // uncompressed
  int64_t dictionary_offset_ = 0;     // file offset of the page, for errors
  size_t dictionary_count_ = 0;       // entries, per the page header
  size_t dictionary_loaded_ = 0;      // entries decoded into dict_*
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
  std::string str_arena_;  // DELTA_BYTE_ARRAY reconstructions of the current page
};

}  // namespace loglake::parquet
