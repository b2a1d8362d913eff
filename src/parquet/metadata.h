// Parquet's Thrift structures (footer, page headers, page index, bloom filter header) as plain C++
// structs, with their compact-protocol encoding.
//
// The structs mirror the Parquet format specification (parquet.thrift) field for field, for the
// subset loglake writes or reads; member names are the spec's names in snake_case, and the field
// ids used on the wire are those of the specification. Optional Thrift fields are std::optional;
// required ones are plain members.
//
// Serialize() writes one struct (its StructBegin/StructEnd included) and cannot fail.
// Deserialize() reads one struct from untrusted bytes: fields it does not know are skipped (files
// from newer writers read fine), a missing required field, a field of the wrong wire type or any
// malformed byte is Status::Corruption. Integer fields accept any integer wire type whose value
// fits. Enum fields keep values this code does not name (e.g. an encoding added to the format
// later): consumers must check them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "parquet/thrift_compact.h"

namespace loglake::parquet {

// ---------------------------------------------------------------------------------------------
// Enums (values are the specification's).

enum class Type : int32_t {
  BOOLEAN = 0,
  INT32 = 1,
  INT64 = 2,
  INT96 = 3,
  FLOAT = 4,
  DOUBLE = 5,
  BYTE_ARRAY = 6,
  FIXED_LEN_BYTE_ARRAY = 7,
};

enum class ConvertedType : int32_t {
  UTF8 = 0,
  MAP = 1,
  MAP_KEY_VALUE = 2,
  LIST = 3,
  ENUM = 4,
  DECIMAL = 5,
  DATE = 6,
  TIME_MILLIS = 7,
  TIME_MICROS = 8,
  TIMESTAMP_MILLIS = 9,
  TIMESTAMP_MICROS = 10,
  UINT_8 = 11,
  UINT_16 = 12,
  UINT_32 = 13,
  UINT_64 = 14,
  INT_8 = 15,
  INT_16 = 16,
  INT_32 = 17,
  INT_64 = 18,
  JSON = 19,
  BSON = 20,
  INTERVAL = 21,
};

enum class FieldRepetitionType : int32_t {
  REQUIRED = 0,
  OPTIONAL = 1,
  REPEATED = 2,
};

enum class Encoding : int32_t {
  PLAIN = 0,
  PLAIN_DICTIONARY = 2,
  RLE = 3,
  BIT_PACKED = 4,
  DELTA_BINARY_PACKED = 5,
  DELTA_LENGTH_BYTE_ARRAY = 6,
  DELTA_BYTE_ARRAY = 7,
  RLE_DICTIONARY = 8,
  BYTE_STREAM_SPLIT = 9,
};

// The two names of dictionary-encoded data pages (PLAIN_DICTIONARY is the Parquet 1.0 spelling).
inline bool IsDictionaryEncoding(Encoding e) {
  return e == Encoding::PLAIN_DICTIONARY || e == Encoding::RLE_DICTIONARY;
}

enum class CompressionCodec : int32_t {
  UNCOMPRESSED = 0,
  SNAPPY = 1,
  GZIP = 2,
  LZO = 3,
  BROTLI = 4,
  LZ4 = 5,
  ZSTD = 6,
  LZ4_RAW = 7,
};

enum class PageType : int32_t {
  DATA_PAGE = 0,
  INDEX_PAGE = 1,
  DICTIONARY_PAGE = 2,
  DATA_PAGE_V2 = 3,
};

enum class BoundaryOrder : int32_t {
  UNORDERED = 0,
  ASCENDING = 1,
  DESCENDING = 2,
};

enum class TimeUnit : int32_t {
  MILLIS = 1,  // the union's field ids
  MICROS = 2,
  NANOS = 3,
};

// Names for messages and `loglake inspect`; an unnamed value prints as its number.
std::string TypeName(Type v);
std::string ConvertedTypeName(ConvertedType v);
std::string RepetitionName(FieldRepetitionType v);
std::string EncodingName(Encoding v);
std::string CodecName(CompressionCodec v);
std::string PageTypeName(PageType v);
std::string BoundaryOrderName(BoundaryOrder v);
std::string TimeUnitName(TimeUnit v);

// ---------------------------------------------------------------------------------------------
// Structures.

struct Statistics {
  std::optional<std::string> max;  // deprecated (signed byte order); readers prefer max_value
  std::optional<std::string> min;
  std::optional<int64_t> null_count;
  std::optional<int64_t> distinct_count;
  std::optional<std::string> max_value;
  std::optional<std::string> min_value;
  std::optional<bool> is_max_value_exact;
  std::optional<bool> is_min_value_exact;

  bool operator==(const Statistics&) const = default;
};

// The LogicalType union. Members added to the format after this code are kept as OTHER with
// their field id so a reader can report them.
struct LogicalType {
  enum class Kind : int16_t {  // the union's field ids
    STRING = 1,
    MAP = 2,
    LIST = 3,
    ENUM = 4,
    DECIMAL = 5,
    DATE = 6,
    TIME = 7,
    TIMESTAMP = 8,
    INTEGER = 10,
    UNKNOWN = 11,  // "NullType": only nulls
    JSON = 12,
    BSON = 13,
    UUID = 14,
    FLOAT16 = 15,
    OTHER = -1,
  };
  Kind kind = Kind::STRING;
  int16_t other_field_id = 0;  // the union field id when kind == OTHER
  // DECIMAL
  int32_t scale = 0;
  int32_t precision = 0;
  // TIME, TIMESTAMP
  bool is_adjusted_to_utc = false;
  TimeUnit unit = TimeUnit::MICROS;
  // INTEGER
  int8_t bit_width = 0;
  bool is_signed = true;

  static LogicalType String() { return LogicalType{}; }
  static LogicalType Integer(int8_t bits, bool is_signed);
  static LogicalType Timestamp(bool utc, TimeUnit unit);
  static LogicalType Date();
  static LogicalType Decimal(int32_t scale, int32_t precision);
  // "STRING", "INTEGER(32,signed)", "TIMESTAMP(MICROS,UTC)", ...
  std::string ToString() const;

  bool operator==(const LogicalType&) const = default;
};

struct SchemaElement {
  std::optional<Type> type;  // absent for groups (the root)
  std::optional<int32_t> type_length;
  std::optional<FieldRepetitionType> repetition_type;
  std::string name;
  std::optional<int32_t> num_children;
  std::optional<ConvertedType> converted_type;
  std::optional<int32_t> scale;
  std::optional<int32_t> precision;
  std::optional<int32_t> field_id;
  std::optional<LogicalType> logical_type;  // "logicalType" in the specification

  bool operator==(const SchemaElement&) const = default;
};

struct KeyValue {
  std::string key;
  std::optional<std::string> value;

  bool operator==(const KeyValue&) const = default;
};

struct PageEncodingStats {
  PageType page_type = PageType::DATA_PAGE;
  Encoding encoding = Encoding::PLAIN;
  int32_t count = 0;

  bool operator==(const PageEncodingStats&) const = default;
};

struct ColumnMetaData {
  Type type = Type::BOOLEAN;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  CompressionCodec codec = CompressionCodec::UNCOMPRESSED;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  std::optional<std::vector<KeyValue>> key_value_metadata;
  int64_t data_page_offset = 0;
  std::optional<int64_t> index_page_offset;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
  std::optional<std::vector<PageEncodingStats>> encoding_stats;
  std::optional<int64_t> bloom_filter_offset;
  std::optional<int32_t> bloom_filter_length;

  bool operator==(const ColumnMetaData&) const = default;
};

struct ColumnChunk {
  std::optional<std::string> file_path;
  int64_t file_offset = 0;  // deprecated; kept for old readers
  std::optional<ColumnMetaData> meta_data;
  std::optional<int64_t> offset_index_offset;
  std::optional<int32_t> offset_index_length;
  std::optional<int64_t> column_index_offset;
  std::optional<int32_t> column_index_length;

  bool operator==(const ColumnChunk&) const = default;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  std::optional<int64_t> file_offset;
  std::optional<int64_t> total_compressed_size;
  std::optional<int16_t> ordinal;

  bool operator==(const RowGroup&) const = default;
};

// The ColumnOrder union; TYPE_ORDER (1) is the only one writers use for our types.
struct ColumnOrder {
  static constexpr int16_t kTypeDefinedOrder = 1;
  int16_t kind = kTypeDefinedOrder;  // the union field id

  bool operator==(const ColumnOrder&) const = default;
};

struct FileMetaData {
  int32_t version = 0;
  std::vector<SchemaElement> schema;  // depth-first; schema[0] is the root group
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::optional<std::vector<KeyValue>> key_value_metadata;
  std::optional<std::string> created_by;
  std::optional<std::vector<ColumnOrder>> column_orders;

  bool operator==(const FileMetaData&) const = default;
};

struct DataPageHeader {
  int32_t num_values = 0;  // including nulls
  Encoding encoding = Encoding::PLAIN;
  Encoding definition_level_encoding = Encoding::RLE;
  Encoding repetition_level_encoding = Encoding::RLE;
  std::optional<Statistics> statistics;

  bool operator==(const DataPageHeader&) const = default;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::PLAIN;
  std::optional<bool> is_sorted;

  bool operator==(const DictionaryPageHeader&) const = default;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  Encoding encoding = Encoding::PLAIN;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  std::optional<bool> is_compressed;  // absent means true
  std::optional<Statistics> statistics;

  bool operator==(const DataPageHeaderV2&) const = default;
};

struct PageHeader {
  PageType type = PageType::DATA_PAGE;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  std::optional<int32_t> crc;
  std::optional<DataPageHeader> data_page_header;
  std::optional<DictionaryPageHeader> dictionary_page_header;
  std::optional<DataPageHeaderV2> data_page_header_v2;

  bool operator==(const PageHeader&) const = default;
};

struct PageLocation {
  int64_t offset = 0;
  int32_t compressed_page_size = 0;  // including the page header
  int64_t first_row_index = 0;

  bool operator==(const PageLocation&) const = default;
};

struct OffsetIndex {
  std::vector<PageLocation> page_locations;

  bool operator==(const OffsetIndex&) const = default;
};

struct ColumnIndex {
  std::vector<bool> null_pages;
  std::vector<std::string> min_values;
  std::vector<std::string> max_values;
  BoundaryOrder boundary_order = BoundaryOrder::UNORDERED;
  std::optional<std::vector<int64_t>> null_counts;

  bool operator==(const ColumnIndex&) const = default;
};

// Only the split-block / xxHash / uncompressed combination exists in the specification; a header
// naming anything else is rejected by Deserialize().
struct BloomFilterHeader {
  int32_t num_bytes = 0;  // "numBytes": size of the bitset that follows the header

  bool operator==(const BloomFilterHeader&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Encoding.

void Serialize(const Statistics& v, CompactWriter* w);
void Serialize(const LogicalType& v, CompactWriter* w);
void Serialize(const SchemaElement& v, CompactWriter* w);
void Serialize(const KeyValue& v, CompactWriter* w);
void Serialize(const PageEncodingStats& v, CompactWriter* w);
void Serialize(const ColumnMetaData& v, CompactWriter* w);
void Serialize(const ColumnChunk& v, CompactWriter* w);
void Serialize(const RowGroup& v, CompactWriter* w);
void Serialize(const FileMetaData& v, CompactWriter* w);
void Serialize(const DataPageHeader& v, CompactWriter* w);
void Serialize(const DictionaryPageHeader& v, CompactWriter* w);
void Serialize(const DataPageHeaderV2& v, CompactWriter* w);
void Serialize(const PageHeader& v, CompactWriter* w);
void Serialize(const PageLocation& v, CompactWriter* w);
void Serialize(const OffsetIndex& v, CompactWriter* w);
void Serialize(const ColumnIndex& v, CompactWriter* w);
void Serialize(const BloomFilterHeader& v, CompactWriter* w);

Status Deserialize(CompactReader* r, Statistics* v);
Status Deserialize(CompactReader* r, LogicalType* v);
Status Deserialize(CompactReader* r, SchemaElement* v);
Status Deserialize(CompactReader* r, KeyValue* v);
Status Deserialize(CompactReader* r, PageEncodingStats* v);
Status Deserialize(CompactReader* r, ColumnMetaData* v);
Status Deserialize(CompactReader* r, ColumnChunk* v);
Status Deserialize(CompactReader* r, RowGroup* v);
Status Deserialize(CompactReader* r, FileMetaData* v);
Status Deserialize(CompactReader* r, DataPageHeader* v);
Status Deserialize(CompactReader* r, DictionaryPageHeader* v);
Status Deserialize(CompactReader* r, DataPageHeaderV2* v);
Status Deserialize(CompactReader* r, PageHeader* v);
Status Deserialize(CompactReader* r, PageLocation* v);
Status Deserialize(CompactReader* r, OffsetIndex* v);
Status Deserialize(CompactReader* r, ColumnIndex* v);
Status Deserialize(CompactReader* r, BloomFilterHeader* v);

// Appends the encoding of `v` to *out.
template <typename T>
void SerializeTo(const T& v, std::string* out) {
  CompactWriter w(out);
  Serialize(v, &w);
}

template <typename T>
std::string SerializeToString(const T& v) {
  std::string out;
  SerializeTo(v, &out);
  return out;
}

// Decodes one struct from the start of `bytes`; *consumed (if given) receives its encoded size,
// which is how a page header's length is learned.
template <typename T>
Status DeserializeFrom(std::string_view bytes, T* v, size_t* consumed = nullptr) {
  CompactReader r(bytes);
  RETURN_IF_ERROR(Deserialize(&r, v));
  if (consumed != nullptr) *consumed = r.position();
  return Status::OK();
}

}  // namespace loglake::parquet
