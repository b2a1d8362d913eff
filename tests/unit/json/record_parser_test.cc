#include "json/record_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "common/time.h"

namespace loglake::json {
namespace {

constexpr int64_t k20261122T013818 = 1795311498000000;  // 2026-11-22T01:38:18Z
constexpr char kTime[] = R"("time":"2026-11-22T01:38:18Z")";

// A layout with one column of each type, plus time and extra.
RecordLayout TypesLayout(bool with_extra = true) {
  RecordLayout layout;
  layout.fields = {{"time", ColumnType::kTimestamp, false}, {"s", ColumnType::kString, true},
                   {"i32", ColumnType::kInt32, true},       {"i64", ColumnType::kInt64, true},
                   {"d", ColumnType::kDouble, true},        {"b", ColumnType::kBool, true},
                   {"ts", ColumnType::kTimestamp, true},    {"req", ColumnType::kString, false}};
  layout.time_field = 0;
  if (with_extra) {
    layout.fields.push_back({"extra", ColumnType::kString, true});
    layout.extra_field = static_cast<int>(layout.fields.size()) - 1;
  }
  return layout;
}

// Parses records against TypesLayout and checks the value of one column.
class RecordParserTest : public ::testing::Test {
 protected:
  RecordParserTest() : parser_(TypesLayout()), batch_(TypesLayout().fields) {}

  // Parses {time, req, <members>}; on success appends the row.
  Status Parse(const std::string& members) {
    const std::string text =
        std::string("{") + kTime + R"(,"req":"r")" + (members.empty() ? "" : ",") + members + "}";
    Status st = parser_.Parse(text);
    if (st.ok()) parser_.AppendTo(&batch_);
    return st;
  }
  const Column& Col(const char* name) const {
    return batch_.columns[static_cast<size_t>(batch_.FieldIndex(name))];
  }
  size_t Last() const { return batch_.num_rows() - 1; }

  void ExpectRejected(const std::string& members, const std::string& message) {
    Status st = Parse(members);
    ASSERT_FALSE(st.ok()) << members << " was accepted";
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(st.message(), message) << members;
  }
  void ExpectRejectedContaining(const std::string& members, const std::string& part) {
    Status st = Parse(members);
    ASSERT_FALSE(st.ok()) << members << " was accepted";
    EXPECT_NE(st.message().find(part), std::string::npos) << st.message();
  }
  std::string String(const std::string& members) {
    Status st = Parse(members);
    EXPECT_TRUE(st.ok()) << members << ": " << st.ToString();
    if (!st.ok() || Col("s").IsNull(Last())) return "<null>";
    return std::string(Col("s").String(Last()));
  }
  std::string Extra(const std::string& members) {
    Status st = Parse(members);
    EXPECT_TRUE(st.ok()) << members << ": " << st.ToString();
    if (!st.ok() || Col("extra").IsNull(Last())) return "<null>";
    return std::string(Col("extra").String(Last()));
  }
  int64_t Int(const char* column, const std::string& members) {
    Status st = Parse(members);
    EXPECT_TRUE(st.ok()) << members << ": " << st.ToString();
    return st.ok() ? Col(column).Int64(Last()) : -999;
  }
  int32_t Int32(const std::string& members) {
    Status st = Parse(members);
    EXPECT_TRUE(st.ok()) << members << ": " << st.ToString();
    return st.ok() ? Col("i32").Int32(Last()) : -999;
  }
  double Double(const std::string& members) {
    Status st = Parse(members);
    EXPECT_TRUE(st.ok()) << members << ": " << st.ToString();
    return st.ok() ? Col("d").Double(Last()) : -999;
  }

  RecordParser parser_;
  ColumnBatch batch_;
};

TEST_F(RecordParserTest, AccessLogRecord) {
  RecordLayout layout;
  layout.fields = {{"uuid", ColumnType::kString},        {"time", ColumnType::kTimestamp, false},
                   {"tenant_id", ColumnType::kString},   {"user_id", ColumnType::kString},
                   {"method", ColumnType::kString},      {"path", ColumnType::kString},
                   {"query", ColumnType::kString},       {"status", ColumnType::kInt32},
                   {"duration_ms", ColumnType::kDouble}, {"bytes_sent", ColumnType::kInt64},
                   {"remote_ip", ColumnType::kString},   {"user_agent", ColumnType::kString},
                   {"request_id", ColumnType::kString},  {"extra", ColumnType::kString}};
  layout.time_field = 1;
  layout.extra_field = 13;
  RecordParser parser(layout);
  ColumnBatch batch(layout.fields);
  ASSERT_TRUE(
      parser
          .Parse(R"({"uuid":"3f2b6c1e","time":"2026-11-22T10:38:18.5+09:00","tenant_id":"t1","user_id":"u9",)"
                 R"("method":"GET","path":"/api/v1/orders/1","query":"","status":200,"duration_ms":12.5,)"
                 R"("bytes_sent":4821,"remote_ip":"203.0.113.42","user_agent":"curl/8.0","request_id":"r1",)"
                 R"("trace":{"span":"ab"}})")
          .ok());
  parser.AppendTo(&batch);
  ASSERT_EQ(batch.num_rows(), 1u);
  EXPECT_EQ(batch.columns[0].String(0), "3f2b6c1e");
  EXPECT_EQ(batch.columns[1].Timestamp(0), k20261122T013818 + 500000);
  EXPECT_EQ(parser.time_micros(), k20261122T013818 + 500000);
  EXPECT_EQ(batch.columns[5].String(0), "/api/v1/orders/1");
  EXPECT_FALSE(batch.columns[6].IsNull(0));
  EXPECT_EQ(batch.columns[6].String(0), "");
  EXPECT_EQ(batch.columns[7].Int32(0), 200);
  EXPECT_EQ(batch.columns[8].Double(0), 12.5);
  EXPECT_EQ(batch.columns[9].Int64(0), 4821);
  EXPECT_EQ(batch.columns[13].String(0), R"({"trace":{"span":"ab"}})");
}

TEST_F(RecordParserTest, StringsUnescapeAndKeepUnicode) {
  EXPECT_EQ(String(R"("s":"plain")"), "plain");
  EXPECT_EQ(String(R"("s":"caf\u00e9")"), "caf\xC3\xA9");
  EXPECT_EQ(String(R"("s":"\ud83d\ude00")"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(String(R"("s":"line\nnext\ttab")"), "line\nnext\ttab");
  EXPECT_EQ(String(R"("s":"q\"uote \\ back \/ slash")"), "q\"uote \\ back / slash");
  EXPECT_EQ(String("\"s\":\"\xE6\x97\xA5\xE6\x9C\xAC\""), "\xE6\x97\xA5\xE6\x9C\xAC");  // raw UTF-8
  EXPECT_EQ(String(R"("s":"nul\u0000inside")"), std::string("nul\0inside", 10));
}

TEST_F(RecordParserTest, EmptyStringNullAndMissingAreDistinct) {
  EXPECT_EQ(String(R"("s":"")"), "");
  EXPECT_EQ(String(R"("s":null)"), "<null>");
  EXPECT_EQ(String(""), "<null>");
  ASSERT_TRUE(Parse(R"("s":"","i32":null)").ok());
  EXPECT_FALSE(Col("s").IsNull(Last()));
  EXPECT_TRUE(Col("i32").IsNull(Last()));
  EXPECT_TRUE(Col("d").IsNull(Last()));
  EXPECT_TRUE(Col("b").IsNull(Last()));
  EXPECT_TRUE(Col("ts").IsNull(Last()));
}

TEST_F(RecordParserTest, ScalarsAndContainersIntoStringColumnsKeepTheirJsonText) {
  EXPECT_EQ(String(R"("s":200)"), "200");
  EXPECT_EQ(String(R"("s":-1.50e+3)"), "-1.50e+3");
  EXPECT_EQ(String(R"("s":true)"), "true");
  EXPECT_EQ(String(R"("s":false)"), "false");
  EXPECT_EQ(String(R"("s": { "a" : [1, 2.0, "x\u00e9"] , "b":{} } )"), R"({"a":[1,2.0,"x\u00e9"],"b":{}})");
  EXPECT_EQ(String(R"("s":[])"), "[]");
}

TEST_F(RecordParserTest, RejectsInvalidUtf8AndBadEscapes) {
  ExpectRejected("\"s\":\"\xFF\xFE\"", "invalid UTF-8 in the record");
  ExpectRejected("\"s\":\"\xC3\"", "invalid UTF-8 in the record");
  ExpectRejectedContaining("\"s\":\"\xED\xA0\x80\"", "invalid UTF-8");  // encoded surrogate
  ExpectRejected(
      R"("s":"bad \q escape")",
      "malformed JSON: invalid escape sequence in a string (in the value of key \"s\") near byte 61");
  ExpectRejectedContaining(R"("s":"lone \ud800 surrogate")", "invalid escape sequence");
  ExpectRejectedContaining("\"s\":\"raw\ttab\"", "control character");
  ExpectRejectedContaining(R"("unknown":"bad \x escape")", "invalid escape sequence");
}

TEST_F(RecordParserTest, Int32) {
  EXPECT_EQ(Int32(R"("i32":200)"), 200);
  EXPECT_EQ(Int32(R"("i32":2147483647)"), INT32_MAX);
  EXPECT_EQ(Int32(R"("i32":-2147483648)"), INT32_MIN);
  EXPECT_EQ(Int32(R"("i32":-0)"), 0);
  EXPECT_EQ(Int32(R"("i32":1500.0)"), 1500);  // exact integers in other notations
  EXPECT_EQ(Int32(R"("i32":1.5e3)"), 1500);
  EXPECT_EQ(Int32(R"("i32":15000e-1)"), 1500);
  EXPECT_EQ(Int32(R"("i32":"200")"), 200);  // numeric strings, as shippers write them
  EXPECT_EQ(Int32(R"("i32":"-7")"), -7);
  ExpectRejected(R"("i32":2147483648)", "field 'i32': 2147483648 is out of range for int32");
  ExpectRejected(R"("i32":-2147483649)", "field 'i32': -2147483649 is out of range for int32");
  ExpectRejected(R"("i32":1e400)", "field 'i32': 1e400 is out of range for int32");
  ExpectRejected(R"("i32":1.5)", "field 'i32': expected int32, got non-integer number 1.5");
  ExpectRejected(R"("i32":"abc")", "field 'i32': expected int32, got string \"abc\"");
  ExpectRejected(R"("i32":"2.5")", "field 'i32': expected int32, got non-integer string \"2.5\"");
  ExpectRejected(R"("i32":" 200")", "field 'i32': expected int32, got string \" 200\"");
  ExpectRejected(R"("i32":"")", "field 'i32': expected int32, got string \"\"");
  ExpectRejected(R"("i32":true)", "field 'i32': expected int32, got bool true");
  ExpectRejected(R"("i32":[1])", "field 'i32': expected int32, got an array");
  ExpectRejected(R"("i32":{"v":1})", "field 'i32': expected int32, got an object");
}

TEST_F(RecordParserTest, Int64) {
  EXPECT_EQ(Int("i64", R"("i64":9223372036854775807)"), INT64_MAX);
  EXPECT_EQ(Int("i64", R"("i64":-9223372036854775808)"), INT64_MIN);
  EXPECT_EQ(Int("i64", R"("i64":9007199254740993)"), 9007199254740993);  // not representable as double
  EXPECT_EQ(Int("i64", R"("i64":9007199254740993.000)"), 9007199254740993);
  EXPECT_EQ(Int("i64", R"("i64":"9223372036854775807")"), INT64_MAX);
  ExpectRejected(R"("i64":9223372036854775808)",
                 "field 'i64': 9223372036854775808 is out of range for int64");
  ExpectRejected(R"("i64":-9223372036854775809)",
                 "field 'i64': -9223372036854775809 is out of range for int64");
  ExpectRejected(R"("i64":123456789012345678901234567890)",
                 "field 'i64': 123456789012345678901234567890 is out of range for int64");
  ExpectRejected(R"("i64":0.1)", "field 'i64': expected int64, got non-integer number 0.1");
}

TEST_F(RecordParserTest, Double) {
  EXPECT_EQ(Double(R"("d":12.5)"), 12.5);
  EXPECT_EQ(Double(R"("d":42)"), 42.0);
  EXPECT_EQ(Double(R"("d":"0.005")"), 0.005);
  EXPECT_EQ(Double(R"("d":1e308)"), 1e308);
  EXPECT_EQ(Double(R"("d":1.7976931348623157e308)"), std::numeric_limits<double>::max());
  EXPECT_EQ(Double(R"("d":5e-324)"), std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(Double(R"("d":-5e-324)"), -std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(Double(R"("d":0.1)"), 0.1);
  EXPECT_EQ(Double(R"("d":9007199254740993)"), 9007199254740992.0);  // nearest double
  const double neg_zero = Double(R"("d":-0.0)");
  EXPECT_EQ(neg_zero, 0.0);
  EXPECT_TRUE(std::signbit(neg_zero));
  EXPECT_FALSE(std::signbit(Double(R"("d":0)")));
  const double underflow = Double(R"("d":-1e-400)");
  EXPECT_EQ(underflow, 0.0);
  EXPECT_TRUE(std::signbit(underflow));
  ExpectRejected(R"("d":1e309)", "field 'd': 1e309 is out of range for double");
  ExpectRejected(R"("d":-1e400)", "field 'd': -1e400 is out of range for double");
  ExpectRejected(R"("d":"NaN")", "field 'd': expected double, got string \"NaN\"");
  ExpectRejected(R"("d":"Infinity")", "field 'd': expected double, got string \"Infinity\"");
  ExpectRejected(R"("d":false)", "field 'd': expected double, got bool false");
}

TEST_F(RecordParserTest, Bool) {
  ASSERT_TRUE(Parse(R"("b":true)").ok());
  EXPECT_TRUE(Col("b").Bool(Last()));
  ASSERT_TRUE(Parse(R"("b":false)").ok());
  EXPECT_FALSE(Col("b").Bool(Last()));
  ExpectRejected(R"("b":1)", "field 'b': expected bool, got number 1");
  ExpectRejected(R"("b":"true")", "field 'b': expected bool, got string \"true\"");
}

TEST_F(RecordParserTest, TimestampsFromIsoStrings) {
  EXPECT_EQ(Int("ts", R"("ts":"2026-11-22T01:38:18.123456Z")"), k20261122T013818 + 123456);
  EXPECT_EQ(Int("ts", R"("ts":"2026-11-22T10:38:18+09:00")"), k20261122T013818);
  EXPECT_EQ(Int("ts", R"("ts":"1969-07-20T20:17:40Z")"), -14182940000000);
  EXPECT_EQ(Int("ts", R"("ts":"1900-01-01")"), -2208988800000000);
  ExpectRejected(R"("ts":"2026-02-30T00:00:00Z")",
                 "field 'ts': invalid timestamp \"2026-02-30T00:00:00Z\": day out of range for the month");
  ExpectRejected(R"("ts":"yesterday")",
                 "field 'ts': invalid timestamp \"yesterday\": expected YYYY-MM-DD at the start");
  ExpectRejected(R"("ts":true)", "field 'ts': expected timestamp, got bool true");
}

TEST_F(RecordParserTest, TimestampsFromEpochNumbers) {
  EXPECT_EQ(Int("ts", R"("ts":1795311498)"), k20261122T013818);
  EXPECT_EQ(Int("ts", R"("ts":1795311498.123456789)"), k20261122T013818 + 123456);  // floored
  EXPECT_EQ(Int("ts", R"("ts":1.795311498e9)"), k20261122T013818);
  EXPECT_EQ(Int("ts", R"("ts":"1795311498")"), k20261122T013818);
  EXPECT_EQ(Int("ts", R"("ts":-1.5)"), -1500000);
  EXPECT_EQ(Int("ts", R"("ts":-0.0000001)"), -1);  // toward the past
  EXPECT_EQ(Int("ts", R"("ts":0)"), 0);
  // |n| >= 1e11 is milliseconds.
  EXPECT_EQ(Int("ts", R"("ts":1795311498123)"), k20261122T013818 + 123000);
  EXPECT_EQ(Int("ts", R"("ts":1795311498123.456)"), k20261122T013818 + 123456);
  EXPECT_EQ(Int("ts", R"("ts":99999999999)"), 99999999999 * kMicrosPerSecond);
  EXPECT_EQ(Int("ts", R"("ts":100000000000)"), 100000000000 * 1000);
  EXPECT_EQ(Int("ts", R"("ts":-100000000000)"), -100000000000 * 1000);
  EXPECT_EQ(Int("ts", R"("ts":253402300799999)"), kMaxTimestampMicros - 999);
  ExpectRejected(R"("ts":253402300800000)",
                 "field 'ts': epoch milliseconds 253402300800000 is outside the years 0000..9999");
  ExpectRejected(R"("ts":1e30)", "field 'ts': epoch milliseconds 1e30 is outside the years 0000..9999");
}

TEST_F(RecordParserTest, TimeFieldIsRequired) {
  RecordParser parser(TypesLayout());
  Status st = parser.Parse(R"({"req":"r"})");
  EXPECT_EQ(st.message(), "missing time field 'time'");
  EXPECT_FALSE(parser.time_micros().has_value());
  st = parser.Parse(R"({"time":null,"req":"r"})");
  EXPECT_EQ(st.message(), "missing time field 'time' (it is null)");
  st = parser.Parse(R"({"time":"not a time","req":"r"})");
  EXPECT_EQ(st.message(), "field 'time': invalid timestamp \"not a time\": expected YYYY-MM-DD at the start");
  EXPECT_FALSE(parser.time_micros().has_value());
}

TEST_F(RecordParserTest, NonNullableColumns) {
  RecordParser parser(TypesLayout());
  EXPECT_EQ(parser.Parse(std::string("{") + kTime + "}").message(), "missing required field 'req'");
  EXPECT_EQ(parser.Parse(std::string("{") + kTime + R"(,"req":null})").message(),
            "field 'req' is null but the column is not nullable");
}

TEST_F(RecordParserTest, TimeIsKnownWhenTheRecordIsRejectedForAnotherReason) {
  RecordParser parser(TypesLayout());
  Status st = parser.Parse(R"({"i32":"abc","time":"2026-11-22T01:38:18Z","req":"r"})");
  EXPECT_EQ(st.message(), "field 'i32': expected int32, got string \"abc\"");
  EXPECT_EQ(parser.time_micros(), k20261122T013818);
  st = parser.Parse(R"({"time":"2026-11-22T01:38:18Z","s":"abc")");
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(parser.time_micros(), k20261122T013818);
  st = parser.Parse(R"({"s":1,"s":2,"time":1795311498})");
  EXPECT_EQ(st.message(), "duplicate key 's'");
  EXPECT_EQ(parser.time_micros(), k20261122T013818);
  // A broken record: the time is looked up in its text (top-level keys only).
  st = parser.Parse(R"({"s":tru,"x":{"time":1},"time":1795311498,"i32":)");
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(parser.time_micros(), k20261122T013818);
  st = parser.Parse(R"({"s":"{\"time\":1}","x":{"time":1},"time":"2026-11-22T01:38:18Z)");
  EXPECT_FALSE(st.ok());
  EXPECT_FALSE(parser.time_micros().has_value());  // the time string itself is cut
  st = parser.Parse(R"({"s":tru,"x":{"time":1}})");
  EXPECT_FALSE(parser.time_micros().has_value());
}

TEST_F(RecordParserTest, FindTimeReadsBrokenRecords) {
  RecordParser parser(TypesLayout());
  EXPECT_EQ(parser.FindTime(R"({"req":"r","time":"2026-11-22T01:38:18Z","s":"trunc)"), k20261122T013818);
  EXPECT_EQ(parser.FindTime(R"({"time":1795311498,"s":")" + std::string(100, 'x')), k20261122T013818);
  EXPECT_EQ(parser.FindTime(R"({"time":1795311498,"req":"r"})"), k20261122T013818);  // a good record too
  EXPECT_FALSE(parser.FindTime(R"({"s":"no time here)").has_value());
  EXPECT_FALSE(parser.FindTime("").has_value());
  EXPECT_FALSE(parser.FindTime(R"({"time":"2026-11-22T01:38)").has_value());
  EXPECT_FALSE(parser.FindTime(R"({"time":17953)").has_value());  // maybe cut short
  EXPECT_EQ(parser.FindTime(R"({"time" : 1795311498 , "s":)"), k20261122T013818);
}

TEST_F(RecordParserTest, DuplicateKeysAreRejected) {
  ExpectRejected(R"("i32":1,"i32":2)", "duplicate key 'i32'");
  ExpectRejected(R"("i32":1,"i32":null)", "duplicate key 'i32'");
  ExpectRejected(R"("u":1,"v":2,"u":3)", "duplicate key \"u\"");
  ExpectRejected(R"("time":"2026-11-22T01:38:18Z")", "duplicate key 'time'");
  // Nested objects are opaque data: their keys are not checked.
  EXPECT_EQ(Extra(R"("u":{"k":1,"k":2})"), R"({"u":{"k":1,"k":2}})");
}

TEST_F(RecordParserTest, UnknownKeysGoToExtraVerbatim) {
  EXPECT_EQ(Extra(""), "<null>");
  EXPECT_EQ(Extra(R"("zeta": {"a" : [1, 2.50, "x\u00e9", null, true]}, "n": 1.0E+2, "q":"a\"b")"),
            R"({"zeta":{"a":[1,2.50,"x\u00e9",null,true]},"n":1.0E+2,"q":"a\"b"})");
  EXPECT_EQ(Extra(R"("k\u0065y":"v")"), R"({"k\u0065y":"v"})");  // keys keep their escapes
  EXPECT_EQ(Extra(R"("":0)"), R"({"":0})");
  EXPECT_EQ(Extra(R"("big":123456789012345678901234567890)"), R"({"big":123456789012345678901234567890})");
  // "extra" in the record is an ordinary unknown key: nested, not merged.
  EXPECT_EQ(Extra(R"("extra":{"a":1},"c":2)"), R"({"extra":{"a":1},"c":2})");
  EXPECT_EQ(Extra(R"("extra":"{\"a\":1}")"), R"({"extra":"{\"a\":1}"})");
}

TEST_F(RecordParserTest, EscapedKeysMatchColumns) {
  EXPECT_EQ(Int32(R"("i\u0033\u0032":7)"), 7);
}

TEST_F(RecordParserTest, UnknownKeysWithoutExtraColumnAreAnError) {
  RecordParser parser(TypesLayout(/*with_extra=*/false));
  Status st = parser.Parse(std::string("{") + kTime + R"(,"req":"r","color":"red"})");
  EXPECT_EQ(st.message(), "unknown key \"color\" (the table has no extra column to keep it)");
  EXPECT_EQ(parser.time_micros(), k20261122T013818);
}

TEST_F(RecordParserTest, MalformedRecords) {
  RecordParser parser(TypesLayout());
  auto message = [&](std::string_view text) { return parser.Parse(text).message(); };
  EXPECT_EQ(message("[1,2]"), "top-level JSON value is not an object");
  EXPECT_EQ(message("\"x\""), "top-level JSON value is not an object");
  EXPECT_EQ(message("42"), "top-level JSON value is not an object");
  EXPECT_EQ(message(""), "empty record");
  EXPECT_EQ(message("   "), "empty record");
  EXPECT_EQ(message(R"({"time":1,)"), "malformed JSON: the record ends inside an object or array");
  EXPECT_EQ(message(R"({"time":1,})"),
            "malformed JSON: unexpected character (a missing or extra comma, colon, quote or bracket) near "
            "byte 11");
  EXPECT_EQ(message(R"({"time":1 "s":2})"),
            "malformed JSON: unexpected character (a missing or extra comma, colon, quote or bracket) near "
            "byte 11");
  EXPECT_NE(message(R"({"time":1, "s" 2})").find("malformed JSON"), std::string::npos);
  EXPECT_EQ(message(R"({"time":1,"req":"r"} {"time":2})"),
            "malformed JSON: unexpected content after the object");
  EXPECT_EQ(message(R"({"time":1,"req":"r"}})"), "malformed JSON: unexpected content after the object");
  EXPECT_EQ(message(R"({"time":1,"req":"r","i32":12x})"),
            "malformed JSON: invalid number (in the value of key \"i32\") near byte 27");
  EXPECT_EQ(message(R"({"time":1,"req":"r","b":tru})"),
            "malformed JSON: invalid literal (in the value of key \"b\") near byte 25");
  EXPECT_EQ(message(R"({"time":1,"req":"r","x":{"y":nul}})"),
            "malformed JSON: invalid literal (in the value of key \"x\") near byte 30");
  EXPECT_EQ(message(R"({"time":1,"req":"r","x":[1,]})").substr(0, 14), "malformed JSON");
  EXPECT_EQ(message(R"({"time":1,"req":"r","x":[1}})").substr(0, 14), "malformed JSON");
  // A value that is rejected for its type is not examined further.
  EXPECT_EQ(message(R"({"time":1,"req":"r","i32":[1}})"), "field 'i32': expected int32, got an array");
  EXPECT_TRUE(parser.Parse("  {\"time\":1,\"req\":\"r\"}\r\n").ok());
}

TEST_F(RecordParserTest, NestingDepthIsLimited) {
  const std::string ok_nested = std::string(100, '[') + std::string(100, ']');
  EXPECT_EQ(Extra("\"x\":" + ok_nested), "{\"x\":" + ok_nested + "}");
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  ExpectRejectedContaining("\"x\":" + deep, "nested deeper than");
  ExpectRejectedContaining("\"s\":" + deep, "nested deeper than");
}

TEST_F(RecordParserTest, LargeStrings) {
  std::string big(100 * 1024, 'x');
  for (size_t i = 0; i < big.size(); i += 97) big[i] = 'a' + static_cast<char>(i % 26);
  EXPECT_EQ(String("\"s\":\"" + big + "\""), big);
  EXPECT_EQ(Extra("\"u\":\"" + big + "\""), "{\"u\":\"" + big + "\"}");
}

TEST_F(RecordParserTest, RowsStayAlignedAcrossRejectedRecordsAndKeyOrders) {
  ASSERT_TRUE(Parse(R"("s":"a","i32":1,"d":1.5,"u":1)").ok());
  EXPECT_FALSE(Parse(R"("s":"b","i32":"x")").ok());
  ASSERT_TRUE(Parse(R"("d":2.5,"i32":2)").ok());  // other order, s missing
  ASSERT_TRUE(Parse(R"("u":3,"i32":3,"s":"c","b":true)").ok());
  ASSERT_EQ(batch_.num_rows(), 3u);
  for (const Column& c : batch_.columns) EXPECT_EQ(c.size(), 3u);
  EXPECT_EQ(Col("s").String(0), "a");
  EXPECT_TRUE(Col("s").IsNull(1));
  EXPECT_EQ(Col("s").String(2), "c");
  EXPECT_EQ(Col("i32").Int32(1), 2);
  EXPECT_TRUE(Col("d").IsNull(2));
  EXPECT_EQ(Col("d").Double(1), 2.5);
  EXPECT_EQ(Col("extra").String(0), R"({"u":1})");
  EXPECT_TRUE(Col("extra").IsNull(1));
  EXPECT_EQ(Col("extra").String(2), R"({"u":3})");
  EXPECT_TRUE(Col("b").Bool(2));
  EXPECT_EQ(Col("time").Timestamp(2), k20261122T013818);
}

TEST(RecordParserKeysTest, NamesThatShareLengthsAndPrefixesAreToldApart) {
  // Names are compared by length, their first 16 bytes and the rest: near misses in each part.
  RecordLayout layout;
  layout.fields = {{"time", ColumnType::kTimestamp, false},
                   {"a", ColumnType::kInt32, true},
                   {"abcdefgh", ColumnType::kInt32, true},
                   {"abcdefghi", ColumnType::kInt32, true},
                   {"abcdefghijklmnop", ColumnType::kInt32, true},
                   {"request_id_of_the_upstream_a", ColumnType::kInt32, true},
                   {"request_id_of_the_upstream_b", ColumnType::kInt32, true},
                   {"extra", ColumnType::kString, true}};
  layout.time_field = 0;
  layout.extra_field = 7;
  RecordParser parser(layout);
  ColumnBatch batch(layout.fields);
  const std::string records[] = {
      R"({"time":1,"a":1,"abcdefgh":2,"abcdefghi":3,"abcdefghijklmnop":4,)"
      R"("request_id_of_the_upstream_a":5,"request_id_of_the_upstream_b":6})",
      // Same order, but each key differs from the predicted one in its last byte or its length.
      R"({"time":1,"b":1,"abcdefgi":2,"abcdefghj":3,"abcdefghijklmnoq":4,)"
      R"("request_id_of_the_upstream_c":5,"request_id_of_the_upstream_":6,"abcdefghijklmnopq":7})",
      R"({"request_id_of_the_upstream_b":6,"abcdefghi":3,"time":1,"abcdefgh":2,"a":1})",
  };
  for (const std::string& r : records) {
    ASSERT_TRUE(parser.Parse(r).ok()) << r;
    parser.AppendTo(&batch);
  }
  for (int c = 1; c <= 6; ++c) {
    EXPECT_EQ(batch.columns[static_cast<size_t>(c)].Int32(0), c);
    EXPECT_TRUE(batch.columns[static_cast<size_t>(c)].IsNull(1)) << c;
  }
  EXPECT_TRUE(batch.columns[7].IsNull(0));
  EXPECT_EQ(batch.columns[7].String(1),
            R"({"b":1,"abcdefgi":2,"abcdefghj":3,"abcdefghijklmnoq":4,"request_id_of_the_upstream_c":5,)"
            R"("request_id_of_the_upstream_":6,"abcdefghijklmnopq":7})");
  EXPECT_EQ(batch.columns[1].Int32(2), 1);
  EXPECT_EQ(batch.columns[2].Int32(2), 2);
  EXPECT_EQ(batch.columns[3].Int32(2), 3);
  EXPECT_TRUE(batch.columns[4].IsNull(2));
  EXPECT_TRUE(batch.columns[5].IsNull(2));
  EXPECT_EQ(batch.columns[6].Int32(2), 6);
}

TEST_F(RecordParserTest, InvalidLayoutFailsEveryParse) {
  RecordLayout no_time = TypesLayout();
  no_time.time_field = -1;
  EXPECT_EQ(RecordParser(no_time).Parse("{}").message(),
            "invalid table layout: the table has no time column");
  RecordLayout wrong_type = TypesLayout();
  wrong_type.time_field = 1;
  EXPECT_EQ(CheckRecordLayout(wrong_type).message(), "time column 's' must have type timestamp");
  RecordLayout twice = TypesLayout();
  twice.fields[2].name = "s";
  EXPECT_EQ(CheckRecordLayout(twice).message(), "column 's' is declared twice");
  RecordLayout bad_extra = TypesLayout();
  bad_extra.extra_field = 2;
  EXPECT_EQ(CheckRecordLayout(bad_extra).message(), "extra column 'i32' must have type string");
  EXPECT_TRUE(CheckRecordLayout(TypesLayout()).ok());
}

// Damaged records (bytes replaced, inserted, cut) are rejected or parsed, never crash (ASan/UBSan
// watch the reads), and whatever is accepted appends a full row.
TEST_F(RecordParserTest, RandomDamageNeverCrashes) {
  const std::string good =
      R"({"time":"2026-11-22T01:38:18.5+09:00","req":"r","s":"caf\u00e9 \"q\"","i32":"200","i64":-9,"d":1.5e3,)"
      R"("b":true,"ts":1795311498123,"u":{"k":[1,{"z":null}],"e":"\ud83d\ude00"}})";
  static constexpr char kAlphabet[] =
      "{}[]\":,\\ u0123456789eE.-+tfnalsrx"
      "\x00\x1f\x7f\xc3\xa9\xff\xed\xa0";
  const std::string alphabet(kAlphabet, sizeof(kAlphabet) - 1);
  std::mt19937 rng(2024);
  size_t accepted = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string text = good;
    for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k) {
      const size_t pos = rng() % (text.size() + 1);
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          if (pos < text.size()) text[pos] = c;
          break;
        case 1: text.insert(text.begin() + static_cast<std::ptrdiff_t>(pos), c); break;
        default: text.resize(pos); break;
      }
    }
    const size_t rows = batch_.num_rows();
    if (parser_.Parse(text).ok()) {
      parser_.AppendTo(&batch_);
      ++accepted;
      for (const Column& c : batch_.columns) ASSERT_EQ(c.size(), rows + 1);
    }
  }
  EXPECT_GT(accepted, 0u);
  EXPECT_LT(accepted, 20000u);
}

// Random rows written as JSON (with escapes, extremes and shuffled key order) come back equal.
TEST_F(RecordParserTest, RandomRowsRoundTrip) {
  std::mt19937_64 rng(99);
  auto escape = [](const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
      if (c == '"' || c == '\\') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
      } else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        out += buf;
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
    return out;
  };
  const std::vector<std::string> pieces = {"a", "\"", "\\", "\n", "\x01", "\xC3\xA9", "\xF0\x9F\x98\x80",
                                           "{", "]",  " "};
  for (int iter = 0; iter < 2000; ++iter) {
    std::string s;
    for (int k = rng() % 8; k > 0; --k) s += pieces[rng() % pieces.size()];
    const int32_t i32 = static_cast<int32_t>(rng());
    const int64_t i64 = static_cast<int64_t>(rng());
    double d;
    uint64_t bits = rng();
    std::memcpy(&d, &bits, sizeof(d));
    if (!std::isfinite(d)) d = 1.0 / static_cast<double>(bits | 1);
    const bool b = rng() & 1;
    const int64_t ts =
        kMinTimestampMicros +
        static_cast<int64_t>(rng() % static_cast<uint64_t>(kMaxTimestampMicros - kMinTimestampMicros));
    char dbuf[40];
    std::snprintf(dbuf, sizeof(dbuf), "%.17g", d);
    std::vector<std::string> members = {
        "\"s\":\"" + escape(s) + "\"", "\"i32\":" + std::to_string(i32), "\"i64\":" + std::to_string(i64),
        std::string("\"d\":") + dbuf, std::string("\"b\":") + (b ? "true" : "false"),
        "\"ts\":\"" + FormatTimestampMicros(ts) + "\"",
        // Epoch seconds below 1e11 (beyond, numbers are milliseconds).
        "\"time\":" + std::to_string(ts / kMicrosPerSecond % 100000000000) + ".000000", "\"req\":\"r\""};
    std::shuffle(members.begin(), members.end(), rng);
    std::string text = "{";
    for (size_t m = 0; m < members.size(); ++m) text += (m ? "," : "") + members[m];
    text += "}";
    ASSERT_TRUE(parser_.Parse(text).ok()) << text << ": " << parser_.Parse(text).ToString();
    parser_.AppendTo(&batch_);
    const size_t row = Last();
    ASSERT_EQ(Col("s").String(row), s);
    ASSERT_EQ(Col("i32").Int32(row), i32);
    ASSERT_EQ(Col("i64").Int64(row), i64);
    ASSERT_EQ(Col("d").Double(row), d) << dbuf;
    ASSERT_EQ(Col("b").Bool(row), b);
    ASSERT_EQ(Col("ts").Timestamp(row), ts);
    ASSERT_EQ(Col("time").Timestamp(row), ts / kMicrosPerSecond % 100000000000 * kMicrosPerSecond);
    ASSERT_TRUE(Col("extra").IsNull(row));
  }
}

}  // namespace
}  // namespace loglake::json
