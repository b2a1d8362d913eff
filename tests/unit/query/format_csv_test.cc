#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "query/result_format.h"
#include "unit/query/format_test_util.h"

namespace loglake::query {
namespace {

using format_test::MakeResult;

TEST(FormatCsv, HeaderAndRowsWithCrlf) {
  QueryResult r = MakeResult({{"status", SqlType::kInteger}, {"n", SqlType::kBigint}},
                             {{Value::Integer(200), Value::Bigint(9000000000)}, {Value::Integer(404), Value::Bigint(-3)}});
  EXPECT_EQ(FormatResult(r, OutputFormat::kCsv), "status,n\r\n200,9000000000\r\n404,-3\r\n");
}

TEST(FormatCsv, QuotesOnlyWhatNeedsQuotingAndKeepsNullApartFromEmpty) {
  QueryResult r = MakeResult(
      {{"s", SqlType::kVarchar}},
      {{Value::Varchar("plain")}, {Value::Varchar("a,b")}, {Value::Varchar("say \"hi\"")},
       {Value::Varchar("two\nlines")}, {Value::Varchar("cr\rhere")}, {Value::Varchar("")}, {Value::Null(SqlType::kVarchar)},
       {Value::Varchar("東京 'quoted'")}});
  EXPECT_EQ(FormatResult(r, OutputFormat::kCsv),
            "s\r\nplain\r\n\"a,b\"\r\n\"say \"\"hi\"\"\"\r\n\"two\nlines\"\r\n\"cr\rhere\"\r\n\"\"\r\n\r\n"
            "東京 'quoted'\r\n");
}

TEST(FormatCsv, ExactScalars) {
  QueryResult r = MakeResult(
      {{"d", SqlType::kDouble}, {"t", SqlType::kTimestamp}, {"b", SqlType::kBoolean}, {"day", SqlType::kDate}},
      {{Value::Double(0.1 + 0.2), Value::Timestamp(0), Value::Boolean(false), Value::Date(-1)},
       {Value::Double(1e300), Value::Timestamp(-1), Value::Boolean(true), Value::Date(0)},
       {Value::Double(std::numeric_limits<double>::quiet_NaN()), Value::Timestamp(1714566896000000),
        Value::Null(SqlType::kBoolean), Value::Null(SqlType::kDate)}});
  EXPECT_EQ(FormatResult(r, OutputFormat::kCsv),
            "d,t,b,day\r\n"
            "0.30000000000000004,1970-01-01 00:00:00.000000,false,1969-12-31\r\n"
            "1e+300,1969-12-31 23:59:59.999999,true,1970-01-01\r\n"
            "NaN,2024-05-01 12:34:56.000000,,\r\n");
}

TEST(FormatCsv, ColumnNamesAreQuotedLikeValues) {
  QueryResult r = MakeResult({{"a,b", SqlType::kVarchar}, {"_col1", SqlType::kVarchar}}, {});
  EXPECT_EQ(FormatResult(r, OutputFormat::kCsv), "\"a,b\",_col1\r\n");
}

}  // namespace
}  // namespace loglake::query
