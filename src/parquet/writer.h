// FileWriter: writes loglake column batches as a Parquet file that any reader understands.
//
// Layout: "PAR1", then row groups (per column: an optional PLAIN dictionary page followed by
// data pages v1), the row group's split-block bloom filters, then every ColumnIndex and
// OffsetIndex (the page index), the FileMetaData footer, its length and "PAR1".
//
// Columns are flat leaves: OPTIONAL (with RLE/bit-packed definition levels) when the field is
// nullable, REQUIRED otherwise. Logical types: STRING (converted UTF8), INTEGER(32|64, signed)
// (converted INT_32|INT_64), TIMESTAMP(isAdjustedToUTC, MICROS) (converted TIMESTAMP_MICROS);
// doubles and booleans have none. Every column chunk and page-index entry carries
// null_count and min_value/max_value; strings longer than kMaxStatBytes get truncated bounds
// (marked inexact in the chunk statistics). Bloom filters are sized for bloom_fpp at the chunk's
// distinct count (the dictionary size, or the values written PLAIN), in whole 32-byte blocks.
//
// Encodings: booleans are PLAIN. Every other column starts RLE_DICTIONARY; when its first data
// page is finished the writer compares the dictionary-encoded size with the PLAIN size of the
// same values and keeps the dictionary only if it is smaller (unique ids, µs timestamps and most
// doubles go PLAIN, repetitive strings and status codes stay dictionary-encoded). A chunk whose
// dictionary later outgrows dictionary_bytes_limit finishes its remaining pages in PLAIN. For
// INT32, INT64 and timestamp columns that "PLAIN" is DELTA_BINARY_PACKED instead, and for strings
// in a chunk stored uncompressed (below) DELTA_LENGTH_BYTE_ARRAY or DELTA_BYTE_ARRAY
// (delta_encodings).
//
// Codec, per column chunk (ColumnMetaData.codec; chunks of one file may differ): a chunk whose
// first data page is not dictionary-encoded (PLAIN or DELTA) and which the codec shrinks by less than
// min_compression_saving of that page (judged on a 64 KiB sample) is written UNCOMPRESSED, and
// its later pages skip the compressor. Random ids (uuids) save ~10% under Snappy at a high price
// in writer and reader CPU; their strings go DELTA_LENGTH_BYTE_ARRAY. Strings that share
// prefixes with the value before (request ids "req-…") are also written UNCOMPRESSED, as
// DELTA_BYTE_ARRAY, when front coding alone makes them no larger than the codec would.
// Dictionary-encoded chunks always keep the file's codec; so does every page of a chunk that
// keeps it, even one that does not shrink. Each row group decides afresh.
//
// Memory: at most one row group is buffered, as compressed pages (pages are encoded and
// compressed as rows arrive; the batches are not kept), plus the open page of each column.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/column.h"
#include "common/file.h"
#include "common/status.h"
#include "parquet/compression.h"
#include "parquet/metadata.h"

namespace loglake::parquet {

struct WriterOptions {
  Codec codec = Codec::kSnappy;
  int zstd_level = 3;
  // A PLAIN chunk is stored UNCOMPRESSED when the codec saves less than this fraction of its
  // first data page (see the header comment); 0 compresses every chunk. In [0, 1].
  double min_compression_saving = 0.125;
  // Cut a row group when its buffered, uncompressed size reaches this... (the converter's
  // defaults, lake/converter.h, say why these sizes)
  uint64_t row_group_bytes = 32ull << 20;
  uint64_t row_group_rows = 160 * 1024;  // ...or this many rows
  uint64_t page_bytes = 1 << 20;        // target uncompressed data page size
  // A page also ends after this many rows: page-index pruning works per page, so pages of ~20k
  // rows let a reader skip most of a row group on a time range, for a few bytes of headers.
  // Exception: the first page of a column chunk that tries a dictionary is the sample that
  // decides the chunk's encoding and runs to page_bytes (of PLAIN-equivalent values) instead.
  uint64_t page_rows = 20'000;
  // A column chunk's dictionary past this falls back to PLAIN. 4 MiB rather than the customary
  // 1 MiB: an access log's user_id has ~200k distinct values per row group (~4 MB); at 1 MiB it
  // falls back and the file grows by ~7%, past the size of DuckDB's output for the same rows.
  uint64_t dictionary_bytes_limit = 4 << 20;
  // Pages that are not dictionary-encoded use the DELTA encodings rather than PLAIN: integers and
  // timestamps DELTA_BINARY_PACKED (a log's µs timestamps arrive nearly in order: their deltas
  // pack into ~2.8 bytes a value where PLAIN takes 8 and Snappy gets that to ~6; the pages then
  // skip the codec, min_compression_saving), and strings of a chunk stored uncompressed
  // DELTA_LENGTH_BYTE_ARRAY (no 4-byte length before each value: uuids 10% smaller) or, when
  // they share prefixes, DELTA_BYTE_ARRAY (request ids 24 -> 16.5 bytes a value). The
  // readers we test against (DuckDB, hyparquet, ours) and Trino, Spark and Arrow decode them
  // in data pages v1 too.
  bool delta_encodings = true;
  std::vector<std::string> bloom_columns;  // columns that get a split-block bloom filter
  // Per schema column, the distinct values its dictionary is expected to hold (what the column
  // held in a similar file: FileWriter::dictionary_sizes()); its hash table starts at that size
  // instead of doubling its way there from 1024 slots, a rehash per doubling. Missing or 0: unknown.
  std::vector<uint32_t> dictionary_hints;
  // 0.1%: a needle over a month of row groups (~200) then meets a false positive in one search of
  // five, not two per search; ~1.5 MB more per 1M records than 1% (probes read one 32-byte block).
  double bloom_fpp = 0.001;
  std::vector<std::pair<std::string, std::string>> key_value_metadata;
  std::string created_by = "loglake";  // written as FileMetaData.created_by
};

// String bounds in statistics and the page index are cut to this many bytes.
inline constexpr size_t kMaxStatBytes = 64;

class ColumnWriter;

class FileWriter {
 public:
  // Writes a Parquet file to `file` (not owned; must stay open until Close() returns). The file
  // must be empty: offsets in the footer count from its first byte.
  // Every Field becomes a flat leaf column: OPTIONAL when field.nullable, else REQUIRED.
  // InvalidArgument for an empty schema, duplicate or empty column names, unknown bloom columns,
  // zero sizes or page_rows >= 2^31 in `options`, min_compression_saving outside [0, 1], or codec
  // kGzip (read-only).
  static Result<std::unique_ptr<FileWriter>> Create(WritableFile* file, std::vector<Field> schema,
                                                    WriterOptions options);
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  // Appends rows. batch.fields must match the schema (names and types), else InvalidArgument;
  // so is a null in a non-nullable column. After an I/O error the writer is unusable: every
  // later call returns that error.
  Status Write(const ColumnBatch& batch);
  // Uncompressed bytes buffered in the current row group (for memory accounting).
  uint64_t buffered_bytes() const;
  uint64_t rows_written() const { return rows_written_; }  // rows passed to Write so far
  // Adds an entry to the footer's key-value metadata, after those of WriterOptions (for what is
  // known only once every row is written). Call before Close().
  void AddKeyValueMetadata(std::string key, std::string value) {
    options_.key_value_metadata.emplace_back(std::move(key), std::move(value));
  }
  // Flushes the last row group, writes column indexes, offset indexes, bloom filters and the footer.
  // Does not Sync or Close `file`.
  Status Close();

  // Per schema column, the most entries a dictionary of this file held (0 where no chunk kept
  // one): WriterOptions::dictionary_hints for the next file of the same data. Valid after a
  // successful Close() (empty before).
  const std::vector<uint32_t>& dictionary_sizes() const { return dictionary_sizes_; }

  // The footer as written (valid after a successful Close()).
  const FileMetaData& metadata() const { return metadata_; }

 private:
  FileWriter(WritableFile* file, std::vector<Field> schema, WriterOptions options);
  Status CheckBatch(const ColumnBatch& batch) const;
  Status WriteRows(const ColumnBatch& batch);
  // `last`: Close() writes the file's last row group.
  Status FlushRowGroup(bool last = false);
  Status WriteFooter();
  // Records the first error; later calls return it.
  Status Fail(Status status);

  WritableFile* file_;
  std::vector<Field> schema_;
  WriterOptions options_;
  std::unique_ptr<Compressor> compressor_;
  std::vector<std::unique_ptr<ColumnWriter>> columns_;
  uint64_t row_group_rows_ = 0;
  uint64_t rows_written_ = 0;
  std::vector<RowGroup> row_groups_;
  // Serialized page index of every chunk written, [row group][column].
  std::vector<std::vector<std::string>> column_indexes_;
  std::vector<std::vector<std::string>> offset_indexes_;
  FileMetaData metadata_;
  std::vector<uint32_t> dictionary_sizes_;
  Status error_;
  bool closed_ = false;
};

}  // namespace loglake::parquet
