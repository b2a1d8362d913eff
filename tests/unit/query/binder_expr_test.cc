// Expression binding: names, types, implicit casts, functions, folding, parameters, errors.
#include <gtest/gtest.h>

#include "binder_test_util.h"

namespace loglake::query {
namespace {

using testing_binder::Filter;
using testing_binder::Micros;
using testing_binder::Output;
using testing_binder::PlanError;
using testing_binder::PlanOk;

TEST(BinderExprTest, ColumnsResolveCaseInsensitivelyToTableIndexes) {
  ExprPtr e = Output("STATUS");
  EXPECT_EQ(e->kind, ExprKind::kColumnRef);
  EXPECT_EQ(e->index, 7);
  EXPECT_EQ(e->type, SqlType::kInteger);
  EXPECT_EQ(e->name, "status");
  EXPECT_EQ(Output("\"Time\"")->index, 1);
  EXPECT_EQ(Output("access_log.uuid")->index, 0);
  EXPECT_EQ(Output("db.access_log.uuid")->index, 0);
  ExprPtr datepath = Output("datepath");
  EXPECT_EQ(datepath->index, 14);  // after the 14 table columns
  EXPECT_EQ(datepath->type, SqlType::kVarchar);
  QueryPlan aliased = PlanOk("SELECT a.path FROM access_log a");
  EXPECT_EQ(aliased.outputs[0].expr->index, 5);
}

TEST(BinderExprTest, UnknownColumnSuggestsTheClosestName) {
  EXPECT_EQ(PlanError("SELECT uuidd FROM access_log"), "line 1:8: column 'uuidd' not found; did you mean 'uuid'?");
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log WHERE stauts = 200"),
            "line 1:35: column 'stauts' not found; did you mean 'status'?");
  EXPECT_EQ(PlanError("SELECT x FROM access_log WHERE date_path = '2024/05/01'"),
            "line 1:32: column 'date_path' not found; did you mean 'datepath'?");
  std::string far = PlanError("SELECT zzzzzzzz FROM access_log");
  EXPECT_NE(far.find("line 1:8: column 'zzzzzzzz' not found in table access_log; its columns are: uuid, time,"),
            std::string::npos)
      << far;
  EXPECT_NE(PlanError("SELECT b.uuid FROM access_log a").find("the table is referred to as 'a'"), std::string::npos);
}

TEST(BinderExprTest, UnknownTablePassesTheResolverError) {
  Result<QueryPlan> r = testing_binder::Plan("SELECT x FROM nope");
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "table 'nope' not found");
}

TEST(BinderExprTest, ComparisonsCoerceNumbersAndDates) {
  EXPECT_EQ(Filter("status = 200"), "(status = 200)");
  // integer column against a bigint literal: the column widens.
  EXPECT_EQ(Filter("status = 3000000000"), "(CAST(status AS bigint) = 3000000000)");
  EXPECT_EQ(Filter("duration_ms > 5"), "(duration_ms > 5)");
  QueryPlan p = PlanOk("SELECT uuid FROM access_log WHERE duration_ms > 5");
  EXPECT_EQ(p.filter->args[1]->constant, Value::Double(5));  // folded cast
  EXPECT_EQ(Filter("bytes_sent < status"), "(bytes_sent < CAST(status AS bigint))");
  // date compared with timestamp: the date becomes a timestamp constant.
  QueryPlan d = PlanOk("SELECT uuid FROM access_log WHERE time >= DATE '2024-05-01'");
  EXPECT_EQ(d.filter->args[1]->constant, Value::Timestamp(Micros("2024-05-01T00:00:00Z")));
  EXPECT_EQ(Filter("uuid IS NULL AND NULL = status"), "((uuid IS NULL) AND (NULL = status))");
  QueryPlan n = PlanOk("SELECT uuid FROM access_log WHERE NULL = status");
  EXPECT_EQ(n.filter->args[0]->constant, Value::Null(SqlType::kInteger));
}

TEST(BinderExprTest, TypeErrorsNameBothTypes) {
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log WHERE uuid = 5"),
            "line 1:40: cannot compare varchar with integer ((uuid = 5))");
  // As in Trino, a string is not a timestamp: use a TIMESTAMP literal.
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log WHERE time > '2024-05-01'"),
            "line 1:40: cannot compare timestamp with varchar ((time > '2024-05-01'))");
  EXPECT_EQ(PlanError("SELECT path + 1 FROM access_log"), "line 1:13: cannot apply operator: varchar + integer");
  EXPECT_EQ(PlanError("SELECT status || 'x' FROM access_log"), "line 1:15: cannot apply operator: integer || varchar");
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log WHERE status"),
            "line 1:35: WHERE clause must evaluate to a boolean: actual type integer");
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log WHERE status = 1 AND path"),
            "line 1:50: AND operand must be boolean, found varchar: path");
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log WHERE status IN (200, 'x')"),
            "line 1:51: cannot compare integer with varchar ('x' in IN)");
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log WHERE status LIKE 'x'"),
            "line 1:35: LIKE value must be varchar, found integer: status");
  EXPECT_EQ(PlanError("SELECT CAST(time AS integer) FROM access_log"), "line 1:8: cannot cast timestamp to integer");
  EXPECT_EQ(PlanError("SELECT CASE WHEN status = 1 THEN 'a' ELSE 2 END FROM access_log"),
            "line 1:43: CASE results must have one type; found varchar and integer");
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log WHERE path LIKE 'a%' ESCAPE 'ab'"),
            "line 1:57: LIKE escape must be a single character, found 'ab'");
}

TEST(BinderExprTest, TimeArithmeticOnConstantsFolds) {
  // now() - interval '1' day: a timestamp constant the partition projection can use.
  QueryPlan p = PlanOk("SELECT uuid FROM access_log WHERE time > now() - INTERVAL '1' DAY");
  ASSERT_TRUE(p.filter->args[1]->IsConstant());
  EXPECT_EQ(p.filter->args[1]->constant, Value::Timestamp(Micros("2024-05-09T12:00:00Z")));
  QueryPlan q = PlanOk(
      "SELECT uuid FROM access_log WHERE time BETWEEN TIMESTAMP '2024-01-31 10:00:00' + INTERVAL '1' MONTH "
      "AND current_timestamp + INTERVAL '1 02:03:04.5' DAY TO SECOND");
  EXPECT_EQ(q.filter->args[1]->constant, Value::Timestamp(Micros("2024-02-29T10:00:00Z")));
  EXPECT_EQ(q.filter->args[2]->constant, Value::Timestamp(Micros("2024-05-11T14:03:04.5Z")));
  EXPECT_EQ(Output("INTERVAL '2' HOUR + TIMESTAMP '2024-05-01 00:00:00'")->constant,
            Value::Timestamp(Micros("2024-05-01T02:00:00Z")));
  EXPECT_EQ(Output("current_date - INTERVAL '1' YEAR")->constant,
            Value::Date(static_cast<int32_t>(DaysFromCivil(2023, 5, 10))));
  EXPECT_EQ(Output("INTERVAL '1' DAY - INTERVAL '1' HOUR")->constant, Value::IntervalDayTime(23LL * 3600 * 1000000));
  EXPECT_EQ(Output("-INTERVAL '3' MONTH")->constant, Value::IntervalYearMonth(-3));
  EXPECT_EQ(Output("INTERVAL -'1-6' YEAR TO MONTH")->constant, Value::IntervalYearMonth(-18));
  // Not constant: the call stays, with the timestamp first.
  ExprPtr e = Output("INTERVAL '1' MINUTE + time");
  EXPECT_EQ(e->ToString(), "(time + INTERVAL '60' SECOND)");
  EXPECT_EQ(e->type, SqlType::kTimestamp);
  EXPECT_EQ(Output("1 + 2 * 3")->constant, Value::Integer(7));
  EXPECT_EQ(Output("-5")->constant, Value::Integer(-5));
  EXPECT_EQ(Output("-2147483648")->constant, Value::Bigint(-2147483648LL));
  EXPECT_EQ(Output("1.5 + 1")->constant, Value::Double(2.5));
  EXPECT_EQ(Output("2147483647 + 1")->kind, ExprKind::kCall);  // overflow is the executor's error
}

TEST(BinderExprTest, NowAndCurrentDateAreConstants) {
  EXPECT_EQ(Output("now()")->constant, Value::Timestamp(testing_binder::FixedNow()));
  EXPECT_EQ(Output("current_timestamp")->constant, Value::Timestamp(testing_binder::FixedNow()));
  EXPECT_EQ(Output("current_date")->constant, Value::Date(static_cast<int32_t>(DaysFromCivil(2024, 5, 10))));
}

TEST(BinderExprTest, Literals) {
  EXPECT_EQ(Output("TIMESTAMP '2024-05-01 01:02:03.123456'")->constant,
            Value::Timestamp(Micros("2024-05-01T01:02:03.123456Z")));
  EXPECT_EQ(Output("DATE '2024-02-29'")->constant, Value::Date(static_cast<int32_t>(DaysFromCivil(2024, 2, 29))));
  EXPECT_EQ(Output("2147483647")->type, SqlType::kInteger);
  EXPECT_EQ(Output("2147483648")->type, SqlType::kBigint);
  EXPECT_EQ(Output("1.5")->type, SqlType::kDouble);
  EXPECT_EQ(Output("1e2")->constant, Value::Double(100));
  EXPECT_EQ(Output("'it''s'")->constant, Value::Varchar("it's"));
  EXPECT_EQ(Output("true")->constant, Value::Boolean(true));
  EXPECT_EQ(Output("NULL")->constant, Value::Null(SqlType::kUnknown));
  EXPECT_EQ(Output("INTERVAL '1.5' SECOND")->constant, Value::IntervalDayTime(1500000));
  EXPECT_EQ(PlanError("SELECT DATE '2024-02-30' FROM access_log"),
            "line 1:8: invalid DATE literal '2024-02-30': expected 'YYYY-MM-DD'");
  EXPECT_NE(PlanError("SELECT TIMESTAMP 'yesterday' FROM access_log").find("line 1:8: invalid TIMESTAMP literal"),
            std::string::npos);
  EXPECT_NE(PlanError("SELECT INTERVAL '1.5' DAY FROM access_log").find("line 1:8: invalid interval literal"),
            std::string::npos);
  EXPECT_NE(PlanError("SELECT INTERVAL '1' SECOND TO DAY FROM access_log").find("invalid interval qualifier"),
            std::string::npos);
}

TEST(BinderExprTest, Casts) {
  EXPECT_EQ(Output("CAST('2024-05-01 10:00:00' AS timestamp)")->constant,
            Value::Timestamp(Micros("2024-05-01T10:00:00Z")));
  EXPECT_EQ(Output("CAST(' 42 ' AS integer)")->constant, Value::Integer(42));
  EXPECT_EQ(Output("CAST(NULL AS date)")->constant, Value::Null(SqlType::kDate));
  EXPECT_EQ(Output("CAST(time AS date)")->ToString(), "CAST(time AS date)");
  EXPECT_EQ(Output("CAST(status AS varchar)")->type, SqlType::kVarchar);
  EXPECT_EQ(Output("CAST(uuid AS varchar)")->kind, ExprKind::kColumnRef);  // a no-op cast disappears
  EXPECT_EQ(PlanError("SELECT CAST('abc' AS integer) FROM access_log"), "line 1:8: cannot cast 'abc' to integer");
  EXPECT_EQ(PlanError("SELECT CAST('2024-13-01' AS timestamp) FROM access_log"),
            "line 1:8: cannot cast '2024-13-01' to timestamp");
}

TEST(BinderExprTest, CaseForms) {
  ExprPtr searched = Output("CASE WHEN status >= 500 THEN 'error' WHEN status >= 400 THEN 'x' || path END");
  EXPECT_EQ(searched->kind, ExprKind::kCase);
  EXPECT_FALSE(searched->has_else);
  EXPECT_EQ(searched->type, SqlType::kVarchar);
  ExprPtr simple = Output("CASE status WHEN 200 THEN 1 WHEN 404 THEN 2.5 ELSE NULL END");
  EXPECT_EQ(simple->ToString(), "CASE WHEN (status = 200) THEN 1 WHEN (status = 404) THEN 2.5 ELSE NULL END");
  EXPECT_EQ(simple->type, SqlType::kDouble);
  EXPECT_TRUE(simple->has_else);
  EXPECT_EQ(simple->args[4]->constant, Value::Null(SqlType::kDouble));
}

TEST(BinderExprTest, NestedSimpleCaseCannotBlowUp) {
  // Each simple CASE copies its operand into each WHEN; nesting would multiply the copies.
  std::string e = "status";
  for (int i = 0; i < 40; ++i) e = "CASE " + e + " WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 3 END";
  EXPECT_NE(PlanError("SELECT " + e + " FROM access_log").find("CASE expression too large"), std::string::npos);
}

TEST(BinderExprTest, Functions) {
  struct Case {
    const char* sql;
    ScalarFunction function;
    SqlType type;
  };
  const Case cases[] = {
      {"lower(path)", ScalarFunction::kLower, SqlType::kVarchar},
      {"UPPER(path)", ScalarFunction::kUpper, SqlType::kVarchar},
      {"length(path)", ScalarFunction::kLength, SqlType::kBigint},
      {"substr(path, 2)", ScalarFunction::kSubstr, SqlType::kVarchar},
      {"substring(path, 2, status)", ScalarFunction::kSubstr, SqlType::kVarchar},
      {"strpos(path, '/')", ScalarFunction::kStrpos, SqlType::kBigint},
      {"replace(path, 'a')", ScalarFunction::kReplace, SqlType::kVarchar},
      {"trim(path)", ScalarFunction::kTrim, SqlType::kVarchar},
      {"starts_with(path, '/api')", ScalarFunction::kStartsWith, SqlType::kBoolean},
      {"concat(path, '?', query)", ScalarFunction::kConcat, SqlType::kVarchar},
      {"coalesce(status, bytes_sent, 0)", ScalarFunction::kCoalesce, SqlType::kBigint},
      {"nullif(status, 0)", ScalarFunction::kNullIf, SqlType::kInteger},
      {"abs(duration_ms)", ScalarFunction::kAbs, SqlType::kDouble},
      {"round(duration_ms, 1)", ScalarFunction::kRound, SqlType::kDouble},
      {"date_trunc('HOUR', time)", ScalarFunction::kDateTrunc, SqlType::kTimestamp},
      {"date_format(time, '%Y-%m-%d')", ScalarFunction::kDateFormat, SqlType::kVarchar},
      {"from_iso8601_timestamp(query)", ScalarFunction::kFromIso8601Timestamp, SqlType::kTimestamp},
      {"to_iso8601(time)", ScalarFunction::kToIso8601, SqlType::kVarchar},
      {"to_unixtime(time)", ScalarFunction::kToUnixtime, SqlType::kDouble},
      {"from_unixtime(bytes_sent)", ScalarFunction::kFromUnixtime, SqlType::kTimestamp},
      {"year(time)", ScalarFunction::kYear, SqlType::kBigint},
      {"hour(time)", ScalarFunction::kHour, SqlType::kBigint},
      {"date_diff('day', time, now())", ScalarFunction::kDateDiff, SqlType::kBigint},
      {"date_add('hour', 2, time)", ScalarFunction::kDateAdd, SqlType::kTimestamp},
      {"regexp_like(user_agent, 'bot|crawler')", ScalarFunction::kRegexpLike, SqlType::kBoolean},
      {"json_extract_scalar(extra, '$.a.b')", ScalarFunction::kJsonExtractScalar, SqlType::kVarchar},
  };
  for (const Case& c : cases) {
    ExprPtr e = Output(c.sql);
    EXPECT_EQ(e->kind, ExprKind::kCall) << c.sql;
    EXPECT_EQ(e->function, c.function) << c.sql;
    EXPECT_EQ(e->type, c.type) << c.sql;
  }
  // Implicit casts are explicit nodes, constants folded; units are normalized to lower case.
  EXPECT_EQ(Output("substring(path, 2, status)")->ToString(), "substr(path, 2, CAST(status AS bigint))");
  EXPECT_EQ(Output("from_unixtime(bytes_sent)")->ToString(), "from_unixtime(CAST(bytes_sent AS double))");
  EXPECT_EQ(Output("date_trunc('HOUR', time)")->ToString(), "date_trunc('hour', time)");
  EXPECT_EQ(Output("year(DATE '2024-05-01')")->ToString(), "year(TIMESTAMP '2024-05-01 00:00:00.000000')");
  EXPECT_EQ(Output("coalesce(NULL, NULL)")->constant, Value::Null(SqlType::kUnknown));
  EXPECT_EQ(Output("coalesce(NULL, path)")->ToString(), "coalesce(NULL, path)");
  EXPECT_EQ(Output("coalesce(NULL, path)")->args[0]->type, SqlType::kVarchar);
}

TEST(BinderExprTest, FunctionErrors) {
  EXPECT_EQ(PlanError("SELECT lower(status) FROM access_log"),
            "line 1:8: unexpected parameters (integer) for function lower; expected lower(varchar)");
  EXPECT_EQ(PlanError("SELECT substr(path) FROM access_log"),
            "line 1:8: unexpected parameters (varchar) for function substr; expected substr(varchar, bigint) or "
            "substr(varchar, bigint, bigint)");
  EXPECT_EQ(PlanError("SELECT lowr(path) FROM access_log"),
            "line 1:8: function 'lowr' not found; did you mean 'lower'? (docs/sql.md lists the functions)");
  EXPECT_EQ(PlanError("SELECT date_trunc('fortnight', time) FROM access_log"),
            "line 1:19: 'fortnight' is not a valid date_trunc unit; use one of 'second', 'minute', 'hour', 'day', "
            "'week', 'month', 'quarter', 'year'");
  EXPECT_NE(PlanError("SELECT date_trunc(path, time) FROM access_log").find("line 1:19: date_trunc unit must be a constant"),
            std::string::npos);
  EXPECT_NE(PlanError("SELECT regexp_like(path, '(') FROM access_log").find("line 1:26: invalid regular expression '('"),
            std::string::npos);
  EXPECT_NE(PlanError("SELECT date_format(time, path) FROM access_log").find("line 1:26: date_format format must be"),
            std::string::npos);
  EXPECT_NE(PlanError("SELECT json_extract_scalar(extra, 'a') FROM access_log").find("path must be a constant"),
            std::string::npos);
  EXPECT_EQ(PlanError("SELECT lower(DISTINCT path) FROM access_log"),
            "line 1:8: DISTINCT is only allowed in aggregate functions, not in lower");
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log WHERE count(*) > 1"),
            "line 1:35: WHERE clause cannot contain aggregate functions: count(*)");
  EXPECT_EQ(PlanError("SELECT sum(count(*)) FROM access_log"),
            "line 1:12: cannot nest aggregate functions: count(*) inside an aggregate");
  EXPECT_EQ(PlanError("SELECT sum(*) FROM access_log"), "line 1:8: only count(*) takes *; sum(*) does not exist");
  EXPECT_EQ(PlanError("SELECT sum(path) FROM access_log"),
            "line 1:8: unexpected parameters (varchar) for function sum; expected sum(integer), sum(bigint) or "
            "sum(double)");
}

TEST(BinderExprTest, ParametersBindAsTypedConstants) {
  std::vector<Value> params = {Value::Varchar("' OR 1=1 --"), Value::Integer(500),
                               Value::Timestamp(Micros("2024-05-01T00:00:00Z")), Value::Null(SqlType::kUnknown)};
  QueryPlan p = PlanOk("SELECT uuid FROM access_log WHERE tenant_id = ? AND status >= ? AND time > ? AND user_id = ?",
                       params);
  ASSERT_EQ(p.filter->kind, ExprKind::kAnd);
  ASSERT_EQ(p.filter->args.size(), 4u);
  // The injection attempt is one varchar value, compared as a whole.
  EXPECT_EQ(p.filter->args[0]->args[1]->constant, Value::Varchar("' OR 1=1 --"));
  EXPECT_EQ(p.filter->args[1]->args[1]->constant, Value::Integer(500));
  EXPECT_EQ(p.filter->args[2]->args[1]->constant, Value::Timestamp(Micros("2024-05-01T00:00:00Z")));
  EXPECT_EQ(p.filter->args[3]->args[1]->constant, Value::Null(SqlType::kVarchar));  // NULL coerces

  for (const char* evil : {"'; DROP TABLE access_log; --", "\\' OR '1'='1", "\xE2\x80\x99 OR 1=1", "?", "\"uuid\""}) {
    QueryPlan q = PlanOk("SELECT uuid FROM access_log WHERE uuid = ?", {Value::Varchar(evil)});
    EXPECT_EQ(q.filter->ToString(), "(uuid = " + Value::Varchar(evil).ToSqlLiteral() + ")");
    EXPECT_EQ(q.filter->args[1]->constant.AsString(), evil);
  }
  // Parameters widen like literals; a timestamp parameter minus an interval folds.
  EXPECT_EQ(Filter("bytes_sent > ?", {Value::Integer(1)}), "(bytes_sent > 1)");
  QueryPlan t = PlanOk("SELECT uuid FROM access_log WHERE time > ? - INTERVAL '1' HOUR",
                       {Value::Timestamp(Micros("2024-05-01T00:00:00Z"))});
  EXPECT_EQ(t.filter->args[1]->constant, Value::Timestamp(Micros("2024-04-30T23:00:00Z")));
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log WHERE status = ?", {Value::Varchar("200")}),
            "line 1:42: cannot compare integer with varchar ((status = ?))");
}

TEST(BinderExprTest, ParametersOfEveryType) {
  int32_t may1 = static_cast<int32_t>(DaysFromCivil(2024, 5, 1));
  // A date parameter compared with the time column becomes a timestamp constant.
  QueryPlan d = PlanOk("SELECT uuid FROM access_log WHERE time >= ?", {Value::Date(may1)});
  EXPECT_EQ(d.filter->args[1]->constant, Value::Timestamp(Micros("2024-05-01T00:00:00Z")));
  EXPECT_EQ(Filter("duration_ms < ?", {Value::Double(1.5)}), "(duration_ms < 1.5)");
  EXPECT_EQ(Filter("(status = 200) = ?", {Value::Boolean(true)}), "((status = 200) = true)");
  EXPECT_EQ(Filter("? IS NULL", {Value::Null(SqlType::kUnknown)}), "(NULL IS NULL)");
  EXPECT_EQ(Filter("path IN (?, ?)", {Value::Varchar("a"), Value::Null(SqlType::kVarchar)}), "(path IN ('a', NULL))");
  EXPECT_EQ(Output("?", {Value::IntervalDayTime(1000000)})->type, SqlType::kIntervalDayTime);
}

TEST(BinderExprTest, ParameterCountMustMatch) {
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log WHERE uuid = ? OR uuid = ?", {Value::Varchar("a")}),
            "the query has 2 parameters (?) but 1 value was given");
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log WHERE uuid = ?"),
            "the query has 1 parameter (?) but 0 values were given");
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log", {Value::Integer(1), Value::Integer(2)}),
            "the query has 0 parameters (?) but 2 values were given");
}

}  // namespace
}  // namespace loglake::query
