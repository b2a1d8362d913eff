#include "parquet/thrift_compact.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace loglake::parquet {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

TEST(ThriftCompactTest, VarintAndZigzagEncodingMatchesSpec) {
  std::string out;
  CompactWriter w(&out);
  w.I32(0);
  w.I32(-1);
  w.I32(1);
  w.I32(-2);
  w.I32(64);   // zigzag 128: two bytes
  EXPECT_EQ(out, Bytes({0x00, 0x01, 0x02, 0x03, 0x80, 0x01}));
}

TEST(ThriftCompactTest, IntegerExtremesRoundTrip) {
  std::string out;
  CompactWriter w(&out);
  const int64_t i64s[] = {0, 1, -1, 63, -64, 64, -65, std::numeric_limits<int64_t>::max(),
                          std::numeric_limits<int64_t>::min(), 1LL << 40, -(1LL << 40)};
  for (int64_t v : i64s) w.I64(v);
  w.I32(std::numeric_limits<int32_t>::max());
  w.I32(std::numeric_limits<int32_t>::min());
  w.I16(std::numeric_limits<int16_t>::min());
  w.Byte(-128);

  CompactReader r(out);
  for (int64_t want : i64s) {
    int64_t got;
    ASSERT_TRUE(r.ReadI64(&got).ok());
    EXPECT_EQ(got, want);
  }
  int32_t i32;
  ASSERT_TRUE(r.ReadI32(&i32).ok());
  EXPECT_EQ(i32, std::numeric_limits<int32_t>::max());
  ASSERT_TRUE(r.ReadI32(&i32).ok());
  EXPECT_EQ(i32, std::numeric_limits<int32_t>::min());
  int16_t i16;
  ASSERT_TRUE(r.ReadI16(&i16).ok());
  EXPECT_EQ(i16, std::numeric_limits<int16_t>::min());
  int8_t i8;
  ASSERT_TRUE(r.ReadByte(&i8).ok());
  EXPECT_EQ(i8, -128);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactTest, Int64MaxTakesTenBytes) {
  std::string out;
  CompactWriter w(&out);
  w.I64(std::numeric_limits<int64_t>::min());  // zigzag: all ones
  EXPECT_EQ(out.size(), 10u);
  EXPECT_EQ(static_cast<uint8_t>(out.back()), 0x01);
}

TEST(ThriftCompactTest, RejectsOverlongAndOverflowingVarints) {
  int64_t v;
  // 11 continuation bytes.
  const std::string a_bytes = Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01});
  CompactReader a(a_bytes);
  EXPECT_EQ(a.ReadI64(&v).code(), StatusCode::kCorruption);
  // 10th byte carries more than the top bit.
  const std::string b_bytes = Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02});
  CompactReader b(b_bytes);
  EXPECT_EQ(b.ReadI64(&v).code(), StatusCode::kCorruption);
  // Truncated.
  const std::string c_bytes = Bytes({0x80, 0x80});
  CompactReader c(c_bytes);
  EXPECT_EQ(c.ReadI64(&v).code(), StatusCode::kCorruption);
  // An i32 field whose value does not fit.
  std::string out;
  CompactWriter w(&out);
  w.I64(int64_t{1} << 31);
  int32_t i32;
  CompactReader d(out);
  EXPECT_EQ(d.ReadI32(&i32).code(), StatusCode::kCorruption);
}

TEST(ThriftCompactTest, FieldHeadersUseDeltasAndLongForm) {
  std::string out;
  CompactWriter w(&out);
  w.StructBegin();
  w.FieldI32(1, 7);      // delta 1: short form
  w.FieldI32(17, 8);     // delta 16: long form
  w.FieldI32(3, 9);      // decreasing: long form
  w.FieldI32(-5, 10);    // negative ids are legal in Thrift
  w.StructEnd();
  EXPECT_EQ(out.substr(0, 2), Bytes({0x15, 0x0E}));
  EXPECT_EQ(out.substr(2, 3), Bytes({0x05, 0x22, 0x10}));

  CompactReader r(out);
  ASSERT_TRUE(r.StructBegin().ok());
  const std::pair<int16_t, int32_t> want[] = {{1, 7}, {17, 8}, {3, 9}, {-5, 10}};
  for (auto [id, value] : want) {
    FieldHeader h;
    ASSERT_TRUE(r.ReadFieldHeader(&h).ok());
    EXPECT_EQ(h.id, id);
    EXPECT_EQ(h.type, CType::kI32);
    int32_t v;
    ASSERT_TRUE(r.ReadI32(&v).ok());
    EXPECT_EQ(v, value);
  }
  FieldHeader h;
  ASSERT_TRUE(r.ReadFieldHeader(&h).ok());
  EXPECT_EQ(h.type, CType::kStop);
  ASSERT_TRUE(r.StructEnd().ok());
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactTest, BoolFieldsLiveInTheTypeNibble) {
  std::string out;
  CompactWriter w(&out);
  w.StructBegin();
  w.FieldBool(1, true);
  w.FieldBool(2, false);
  w.StructEnd();
  EXPECT_EQ(out, Bytes({0x11, 0x12, 0x00}));

  CompactReader r(out);
  ASSERT_TRUE(r.StructBegin().ok());
  FieldHeader h;
  ASSERT_TRUE(r.ReadFieldHeader(&h).ok());
  EXPECT_TRUE(h.is_bool());
  EXPECT_TRUE(h.bool_value());
  ASSERT_TRUE(r.ReadFieldHeader(&h).ok());
  EXPECT_TRUE(h.is_bool());
  EXPECT_FALSE(h.bool_value());
}

TEST(ThriftCompactTest, NestedStructsRestoreFieldIdContext) {
  std::string out;
  CompactWriter w(&out);
  w.StructBegin();
  w.FieldI32(5, 1);
  w.FieldBegin(6, CType::kStruct);
  w.StructBegin();
  w.FieldI32(1, 2);  // delta from 0 inside the nested struct
  w.StructEnd();
  w.FieldI32(7, 3);  // delta from 6 again
  w.StructEnd();
  EXPECT_EQ(out, Bytes({0x55, 0x02, 0x1C, 0x15, 0x04, 0x00, 0x15, 0x06, 0x00}));

  CompactReader r(out);
  ASSERT_TRUE(r.StructBegin().ok());
  FieldHeader h;
  ASSERT_TRUE(r.ReadFieldHeader(&h).ok());
  int32_t v;
  ASSERT_TRUE(r.ReadI32(&v).ok());
  ASSERT_TRUE(r.ReadFieldHeader(&h).ok());
  EXPECT_EQ(h.id, 6);
  ASSERT_TRUE(r.Skip(h.type).ok());
  ASSERT_TRUE(r.ReadFieldHeader(&h).ok());
  EXPECT_EQ(h.id, 7);
}

TEST(ThriftCompactTest, ListsShortAndLongForm) {
  std::string out;
  CompactWriter w(&out);
  w.ListBegin(CType::kI32, 3);
  for (int i = 0; i < 3; ++i) w.I32(i);
  w.ListBegin(CType::kBinary, 20);
  for (int i = 0; i < 20; ++i) w.Binary(std::string(static_cast<size_t>(i), 'x'));
  w.ListBegin(CType::kBoolTrue, 2);
  w.BoolElement(true);
  w.BoolElement(false);
  EXPECT_EQ(out.substr(0, 1), Bytes({0x35}));

  CompactReader r(out);
  CType elem;
  uint32_t n;
  ASSERT_TRUE(r.ListBegin(&elem, &n).ok());
  EXPECT_EQ(elem, CType::kI32);
  EXPECT_EQ(n, 3u);
  for (int i = 0; i < 3; ++i) {
    int32_t v;
    ASSERT_TRUE(r.ReadI32(&v).ok());
    EXPECT_EQ(v, i);
  }
  ASSERT_TRUE(r.ListBegin(&elem, &n).ok());
  EXPECT_EQ(elem, CType::kBinary);
  EXPECT_EQ(n, 20u);
  for (int i = 0; i < 20; ++i) {
    std::string s;
    ASSERT_TRUE(r.ReadBinary(&s).ok());
    EXPECT_EQ(s, std::string(static_cast<size_t>(i), 'x'));
  }
  ASSERT_TRUE(r.ListBegin(&elem, &n).ok());
  EXPECT_EQ(elem, CType::kBoolTrue);
  bool b;
  ASSERT_TRUE(r.ReadBoolElement(&b).ok());
  EXPECT_TRUE(b);
  ASSERT_TRUE(r.ReadBoolElement(&b).ok());
  EXPECT_FALSE(b);
}

TEST(ThriftCompactTest, BoolListsAcceptBothElementTypesAndOldFalse) {
  // Element type 2 (the original spec) and value 0 (older spec revisions for false).
  const std::string r_bytes = Bytes({0x22, 0x01, 0x00});
  CompactReader r(r_bytes);
  CType elem;
  uint32_t n;
  ASSERT_TRUE(r.ListBegin(&elem, &n).ok());
  EXPECT_EQ(elem, CType::kBoolTrue);
  bool b;
  ASSERT_TRUE(r.ReadBoolElement(&b).ok());
  EXPECT_TRUE(b);
  ASSERT_TRUE(r.ReadBoolElement(&b).ok());
  EXPECT_FALSE(b);
  const std::string bad_bytes = Bytes({0x07});
  CompactReader bad(bad_bytes);
  EXPECT_EQ(bad.ReadBoolElement(&b).code(), StatusCode::kCorruption);
}

TEST(ThriftCompactTest, DoubleRoundTripsBitExactly) {
  const double values[] = {0.0, -0.0, 1.5, -1e308, 4.9e-324, std::numeric_limits<double>::infinity()};
  std::string out;
  CompactWriter w(&out);
  for (double d : values) w.Double(d);
  EXPECT_EQ(out.size(), 8 * std::size(values));
  EXPECT_EQ(out.substr(16, 8), Bytes({0, 0, 0, 0, 0, 0, 0xF8, 0x3F}));  // 1.5 little-endian
  CompactReader r(out);
  for (double want : values) {
    double got;
    ASSERT_TRUE(r.ReadDouble(&got).ok());
    EXPECT_EQ(std::signbit(got), std::signbit(want));
    EXPECT_EQ(got, want);
  }
}

TEST(ThriftCompactTest, RejectsSizesLargerThanTheInput) {
  CType elem;
  uint32_t n;
  // A list of 1,000,000 i32 in four bytes.
  const std::string list_bytes = Bytes({0xF5, 0xC0, 0x84, 0x3D});
  CompactReader list(list_bytes);
  EXPECT_EQ(list.ListBegin(&elem, &n).code(), StatusCode::kCorruption);
  // A list of doubles needs 8 bytes per element.
  const std::string doubles_bytes = Bytes({0x27, 0, 0, 0, 0, 0, 0, 0, 0});
  CompactReader doubles(doubles_bytes);
  EXPECT_EQ(doubles.ListBegin(&elem, &n).code(), StatusCode::kCorruption);
  // A binary claiming 100 bytes with 2 present.
  const std::string bin_bytes = Bytes({0x64, 'a', 'b'});
  CompactReader bin(bin_bytes);
  std::string s;
  EXPECT_EQ(bin.ReadBinary(&s).code(), StatusCode::kCorruption);
  // Invalid element type 13.
  const std::string type_bytes = Bytes({0x1D, 0x00});
  CompactReader type(type_bytes);
  EXPECT_EQ(type.ListBegin(&elem, &n).code(), StatusCode::kCorruption);
}

TEST(ThriftCompactTest, SkipsEveryType) {
  std::string out;
  CompactWriter w(&out);
  w.StructBegin();
  w.FieldBool(1, true);
  w.FieldByte(2, 7);
  w.FieldI16(3, -300);
  w.FieldI32(4, 100000);
  w.FieldI64(5, -1);
  w.FieldDouble(6, 2.5);
  w.FieldBinary(7, "hello");
  w.FieldListBegin(8, CType::kStruct, 2);
  for (int i = 0; i < 2; ++i) {
    w.StructBegin();
    w.FieldListBegin(1, CType::kBoolTrue, 1);
    w.BoolElement(true);
    w.StructEnd();
  }
  w.FieldBegin(9, CType::kSet);
  w.ListBegin(CType::kDouble, 1);
  w.Double(1.0);
  w.FieldI32(10, 42);  // the one field the test reads
  w.StructEnd();
  // Map<i32, binary> with 2 entries, hand-encoded, as field 11 of an outer struct.
  std::string with_map = Bytes({0x0B, 0x16}) + Bytes({0x02, 0x58, 0x02, 0x01, 'a', 0x04, 0x01, 'b'}) +
                         Bytes({0x00});

  CompactReader r(out);
  ASSERT_TRUE(r.StructBegin().ok());
  int32_t found = 0;
  while (true) {
    FieldHeader h;
    ASSERT_TRUE(r.ReadFieldHeader(&h).ok());
    if (h.type == CType::kStop) break;
    if (h.id == 10) {
      ASSERT_TRUE(r.ReadI32(&found).ok());
    } else {
      ASSERT_TRUE(r.Skip(h.type).ok()) << "field " << h.id;
    }
  }
  ASSERT_TRUE(r.StructEnd().ok());
  EXPECT_EQ(found, 42);
  EXPECT_EQ(r.remaining(), 0u);

  CompactReader m(with_map);
  ASSERT_TRUE(m.StructBegin().ok());
  FieldHeader h;
  ASSERT_TRUE(m.ReadFieldHeader(&h).ok());
  EXPECT_EQ(h.type, CType::kMap);
  EXPECT_EQ(h.id, 11);
  ASSERT_TRUE(m.Skip(h.type).ok());
  ASSERT_TRUE(m.ReadFieldHeader(&h).ok());
  EXPECT_EQ(h.type, CType::kStop);
}

TEST(ThriftCompactTest, LimitsNestingDepth) {
  // 100 nested struct fields, each "field 1 is a struct".
  const std::string deep = std::string(100, '\x1C') + std::string(101, '\x00');
  CompactReader r(deep);
  const Status st = r.Skip(CType::kStruct);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("nested"), std::string::npos) << st.message();
}

TEST(ThriftCompactTest, EveryTruncationIsAnErrorNotACrash) {
  std::string out;
  CompactWriter w(&out);
  w.StructBegin();
  w.FieldBinary(1, "some text");
  w.FieldListBegin(2, CType::kI64, 20);
  for (int i = 0; i < 20; ++i) w.I64(int64_t{1} << (i * 3));
  w.FieldDouble(3, 1.0);
  w.FieldBegin(4, CType::kStruct);
  w.StructBegin();
  w.FieldBool(1, true);
  w.StructEnd();
  w.StructEnd();
  for (size_t len = 0; len < out.size(); ++len) {
    CompactReader r(std::string_view(out).substr(0, len));
    EXPECT_EQ(r.Skip(CType::kStruct).code(), StatusCode::kCorruption) << "length " << len;
  }
  CompactReader whole(out);
  EXPECT_TRUE(whole.Skip(CType::kStruct).ok());
}

TEST(ThriftCompactTest, RejectsInvalidTypeCodesAndUnbalancedStructs) {
  const std::string r_bytes = Bytes({0x1D});
  CompactReader r(r_bytes);  // field 1 of type 13
  ASSERT_TRUE(r.StructBegin().ok());
  FieldHeader h;
  EXPECT_EQ(r.ReadFieldHeader(&h).code(), StatusCode::kCorruption);
  const std::string e_bytes = Bytes({});
  CompactReader e(e_bytes);
  EXPECT_EQ(e.StructEnd().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace loglake::parquet
