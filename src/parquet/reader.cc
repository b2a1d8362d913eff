#include "parquet/reader.h"

#include <algorithm>
#include <cstring>

#include "parquet/encoding/bit_util.h"

namespace loglake::parquet {

namespace {

constexpr char kMagic[] = "PAR1";
constexpr char kEncryptedMagic[] = "PARE";
constexpr uint64_t kMagicSize = 4;
// Leading magic + footer length + trailing magic.
constexpr uint64_t kMinFileSize = 2 * kMagicSize + 4;
// A bloom filter header is a handful of bytes; read this much to parse it when the writer did not
// store the filter's length.
constexpr uint64_t kBloomHeaderProbe = 64;

std::string Int(int64_t v) { return std::to_string(v); }

// True when [offset, offset + length) lies in [kMagicSize, limit).
bool RangeInside(int64_t offset, int64_t length, uint64_t limit) {
  return offset >= static_cast<int64_t>(kMagicSize) && length >= 0 &&
         static_cast<uint64_t>(offset) <= limit && static_cast<uint64_t>(length) <= limit - static_cast<uint64_t>(offset);
}

}  // namespace

Result<FileMetaData> ReadFileMetaData(const InputSource& in, uint64_t* footer_offset) {
  const uint64_t size = in.size();
  if (size < kMinFileSize) {
    return Status::Corruption(in.name() + ": not a Parquet file: " + Int(static_cast<int64_t>(size)) +
                              " bytes is too short to hold the magic bytes and a footer");
  }
  std::string tail;
  RETURN_IF_ERROR(in.ReadAt(size - 8, 8, &tail));
  if (std::memcmp(tail.data() + 4, kEncryptedMagic, kMagicSize) == 0) {
    return Status::Unimplemented(in.name() + ": the file is encrypted (PARE footer); loglake reads plain Parquet only");
  }
  if (std::memcmp(tail.data() + 4, kMagic, kMagicSize) != 0) {
    return Status::Corruption(in.name() + ": not a Parquet file: it does not end with the magic bytes PAR1 "
                              "(truncated or still being written?)");
  }
  std::string head;
  RETURN_IF_ERROR(in.ReadAt(0, kMagicSize, &head));
  if (std::memcmp(head.data(), kMagic, kMagicSize) != 0) {
    return Status::Corruption(in.name() + ": not a Parquet file: it does not start with the magic bytes PAR1");
  }
  const uint32_t footer_len = LoadLE<uint32_t>(tail.data());
  if (footer_len > size - kMinFileSize) {
    return Status::Corruption(in.name() + ": footer length " + Int(footer_len) + " exceeds the file size " +
                              Int(static_cast<int64_t>(size)));
  }
  const uint64_t offset = size - 8 - footer_len;
  std::string footer;
  RETURN_IF_ERROR(in.ReadAt(offset, footer_len, &footer));
  FileMetaData md;
  Status st = DeserializeFrom(footer, &md);
  if (!st.ok()) return st.WithContext(in.name() + ": footer (FileMetaData)");
  if (footer_offset != nullptr) *footer_offset = offset;
  return md;
}

std::pair<int64_t, int64_t> ColumnChunkByteRange(const ColumnMetaData& meta) {
  int64_t start = meta.data_page_offset;
  // Some writers store 0 for "no dictionary page"; a real one always precedes the data pages.
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 && *meta.dictionary_page_offset < start) {
    start = *meta.dictionary_page_offset;
  }
  return {start, meta.total_compressed_size};
}

Result<ColumnIndex> ReadColumnIndex(const InputSource& in, const ColumnChunk& chunk) {
  if (!chunk.column_index_offset) return Status::NotFound("no column index");
  if (!RangeInside(*chunk.column_index_offset, chunk.column_index_length.value_or(-1), in.size())) {
    return Status::Corruption("column index lies outside the file or has no length");
  }
  std::string bytes;
  RETURN_IF_ERROR(in.ReadAt(static_cast<uint64_t>(*chunk.column_index_offset),
                            static_cast<size_t>(*chunk.column_index_length), &bytes));
  ColumnIndex index;
  Status st = DeserializeFrom(bytes, &index);
  if (!st.ok()) return st.WithContext("column index");
  const size_t pages = index.null_pages.size();
  if (index.min_values.size() != pages || index.max_values.size() != pages ||
      (index.null_counts && index.null_counts->size() != pages)) {
    return Status::Corruption("column index lists differ in length");
  }
  return index;
}

Result<OffsetIndex> ReadOffsetIndex(const InputSource& in, const ColumnChunk& chunk) {
  if (!chunk.offset_index_offset) return Status::NotFound("no offset index");
  if (!RangeInside(*chunk.offset_index_offset, chunk.offset_index_length.value_or(-1), in.size())) {
    return Status::Corruption("offset index lies outside the file or has no length");
  }
  std::string bytes;
  RETURN_IF_ERROR(in.ReadAt(static_cast<uint64_t>(*chunk.offset_index_offset),
                            static_cast<size_t>(*chunk.offset_index_length), &bytes));
  OffsetIndex index;
  Status st = DeserializeFrom(bytes, &index);
  if (!st.ok()) return st.WithContext("offset index");
  return index;
}

Result<std::string> ReadBloomFilterBytes(const InputSource& in, const ColumnMetaData& meta, uint64_t limit) {
  if (!meta.bloom_filter_offset) return Status::NotFound("no bloom filter");
  limit = std::min(limit, in.size());
  if (!RangeInside(*meta.bloom_filter_offset, meta.bloom_filter_length.value_or(0), limit)) {
    return Status::Corruption("bloom filter lies outside the file");
  }
  const uint64_t offset = static_cast<uint64_t>(*meta.bloom_filter_offset);
  const uint64_t available = limit - offset;
  // The header says how large the bitset is.
  std::string probe;
  RETURN_IF_ERROR(in.ReadAt(offset, static_cast<size_t>(std::min(available, kBloomHeaderProbe)), &probe));
  BloomFilterHeader header;
  size_t header_size = 0;
  Status st = DeserializeFrom(probe, &header, &header_size);
  if (!st.ok()) return st.WithContext("bloom filter header");
  if (header.num_bytes <= 0 || static_cast<uint32_t>(header.num_bytes) > BloomFilter::kMaxBytes ||
      static_cast<uint64_t>(header.num_bytes) > available - header_size) {
    return Status::Corruption("bloom filter of " + Int(header.num_bytes) + " bytes does not fit in the file");
  }
  const uint64_t total = header_size + static_cast<uint64_t>(header.num_bytes);
  if (meta.bloom_filter_length && static_cast<uint64_t>(*meta.bloom_filter_length) != total) {
    return Status::Corruption("bloom filter length " + Int(*meta.bloom_filter_length) + " differs from its header's " +
                              Int(static_cast<int64_t>(total)));
  }
  std::string bytes;
  RETURN_IF_ERROR(in.ReadAt(offset, static_cast<size_t>(total), &bytes));
  return bytes;
}

Result<std::unique_ptr<FileReader>> FileReader::Open(std::shared_ptr<RandomAccessFile> file,
                                                     const ReaderOptions& options) {
  return Open(InputSource::FromFile(std::move(file)), options);
}

Result<std::unique_ptr<FileReader>> FileReader::Open(std::shared_ptr<InputSource> source,
                                                     const ReaderOptions& options) {
  std::unique_ptr<FileReader> reader(new FileReader(std::move(source), options));
  ASSIGN_OR_RETURN(reader->metadata_, ReadFileMetaData(*reader->source_, &reader->footer_offset_));
  RETURN_IF_ERROR(reader->Validate());
  return reader;
}

std::string FileReader::Where(int rg, int col) const {
  std::string s = path() + ": row group " + Int(rg);
  if (col >= 0) s += ", column '" + columns_[static_cast<size_t>(col)].name + "'";
  return s;
}

Status FileReader::Validate() {
  Result<std::vector<ColumnDescriptor>> cols = DescribeFlatSchema(metadata_);
  if (!cols.ok()) return cols.status().WithContext(path());
  columns_ = std::move(cols).value();
  fields_.reserve(columns_.size());
  for (const ColumnDescriptor& c : columns_) fields_.push_back(c.field);

  if (metadata_.num_rows < 0) return Status::Corruption(path() + ": negative row count " + Int(metadata_.num_rows));
  int64_t rows = 0;
  for (size_t g = 0; g < metadata_.row_groups.size(); ++g) {
    const int rg = static_cast<int>(g);
    const RowGroup& group = metadata_.row_groups[g];
    if (group.num_rows < 0) return Status::Corruption(Where(rg, -1) + ": negative row count " + Int(group.num_rows));
    if (group.num_rows > options_.max_row_group_rows) {
      return Status::ResourceExhausted(Where(rg, -1) + ": " + Int(group.num_rows) + " rows is more than the " +
                                       Int(options_.max_row_group_rows) + " a row group may hold for this reader");
    }
    rows += group.num_rows;  // cannot overflow: each term is bounded above
    if (group.columns.size() != columns_.size()) {
      return Status::Corruption(Where(rg, -1) + ": has " + Int(static_cast<int64_t>(group.columns.size())) +
                                " column chunks, the schema has " + Int(static_cast<int64_t>(columns_.size())) +
                                " columns");
    }
    for (size_t c = 0; c < columns_.size(); ++c) {
      const int col = static_cast<int>(c);
      const ColumnChunk& chunk = group.columns[c];
      const ColumnDescriptor& desc = columns_[c];
      if (chunk.file_path) {
        return Status::Unimplemented(Where(rg, col) + ": the chunk is stored in another file ('" + *chunk.file_path +
                                     "'); loglake reads self-contained files only");
      }
      if (!chunk.meta_data) {
        return Status::Unimplemented(Where(rg, col) +
                                     ": the chunk has no plain metadata (encrypted column?); loglake cannot read it");
      }
      const ColumnMetaData& meta = *chunk.meta_data;
      if (meta.type != desc.physical_type) {
        return Status::Corruption(Where(rg, col) + ": chunk type " + TypeName(meta.type) + " differs from the schema's " +
                                  TypeName(desc.physical_type));
      }
      if (meta.path_in_schema.size() != 1 || meta.path_in_schema[0] != desc.name) {
        return Status::Corruption(Where(rg, col) + ": chunk path_in_schema does not name the column");
      }
      if (meta.num_values != group.num_rows) {
        return Status::Corruption(Where(rg, col) + ": chunk holds " + Int(meta.num_values) + " values for " +
                                  Int(group.num_rows) + " rows");
      }
      const auto [offset, length] = ColumnChunkByteRange(column_meta(rg, col));
      if (!RangeInside(offset, length, footer_offset_)) {
        return Status::Corruption(Where(rg, col) + ": chunk bytes [" + Int(offset) + ", +" + Int(length) +
                                  ") lie outside the data region of the file (" +
                                  Int(static_cast<int64_t>(footer_offset_)) + " bytes before the footer)");
      }
      if (chunk.column_index_offset &&
          !RangeInside(*chunk.column_index_offset, chunk.column_index_length.value_or(-1), footer_offset_)) {
        return Status::Corruption(Where(rg, col) + ": column index lies outside the file or has no length");
      }
      if (chunk.offset_index_offset &&
          !RangeInside(*chunk.offset_index_offset, chunk.offset_index_length.value_or(-1), footer_offset_)) {
        return Status::Corruption(Where(rg, col) + ": offset index lies outside the file or has no length");
      }
      if (meta.bloom_filter_offset &&
          !RangeInside(*meta.bloom_filter_offset, meta.bloom_filter_length.value_or(0), footer_offset_)) {
        return Status::Corruption(Where(rg, col) + ": bloom filter lies outside the file");
      }
    }
  }
  if (rows != metadata_.num_rows) {
    return Status::Corruption(path() + ": the footer says " + Int(metadata_.num_rows) + " rows, its row groups hold " +
                              Int(rows));
  }
  return Status::OK();
}

int FileReader::ColumnIndexOf(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

const ColumnMetaData& FileReader::column_meta(int rg, int col) const {
  return *row_group(rg).columns[static_cast<size_t>(col)].meta_data;
}

Status FileReader::CheckIndex(int rg, int col) const {
  if (rg < 0 || rg >= num_row_groups()) {
    return Status::InvalidArgument(path() + ": row group " + Int(rg) + " does not exist (the file has " +
                                   Int(num_row_groups()) + ")");
  }
  if (col < 0 || col >= num_columns()) {
    return Status::InvalidArgument(path() + ": column " + Int(col) + " does not exist (the file has " +
                                   Int(num_columns()) + ")");
  }
  return Status::OK();
}

Result<std::unique_ptr<ColumnChunkReader>> FileReader::OpenColumnChunk(int rg, int col) const {
  RETURN_IF_ERROR(CheckIndex(rg, col));
  const ColumnMetaData& meta = column_meta(rg, col);
  const auto [offset, length] = ColumnChunkByteRange(column_meta(rg, col));
  std::string bytes;
  RETURN_IF_ERROR(source_->ReadAt(static_cast<uint64_t>(offset), static_cast<size_t>(length), &bytes));
  Result<std::unique_ptr<ColumnChunkReader>> reader = ColumnChunkReader::Make(
      columns_[static_cast<size_t>(col)], meta.codec, std::move(bytes), offset, meta.num_values);
  if (!reader.ok()) return reader.status().WithContext(Where(rg, col));
  return reader;
}

Result<Column> FileReader::ReadColumnChunk(int rg, int col) const {
  ASSIGN_OR_RETURN(std::unique_ptr<ColumnChunkReader> reader, OpenColumnChunk(rg, col));
  Column column(columns_[static_cast<size_t>(col)].field.type);
  Status st = reader->ReadAll(&column);
  if (!st.ok()) return st.WithContext(Where(rg, col));
  return column;
}

Result<ColumnBatch> FileReader::ReadRowGroup(int rg, const std::vector<int>& columns) const {
  std::vector<Field> fields;
  fields.reserve(columns.size());
  for (int col : columns) {
    RETURN_IF_ERROR(CheckIndex(rg, col));
    if (std::count(columns.begin(), columns.end(), col) > 1) {
      return Status::InvalidArgument(path() + ": column '" + columns_[static_cast<size_t>(col)].name +
                                     "' requested twice");
    }
    fields.push_back(fields_[static_cast<size_t>(col)]);
  }
  ColumnBatch batch;
  batch.fields = std::move(fields);
  batch.columns.reserve(columns.size());
  for (int col : columns) {
    ASSIGN_OR_RETURN(Column column, ReadColumnChunk(rg, col));
    batch.columns.push_back(std::move(column));
  }
  return batch;
}

Result<ColumnBatch> FileReader::ReadRowGroup(int rg) const {
  std::vector<int> all(columns_.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  return ReadRowGroup(rg, all);
}

Result<std::optional<ColumnStatistics>> FileReader::ReadStatistics(int rg, int col) const {
  RETURN_IF_ERROR(CheckIndex(rg, col));
  const ColumnMetaData& meta = column_meta(rg, col);
  if (!meta.statistics) return std::optional<ColumnStatistics>();
  Result<ColumnStatistics> stats = DecodeStatistics(*meta.statistics, columns_[static_cast<size_t>(col)]);
  if (!stats.ok()) return stats.status().WithContext(Where(rg, col));
  return std::optional<ColumnStatistics>(std::move(stats).value());
}

bool FileReader::HasColumnIndex(int rg, int col) const {
  return CheckIndex(rg, col).ok() && row_group(rg).columns[static_cast<size_t>(col)].column_index_offset.has_value();
}

bool FileReader::HasOffsetIndex(int rg, int col) const {
  return CheckIndex(rg, col).ok() && row_group(rg).columns[static_cast<size_t>(col)].offset_index_offset.has_value();
}

bool FileReader::HasBloomFilter(int rg, int col) const {
  return CheckIndex(rg, col).ok() && column_meta(rg, col).bloom_filter_offset.has_value();
}

Result<ColumnIndex> FileReader::ReadColumnIndex(int rg, int col) const {
  RETURN_IF_ERROR(CheckIndex(rg, col));
  Result<ColumnIndex> index = parquet::ReadColumnIndex(*source_, row_group(rg).columns[static_cast<size_t>(col)]);
  if (!index.ok()) return index.status().WithContext(Where(rg, col));
  return index;
}

Result<OffsetIndex> FileReader::ReadOffsetIndex(int rg, int col) const {
  RETURN_IF_ERROR(CheckIndex(rg, col));
  Result<OffsetIndex> index = parquet::ReadOffsetIndex(*source_, row_group(rg).columns[static_cast<size_t>(col)]);
  if (!index.ok()) return index.status().WithContext(Where(rg, col));
  // Pages must lie inside the chunk, in row order, starting at row 0.
  const auto [chunk_offset, chunk_length] = ColumnChunkByteRange(column_meta(rg, col));
  int64_t previous_row = -1;
  for (size_t i = 0; i < index->page_locations.size(); ++i) {
    const PageLocation& loc = index->page_locations[i];
    const bool inside = loc.offset >= chunk_offset && loc.compressed_page_size > 0 &&
                        loc.offset - chunk_offset <= chunk_length - loc.compressed_page_size;
    const bool ordered = loc.first_row_index > previous_row && loc.first_row_index < row_group(rg).num_rows &&
                         (i > 0 || loc.first_row_index == 0);
    if (!inside || !ordered) {
      return Status::Corruption(Where(rg, col) + ": offset index entry " + Int(static_cast<int64_t>(i)) +
                                " points outside the column chunk or out of row order");
    }
    previous_row = loc.first_row_index;
  }
  return index;
}

Result<std::string> FileReader::ReadBloomFilterBytes(int rg, int col) const {
  RETURN_IF_ERROR(CheckIndex(rg, col));
  Result<std::string> bytes = parquet::ReadBloomFilterBytes(*source_, column_meta(rg, col), footer_offset_);
  if (!bytes.ok()) return bytes.status().WithContext(Where(rg, col));
  return bytes;
}

Result<BloomFilter> FileReader::ReadBloomFilter(int rg, int col) const {
  ASSIGN_OR_RETURN(std::string bytes, ReadBloomFilterBytes(rg, col));
  BloomFilterHeader header;
  size_t header_size = 0;
  RETURN_IF_ERROR(DeserializeFrom(bytes, &header, &header_size));
  Result<BloomFilter> filter = BloomFilter::FromBitset(std::string_view(bytes).substr(header_size));
  if (!filter.ok()) return filter.status().WithContext(Where(rg, col) + ": bloom filter");
  return filter;
}

}  // namespace loglake::parquet
