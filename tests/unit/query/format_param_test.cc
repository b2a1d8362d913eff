#include <gtest/gtest.h>

#include <cmath>

#include "common/time.h"
#include "query/param_text.h"

namespace loglake::query {
namespace {

Value Param(std::string_view text) {
  Result<Value> v = ParseParamText(text);
  EXPECT_TRUE(v.ok()) << text << ": " << v.status().ToString();
  return v.ok() ? *v : Value();
}

std::string ParamError(std::string_view text) {
  Result<Value> v = ParseParamText(text);
  EXPECT_FALSE(v.ok()) << text << " parsed as " << (v.ok() ? v->ToSqlLiteral() : "");
  return v.ok() ? "" : v.status().message();
}

int64_t Micros(const char* iso) { return *ParseTimestampMicros(iso); }

TEST(ParamText, IntegersAreIntegerOrBigintBySize) {
  EXPECT_EQ(Param("42"), Value::Integer(42));
  EXPECT_EQ(Param("-7"), Value::Integer(-7));
  EXPECT_EQ(Param("2147483647"), Value::Integer(2147483647));
  EXPECT_EQ(Param("2147483648"), Value::Bigint(2147483648));
  EXPECT_EQ(Param("-9223372036854775808"), Value::Bigint(INT64_MIN));
  EXPECT_NE(ParamError("9223372036854775808").find("out of range for bigint"), std::string::npos);
}

TEST(ParamText, Doubles) {
  EXPECT_EQ(Param("1.5"), Value::Double(1.5));
  EXPECT_EQ(Param("-0.25"), Value::Double(-0.25));
  EXPECT_EQ(Param("2e3"), Value::Double(2000));
  EXPECT_EQ(Param("0.1"), Value::Double(0.1));
  EXPECT_EQ(Param(".5"), Value::Double(0.5));
  EXPECT_EQ(Param("double:3"), Value::Double(3));
  EXPECT_TRUE(std::isnan(Param("double:NaN").AsDouble()));
  EXPECT_EQ(Param("double:-Infinity"), Value::Double(-INFINITY));
  // Not numbers: strings.
  EXPECT_EQ(Param("1.2.3"), Value::Varchar("1.2.3"));
  EXPECT_EQ(Param("1e"), Value::Varchar("1e"));
  EXPECT_EQ(Param("-"), Value::Varchar("-"));
  EXPECT_EQ(Param("NaN"), Value::Varchar("NaN"));
  EXPECT_EQ(Param("+5"), Value::Varchar("+5"));
  EXPECT_NE(ParamError("double:abc").find("double:"), std::string::npos);
}

TEST(ParamText, BooleansAndNull) {
  EXPECT_EQ(Param("true"), Value::Boolean(true));
  EXPECT_EQ(Param("FALSE"), Value::Boolean(false));
  EXPECT_EQ(Param("bool:True"), Value::Boolean(true));
  EXPECT_EQ(Param("null"), Value::Null(SqlType::kUnknown));
  EXPECT_EQ(Param("NULL"), Value::Null(SqlType::kUnknown));
  EXPECT_EQ(Param("null:"), Value::Null(SqlType::kUnknown));
  EXPECT_NE(ParamError("bool:yes").find("use true or false"), std::string::npos);
  EXPECT_NE(ParamError("null:x").find("takes no value"), std::string::npos);
}

TEST(ParamText, Timestamps) {
  EXPECT_EQ(Param("2024-05-01T00:00:00Z"), Value::Timestamp(Micros("2024-05-01T00:00:00Z")));
  EXPECT_EQ(Param("2024-05-01 12:34:56.123456"), Value::Timestamp(Micros("2024-05-01T12:34:56.123456Z")));
  EXPECT_EQ(Param("2024-05-01T09:00:00+09:00"), Value::Timestamp(Micros("2024-05-01T00:00:00Z")));
  EXPECT_EQ(Param("2024-05-01 10:30"), Value::Timestamp(Micros("2024-05-01T10:30:00Z")));
  // A bare date stays a string unless typed.
  EXPECT_EQ(Param("2024-05-01"), Value::Varchar("2024-05-01"));
  EXPECT_EQ(Param("timestamp:2024-05-01"), Value::Timestamp(Micros("2024-05-01T00:00:00Z")));
  EXPECT_EQ(Param("2024/05/01"), Value::Varchar("2024/05/01"));
  EXPECT_NE(ParamError("2024-13-01 00:00:00").find("use string:"), std::string::npos);
  EXPECT_NE(ParamError("timestamp:yesterday").find("timestamp:"), std::string::npos);
}

TEST(ParamText, ExplicitTypesAndStrings) {
  EXPECT_EQ(Param("string:42"), Value::Varchar("42"));
  EXPECT_EQ(Param("varchar:true"), Value::Varchar("true"));
  EXPECT_EQ(Param("string:"), Value::Varchar(""));
  EXPECT_EQ(Param("string:int:5"), Value::Varchar("int:5"));
  EXPECT_EQ(Param("STRING:null"), Value::Varchar("null"));
  EXPECT_EQ(Param("int:42"), Value::Integer(42));
  EXPECT_EQ(Param("bigint:42"), Value::Integer(42));
  EXPECT_EQ(Param("int:5000000000"), Value::Bigint(5000000000));
  EXPECT_NE(ParamError("int:1.5").find("int: '1.5' is not an integer"), std::string::npos);
  // Text that only looks prefixed is a string as a whole.
  EXPECT_EQ(Param("http://example.com/a?b=1"), Value::Varchar("http://example.com/a?b=1"));
  EXPECT_EQ(Param("a:b"), Value::Varchar("a:b"));
  EXPECT_EQ(Param(""), Value::Varchar(""));
}

TEST(ParamText, InjectionTextIsJustAString) {
  for (const char* text : {"' OR 1=1 --", "x'; DROP TABLE access_log; --", "\\", "%", "_", "O'Reilly \"SQL\"",
                           "東京 ホテル", "?", "\n"}) {
    EXPECT_EQ(Param(text), Value::Varchar(text)) << text;
  }
}

}  // namespace
}  // namespace loglake::query
