#include "parquet/writer.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>

#include "parquet/column_writer.h"
#include "parquet/encoding/bit_util.h"

namespace loglake::parquet {
namespace {

constexpr std::string_view kMagic = "PAR1";
// Rows handed to each column writer at a time: small enough that a row group is cut close to
// its byte limit, large enough that the per-slice overhead vanishes.
constexpr size_t kSliceRows = 4096;

}  // namespace

FileWriter::FileWriter(WritableFile* file, std::vector<Field> schema, WriterOptions options)
    : file_(file), schema_(std::move(schema)), options_(std::move(options)) {}

FileWriter::~FileWriter() = default;

Result<std::unique_ptr<FileWriter>> FileWriter::Create(WritableFile* file, std::vector<Field> schema,
                                                       WriterOptions options) {
  if (schema.empty()) return Status::InvalidArgument("a Parquet file needs at least one column");
  std::set<std::string> names;
  for (const Field& f : schema) {
    if (f.name.empty()) return Status::InvalidArgument("column names must not be empty");
    if (!names.insert(f.name).second) {
      return Status::InvalidArgument("duplicate column name '" + f.name + "'");
    }
  }
  for (const std::string& b : options.bloom_columns) {
    if (names.count(b) == 0) {
      return Status::InvalidArgument("bloom filter column '" + b + "' is not in the schema");
    }
  }
  if (options.row_group_rows == 0 || options.row_group_bytes == 0 || options.page_rows == 0 ||
      options.page_bytes == 0) {
    return Status::InvalidArgument("row group and page sizes must be positive");
  }
  if (options.page_rows > static_cast<uint64_t>(INT32_MAX)) {
    return Status::InvalidArgument("page_rows must be below 2^31 (a page header counts values in 32 bits)");
  }
  if (!(options.min_compression_saving >= 0 && options.min_compression_saving <= 1)) {
    return Status::InvalidArgument("min_compression_saving must be between 0 and 1, not " +
                                   std::to_string(options.min_compression_saving));
  }
  if (options.codec == Codec::kGzip) {
    return Status::InvalidArgument("loglake writes snappy, zstd or uncompressed Parquet, not gzip");
  }
  if (file->Tell() != 0) {
    return Status::InvalidArgument("Parquet output file " + file->path() + " is not empty");
  }
  std::unique_ptr<FileWriter> w(new FileWriter(file, std::move(schema), std::move(options)));
  w->compressor_ = std::make_unique<Compressor>(w->options_.codec, w->options_.zstd_level);
  const auto& hints = w->options_.dictionary_hints;
  for (size_t i = 0; i < w->schema_.size(); ++i) {
    const Field& f = w->schema_[i];
    const auto& blooms = w->options_.bloom_columns;
    const bool bloom = std::find(blooms.begin(), blooms.end(), f.name) != blooms.end();
    w->columns_.push_back(
        ColumnWriter::Make(f, bloom, w->options_, w->compressor_.get(), i < hints.size() ? hints[i] : 0));
  }
  RETURN_IF_ERROR(w->file_->Append(kMagic));
  return w;
}

Status FileWriter::Fail(Status status) {
  if (error_.ok()) error_ = status;
  return status;
}

Status FileWriter::CheckBatch(const ColumnBatch& batch) const {
  if (batch.fields.size() != schema_.size() || batch.columns.size() != schema_.size()) {
    return Status::InvalidArgument("batch has " + std::to_string(batch.columns.size()) +
                                   " columns, the file " + std::to_string(schema_.size()));
  }
  const size_t rows = batch.num_rows();
  for (size_t c = 0; c < schema_.size(); ++c) {
    const Field& want = schema_[c];
    const Field& got = batch.fields[c];
    const Column& col = batch.columns[c];
    if (got.name != want.name || got.type != want.type || col.type() != want.type) {
      return Status::InvalidArgument("batch column " + std::to_string(c) + " is '" + got.name + "' " +
                                     ColumnTypeName(col.type()) + ", the file expects '" + want.name + "' " +
                                     ColumnTypeName(want.type));
    }
    if (col.size() != rows) {
      return Status::InvalidArgument("batch column '" + want.name + "' has " + std::to_string(col.size()) +
                                     " rows, the first column " + std::to_string(rows));
    }
    if (!want.nullable && col.null_count() > 0) {
      return Status::InvalidArgument("column '" + want.name + "' is not nullable but the batch has " +
                                     std::to_string(col.null_count()) + " nulls in it");
    }
  }
  return Status::OK();
}

Status FileWriter::Write(const ColumnBatch& batch) {
  if (closed_) return Status::InvalidArgument("Write on a closed Parquet writer (" + file_->path() + ")");
  RETURN_IF_ERROR(error_);
  RETURN_IF_ERROR(CheckBatch(batch));
  Status st = WriteRows(batch);
  if (!st.ok()) return Fail(st.WithContext("writing " + file_->path()));
  return Status::OK();
}

Status FileWriter::WriteRows(const ColumnBatch& batch) {
  const size_t rows = batch.num_rows();
  size_t pos = 0;
  while (pos < rows) {
    const size_t slice = static_cast<size_t>(
        std::min<uint64_t>({rows - pos, options_.row_group_rows - row_group_rows_, kSliceRows}));
    for (size_t c = 0; c < columns_.size(); ++c) {
      RETURN_IF_ERROR(columns_[c]->Append(batch.columns[c], pos, pos + slice));
    }
    pos += slice;
    row_group_rows_ += slice;
    rows_written_ += slice;
    if (row_group_rows_ >= options_.row_group_rows || buffered_bytes() >= options_.row_group_bytes) {
      RETURN_IF_ERROR(FlushRowGroup());
    }
  }
  return Status::OK();
}

uint64_t FileWriter::buffered_bytes() const {
  uint64_t total = 0;
  for (const auto& c : columns_) total += c->buffered_bytes();
  return total;
}

Status FileWriter::FlushRowGroup(bool last) {
  if (row_group_rows_ == 0) return Status::OK();
  RowGroup rg;
  rg.num_rows = static_cast<int64_t>(row_group_rows_);
  rg.file_offset = static_cast<int64_t>(file_->Tell());
  rg.ordinal = static_cast<int16_t>(std::min<size_t>(row_groups_.size(), INT16_MAX));
  int64_t total_uncompressed = 0;
  int64_t total_compressed = 0;
  std::vector<std::string> column_indexes;
  std::vector<std::string> offset_indexes;
  std::vector<std::optional<BloomFilter>> blooms;
  WrittenChunk written;
  for (auto& column : columns_) {
    RETURN_IF_ERROR(column->WriteChunk(file_, &written, last));
    total_uncompressed += written.chunk.meta_data->total_uncompressed_size;
    total_compressed += written.chunk.meta_data->total_compressed_size;
    rg.columns.push_back(std::move(written.chunk));
    column_indexes.push_back(SerializeToString(written.column_index));
    offset_indexes.push_back(SerializeToString(written.offset_index));
    blooms.push_back(std::move(written.bloom));
  }
  // Bloom filters go right after their row group, so at most one row group's filters are in memory.
  std::string buf;
  for (size_t c = 0; c < blooms.size(); ++c) {
    if (!blooms[c]) continue;
    buf.clear();
    blooms[c]->AppendTo(&buf);
    ColumnMetaData& md = *rg.columns[c].meta_data;
    md.bloom_filter_offset = static_cast<int64_t>(file_->Tell());
    md.bloom_filter_length = static_cast<int32_t>(buf.size());
    RETURN_IF_ERROR(file_->Append(buf));
  }
  rg.total_byte_size = total_uncompressed;
  rg.total_compressed_size = total_compressed;
  row_groups_.push_back(std::move(rg));
  column_indexes_.push_back(std::move(column_indexes));
  offset_indexes_.push_back(std::move(offset_indexes));
  row_group_rows_ = 0;
  return Status::OK();
}

Status FileWriter::WriteFooter() {
  // The page index: every ColumnIndex, then every OffsetIndex, as other writers lay it out.
  for (size_t g = 0; g < row_groups_.size(); ++g) {
    for (size_t c = 0; c < columns_.size(); ++c) {
      ColumnChunk& chunk = row_groups_[g].columns[c];
      chunk.column_index_offset = static_cast<int64_t>(file_->Tell());
      chunk.column_index_length = static_cast<int32_t>(column_indexes_[g][c].size());
      RETURN_IF_ERROR(file_->Append(column_indexes_[g][c]));
    }
  }
  for (size_t g = 0; g < row_groups_.size(); ++g) {
    for (size_t c = 0; c < columns_.size(); ++c) {
      ColumnChunk& chunk = row_groups_[g].columns[c];
      chunk.offset_index_offset = static_cast<int64_t>(file_->Tell());
      chunk.offset_index_length = static_cast<int32_t>(offset_indexes_[g][c].size());
      RETURN_IF_ERROR(file_->Append(offset_indexes_[g][c]));
    }
  }

  FileMetaData md;
  md.version = 1;
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema_.size());
  md.schema.push_back(root);
  for (const Field& f : schema_) md.schema.push_back(LeafSchemaElement(f));
  md.num_rows = static_cast<int64_t>(rows_written_);
  md.row_groups = std::move(row_groups_);
  if (!options_.key_value_metadata.empty()) {
    md.key_value_metadata.emplace();
    for (const auto& [k, v] : options_.key_value_metadata) md.key_value_metadata->push_back(KeyValue{k, v});
  }
  md.created_by = options_.created_by;
  md.column_orders = std::vector<ColumnOrder>(schema_.size());

  std::string footer;
  SerializeTo(md, &footer);
  AppendLE<uint32_t>(&footer, static_cast<uint32_t>(footer.size()));
  footer.append(kMagic);
  RETURN_IF_ERROR(file_->Append(footer));
  metadata_ = std::move(md);
  return Status::OK();
}

Status FileWriter::Close() {
  if (closed_) return Status::InvalidArgument("Parquet writer for " + file_->path() + " is already closed");
  RETURN_IF_ERROR(error_);
  Status st = FlushRowGroup(/*last=*/true);
  if (st.ok()) st = WriteFooter();
  if (!st.ok()) return Fail(st.WithContext("writing " + file_->path()));
  closed_ = true;
  column_indexes_.clear();
  offset_indexes_.clear();
  dictionary_sizes_.clear();
  for (const auto& c : columns_) dictionary_sizes_.push_back(c->largest_dictionary());
  columns_.clear();
  return Status::OK();
}

}  // namespace loglake::parquet
