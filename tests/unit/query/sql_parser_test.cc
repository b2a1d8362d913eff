#include <gtest/gtest.h>

#include "query/sql/parser.h"

namespace loglake::query::sql {
namespace {

SelectStatement Parse(std::string_view sql) {
  Result<SelectStatement> r = ParseSelect(sql);
  EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  return r.ok() ? std::move(r).value() : SelectStatement{};
}

// The WHERE expression of "SELECT x FROM t WHERE <expr>", as text (fully parenthesized).
std::string Where(const std::string& expr) {
  SelectStatement s = Parse("SELECT x FROM t WHERE " + expr);
  return s.where ? s.where->ToString() : "";
}

Status ParseError(std::string_view sql) {
  Result<SelectStatement> r = ParseSelect(sql);
  EXPECT_FALSE(r.ok()) << "expected an error for: " << sql;
  return r.ok() ? Status::OK() : r.status();
}

std::string Message(std::string_view sql) { return ParseError(sql).message(); }

TEST(SqlParserTest, SelectListFromAndAliases) {
  SelectStatement s = Parse("select uuid, Status AS s, \"Path\" p, *, a.* FROM logs.access_log AS a;");
  ASSERT_EQ(s.items.size(), 5u);
  EXPECT_EQ(s.items[0].expr->ToString(), "uuid");
  EXPECT_FALSE(s.items[0].alias);
  EXPECT_EQ(s.items[1].expr->ToString(), "status");  // unquoted names fold to lower case
  EXPECT_EQ(*s.items[1].alias, "s");
  EXPECT_EQ(s.items[2].expr->ToString(), "\"Path\"");
  EXPECT_EQ(*s.items[2].alias, "p");
  EXPECT_TRUE(s.items[3].star);
  EXPECT_TRUE(s.items[3].star_qualifier.empty());
  EXPECT_TRUE(s.items[4].star);
  EXPECT_EQ(s.items[4].star_qualifier, std::vector<std::string>{"a"});
  EXPECT_EQ(s.table_parts, (std::vector<std::string>{"logs", "access_log"}));
  EXPECT_EQ(*s.table_alias, "a");
  EXPECT_FALSE(s.distinct);
}

TEST(SqlParserTest, AllClauses) {
  SelectStatement s = Parse(
      "SELECT DISTINCT status, count(*) FROM access_log WHERE status >= 500 GROUP BY 1, status HAVING count(*) > 1 "
      "ORDER BY 2 DESC NULLS FIRST, status ASC, path NULLS LAST OFFSET 5 ROWS LIMIT 10");
  EXPECT_TRUE(s.distinct);
  EXPECT_EQ(s.where->ToString(), "(status >= 500)");
  ASSERT_EQ(s.group_by.size(), 2u);
  EXPECT_EQ(s.group_by[0]->ToString(), "1");
  EXPECT_EQ(s.having->ToString(), "(count(*) > 1)");
  ASSERT_EQ(s.order_by.size(), 3u);
  EXPECT_TRUE(s.order_by[0].descending);
  EXPECT_EQ(s.order_by[0].nulls_first, std::optional<bool>(true));
  EXPECT_FALSE(s.order_by[1].descending);
  EXPECT_FALSE(s.order_by[1].nulls_first.has_value());
  EXPECT_EQ(s.order_by[2].nulls_first, std::optional<bool>(false));
  EXPECT_EQ(*s.offset->literal, 5);
  EXPECT_EQ(*s.limit->literal, 10);
}

TEST(SqlParserTest, LimitOffsetOrdersAndForms) {
  SelectStatement a = Parse("SELECT x FROM t LIMIT 3 OFFSET 4");
  EXPECT_EQ(*a.limit->literal, 3);
  EXPECT_EQ(*a.offset->literal, 4);
  SelectStatement b = Parse("SELECT x FROM t OFFSET 1 ROW LIMIT ALL");
  EXPECT_FALSE(b.limit);
  EXPECT_EQ(*b.offset->literal, 1);
  SelectStatement c = Parse("SELECT x FROM t OFFSET ? LIMIT ?");
  EXPECT_EQ(c.offset->parameter_index, 0);
  EXPECT_EQ(c.limit->parameter_index, 1);
  EXPECT_EQ(c.num_parameters, 2);
  SelectStatement d = Parse("SELECT x FROM t FETCH FIRST 7 ROWS ONLY");
  EXPECT_EQ(*d.limit->literal, 7);
  EXPECT_EQ(Message("SELECT x FROM t LIMIT -1"), "line 1:23: expected a row count after LIMIT, found '-'");
  EXPECT_EQ(Message("SELECT x FROM t LIMIT 1 LIMIT 2"), "line 1:25: expected end of query, found 'LIMIT'");
}

TEST(SqlParserTest, Precedence) {
  EXPECT_EQ(Where("a OR b AND c"), "(a OR (b AND c))");
  EXPECT_EQ(Where("NOT a = 1 AND b"), "((NOT (a = 1)) AND b)");
  EXPECT_EQ(Where("a || b = c"), "((a || b) = c)");
  EXPECT_EQ(Where("a + b || c = d"), "(((a + b) || c) = d)");
  EXPECT_EQ(Where("a + b * c - d % 2 = 0"), "(((a + (b * c)) - (d % 2)) = 0)");
  EXPECT_EQ(Where("-a * b = 1"), "((-a * b) = 1)");
  EXPECT_EQ(Where("a - b - c = 0"), "(((a - b) - c) = 0)");
  EXPECT_EQ(Where("(a OR b) AND c"), "((a OR b) AND c)");
  EXPECT_EQ(Where("a AND b AND c OR d OR e"), "((a AND b AND c) OR d OR e)");
  EXPECT_EQ(Where("+a = 1"), "(a = 1)");
  EXPECT_EQ(Message("SELECT x FROM t WHERE a = b = c"), "line 1:29: expected end of query, found '='");
}

TEST(SqlParserTest, Predicates) {
  EXPECT_EQ(Where("status IN (200, 304)"), "(status IN (200, 304))");
  EXPECT_EQ(Where("status NOT IN (200)"), "(status NOT IN (200))");
  EXPECT_EQ(Where("x BETWEEN 1 AND 2 + 3"), "(x BETWEEN 1 AND (2 + 3))");
  EXPECT_EQ(Where("x NOT BETWEEN 1 AND 2 AND y"), "((x NOT BETWEEN 1 AND 2) AND y)");
  EXPECT_EQ(Where("path LIKE '/api/%'"), "(path LIKE '/api/%')");
  EXPECT_EQ(Where("path NOT LIKE 'a!%%' ESCAPE '!'"), "(path NOT LIKE 'a!%%' ESCAPE '!')");
  EXPECT_EQ(Where("x IS NULL"), "(x IS NULL)");
  EXPECT_EQ(Where("x IS NOT NULL"), "(x IS NOT NULL)");
  EXPECT_EQ(Where("x != 1 OR x <> 2"), "((x <> 1) OR (x <> 2))");
  EXPECT_EQ(Where("NOT NOT x"), "(NOT (NOT x))");
}

TEST(SqlParserTest, LiteralsAndSpecialForms) {
  EXPECT_EQ(Where("x = TIMESTAMP '2024-05-01 00:00:00.5'"), "(x = TIMESTAMP '2024-05-01 00:00:00.5')");
  EXPECT_EQ(Where("x = DATE '2024-05-01'"), "(x = DATE '2024-05-01')");
  EXPECT_EQ(Where("x > now() - INTERVAL '1' DAY"), "(x > (current_timestamp - INTERVAL '1' DAY))");
  EXPECT_EQ(Where("x > current_timestamp - interval -'2' hours"),
            "(x > (current_timestamp - INTERVAL -'2' HOUR))");
  EXPECT_EQ(Where("x > INTERVAL '1 02:00:00' DAY TO SECOND"), "(x > INTERVAL '1 02:00:00' DAY TO SECOND)");
  EXPECT_EQ(Where("d = current_date"), "(d = current_date)");
  EXPECT_EQ(Where("b = true OR b = FALSE OR b IS NULL"), "((b = true) OR (b = false) OR (b IS NULL))");
  EXPECT_EQ(Where("x = 'it''s'"), "(x = 'it''s')");
  EXPECT_EQ(Where("x = 2147483648"), "(x = 2147483648)");
  EXPECT_EQ(Where("x = 1.5e0"), "(x = 1.5)");
  EXPECT_EQ(Where("CAST(x AS varchar(10)) = CAST(1 AS double precision)"),
            "(CAST(x AS varchar) = CAST(1 AS double))");
  EXPECT_EQ(Where("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END = 1"),
            "(CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END = 1)");
  EXPECT_EQ(Where("CASE s WHEN 1 THEN 'a' END = 'a'"), "(CASE s WHEN 1 THEN 'a' END = 'a')");
  EXPECT_EQ(Where("lower(t.path) = ? AND x = ?"), "((lower(t.path) = ?) AND (x = ?))");
  EXPECT_EQ(Where("\"time\" > x AND time > x"), "((\"time\" > x) AND (time > x))");
}

TEST(SqlParserTest, Aggregates) {
  SelectStatement s = Parse("SELECT count(*), COUNT(DISTINCT uuid), sum(bytes_sent), Max(x) FROM t");
  EXPECT_EQ(s.items[0].expr->ToString(), "count(*)");
  EXPECT_TRUE(s.items[0].expr->star);
  EXPECT_EQ(s.items[1].expr->ToString(), "count(DISTINCT uuid)");
  EXPECT_TRUE(s.items[1].expr->distinct);
  EXPECT_EQ(s.items[3].expr->name, "max");
}

TEST(SqlParserTest, ParametersNumberedInTextOrder) {
  SelectStatement s = Parse("SELECT ? FROM t WHERE a = ? AND b IN (?, ?) LIMIT ?");
  EXPECT_EQ(s.num_parameters, 5);
  EXPECT_EQ(s.items[0].expr->parameter_index, 0);
  EXPECT_EQ(s.where->args[0]->args[1]->parameter_index, 1);
  EXPECT_EQ(s.where->args[1]->args[2]->parameter_index, 3);
  EXPECT_EQ(s.limit->parameter_index, 4);
}

TEST(SqlParserTest, SyntaxErrorsNamePositionExpectedAndFound) {
  // FORM is an alias of uuid (as in Trino); the message says so.
  EXPECT_EQ(Message("SELECT uuid FORM access_log"),
            "line 1:18: expected FROM, found 'access_log' ('form' was read as an alias of the expression before it; "
            "did you mean FROM?)");
  EXPECT_EQ(Message("SELECT uuid, path x access_log"), "line 1:21: expected FROM, found 'access_log'");
  EXPECT_EQ(Message("SELECT uuid\nFROM\n  access_log WHERE"), "line 3:19: expected an expression, found end of input");
  EXPECT_EQ(Message("SELECT FROM t"), "line 1:8: expected an expression, found 'FROM'");
  EXPECT_EQ(Message("SELECT x FROM t WHERE (a = 1"), "line 1:29: expected ')', found end of input");
  EXPECT_EQ(Message("SELECT x FROM t ORDER x"), "line 1:23: expected BY, found 'x'");
  EXPECT_EQ(Message("SELECT x FROM t WHERE x IS 5"), "line 1:28: expected NULL, found '5'");
  EXPECT_EQ(Message("SELECT CAST(x AS) FROM t"), "line 1:17: expected a type name, found ')'");
  EXPECT_EQ(Message("SELECT x FROM t WHERE x = INTERVAL '1' WEEK"),
            "line 1:40: expected an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND), found 'WEEK'");
  EXPECT_EQ(Message("SELECT x, FROM t"), "line 1:11: expected an expression, found 'FROM'");
  EXPECT_EQ(Message("SELECT x FROM t extra tokens"), "line 1:23: expected end of query, found 'tokens'");
  EXPECT_EQ(Message("SELECT 'a' FROM t WHERE x = 'b' 'c'"), "line 1:33: expected end of query, found string 'c'");
  EXPECT_EQ(Message(""), "line 1:1: expected SELECT, found end of input");
  EXPECT_EQ(ParseError("SELECT x FROM").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Message("SELECT 99999999999999999999 FROM t"),
            "line 1:8: integer literal 99999999999999999999 is out of the bigint range");
}

TEST(SqlParserTest, UnsupportedSqlIsUnimplementedWithPosition) {
  struct Case {
    const char* sql;
    const char* message;
  };
  const Case cases[] = {
      {"SELECT * FROM a JOIN b ON a.x = b.x", "line 1:17: joins are not supported"},
      {"SELECT * FROM a, b", "line 1:16: joins are not supported"},
      {"SELECT * FROM (SELECT 1)", "line 1:15: subqueries are not supported"},
      {"SELECT * FROM t WHERE x IN (SELECT y FROM u)", "line 1:29: subqueries are not supported"},
      {"SELECT * FROM t WHERE EXISTS (SELECT 1)", "line 1:23: subqueries (EXISTS)"},
      {"WITH q AS (SELECT 1) SELECT * FROM q", "line 1:1: WITH"},
      {"SELECT x FROM a UNION SELECT x FROM b", "line 1:17: UNION is not supported"},
      {"SELECT row_number() OVER (ORDER BY x) FROM t", "line 1:21: window functions"},
      {"SELECT 1", "line 1:9: a query needs FROM"},
      {"DELETE FROM t", "line 1:1: only SELECT statements are supported"},
      {"SELECT x FROM t; SELECT y FROM t", "line 1:16: only one statement"},
      {"SELECT x FROM t GROUP BY ROLLUP (x)", "line 1:26: GROUP BY ROLLUP"},
      {"SELECT CAST(x AS decimal(10,2)) FROM t", "line 1:18: type 'decimal' is not supported"},
  };
  for (const Case& c : cases) {
    Status s = ParseError(c.sql);
    EXPECT_EQ(s.code(), StatusCode::kUnimplemented) << c.sql << ": " << s.ToString();
    EXPECT_EQ(s.message().rfind(c.message, 0), 0u) << c.sql << ": " << s.message();
  }
}

TEST(SqlParserTest, NestingIsBounded) {
  std::string deep_parens = "SELECT x FROM t WHERE " + std::string(5000, '(') + "1" + std::string(5000, ')') + " = 1";
  EXPECT_NE(Message(deep_parens).find("expression too deeply nested"), std::string::npos);
  std::string long_chain = "SELECT x FROM t WHERE 1";
  for (int i = 0; i < 5000; ++i) long_chain += " + 1";
  EXPECT_NE(Message(long_chain).find("expression too deeply nested"), std::string::npos);
  std::string nots = "SELECT x FROM t WHERE ";
  for (int i = 0; i < 5000; ++i) nots += "NOT ";
  nots += "x";
  EXPECT_NE(Message(nots).find("expression too deeply nested"), std::string::npos);
  std::string negs = "SELECT ";
  for (int i = 0; i < 5000; ++i) negs += "- ";  // "--" would start a comment
  negs += "1 FROM t";
  EXPECT_NE(Message(negs).find("expression too deeply nested"), std::string::npos);
  // Wide is fine: AND/OR chains and IN lists are flat.
  std::string wide = "SELECT x FROM t WHERE x IN (1";
  for (int i = 0; i < 5000; ++i) wide += ", 1";
  wide += ")";
  for (int i = 0; i < 2000; ++i) wide += " AND y = 1";
  Parse(wide);
  std::string ok = "SELECT x FROM t WHERE " + std::string(50, '(') + "1" + std::string(50, ')') + " = 1";
  Parse(ok);
}

}  // namespace
}  // namespace loglake::query::sql
