// FileReader: loglake's Parquet reader.
//
// Open() reads only the footer (the trailing magic, the footer length and FileMetaData), then
// checks it: a flat schema of supported types (schema.h), one chunk per column in every row
// group with a type and path matching the schema, value counts matching row counts, and every
// byte range (column chunks, page indexes, bloom filters) inside the file. Nothing else is read
// until asked for.
//
// ReadRowGroup() decodes whole column chunks into a ColumnBatch (with column projection). The
// lower-level calls serve the query engine: statistics decoded into loglake values, the page
// index, bloom filters, and data pages one at a time with the rows they hold.
//
// Every error names the file, and the row group / column / page where it applies. A damaged file
// is Corruption, a valid one using what loglake cannot read is Unimplemented; neither crashes,
// hangs, reads out of bounds or allocates more than the metadata's (bounded) sizes allow.
//
// A FileReader is immutable after Open() and its const methods may run concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/column.h"
#include "common/file.h"
#include "common/status.h"
#include "parquet/bloom_filter.h"
#include "parquet/column_reader.h"
#include "parquet/input_source.h"
#include "parquet/metadata.h"
#include "parquet/schema.h"
#include "parquet/statistics.h"

namespace loglake::parquet {

struct ReaderOptions {
  // A row group claiming more rows is refused (ResourceExhausted) before anything is allocated
  // for it: decoded columns are sized by row counts, which a few bytes of RLE can claim.
  int64_t max_row_group_rows = int64_t{64} << 20;
};

// Footer-level access, for FileReader and for tools that show any Parquet file (`loglake
// inspect`): these need only the raw FileMetaData, not a schema loglake can read. Each checks the
// byte range it reads against the file.

// Reads and checks the magic bytes and the footer of `in`, with no schema or layout validation.
// *footer_offset (when given) receives the offset of the FileMetaData, the end of the region that
// holds pages, page indexes and bloom filters.
Result<FileMetaData> ReadFileMetaData(const InputSource& in, uint64_t* footer_offset = nullptr);

// The bytes [offset, offset + length) of a column chunk's pages: they start at the dictionary
// page when there is one, else at the first data page.
std::pair<int64_t, int64_t> ColumnChunkByteRange(const ColumnMetaData& meta);

// The page index of a chunk, decoded; NotFound when the chunk has none. The ColumnIndex lists are
// checked to have one entry per page.
Result<ColumnIndex> ReadColumnIndex(const InputSource& in, const ColumnChunk& chunk);
Result<OffsetIndex> ReadOffsetIndex(const InputSource& in, const ColumnChunk& chunk);

// The bloom filter of a chunk as stored (BloomFilterHeader, then the bitset), which must end
// before `limit` (the footer offset); NotFound when the chunk has none.
Result<std::string> ReadBloomFilterBytes(const InputSource& in, const ColumnMetaData& meta, uint64_t limit);

class FileReader {
 public:
  static Result<std::unique_ptr<FileReader>> Open(std::shared_ptr<RandomAccessFile> file,
                                                  const ReaderOptions& options = {});
  static Result<std::unique_ptr<FileReader>> Open(std::shared_ptr<InputSource> source,
                                                  const ReaderOptions& options = {});

  const std::string& path() const { return source_->name(); }
  uint64_t file_size() const { return source_->size(); }
  const FileMetaData& metadata() const { return metadata_; }
  // The leaf columns, in file order; fields()[i] describes column i.
  const std::vector<Field>& fields() const { return fields_; }
  const std::vector<ColumnDescriptor>& columns() const { return columns_; }
  int64_t num_rows() const { return metadata_.num_rows; }
  int num_row_groups() const { return static_cast<int>(metadata_.row_groups.size()); }
  int num_columns() const { return static_cast<int>(columns_.size()); }
  // Index of the column named `name`, or -1.
  int ColumnIndexOf(std::string_view name) const;

  const RowGroup& row_group(int rg) const { return metadata_.row_groups[static_cast<size_t>(rg)]; }
  // The chunk's metadata (always present: Open() checks it).
  const ColumnMetaData& column_meta(int rg, int col) const;

  // Decodes `columns` (indexes into fields(), any order, no duplicates) of row group `rg`; the
  // batch's fields follow that order.
  Result<ColumnBatch> ReadRowGroup(int rg, const std::vector<int>& columns) const;
  // All columns.
  Result<ColumnBatch> ReadRowGroup(int rg) const;
  // One column chunk, decoded whole.
  Result<Column> ReadColumnChunk(int rg, int col) const;

  // Page-at-a-time access to one column chunk (reads the chunk's bytes once).
  Result<std::unique_ptr<ColumnChunkReader>> OpenColumnChunk(int rg, int col) const;

  // Statistics of a column chunk as loglake values; nullopt when the writer stored none.
  Result<std::optional<ColumnStatistics>> ReadStatistics(int rg, int col) const;

  // The page index. Has*() tells whether the writer stored one; reading an absent one is NotFound.
  bool HasColumnIndex(int rg, int col) const;
  bool HasOffsetIndex(int rg, int col) const;
  Result<ColumnIndex> ReadColumnIndex(int rg, int col) const;
  Result<OffsetIndex> ReadOffsetIndex(int rg, int col) const;

  // The split-block bloom filter of a column chunk: the raw bytes as stored (BloomFilterHeader
  // followed by the bitset), or ready to probe. NotFound when the chunk has none.
  bool HasBloomFilter(int rg, int col) const;
  Result<std::string> ReadBloomFilterBytes(int rg, int col) const;
  Result<BloomFilter> ReadBloomFilter(int rg, int col) const;

 private:
  FileReader(std::shared_ptr<InputSource> source, ReaderOptions options)
      : source_(std::move(source)), options_(options) {}
  Status Validate();
  Status CheckIndex(int rg, int col) const;
  // "file: row group 1, column 'x'" for messages.
  std::string Where(int rg, int col) const;

  std::shared_ptr<InputSource> source_;
  ReaderOptions options_;
  FileMetaData metadata_;
  uint64_t footer_offset_ = 0;  // where FileMetaData starts: data, indexes and filters lie before
  std::vector<ColumnDescriptor> columns_;
  std::vector<Field> fields_;
};

}  // namespace loglake::parquet
