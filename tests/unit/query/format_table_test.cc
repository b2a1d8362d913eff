#include <gtest/gtest.h>

#include "query/result_format.h"
#include "unit/query/format_test_util.h"

namespace loglake::query {
namespace {

using format_test::MakeResult;

TEST(FormatTable, AlignsColumnsNumbersRightTextLeft) {
  QueryResult r = MakeResult({{"tenant_id", SqlType::kVarchar}, {"n", SqlType::kBigint}},
                             {{Value::Varchar("acme"), Value::Bigint(7)},
                              {Value::Varchar("globex-corp"), Value::Bigint(12345)}});
  EXPECT_EQ(FormatResult(r, OutputFormat::kTable),
            " tenant_id   | n\n"
            "-------------+-------\n"
            " acme        |     7\n"
            " globex-corp | 12345\n"
            "(2 rows)\n");
}

TEST(FormatTable, NullIsShownAsNull) {
  QueryResult r = MakeResult({{"user_id", SqlType::kVarchar}, {"status", SqlType::kInteger}},
                             {{Value::Null(SqlType::kVarchar), Value::Null(SqlType::kInteger)},
                              {Value::Varchar(""), Value::Integer(200)}});
  EXPECT_EQ(FormatResult(r, OutputFormat::kTable),
            " user_id | status\n"
            "---------+--------\n"
            " NULL    |   NULL\n"
            "         |    200\n"
            "(2 rows)\n");
}

TEST(FormatTable, EmptyResultAndSingularFooter) {
  QueryResult empty = MakeResult({{"a", SqlType::kVarchar}}, {});
  EXPECT_EQ(FormatResult(empty, OutputFormat::kTable), " a\n---\n(0 rows)\n");
  QueryResult one = MakeResult({{"a", SqlType::kBoolean}}, {{Value::Boolean(true)}});
  EXPECT_EQ(FormatResult(one, OutputFormat::kTable), " a\n------\n true\n(1 row)\n");
}

TEST(FormatTable, TimestampsDoublesAndDates) {
  QueryResult r = MakeResult({{"t", SqlType::kTimestamp}, {"d", SqlType::kDouble}, {"day", SqlType::kDate}},
                             {{Value::Timestamp(1714566896123456), Value::Double(0.1), Value::Date(19844)}});
  EXPECT_EQ(FormatResult(r, OutputFormat::kTable),
            " t                          | d   | day\n"
            "----------------------------+-----+------------\n"
            " 2024-05-01 12:34:56.123456 | 0.1 | 2024-05-01\n"
            "(1 row)\n");
}

TEST(FormatTable, LongValuesAreCutWithAnEllipsis) {
  FormatOptions options;
  options.max_column_width = 10;
  QueryResult r = MakeResult({{"path", SqlType::kVarchar}},
                             {{Value::Varchar("/api/v1/orders/12345")}, {Value::Varchar("/0123456789")}});
  EXPECT_EQ(FormatResult(r, OutputFormat::kTable, options),
            " path\n"
            "------------\n"
            " /api/v1/o\xE2\x80\xA6\n"
            " /01234567\xE2\x80\xA6\n"
            "(2 rows)\n");
  // Exactly the width: not cut.
  QueryResult fits = MakeResult({{"p", SqlType::kVarchar}}, {{Value::Varchar("0123456789")}});
  EXPECT_NE(FormatResult(fits, OutputFormat::kTable, options).find(" 0123456789\n"), std::string::npos);
}

TEST(FormatTable, WideCharactersCountTwoCellsAndAreNeverSplit) {
  EXPECT_EQ(DisplayWidth("東京"), 4u);
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1u);  // e + combining acute
  FormatOptions options;
  options.max_column_width = 6;
  QueryResult r = MakeResult({{"q", SqlType::kVarchar}}, {{Value::Varchar("東京ホテル")}, {Value::Varchar("ab")}});
  // 5 cells allowed before the ellipsis: two wide characters (4 cells) fit, the third does not.
  EXPECT_EQ(FormatResult(r, OutputFormat::kTable, options),
            " q\n"
            "-------\n"
            " 東京\xE2\x80\xA6\n"
            " ab\n"
            "(2 rows)\n");
}

TEST(FormatTable, ControlCharactersAreEscapedSoRowsStayOnOneLine) {
  QueryResult r = MakeResult({{"s", SqlType::kVarchar}}, {{Value::Varchar(std::string("a\nb\tc\x01\xff", 7))}});
  EXPECT_EQ(FormatResult(r, OutputFormat::kTable),
            " s\n"
            "-----------------\n"
            " a\\nb\\tc\\x01\\xff\n"
            "(1 row)\n");
}

TEST(FormatTable, NoColumnsStillCountsRows) {
  QueryResult r;
  EXPECT_EQ(FormatResult(r, OutputFormat::kTable), "(0 rows)\n");
}

}  // namespace
}  // namespace loglake::query
