#include "parquet/metadata.h"

#include <gtest/gtest.h>

#include <string>

namespace loglake::parquet {
namespace {

template <typename T>
T RoundTrip(const T& v) {
  const std::string bytes = SerializeToString(v);
  T out;
  size_t consumed = 0;
  const Status st = DeserializeFrom(bytes, &out, &consumed);
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(consumed, bytes.size());
  return out;
}

Statistics FullStatistics() {
  Statistics s;
  s.max = std::string("\xff\x00z", 3);
  s.min = "a";
  s.null_count = 3;
  s.distinct_count = 1LL << 40;
  s.max_value = "zzz";
  s.min_value = "";
  s.is_max_value_exact = true;
  s.is_min_value_exact = false;
  return s;
}

FileMetaData SampleFile() {
  FileMetaData f;
  f.version = 2;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 3;
  f.schema.push_back(root);
  SchemaElement s;
  s.type = Type::BYTE_ARRAY;
  s.repetition_type = FieldRepetitionType::OPTIONAL;
  s.name = "uuid";
  s.converted_type = ConvertedType::UTF8;
  s.logical_type = LogicalType::String();
  s.field_id = 7;
  f.schema.push_back(s);
  SchemaElement t;
  t.type = Type::INT64;
  t.repetition_type = FieldRepetitionType::REQUIRED;
  t.name = "time";
  t.converted_type = ConvertedType::TIMESTAMP_MICROS;
  t.logical_type = LogicalType::Timestamp(true, TimeUnit::MICROS);
  f.schema.push_back(t);
  SchemaElement d;
  d.type = Type::FIXED_LEN_BYTE_ARRAY;
  d.type_length = 16;
  d.repetition_type = FieldRepetitionType::OPTIONAL;
  d.name = "amount";
  d.converted_type = ConvertedType::DECIMAL;
  d.scale = 2;
  d.precision = 30;
  d.logical_type = LogicalType::Decimal(2, 30);
  f.schema.push_back(d);
  f.num_rows = 12345678901LL;

  for (int g = 0; g < 2; ++g) {
    RowGroup rg;
    rg.num_rows = 1000 + g;
    rg.total_byte_size = 55555;
    rg.file_offset = 4;
    rg.total_compressed_size = 4444;
    rg.ordinal = static_cast<int16_t>(g);
    for (int c = 0; c < 3; ++c) {
      ColumnChunk cc;
      cc.file_offset = 100 * c;
      ColumnMetaData md;
      md.type = c == 0 ? Type::BYTE_ARRAY : Type::INT64;
      md.encodings = {Encoding::PLAIN, Encoding::RLE, Encoding::RLE_DICTIONARY};
      md.path_in_schema = {f.schema[static_cast<size_t>(c) + 1].name};
      md.codec = CompressionCodec::SNAPPY;
      md.num_values = 1000;
      md.total_uncompressed_size = 9000;
      md.total_compressed_size = 3000;
      md.key_value_metadata = std::vector<KeyValue>{{"k", "v"}, {"novalue", std::nullopt}};
      md.data_page_offset = 200;
      md.dictionary_page_offset = 4;
      md.index_page_offset = 12;
      md.statistics = FullStatistics();
      md.encoding_stats = std::vector<PageEncodingStats>{{PageType::DICTIONARY_PAGE, Encoding::PLAIN, 1},
                                                         {PageType::DATA_PAGE, Encoding::RLE_DICTIONARY, 3}};
      md.bloom_filter_offset = 1LL << 33;
      md.bloom_filter_length = 4096;
      cc.meta_data = md;
      cc.offset_index_offset = 7000;
      cc.offset_index_length = 30;
      cc.column_index_offset = 6000;
      cc.column_index_length = 40;
      rg.columns.push_back(cc);
    }
    f.row_groups.push_back(rg);
  }
  f.key_value_metadata = std::vector<KeyValue>{{"loglake.schema", "{\"table\":\"access_log\"}"}};
  f.created_by = "loglake version 0.1.0";
  f.column_orders = std::vector<ColumnOrder>(3);
  return f;
}

TEST(MetadataTest, FileMetaDataRoundTrips) {
  const FileMetaData f = SampleFile();
  const FileMetaData back = RoundTrip(f);
  EXPECT_EQ(back, f);
  EXPECT_EQ(back.row_groups[1].columns[2].meta_data->statistics->distinct_count, 1LL << 40);
  EXPECT_EQ(back.schema[3].logical_type->ToString(), "DECIMAL(30,2)");
}

TEST(MetadataTest, MinimalFileMetaDataRoundTrips) {
  FileMetaData f;
  f.version = 1;
  SchemaElement root;
  root.name = "r";
  f.schema.push_back(root);
  EXPECT_EQ(RoundTrip(f), f);
}

TEST(MetadataTest, LogicalTypesRoundTrip) {
  const LogicalType types[] = {
      LogicalType::String(),
      LogicalType::Integer(8, false),
      LogicalType::Integer(64, true),
      LogicalType::Timestamp(true, TimeUnit::MILLIS),
      LogicalType::Timestamp(false, TimeUnit::NANOS),
      LogicalType::Date(),
      LogicalType::Decimal(4, 18),
  };
  for (const LogicalType& t : types) EXPECT_EQ(RoundTrip(t), t) << t.ToString();
  LogicalType json;
  json.kind = LogicalType::Kind::JSON;
  EXPECT_EQ(RoundTrip(json).kind, LogicalType::Kind::JSON);
  EXPECT_EQ(LogicalType::Integer(32, true).ToString(), "INTEGER(32,signed)");
  EXPECT_EQ(LogicalType::Timestamp(true, TimeUnit::MICROS).ToString(), "TIMESTAMP(MICROS,UTC)");
}

TEST(MetadataTest, IntTypeBitWidthIsASingleByte) {
  // LogicalType{INTEGER{bitWidth=32 (i8), isSigned=true}}.
  const std::string bytes = SerializeToString(LogicalType::Integer(32, true));
  EXPECT_EQ(bytes, std::string("\xAC\x13\x20\x11\x00\x00", 6));
}

TEST(MetadataTest, UnknownLogicalTypeMemberIsKeptAsOther) {
  std::string bytes;
  CompactWriter w(&bytes);
  w.StructBegin();
  w.FieldBegin(40, CType::kStruct);  // a member from the future, with content
  w.StructBegin();
  w.FieldBinary(1, "crs");
  w.StructEnd();
  w.StructEnd();
  LogicalType t;
  ASSERT_TRUE(DeserializeFrom(bytes, &t).ok());
  EXPECT_EQ(t.kind, LogicalType::Kind::OTHER);
  EXPECT_EQ(t.other_field_id, 40);
}

TEST(MetadataTest, EmptyOrDoubleUnionIsCorruption) {
  LogicalType t;
  EXPECT_EQ(DeserializeFrom(std::string("\x00", 1), &t).code(), StatusCode::kCorruption);
  std::string two;
  CompactWriter w(&two);
  w.StructBegin();
  w.FieldBegin(1, CType::kStruct);
  w.StructBegin();
  w.StructEnd();
  w.FieldBegin(6, CType::kStruct);
  w.StructBegin();
  w.StructEnd();
  w.StructEnd();
  EXPECT_EQ(DeserializeFrom(two, &t).code(), StatusCode::kCorruption);
}

TEST(MetadataTest, PageHeadersRoundTrip) {
  PageHeader dict;
  dict.type = PageType::DICTIONARY_PAGE;
  dict.uncompressed_page_size = 100;
  dict.compressed_page_size = 80;
  dict.crc = -12345;
  dict.dictionary_page_header = DictionaryPageHeader{10, Encoding::PLAIN, true};
  EXPECT_EQ(RoundTrip(dict), dict);

  PageHeader v1;
  v1.type = PageType::DATA_PAGE;
  v1.uncompressed_page_size = 1 << 20;
  v1.compressed_page_size = 1 << 19;
  v1.data_page_header = DataPageHeader{1000, Encoding::RLE_DICTIONARY, Encoding::RLE, Encoding::RLE, FullStatistics()};
  EXPECT_EQ(RoundTrip(v1), v1);

  PageHeader v2;
  v2.type = PageType::DATA_PAGE_V2;
  v2.uncompressed_page_size = 10;
  v2.compressed_page_size = 10;
  DataPageHeaderV2 h;
  h.num_values = 5;
  h.num_nulls = 2;
  h.num_rows = 5;
  h.encoding = Encoding::DELTA_BINARY_PACKED;
  h.definition_levels_byte_length = 3;
  h.repetition_levels_byte_length = 0;
  h.is_compressed = false;
  v2.data_page_header_v2 = h;
  EXPECT_EQ(RoundTrip(v2), v2);
}

TEST(MetadataTest, PageIndexAndBloomHeaderRoundTrip) {
  ColumnIndex ci;
  ci.null_pages = {false, true, false};
  ci.min_values = {"a", "", "m"};
  ci.max_values = {"f", "", "z"};
  ci.boundary_order = BoundaryOrder::ASCENDING;
  ci.null_counts = std::vector<int64_t>{0, 100, 3};
  EXPECT_EQ(RoundTrip(ci), ci);

  OffsetIndex oi;
  for (int i = 0; i < 20; ++i) oi.page_locations.push_back({4 + 1000LL * i, 1000, 500LL * i});
  EXPECT_EQ(RoundTrip(oi), oi);

  BloomFilterHeader bf{1 << 20};
  EXPECT_EQ(RoundTrip(bf), bf);
}

TEST(MetadataTest, BloomHeaderWithUnknownAlgorithmIsUnimplemented) {
  std::string bytes;
  CompactWriter w(&bytes);
  w.StructBegin();
  w.FieldI32(1, 32);
  for (int16_t id : {2, 3, 4}) {
    w.FieldBegin(id, CType::kStruct);
    w.StructBegin();
    w.FieldBegin(id == 3 ? 2 : 1, CType::kStruct);
    w.StructBegin();
    w.StructEnd();
    w.StructEnd();
  }
  w.StructEnd();
  BloomFilterHeader h;
  EXPECT_EQ(DeserializeFrom(bytes, &h).code(), StatusCode::kUnimplemented);
}

TEST(MetadataTest, UnknownFieldsOfEveryTypeAreSkipped) {
  // A KeyValue from a "newer writer", with extra fields of every wire type around the known ones.
  std::string bytes;
  CompactWriter w(&bytes);
  w.StructBegin();
  w.FieldDouble(0, 3.0);
  w.FieldBinary(1, "key");
  w.FieldBinary(2, "value");
  w.FieldBool(3, true);
  w.FieldByte(4, 1);
  w.FieldI16(5, 2);
  w.FieldI32(6, 3);
  w.FieldI64(7, 4);
  w.FieldListBegin(8, CType::kStruct, 1);
  w.StructBegin();
  w.FieldBinary(1, "nested");
  w.StructEnd();
  w.FieldBegin(9, CType::kStruct);
  w.StructBegin();
  w.FieldListBegin(1, CType::kBoolTrue, 2);
  w.BoolElement(true);
  w.BoolElement(false);
  w.StructEnd();
  w.FieldI32(300, 5);  // long-form id
  w.StructEnd();
  KeyValue kv;
  size_t consumed = 0;
  const Status st = DeserializeFrom(bytes, &kv, &consumed);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(kv.key, "key");
  EXPECT_EQ(kv.value, "value");
  EXPECT_EQ(consumed, bytes.size());
}

TEST(MetadataTest, NewerFileMetaDataFieldsAreSkipped) {
  // Append fields 8 (encryption_algorithm) and 9 (footer_signing_key_metadata) before the stop.
  std::string bytes = SerializeToString(SampleFile());
  ASSERT_EQ(bytes.back(), '\0');
  bytes.pop_back();
  bytes.push_back(static_cast<char>(0x1C));  // field 8 (delta 1 from 7), struct
  bytes += std::string("\x1C\x18\x02xy\x00\x00", 7);  // AES_GCM_V1 { aad_prefix = "xy" }
  bytes += std::string("\x18\x03key", 5);  // field 9, binary
  bytes.push_back('\0');
  FileMetaData f;
  const Status st = DeserializeFrom(bytes, &f);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(f, SampleFile());
}

TEST(MetadataTest, MissingRequiredFieldIsCorruption) {
  std::string bytes;
  CompactWriter w(&bytes);
  w.StructBegin();
  w.FieldI32(1, 1);  // version only
  w.StructEnd();
  FileMetaData f;
  const Status st = DeserializeFrom(bytes, &f);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("schema"), std::string::npos) << st.message();
}

TEST(MetadataTest, WrongWireTypeIsCorruption) {
  std::string bytes;
  CompactWriter w(&bytes);
  w.StructBegin();
  w.FieldBinary(1, "not an int");
  w.StructEnd();
  PageLocation loc;
  const Status st = DeserializeFrom(bytes, &loc);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("PageLocation.offset"), std::string::npos) << st.message();
}

TEST(MetadataTest, IntegerFieldsAcceptAnyIntegerWireTypeInRange) {
  std::string bytes;
  CompactWriter w(&bytes);
  w.StructBegin();
  w.FieldI16(1, 5);            // offset is i64 on the spec; an i16 on the wire is the same varint
  w.FieldI64(2, 1LL << 40);    // compressed_page_size is i32: out of range
  w.FieldI64(3, 0);
  w.StructEnd();
  PageLocation loc;
  EXPECT_EQ(DeserializeFrom(bytes, &loc).code(), StatusCode::kCorruption);
}

TEST(MetadataTest, EveryTruncationOfAFooterIsCorruption) {
  const std::string bytes = SerializeToString(SampleFile());
  for (size_t len = 0; len < bytes.size(); ++len) {
    FileMetaData f;
    const Status st = DeserializeFrom(std::string_view(bytes).substr(0, len), &f);
    ASSERT_EQ(st.code(), StatusCode::kCorruption) << "length " << len;
  }
}

TEST(MetadataTest, ByteFlipsNeverCrash) {
  const std::string bytes = SerializeToString(SampleFile());
  int ok = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int bit : {0x01, 0x10, 0x80, 0xFF}) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(bad[i] ^ bit);
      FileMetaData f;
      if (DeserializeFrom(bad, &f).ok()) ++ok;
    }
  }
  // Many flips only change a value; the point is that none crashed under the sanitizers.
  EXPECT_GT(ok, 0);
}

TEST(MetadataTest, EnumNames) {
  EXPECT_EQ(TypeName(Type::FIXED_LEN_BYTE_ARRAY), "FIXED_LEN_BYTE_ARRAY");
  EXPECT_EQ(EncodingName(Encoding::RLE_DICTIONARY), "RLE_DICTIONARY");
  EXPECT_EQ(EncodingName(static_cast<Encoding>(1)), "ENCODING(1)");
  EXPECT_EQ(CodecName(CompressionCodec::LZ4_RAW), "LZ4_RAW");
  EXPECT_EQ(ConvertedTypeName(ConvertedType::INTERVAL), "INTERVAL");
  EXPECT_EQ(ConvertedTypeName(static_cast<ConvertedType>(99)), "CONVERTED_TYPE(99)");
  EXPECT_EQ(PageTypeName(PageType::DATA_PAGE_V2), "DATA_PAGE_V2");
  EXPECT_EQ(RepetitionName(FieldRepetitionType::REPEATED), "REPEATED");
}

}  // namespace
}  // namespace loglake::parquet
