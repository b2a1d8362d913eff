#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "query/result_format.h"
#include "unit/query/format_test_util.h"

namespace loglake::query {
namespace {

using format_test::MakeResult;

TEST(FormatJson, ColumnsRowsAndStats) {
  QueryResult r = MakeResult({{"tenant_id", SqlType::kVarchar}, {"n", SqlType::kBigint}, {"avg", SqlType::kDouble}},
                             {{Value::Varchar("acme"), Value::Bigint(9007199254740993), Value::Double(2.5)},
                              {Value::Null(SqlType::kVarchar), Value::Bigint(-1), Value::Null(SqlType::kDouble)}});
  r.stats.rows_scanned = 1000;
  r.stats.bytes_scanned = 123456;
  r.stats.days_listed = 3;
  r.stats.files = {4, 1};
  r.stats.row_groups_by_stats = {5, 2};
  r.stats.row_groups_by_bloom = {3, 1};
  r.stats.row_groups_by_dictionary = {2, 0};
  r.stats.pages_by_page_index = {40, 30};
  r.stats.duplicates_dropped = 6;
  r.stats.elapsed_seconds = 0.25;
  EXPECT_EQ(FormatResult(r, OutputFormat::kJson),
            "{\"columns\":[{\"name\":\"tenant_id\",\"type\":\"varchar\"},{\"name\":\"n\",\"type\":\"bigint\"},"
            "{\"name\":\"avg\",\"type\":\"double\"}],\"rows\":[\n"
            "[\"acme\",9007199254740993,2.5],\n"
            "[null,-1,null]],\n"
            "\"stats\":{\"rows_returned\":2,\"rows_scanned\":1000,\"bytes_scanned\":123456,\"days_listed\":3,"
            "\"files\":{\"considered\":4,\"pruned\":1},\"row_groups_by_stats\":{\"considered\":5,\"pruned\":2},"
            "\"row_groups_by_bloom\":{\"considered\":3,\"pruned\":1},"
            "\"row_groups_by_dictionary\":{\"considered\":2,\"pruned\":0},"
            "\"pages_by_page_index\":{\"considered\":40,\"pruned\":30},\"duplicates_dropped\":6,"
            "\"elapsed_seconds\":0.25}}\n");
}

TEST(FormatJson, EmptyResult) {
  QueryResult r = MakeResult({{"a", SqlType::kInteger}}, {});
  const std::string text = FormatResult(r, OutputFormat::kJson);
  EXPECT_EQ(text.rfind("{\"columns\":[{\"name\":\"a\",\"type\":\"integer\"}],\"rows\":[],\n\"stats\":{", 0), 0u)
      << text;
}

TEST(FormatJson, ExactScalars) {
  QueryResult r = MakeResult(
      {{"d", SqlType::kDouble}, {"t", SqlType::kTimestamp}, {"b", SqlType::kBoolean}, {"day", SqlType::kDate},
       {"i", SqlType::kInteger}},
      {{Value::Double(0.1 + 0.2), Value::Timestamp(1714566896000001), Value::Boolean(true), Value::Date(19844),
        Value::Integer(-2147483647 - 1)},
       {Value::Double(-0.0), Value::Timestamp(-1), Value::Boolean(false), Value::Date(0), Value::Integer(0)},
       {Value::Double(std::numeric_limits<double>::infinity()), Value::Null(SqlType::kTimestamp),
        Value::Null(SqlType::kBoolean), Value::Null(SqlType::kDate), Value::Null(SqlType::kInteger)},
       {Value::Double(-std::numeric_limits<double>::infinity()), Value::Timestamp(0), Value::Boolean(true),
        Value::Date(1), Value::Integer(1)},
       {Value::Double(std::numeric_limits<double>::quiet_NaN()), Value::Timestamp(0), Value::Boolean(true),
        Value::Date(1), Value::Integer(1)},
       {Value::Double(5e-324), Value::Timestamp(0), Value::Boolean(true), Value::Date(1), Value::Integer(1)}});
  const std::string text = FormatResult(r, OutputFormat::kNdjson);
  EXPECT_EQ(text,
            "{\"d\":0.30000000000000004,\"t\":\"2024-05-01 12:34:56.000001\",\"b\":true,\"day\":\"2024-05-01\","
            "\"i\":-2147483648}\n"
            "{\"d\":-0,\"t\":\"1969-12-31 23:59:59.999999\",\"b\":false,\"day\":\"1970-01-01\",\"i\":0}\n"
            "{\"d\":\"Infinity\",\"t\":null,\"b\":null,\"day\":null,\"i\":null}\n"
            "{\"d\":\"-Infinity\",\"t\":\"1970-01-01 00:00:00.000000\",\"b\":true,\"day\":\"1970-01-02\",\"i\":1}\n"
            "{\"d\":\"NaN\",\"t\":\"1970-01-01 00:00:00.000000\",\"b\":true,\"day\":\"1970-01-02\",\"i\":1}\n"
            "{\"d\":5e-324,\"t\":\"1970-01-01 00:00:00.000000\",\"b\":true,\"day\":\"1970-01-02\",\"i\":1}\n");
}

TEST(FormatJson, StringsAreEscapedAndAlwaysValidUtf8) {
  QueryResult r = MakeResult({{"s\"q", SqlType::kVarchar}},
                             {{Value::Varchar("quote\" backslash\\ slash/ 東京 😀")},
                              {Value::Varchar(std::string("nl\n cr\r tab\t bs\b ff\f nul\x00 us\x1f del\x7f", 34))},
                              {Value::Varchar("bad \xff\xfe utf8 \xC3")}, {Value::Varchar("\xED\xA0\x80")}});
  EXPECT_EQ(FormatResult(r, OutputFormat::kNdjson),
            "{\"s\\\"q\":\"quote\\\" backslash\\\\ slash/ 東京 😀\"}\n"
            "{\"s\\\"q\":\"nl\\n cr\\r tab\\t bs\\b ff\\f nul\\u0000 us\\u001f del\x7f\"}\n"
            "{\"s\\\"q\":\"bad \\ufffd\\ufffd utf8 \\ufffd\"}\n"
            "{\"s\\\"q\":\"\\ufffd\\ufffd\\ufffd\"}\n");
}

TEST(FormatJson, ExplainIsIncludedOnlyWhenAsked) {
  QueryResult r = MakeResult({{"a", SqlType::kInteger}}, {});
  r.explain = "Scan access_log\n  days: 1";
  FormatOptions options;
  EXPECT_EQ(FormatResult(r, OutputFormat::kJson, options).find("explain"), std::string::npos);
  options.include_explain = true;
  EXPECT_NE(FormatResult(r, OutputFormat::kJson, options).find(",\n\"explain\":\"Scan access_log\\n  days: 1\"}"),
            std::string::npos);
}

TEST(FormatJson, StatsLineForPeople) {
  QueryStats s;
  s.rows_returned = 1;
  s.rows_scanned = 1234567;
  s.bytes_scanned = 3 << 20;
  s.days_listed = 2;
  s.files = {10, 4};
  s.row_groups_by_stats = {6, 1};
  s.row_groups_by_bloom = {5, 2};
  s.row_groups_by_dictionary = {3, 1};
  s.pages_by_page_index = {100, 60};
  s.duplicates_dropped = 1;
  s.elapsed_seconds = 1.5;
  EXPECT_EQ(FormatStatsLine(s),
            "1 row returned; scanned 1,234,567 rows, 3.0 MiB (3,145,728 bytes); days listed 2; files 10 considered, "
            "4 pruned; row groups 6 considered, 1 pruned by statistics, 2 by bloom filters, 1 by dictionaries; "
            "pages 100 considered, 60 pruned by page index; 1 duplicate dropped; 1.500 s");
}

TEST(FormatJson, ManyRowsArriveInPieces) {
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 20000; ++i) rows.push_back({Value::Varchar("row-" + std::to_string(i))});
  QueryResult r = MakeResult({{"s", SqlType::kVarchar}}, rows);
  std::string joined;
  int pieces = 0;
  WriteResult(r, OutputFormat::kNdjson, {}, [&](std::string_view piece) {
    joined.append(piece);
    ++pieces;
  });
  EXPECT_GT(pieces, 1);
  EXPECT_EQ(joined, FormatResult(r, OutputFormat::kNdjson));
  EXPECT_EQ(joined.substr(0, 27), "{\"s\":\"row-0\"}\n{\"s\":\"row-1\"}");
}

TEST(FormatName, ParsesEveryFormat) {
  EXPECT_EQ(ParseOutputFormat("table"), OutputFormat::kTable);
  EXPECT_EQ(ParseOutputFormat("CSV"), OutputFormat::kCsv);
  EXPECT_EQ(ParseOutputFormat("json"), OutputFormat::kJson);
  EXPECT_EQ(ParseOutputFormat("ndjson"), OutputFormat::kNdjson);
  EXPECT_EQ(ParseOutputFormat("xml"), std::nullopt);
}

}  // namespace
}  // namespace loglake::query
