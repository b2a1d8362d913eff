#include "parquet/metadata.h"

#include <concepts>
#include <initializer_list>
#include <limits>
#include <type_traits>
#include <utility>

namespace loglake::parquet {

// ---------------------------------------------------------------------------------------------
// Names.

namespace {

template <typename E>
std::string Numbered(E v) {
  return std::to_string(static_cast<int32_t>(v));
}

}  // namespace

std::string TypeName(Type v) {
  switch (v) {
    case Type::BOOLEAN: return "BOOLEAN";
    case Type::INT32: return "INT32";
    case Type::INT64: return "INT64";
    case Type::INT96: return "INT96";
    case Type::FLOAT: return "FLOAT";
    case Type::DOUBLE: return "DOUBLE";
    case Type::BYTE_ARRAY: return "BYTE_ARRAY";
    case Type::FIXED_LEN_BYTE_ARRAY: return "FIXED_LEN_BYTE_ARRAY";
  }
  return "TYPE(" + Numbered(v) + ")";
}

std::string ConvertedTypeName(ConvertedType v) {
  static const char* const kNames[] = {
      "UTF8",   "MAP",    "MAP_KEY_VALUE", "LIST",    "ENUM",  "DECIMAL", "DATE",  "TIME_MILLIS",
      "TIME_MICROS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8", "UINT_16", "UINT_32", "UINT_64",
      "INT_8",  "INT_16", "INT_32",        "INT_64",  "JSON",  "BSON",    "INTERVAL"};
  const auto i = static_cast<int32_t>(v);
  if (i >= 0 && i < static_cast<int32_t>(std::size(kNames))) return kNames[i];
  return "CONVERTED_TYPE(" + Numbered(v) + ")";
}

std::string RepetitionName(FieldRepetitionType v) {
  switch (v) {
    case FieldRepetitionType::REQUIRED: return "REQUIRED";
    case FieldRepetitionType::OPTIONAL: return "OPTIONAL";
    case FieldRepetitionType::REPEATED: return "REPEATED";
  }
  return "REPETITION(" + Numbered(v) + ")";
}

std::string EncodingName(Encoding v) {
  switch (v) {
    case Encoding::PLAIN: return "PLAIN";
    case Encoding::PLAIN_DICTIONARY: return "PLAIN_DICTIONARY";
    case Encoding::RLE: return "RLE";
    case Encoding::BIT_PACKED: return "BIT_PACKED";
    case Encoding::DELTA_BINARY_PACKED: return "DELTA_BINARY_PACKED";
    case Encoding::DELTA_LENGTH_BYTE_ARRAY: return "DELTA_LENGTH_BYTE_ARRAY";
    case Encoding::DELTA_BYTE_ARRAY: return "DELTA_BYTE_ARRAY";
    case Encoding::RLE_DICTIONARY: return "RLE_DICTIONARY";
    case Encoding::BYTE_STREAM_SPLIT: return "BYTE_STREAM_SPLIT";
  }
  return "ENCODING(" + Numbered(v) + ")";
}

std::string CodecName(CompressionCodec v) {
  switch (v) {
    case CompressionCodec::UNCOMPRESSED: return "UNCOMPRESSED";
    case CompressionCodec::SNAPPY: return "SNAPPY";
    case CompressionCodec::GZIP: return "GZIP";
    case CompressionCodec::LZO: return "LZO";
    case CompressionCodec::BROTLI: return "BROTLI";
    case CompressionCodec::LZ4: return "LZ4";
    case CompressionCodec::ZSTD: return "ZSTD";
    case CompressionCodec::LZ4_RAW: return "LZ4_RAW";
  }
  return "CODEC(" + Numbered(v) + ")";
}

std::string PageTypeName(PageType v) {
  switch (v) {
    case PageType::DATA_PAGE: return "DATA_PAGE";
    case PageType::INDEX_PAGE: return "INDEX_PAGE";
    case PageType::DICTIONARY_PAGE: return "DICTIONARY_PAGE";
    case PageType::DATA_PAGE_V2: return "DATA_PAGE_V2";
  }
  return "PAGE_TYPE(" + Numbered(v) + ")";
}

std::string BoundaryOrderName(BoundaryOrder v) {
  switch (v) {
    case BoundaryOrder::UNORDERED: return "UNORDERED";
    case BoundaryOrder::ASCENDING: return "ASCENDING";
    case BoundaryOrder::DESCENDING: return "DESCENDING";
  }
  return "BOUNDARY_ORDER(" + Numbered(v) + ")";
}

std::string TimeUnitName(TimeUnit v) {
  switch (v) {
    case TimeUnit::MILLIS: return "MILLIS";
    case TimeUnit::MICROS: return "MICROS";
    case TimeUnit::NANOS: return "NANOS";
  }
  return "TIME_UNIT(" + Numbered(v) + ")";
}

LogicalType LogicalType::Integer(int8_t bits, bool is_signed_int) {
  LogicalType t;
  t.kind = Kind::INTEGER;
  t.bit_width = bits;
  t.is_signed = is_signed_int;
  return t;
}

LogicalType LogicalType::Timestamp(bool utc, TimeUnit time_unit) {
  LogicalType t;
  t.kind = Kind::TIMESTAMP;
  t.is_adjusted_to_utc = utc;
  t.unit = time_unit;
  return t;
}

LogicalType LogicalType::Date() {
  LogicalType t;
  t.kind = Kind::DATE;
  return t;
}

LogicalType LogicalType::Decimal(int32_t decimal_scale, int32_t decimal_precision) {
  LogicalType t;
  t.kind = Kind::DECIMAL;
  t.scale = decimal_scale;
  t.precision = decimal_precision;
  return t;
}

std::string LogicalType::ToString() const {
  switch (kind) {
    case Kind::STRING: return "STRING";
    case Kind::MAP: return "MAP";
    case Kind::LIST: return "LIST";
    case Kind::ENUM: return "ENUM";
    case Kind::DECIMAL:
      return "DECIMAL(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
    case Kind::DATE: return "DATE";
    case Kind::TIME:
    case Kind::TIMESTAMP:
      return std::string(kind == Kind::TIME ? "TIME(" : "TIMESTAMP(") + TimeUnitName(unit) +
             (is_adjusted_to_utc ? ",UTC)" : ",local)");
    case Kind::INTEGER:
      return "INTEGER(" + std::to_string(bit_width) + (is_signed ? ",signed)" : ",unsigned)");
    case Kind::UNKNOWN: return "UNKNOWN";
    case Kind::JSON: return "JSON";
    case Kind::BSON: return "BSON";
    case Kind::UUID: return "UUID";
    case Kind::FLOAT16: return "FLOAT16";
    case Kind::OTHER: break;
  }
  return "LOGICAL_TYPE(" + std::to_string(other_field_id) + ")";
}

// ---------------------------------------------------------------------------------------------
// Serialization.

namespace {

template <typename E>
void FieldEnum(CompactWriter* w, int16_t id, E v) {
  w->FieldI32(id, static_cast<int32_t>(v));
}

// An empty struct as a field: how Thrift unions with empty members (TimeUnit, ...) are written.
void FieldEmptyStruct(CompactWriter* w, int16_t id) {
  w->FieldBegin(id, CType::kStruct);
  w->StructBegin();
  w->StructEnd();
}

template <typename T>
void FieldStruct(CompactWriter* w, int16_t id, const T& v) {
  w->FieldBegin(id, CType::kStruct);
  Serialize(v, w);
}

template <typename T>
void FieldStructList(CompactWriter* w, int16_t id, const std::vector<T>& v) {
  w->FieldListBegin(id, CType::kStruct, static_cast<uint32_t>(v.size()));
  for (const T& e : v) Serialize(e, w);
}

void FieldStringList(CompactWriter* w, int16_t id, const std::vector<std::string>& v) {
  w->FieldListBegin(id, CType::kBinary, static_cast<uint32_t>(v.size()));
  for (const std::string& s : v) w->Binary(s);
}

}  // namespace

void Serialize(const Statistics& v, CompactWriter* w) {
  w->StructBegin();
  if (v.max) w->FieldBinary(1, *v.max);
  if (v.min) w->FieldBinary(2, *v.min);
  if (v.null_count) w->FieldI64(3, *v.null_count);
  if (v.distinct_count) w->FieldI64(4, *v.distinct_count);
  if (v.max_value) w->FieldBinary(5, *v.max_value);
  if (v.min_value) w->FieldBinary(6, *v.min_value);
  if (v.is_max_value_exact) w->FieldBool(7, *v.is_max_value_exact);
  if (v.is_min_value_exact) w->FieldBool(8, *v.is_min_value_exact);
  w->StructEnd();
}

void Serialize(const LogicalType& v, CompactWriter* w) {
  w->StructBegin();
  switch (v.kind) {
    case LogicalType::Kind::DECIMAL:
      w->FieldBegin(5, CType::kStruct);
      w->StructBegin();
      w->FieldI32(1, v.scale);
      w->FieldI32(2, v.precision);
      w->StructEnd();
      break;
    case LogicalType::Kind::TIME:
    case LogicalType::Kind::TIMESTAMP:
      w->FieldBegin(static_cast<int16_t>(v.kind), CType::kStruct);
      w->StructBegin();
      w->FieldBool(1, v.is_adjusted_to_utc);
      w->FieldBegin(2, CType::kStruct);
      w->StructBegin();
      FieldEmptyStruct(w, static_cast<int16_t>(v.unit));
      w->StructEnd();
      w->StructEnd();
      break;
    case LogicalType::Kind::INTEGER:
      w->FieldBegin(10, CType::kStruct);
      w->StructBegin();
      w->FieldByte(1, v.bit_width);
      w->FieldBool(2, v.is_signed);
      w->StructEnd();
      break;
    case LogicalType::Kind::OTHER:
      FieldEmptyStruct(w, v.other_field_id);
      break;
    default:  // the members whose struct is empty
      FieldEmptyStruct(w, static_cast<int16_t>(v.kind));
      break;
  }
  w->StructEnd();
}

void Serialize(const SchemaElement& v, CompactWriter* w) {
  w->StructBegin();
  if (v.type) FieldEnum(w, 1, *v.type);
  if (v.type_length) w->FieldI32(2, *v.type_length);
  if (v.repetition_type) FieldEnum(w, 3, *v.repetition_type);
  w->FieldBinary(4, v.name);
  if (v.num_children) w->FieldI32(5, *v.num_children);
  if (v.converted_type) FieldEnum(w, 6, *v.converted_type);
  if (v.scale) w->FieldI32(7, *v.scale);
  if (v.precision) w->FieldI32(8, *v.precision);
  if (v.field_id) w->FieldI32(9, *v.field_id);
  if (v.logical_type) FieldStruct(w, 10, *v.logical_type);
  w->StructEnd();
}

void Serialize(const KeyValue& v, CompactWriter* w) {
  w->StructBegin();
  w->FieldBinary(1, v.key);
  if (v.value) w->FieldBinary(2, *v.value);
  w->StructEnd();
}

void Serialize(const PageEncodingStats& v, CompactWriter* w) {
  w->StructBegin();
  FieldEnum(w, 1, v.page_type);
  FieldEnum(w, 2, v.encoding);
  w->FieldI32(3, v.count);
  w->StructEnd();
}

void Serialize(const ColumnMetaData& v, CompactWriter* w) {
  w->StructBegin();
  FieldEnum(w, 1, v.type);
  w->FieldListBegin(2, CType::kI32, static_cast<uint32_t>(v.encodings.size()));
  for (Encoding e : v.encodings) w->I32(static_cast<int32_t>(e));
  FieldStringList(w, 3, v.path_in_schema);
  FieldEnum(w, 4, v.codec);
  w->FieldI64(5, v.num_values);
  w->FieldI64(6, v.total_uncompressed_size);
  w->FieldI64(7, v.total_compressed_size);
  if (v.key_value_metadata) FieldStructList(w, 8, *v.key_value_metadata);
  w->FieldI64(9, v.data_page_offset);
  if (v.index_page_offset) w->FieldI64(10, *v.index_page_offset);
  if (v.dictionary_page_offset) w->FieldI64(11, *v.dictionary_page_offset);
  if (v.statistics) FieldStruct(w, 12, *v.statistics);
  if (v.encoding_stats) FieldStructList(w, 13, *v.encoding_stats);
  if (v.bloom_filter_offset) w->FieldI64(14, *v.bloom_filter_offset);
  if (v.bloom_filter_length) w->FieldI32(15, *v.bloom_filter_length);
  w->StructEnd();
}

void Serialize(const ColumnChunk& v, CompactWriter* w) {
  w->StructBegin();
  if (v.file_path) w->FieldBinary(1, *v.file_path);
  w->FieldI64(2, v.file_offset);
  if (v.meta_data) FieldStruct(w, 3, *v.meta_data);
  if (v.offset_index_offset) w->FieldI64(4, *v.offset_index_offset);
  if (v.offset_index_length) w->FieldI32(5, *v.offset_index_length);
  if (v.column_index_offset) w->FieldI64(6, *v.column_index_offset);
  if (v.column_index_length) w->FieldI32(7, *v.column_index_length);
  w->StructEnd();
}

void Serialize(const RowGroup& v, CompactWriter* w) {
  w->StructBegin();
  FieldStructList(w, 1, v.columns);
  w->FieldI64(2, v.total_byte_size);
  w->FieldI64(3, v.num_rows);
  if (v.file_offset) w->FieldI64(5, *v.file_offset);
  if (v.total_compressed_size) w->FieldI64(6, *v.total_compressed_size);
  if (v.ordinal) w->FieldI16(7, *v.ordinal);
  w->StructEnd();
}

void Serialize(const FileMetaData& v, CompactWriter* w) {
  w->StructBegin();
  w->FieldI32(1, v.version);
  FieldStructList(w, 2, v.schema);
  w->FieldI64(3, v.num_rows);
  FieldStructList(w, 4, v.row_groups);
  if (v.key_value_metadata) FieldStructList(w, 5, *v.key_value_metadata);
  if (v.created_by) w->FieldBinary(6, *v.created_by);
  if (v.column_orders) {
    w->FieldListBegin(7, CType::kStruct, static_cast<uint32_t>(v.column_orders->size()));
    for (const ColumnOrder& o : *v.column_orders) {
      w->StructBegin();
      FieldEmptyStruct(w, o.kind);
      w->StructEnd();
    }
  }
  w->StructEnd();
}

void Serialize(const DataPageHeader& v, CompactWriter* w) {
  w->StructBegin();
  w->FieldI32(1, v.num_values);
  FieldEnum(w, 2, v.encoding);
  FieldEnum(w, 3, v.definition_level_encoding);
  FieldEnum(w, 4, v.repetition_level_encoding);
  if (v.statistics) FieldStruct(w, 5, *v.statistics);
  w->StructEnd();
}

void Serialize(const DictionaryPageHeader& v, CompactWriter* w) {
  w->StructBegin();
  w->FieldI32(1, v.num_values);
  FieldEnum(w, 2, v.encoding);
  if (v.is_sorted) w->FieldBool(3, *v.is_sorted);
  w->StructEnd();
}

void Serialize(const DataPageHeaderV2& v, CompactWriter* w) {
  w->StructBegin();
  w->FieldI32(1, v.num_values);
  w->FieldI32(2, v.num_nulls);
  w->FieldI32(3, v.num_rows);
  FieldEnum(w, 4, v.encoding);
  w->FieldI32(5, v.definition_levels_byte_length);
  w->FieldI32(6, v.repetition_levels_byte_length);
  if (v.is_compressed) w->FieldBool(7, *v.is_compressed);
  if (v.statistics) FieldStruct(w, 8, *v.statistics);
  w->StructEnd();
}

void Serialize(const PageHeader& v, CompactWriter* w) {
  w->StructBegin();
  FieldEnum(w, 1, v.type);
  w->FieldI32(2, v.uncompressed_page_size);
  w->FieldI32(3, v.compressed_page_size);
  if (v.crc) w->FieldI32(4, *v.crc);
  if (v.data_page_header) FieldStruct(w, 5, *v.data_page_header);
  if (v.dictionary_page_header) FieldStruct(w, 7, *v.dictionary_page_header);
  if (v.data_page_header_v2) FieldStruct(w, 8, *v.data_page_header_v2);
  w->StructEnd();
}

void Serialize(const PageLocation& v, CompactWriter* w) {
  w->StructBegin();
  w->FieldI64(1, v.offset);
  w->FieldI32(2, v.compressed_page_size);
  w->FieldI64(3, v.first_row_index);
  w->StructEnd();
}

void Serialize(const OffsetIndex& v, CompactWriter* w) {
  w->StructBegin();
  FieldStructList(w, 1, v.page_locations);
  w->StructEnd();
}

void Serialize(const ColumnIndex& v, CompactWriter* w) {
  w->StructBegin();
  w->FieldListBegin(1, CType::kBoolTrue, static_cast<uint32_t>(v.null_pages.size()));
  for (bool b : v.null_pages) w->BoolElement(b);
  FieldStringList(w, 2, v.min_values);
  FieldStringList(w, 3, v.max_values);
  FieldEnum(w, 4, v.boundary_order);
  if (v.null_counts) {
    w->FieldListBegin(5, CType::kI64, static_cast<uint32_t>(v.null_counts->size()));
    for (int64_t n : *v.null_counts) w->I64(n);
  }
  w->StructEnd();
}

void Serialize(const BloomFilterHeader& v, CompactWriter* w) {
  w->StructBegin();
  w->FieldI32(1, v.num_bytes);
  // algorithm = BLOCK, hash = XXHASH, compression = UNCOMPRESSED: each a union whose member 1 is
  // an empty struct.
  for (int16_t id : {2, 3, 4}) {
    w->FieldBegin(id, CType::kStruct);
    w->StructBegin();
    FieldEmptyStruct(w, 1);
    w->StructEnd();
  }
  w->StructEnd();
}

// ---------------------------------------------------------------------------------------------
// Deserialization.

namespace {

Status WrongType(const char* where, CType got, const char* want) {
  return Status::Corruption(std::string("thrift: ") + where + " has wire type " + CTypeName(got) +
                            ", expected " + want);
}

bool IsIntegerWire(CType t) { return t == CType::kI16 || t == CType::kI32 || t == CType::kI64; }

// Reads the fields of one struct, calling on_field(header) for each; records which field ids
// (below 64) were present in *seen so required ones can be checked.
template <typename Fn>
Status ReadStruct(CompactReader* r, uint64_t* seen, Fn&& on_field) {
  RETURN_IF_ERROR(r->StructBegin());
  while (true) {
    FieldHeader h;
    RETURN_IF_ERROR(r->ReadFieldHeader(&h));
    if (h.type == CType::kStop) break;
    if (h.id >= 0 && h.id < 64) *seen |= uint64_t{1} << h.id;
    RETURN_IF_ERROR(on_field(h));
  }
  return r->StructEnd();
}

struct Required {
  int16_t id;
  const char* name;
};

Status CheckRequired(uint64_t seen, const char* struct_name, std::initializer_list<Required> fields) {
  for (const Required& f : fields) {
    if ((seen & (uint64_t{1} << f.id)) == 0) {
      return Status::Corruption(std::string("thrift: ") + struct_name + " lacks its required field '" + f.name + "'");
    }
  }
  return Status::OK();
}

// ReadValue(r, wire, where, &out): one value of wire type `wire` into a C++ object, checking
// that the wire type fits. Used for field values and for list elements alike (bools differ
// between the two and are handled by ReadField / by hand).

template <typename T>
concept Deserializable = requires(CompactReader* r, T* v) {
  { Deserialize(r, v) } -> std::same_as<Status>;
};

template <std::integral T>
Status ReadValue(CompactReader* r, CType wire, const char* where, T* out) {
  if (!IsIntegerWire(wire)) return WrongType(where, wire, "an integer");
  int64_t v;
  RETURN_IF_ERROR(r->ReadI64(&v));
  if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) {
    return Status::Corruption(std::string("thrift: ") + where + " value " + std::to_string(v) + " out of range");
  }
  *out = static_cast<T>(v);
  return Status::OK();
}

template <typename E>
  requires std::is_enum_v<E>
Status ReadValue(CompactReader* r, CType wire, const char* where, E* out) {
  int32_t v;
  RETURN_IF_ERROR(ReadValue(r, wire, where, &v));
  *out = static_cast<E>(v);
  return Status::OK();
}

Status ReadValue(CompactReader* r, CType wire, const char* where, std::string* out) {
  if (wire != CType::kBinary) return WrongType(where, wire, "binary");
  return r->ReadBinary(out);
}

template <Deserializable T>
Status ReadValue(CompactReader* r, CType wire, const char* where, T* out) {
  if (wire != CType::kStruct) return WrongType(where, wire, "struct");
  return Deserialize(r, out);
}

template <typename T>
Status ReadValue(CompactReader* r, CType wire, const char* where, std::vector<T>* out) {
  if (wire != CType::kList && wire != CType::kSet) return WrongType(where, wire, "list");
  CType elem;
  uint32_t n;
  RETURN_IF_ERROR(r->ListBegin(&elem, &n));
  out->clear();
  // n is bounded by the remaining input, but elements can be much larger in memory than on the
  // wire; grow as elements actually decode rather than trusting n up front.
  out->reserve(std::min<uint32_t>(n, 1024));
  for (uint32_t i = 0; i < n; ++i) {
    out->emplace_back();
    RETURN_IF_ERROR(ReadValue(r, elem, where, &out->back()));
  }
  return Status::OK();
}

template <typename T>
Status ReadValue(CompactReader* r, CType wire, const char* where, std::optional<T>* out) {
  T v{};
  RETURN_IF_ERROR(ReadValue(r, wire, where, &v));
  *out = std::move(v);
  return Status::OK();
}

template <typename T>
Status ReadField(CompactReader* r, const FieldHeader& h, const char* where, T* out) {
  return ReadValue(r, h.type, where, out);
}

Status ReadField(CompactReader*, const FieldHeader& h, const char* where, bool* out) {
  if (!h.is_bool()) return WrongType(where, h.type, "bool");
  *out = h.bool_value();
  return Status::OK();
}

Status ReadField(CompactReader* r, const FieldHeader& h, const char* where, std::optional<bool>* out) {
  bool v = false;
  RETURN_IF_ERROR(ReadField(r, h, where, &v));
  *out = v;
  return Status::OK();
}

// Reads a union whose members are all empty structs (TimeUnit, ColumnOrder, the bloom filter
// unions); *member receives the field id of the member present.
Status ReadEmptyUnion(CompactReader* r, const char* where, int16_t* member) {
  int members = 0;
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    if (h.type != CType::kStruct) return WrongType(where, h.type, "struct");
    ++members;
    *member = h.id;
    return r->Skip(CType::kStruct);
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  if (members != 1) {
    return Status::Corruption(std::string("thrift: union ") + where + " has " + std::to_string(members) +
                              " members set, expected 1");
  }
  return Status::OK();
}

Status ReadTimeUnit(CompactReader* r, const FieldHeader& h, const char* where, TimeUnit* unit) {
  if (h.type != CType::kStruct) return WrongType(where, h.type, "struct");
  int16_t member = 0;
  RETURN_IF_ERROR(ReadEmptyUnion(r, where, &member));
  if (member < 1 || member > 3) {
    return Status::Corruption(std::string("thrift: ") + where + " names unknown time unit " + std::to_string(member));
  }
  *unit = static_cast<TimeUnit>(member);
  return Status::OK();
}

// TIME and TIMESTAMP share one layout.
Status ReadTimeLike(CompactReader* r, const char* where, LogicalType* v) {
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "TimestampType.isAdjustedToUTC", &v->is_adjusted_to_utc);
      case 2: return ReadTimeUnit(r, h, "TimestampType.unit", &v->unit);
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, where, {{1, "isAdjustedToUTC"}, {2, "unit"}});
}

}  // namespace

Status Deserialize(CompactReader* r, Statistics* v) {
  *v = Statistics{};
  uint64_t seen = 0;
  return ReadStruct(r, &seen, [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "Statistics.max", &v->max);
      case 2: return ReadField(r, h, "Statistics.min", &v->min);
      case 3: return ReadField(r, h, "Statistics.null_count", &v->null_count);
      case 4: return ReadField(r, h, "Statistics.distinct_count", &v->distinct_count);
      case 5: return ReadField(r, h, "Statistics.max_value", &v->max_value);
      case 6: return ReadField(r, h, "Statistics.min_value", &v->min_value);
      case 7: return ReadField(r, h, "Statistics.is_max_value_exact", &v->is_max_value_exact);
      case 8: return ReadField(r, h, "Statistics.is_min_value_exact", &v->is_min_value_exact);
      default: return r->Skip(h.type);
    }
  });
}

Status Deserialize(CompactReader* r, LogicalType* v) {
  *v = LogicalType{};
  int members = 0;
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    if (h.type != CType::kStruct) return WrongType("LogicalType member", h.type, "struct");
    ++members;
    switch (h.id) {
      case 5: {
        v->kind = LogicalType::Kind::DECIMAL;
        uint64_t dseen = 0;
        auto on_decimal_field = [&](const FieldHeader& d) -> Status {
          switch (d.id) {
            case 1: return ReadField(r, d, "DecimalType.scale", &v->scale);
            case 2: return ReadField(r, d, "DecimalType.precision", &v->precision);
            default: return r->Skip(d.type);
          }
        };
        RETURN_IF_ERROR(ReadStruct(r, &dseen, on_decimal_field));
        return CheckRequired(dseen, "DecimalType", {{1, "scale"}, {2, "precision"}});
      }
      case 7:
      case 8:
        v->kind = static_cast<LogicalType::Kind>(h.id);
        return ReadTimeLike(r, h.id == 7 ? "TimeType" : "TimestampType", v);
      case 10: {
        v->kind = LogicalType::Kind::INTEGER;
        uint64_t iseen = 0;
        auto on_int_field = [&](const FieldHeader& i) -> Status {
          switch (i.id) {
            case 1:
              // i8 travels as a single raw byte; tolerate writers that used a varint type.
              if (i.type == CType::kByte) return r->ReadByte(&v->bit_width);
              return ReadField(r, i, "IntType.bitWidth", &v->bit_width);
            case 2: return ReadField(r, i, "IntType.isSigned", &v->is_signed);
            default: return r->Skip(i.type);
          }
        };
        RETURN_IF_ERROR(ReadStruct(r, &iseen, on_int_field));
        return CheckRequired(iseen, "IntType", {{1, "bitWidth"}, {2, "isSigned"}});
      }
      case 1: case 2: case 3: case 4: case 6: case 11: case 12: case 13: case 14: case 15:
        v->kind = static_cast<LogicalType::Kind>(h.id);
        return r->Skip(CType::kStruct);
      default:
        v->kind = LogicalType::Kind::OTHER;
        v->other_field_id = h.id;
        return r->Skip(CType::kStruct);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  if (members != 1) {
    return Status::Corruption("thrift: LogicalType union has " + std::to_string(members) + " members set, expected 1");
  }
  return Status::OK();
}

Status Deserialize(CompactReader* r, SchemaElement* v) {
  *v = SchemaElement{};
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "SchemaElement.type", &v->type);
      case 2: return ReadField(r, h, "SchemaElement.type_length", &v->type_length);
      case 3: return ReadField(r, h, "SchemaElement.repetition_type", &v->repetition_type);
      case 4: return ReadField(r, h, "SchemaElement.name", &v->name);
      case 5: return ReadField(r, h, "SchemaElement.num_children", &v->num_children);
      case 6: return ReadField(r, h, "SchemaElement.converted_type", &v->converted_type);
      case 7: return ReadField(r, h, "SchemaElement.scale", &v->scale);
      case 8: return ReadField(r, h, "SchemaElement.precision", &v->precision);
      case 9: return ReadField(r, h, "SchemaElement.field_id", &v->field_id);
      case 10: return ReadField(r, h, "SchemaElement.logicalType", &v->logical_type);
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, "SchemaElement", {{4, "name"}});
}

Status Deserialize(CompactReader* r, KeyValue* v) {
  *v = KeyValue{};
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "KeyValue.key", &v->key);
      case 2: return ReadField(r, h, "KeyValue.value", &v->value);
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, "KeyValue", {{1, "key"}});
}

Status Deserialize(CompactReader* r, PageEncodingStats* v) {
  *v = PageEncodingStats{};
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "PageEncodingStats.page_type", &v->page_type);
      case 2: return ReadField(r, h, "PageEncodingStats.encoding", &v->encoding);
      case 3: return ReadField(r, h, "PageEncodingStats.count", &v->count);
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, "PageEncodingStats", {{1, "page_type"}, {2, "encoding"}, {3, "count"}});
}

Status Deserialize(CompactReader* r, ColumnMetaData* v) {
  *v = ColumnMetaData{};
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "ColumnMetaData.type", &v->type);
      case 2: return ReadField(r, h, "ColumnMetaData.encodings", &v->encodings);
      case 3: return ReadField(r, h, "ColumnMetaData.path_in_schema", &v->path_in_schema);
      case 4: return ReadField(r, h, "ColumnMetaData.codec", &v->codec);
      case 5: return ReadField(r, h, "ColumnMetaData.num_values", &v->num_values);
      case 6: return ReadField(r, h, "ColumnMetaData.total_uncompressed_size", &v->total_uncompressed_size);
      case 7: return ReadField(r, h, "ColumnMetaData.total_compressed_size", &v->total_compressed_size);
      case 8: return ReadField(r, h, "ColumnMetaData.key_value_metadata", &v->key_value_metadata);
      case 9: return ReadField(r, h, "ColumnMetaData.data_page_offset", &v->data_page_offset);
      case 10: return ReadField(r, h, "ColumnMetaData.index_page_offset", &v->index_page_offset);
      case 11: return ReadField(r, h, "ColumnMetaData.dictionary_page_offset", &v->dictionary_page_offset);
      case 12: return ReadField(r, h, "ColumnMetaData.statistics", &v->statistics);
      case 13: return ReadField(r, h, "ColumnMetaData.encoding_stats", &v->encoding_stats);
      case 14: return ReadField(r, h, "ColumnMetaData.bloom_filter_offset", &v->bloom_filter_offset);
      case 15: return ReadField(r, h, "ColumnMetaData.bloom_filter_length", &v->bloom_filter_length);
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, "ColumnMetaData",
                       {{1, "type"},
                        {2, "encodings"},
                        {3, "path_in_schema"},
                        {4, "codec"},
                        {5, "num_values"},
                        {6, "total_uncompressed_size"},
                        {7, "total_compressed_size"},
                        {9, "data_page_offset"}});
}

Status Deserialize(CompactReader* r, ColumnChunk* v) {
  *v = ColumnChunk{};
  uint64_t seen = 0;
  // file_offset is required by the specification but deprecated and unused, so its absence is
  // tolerated.
  return ReadStruct(r, &seen, [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "ColumnChunk.file_path", &v->file_path);
      case 2: return ReadField(r, h, "ColumnChunk.file_offset", &v->file_offset);
      case 3: return ReadField(r, h, "ColumnChunk.meta_data", &v->meta_data);
      case 4: return ReadField(r, h, "ColumnChunk.offset_index_offset", &v->offset_index_offset);
      case 5: return ReadField(r, h, "ColumnChunk.offset_index_length", &v->offset_index_length);
      case 6: return ReadField(r, h, "ColumnChunk.column_index_offset", &v->column_index_offset);
      case 7: return ReadField(r, h, "ColumnChunk.column_index_length", &v->column_index_length);
      default: return r->Skip(h.type);
    }
  });
}

Status Deserialize(CompactReader* r, RowGroup* v) {
  *v = RowGroup{};
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "RowGroup.columns", &v->columns);
      case 2: return ReadField(r, h, "RowGroup.total_byte_size", &v->total_byte_size);
      case 3: return ReadField(r, h, "RowGroup.num_rows", &v->num_rows);
      case 5: return ReadField(r, h, "RowGroup.file_offset", &v->file_offset);
      case 6: return ReadField(r, h, "RowGroup.total_compressed_size", &v->total_compressed_size);
      case 7: return ReadField(r, h, "RowGroup.ordinal", &v->ordinal);
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, "RowGroup", {{1, "columns"}, {2, "total_byte_size"}, {3, "num_rows"}});
}

Status Deserialize(CompactReader* r, FileMetaData* v) {
  *v = FileMetaData{};
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "FileMetaData.version", &v->version);
      case 2: return ReadField(r, h, "FileMetaData.schema", &v->schema);
      case 3: return ReadField(r, h, "FileMetaData.num_rows", &v->num_rows);
      case 4: return ReadField(r, h, "FileMetaData.row_groups", &v->row_groups);
      case 5: return ReadField(r, h, "FileMetaData.key_value_metadata", &v->key_value_metadata);
      case 6: return ReadField(r, h, "FileMetaData.created_by", &v->created_by);
      case 7: {
        if (h.type != CType::kList) return WrongType("FileMetaData.column_orders", h.type, "list");
        CType elem;
        uint32_t n;
        RETURN_IF_ERROR(r->ListBegin(&elem, &n));
        if (elem != CType::kStruct) return WrongType("FileMetaData.column_orders element", elem, "struct");
        std::vector<ColumnOrder> orders;
        for (uint32_t i = 0; i < n; ++i) {
          ColumnOrder o;
          RETURN_IF_ERROR(ReadEmptyUnion(r, "ColumnOrder", &o.kind));
          orders.push_back(o);
        }
        v->column_orders = std::move(orders);
        return Status::OK();
      }
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, "FileMetaData", {{1, "version"}, {2, "schema"}, {3, "num_rows"}, {4, "row_groups"}});
}

Status Deserialize(CompactReader* r, DataPageHeader* v) {
  *v = DataPageHeader{};
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "DataPageHeader.num_values", &v->num_values);
      case 2: return ReadField(r, h, "DataPageHeader.encoding", &v->encoding);
      case 3: return ReadField(r, h, "DataPageHeader.definition_level_encoding", &v->definition_level_encoding);
      case 4: return ReadField(r, h, "DataPageHeader.repetition_level_encoding", &v->repetition_level_encoding);
      case 5: return ReadField(r, h, "DataPageHeader.statistics", &v->statistics);
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, "DataPageHeader",
                       {{1, "num_values"}, {2, "encoding"}, {3, "definition_level_encoding"},
                        {4, "repetition_level_encoding"}});
}

Status Deserialize(CompactReader* r, DictionaryPageHeader* v) {
  *v = DictionaryPageHeader{};
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "DictionaryPageHeader.num_values", &v->num_values);
      case 2: return ReadField(r, h, "DictionaryPageHeader.encoding", &v->encoding);
      case 3: return ReadField(r, h, "DictionaryPageHeader.is_sorted", &v->is_sorted);
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, "DictionaryPageHeader", {{1, "num_values"}, {2, "encoding"}});
}

Status Deserialize(CompactReader* r, DataPageHeaderV2* v) {
  *v = DataPageHeaderV2{};
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "DataPageHeaderV2.num_values", &v->num_values);
      case 2: return ReadField(r, h, "DataPageHeaderV2.num_nulls", &v->num_nulls);
      case 3: return ReadField(r, h, "DataPageHeaderV2.num_rows", &v->num_rows);
      case 4: return ReadField(r, h, "DataPageHeaderV2.encoding", &v->encoding);
      case 5:
        return ReadField(r, h, "DataPageHeaderV2.definition_levels_byte_length", &v->definition_levels_byte_length);
      case 6:
        return ReadField(r, h, "DataPageHeaderV2.repetition_levels_byte_length", &v->repetition_levels_byte_length);
      case 7: return ReadField(r, h, "DataPageHeaderV2.is_compressed", &v->is_compressed);
      case 8: return ReadField(r, h, "DataPageHeaderV2.statistics", &v->statistics);
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, "DataPageHeaderV2",
                       {{1, "num_values"}, {2, "num_nulls"}, {3, "num_rows"}, {4, "encoding"},
                        {5, "definition_levels_byte_length"}, {6, "repetition_levels_byte_length"}});
}

Status Deserialize(CompactReader* r, PageHeader* v) {
  *v = PageHeader{};
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "PageHeader.type", &v->type);
      case 2: return ReadField(r, h, "PageHeader.uncompressed_page_size", &v->uncompressed_page_size);
      case 3: return ReadField(r, h, "PageHeader.compressed_page_size", &v->compressed_page_size);
      case 4: return ReadField(r, h, "PageHeader.crc", &v->crc);
      case 5: return ReadField(r, h, "PageHeader.data_page_header", &v->data_page_header);
      case 7: return ReadField(r, h, "PageHeader.dictionary_page_header", &v->dictionary_page_header);
      case 8: return ReadField(r, h, "PageHeader.data_page_header_v2", &v->data_page_header_v2);
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, "PageHeader", {{1, "type"}, {2, "uncompressed_page_size"}, {3, "compressed_page_size"}});
}

Status Deserialize(CompactReader* r, PageLocation* v) {
  *v = PageLocation{};
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "PageLocation.offset", &v->offset);
      case 2: return ReadField(r, h, "PageLocation.compressed_page_size", &v->compressed_page_size);
      case 3: return ReadField(r, h, "PageLocation.first_row_index", &v->first_row_index);
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, "PageLocation", {{1, "offset"}, {2, "compressed_page_size"}, {3, "first_row_index"}});
}

Status Deserialize(CompactReader* r, OffsetIndex* v) {
  *v = OffsetIndex{};
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: return ReadField(r, h, "OffsetIndex.page_locations", &v->page_locations);
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, "OffsetIndex", {{1, "page_locations"}});
}

Status Deserialize(CompactReader* r, ColumnIndex* v) {
  *v = ColumnIndex{};
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    switch (h.id) {
      case 1: {
        if (h.type != CType::kList) return WrongType("ColumnIndex.null_pages", h.type, "list");
        CType elem;
        uint32_t n;
        RETURN_IF_ERROR(r->ListBegin(&elem, &n));
        if (elem != CType::kBoolTrue) return WrongType("ColumnIndex.null_pages element", elem, "bool");
        v->null_pages.resize(n);  // n <= remaining bytes, one byte per element
        for (uint32_t i = 0; i < n; ++i) {
          bool b;
          RETURN_IF_ERROR(r->ReadBoolElement(&b));
          v->null_pages[i] = b;
        }
        return Status::OK();
      }
      case 2: return ReadField(r, h, "ColumnIndex.min_values", &v->min_values);
      case 3: return ReadField(r, h, "ColumnIndex.max_values", &v->max_values);
      case 4: return ReadField(r, h, "ColumnIndex.boundary_order", &v->boundary_order);
      case 5: return ReadField(r, h, "ColumnIndex.null_counts", &v->null_counts);
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, "ColumnIndex",
                       {{1, "null_pages"}, {2, "min_values"}, {3, "max_values"}, {4, "boundary_order"}});
}

Status Deserialize(CompactReader* r, BloomFilterHeader* v) {
  *v = BloomFilterHeader{};
  uint64_t seen = 0;
  auto on_field = [&](const FieldHeader& h) -> Status {
    static const char* const kUnionNames[] = {"", "", "BloomFilterHeader.algorithm", "BloomFilterHeader.hash",
                                              "BloomFilterHeader.compression"};
    switch (h.id) {
      case 1: return ReadField(r, h, "BloomFilterHeader.numBytes", &v->num_bytes);
      case 2:
      case 3:
      case 4: {
        if (h.type != CType::kStruct) return WrongType(kUnionNames[h.id], h.type, "struct");
        int16_t member = 0;
        RETURN_IF_ERROR(ReadEmptyUnion(r, kUnionNames[h.id], &member));
        if (member != 1) {
          return Status::Unimplemented(std::string(kUnionNames[h.id]) + " member " + std::to_string(member) +
                                       " is not supported (only split-block, xxHash, uncompressed exist)");
        }
        return Status::OK();
      }
      default: return r->Skip(h.type);
    }
  };
  RETURN_IF_ERROR(ReadStruct(r, &seen, on_field));
  return CheckRequired(seen, "BloomFilterHeader", {{1, "numBytes"}, {2, "algorithm"}, {3, "hash"}, {4, "compression"}});
}

}  // namespace loglake::parquet
