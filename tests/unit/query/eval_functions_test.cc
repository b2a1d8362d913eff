// The scalar functions of the evaluator: arithmetic (with Trino's overflow and division errors),
// interval arithmetic, string, date/time, regexp, JSON and CAST. Expected values are computed
// by hand (calendar facts noted where they matter).
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <random>

#include "common/time.h"
#include "eval_test_util.h"
#include "query/execution/functions_datetime.h"

namespace loglake::query {
namespace {

using namespace evaltest;
using V = std::vector<Value>;
using SF = ScalarFunction;

int64_t Ts(const char* iso) {
  auto r = ParseTimestampMicros(iso);
  EXPECT_TRUE(r.ok()) << iso;
  return r.ok() ? *r : 0;
}
ExprPtr TsLit(const char* iso) { return Lit(Value::Timestamp(Ts(iso))); }
ExprPtr DateLit(int y, int m, int d) { return Lit(Value::Date(static_cast<int32_t>(DaysFromCivil(y, m, d)))); }
Value TsVal(const char* iso) { return Value::Timestamp(Ts(iso)); }
Value DateVal(int y, int m, int d) { return Value::Date(static_cast<int32_t>(DaysFromCivil(y, m, d))); }

std::string ErrorOf(const Expr& e) { return EvalError(e).message(); }

// ---- arithmetic ----

TEST(EvalArithmetic, IntegerResultsAndTruncation) {
  EXPECT_EQ(Eval1(*Fn(SF::kAdd, SqlType::kInteger, Int(2), Int(3))), Value::Integer(5));
  EXPECT_EQ(Eval1(*Fn(SF::kSubtract, SqlType::kBigint, Big(2), Big(5))), Value::Bigint(-3));
  EXPECT_EQ(Eval1(*Fn(SF::kMultiply, SqlType::kBigint, Big(-4), Big(5))), Value::Bigint(-20));
  EXPECT_EQ(Eval1(*Fn(SF::kDivide, SqlType::kInteger, Int(-7), Int(2))), Value::Integer(-3));  // toward zero
  EXPECT_EQ(Eval1(*Fn(SF::kModulo, SqlType::kInteger, Int(-7), Int(3))), Value::Integer(-1));  // dividend's sign
  EXPECT_EQ(Eval1(*Fn(SF::kModulo, SqlType::kInteger, Int(7), Int(-3))), Value::Integer(1));
  EXPECT_EQ(Eval1(*Fn(SF::kModulo, SqlType::kBigint, Big(INT64_MIN), Big(-1))), Value::Bigint(0));
  EXPECT_EQ(Eval1(*Fn(SF::kNegate, SqlType::kInteger, Int(5))), Value::Integer(-5));
}

TEST(EvalArithmetic, OverflowAndDivisionByZeroAreErrors) {
  EXPECT_EQ(ErrorOf(*Fn(SF::kAdd, SqlType::kInteger, Int(2147483647), Int(1))),
            "integer addition overflow: 2147483647 + 1");
  EXPECT_EQ(ErrorOf(*Fn(SF::kAdd, SqlType::kBigint, Big(INT64_MAX), Big(1))),
            "bigint addition overflow: 9223372036854775807 + 1");
  EXPECT_EQ(ErrorOf(*Fn(SF::kSubtract, SqlType::kBigint, Big(INT64_MIN), Big(1))),
            "bigint subtraction overflow: -9223372036854775808 - 1");
  EXPECT_EQ(ErrorOf(*Fn(SF::kMultiply, SqlType::kInteger, Int(65536), Int(65536))),
            "integer multiplication overflow: 65536 * 65536");
  EXPECT_EQ(ErrorOf(*Fn(SF::kDivide, SqlType::kBigint, Big(INT64_MIN), Big(-1))),
            "bigint division overflow: -9223372036854775808 / -1");
  EXPECT_EQ(ErrorOf(*Fn(SF::kDivide, SqlType::kInteger, Int(1), Int(0))), "Division by zero");
  EXPECT_EQ(ErrorOf(*Fn(SF::kModulo, SqlType::kBigint, Big(1), Big(0))), "Division by zero");
  EXPECT_EQ(ErrorOf(*Fn(SF::kNegate, SqlType::kInteger, Int(INT32_MIN))), "integer negation overflow: -2147483648");
  EXPECT_FALSE(EvalError(*Fn(SF::kAbs, SqlType::kBigint, Big(INT64_MIN))).ok());
  EXPECT_EQ(EvalError(*Fn(SF::kDivide, SqlType::kInteger, Int(1), Int(0))).code(), StatusCode::kInvalidArgument);
}

TEST(EvalArithmetic, DoublesFollowIeee) {
  Value inf = Eval1(*Fn(SF::kDivide, SqlType::kDouble, Dbl(1), Dbl(0)));
  EXPECT_TRUE(std::isinf(inf.AsDouble()) && inf.AsDouble() > 0);
  EXPECT_TRUE(std::isnan(Eval1(*Fn(SF::kDivide, SqlType::kDouble, Dbl(0), Dbl(0))).AsDouble()));
  EXPECT_EQ(Eval1(*Fn(SF::kModulo, SqlType::kDouble, Dbl(5.5), Dbl(2))), Value::Double(1.5));
  EXPECT_EQ(Eval1(*Fn(SF::kMultiply, SqlType::kDouble, Dbl(1.5), Dbl(-2))), Value::Double(-3));
  EXPECT_EQ(Eval1(*Fn(SF::kAbs, SqlType::kDouble, Dbl(-2.5))), Value::Double(2.5));
}

TEST(EvalArithmetic, NullPropagatesAndColumns) {
  Batch b{{Bigints({1, std::nullopt, 3}), Bigints({10, 20, std::nullopt})}};
  ExprPtr e = Fn(SF::kAdd, SqlType::kBigint, Ref(0, SqlType::kBigint), Ref(1, SqlType::kBigint));
  EXPECT_EQ(Eval(*e, b), (V{Value::Bigint(11), Value::Null(SqlType::kBigint), Value::Null(SqlType::kBigint)}));
  std::vector<uint32_t> rows = {0};
  EXPECT_EQ(Eval(*e, b, &rows), (V{Value::Bigint(11)}));
  // An overflow in a NULL row is not an error: NULL in, NULL out.
  Batch z{{Bigints({std::nullopt}), Bigints({0})}};
  ExprPtr d = Fn(SF::kDivide, SqlType::kBigint, Ref(0, SqlType::kBigint), Ref(1, SqlType::kBigint));
  EXPECT_EQ(Eval(*d, z), (V{Value::Null(SqlType::kBigint)}));
}

TEST(EvalArithmetic, Round) {
  EXPECT_EQ(Eval1(*Fn(SF::kRound, SqlType::kDouble, Dbl(2.5))), Value::Double(3));
  EXPECT_EQ(Eval1(*Fn(SF::kRound, SqlType::kDouble, Dbl(-2.5))), Value::Double(-3));
  EXPECT_EQ(Eval1(*Fn(SF::kRound, SqlType::kDouble, Dbl(1.2345), Int(2))), Value::Double(1.23));
  EXPECT_EQ(Eval1(*Fn(SF::kRound, SqlType::kDouble, Dbl(-1.2355), Int(3))), Value::Double(-1.236));
  EXPECT_EQ(Eval1(*Fn(SF::kRound, SqlType::kDouble, Dbl(1234.5), Int(-2))), Value::Double(1200));
  EXPECT_TRUE(std::isnan(Eval1(*Fn(SF::kRound, SqlType::kDouble, Dbl(std::nan("")))).AsDouble()));
  EXPECT_EQ(Eval1(*Fn(SF::kRound, SqlType::kInteger, Int(1250), Int(-2))), Value::Integer(1300));
  EXPECT_EQ(Eval1(*Fn(SF::kRound, SqlType::kInteger, Int(-1250), Int(-2))), Value::Integer(-1300));
  EXPECT_EQ(Eval1(*Fn(SF::kRound, SqlType::kBigint, Big(1249), Int(-2))), Value::Bigint(1200));
  EXPECT_EQ(Eval1(*Fn(SF::kRound, SqlType::kBigint, Big(17), Int(1))), Value::Bigint(17));
  EXPECT_FALSE(EvalError(*Fn(SF::kRound, SqlType::kInteger, Int(2147483647), Int(-1))).ok());
}

// ---- timestamp/date ± interval ----

TEST(EvalInterval, DayTimeAndYearMonth) {
  ExprPtr plus_day = Fn(SF::kAdd, SqlType::kTimestamp, TsLit("2024-02-28T10:00:00Z"),
                        Lit(Value::IntervalDayTime(kMicrosPerDay)));
  EXPECT_EQ(Eval1(*plus_day), TsVal("2024-02-29T10:00:00Z"));
  ExprPtr minus_hour = Fn(SF::kSubtract, SqlType::kTimestamp, TsLit("2024-03-01T00:30:00Z"),
                          Lit(Value::IntervalDayTime(3600 * kMicrosPerSecond)));
  EXPECT_EQ(Eval1(*minus_hour), TsVal("2024-02-29T23:30:00Z"));
  // Year-month intervals clamp to the end of the month and keep the time of day.
  ExprPtr plus_month = Fn(SF::kAdd, SqlType::kTimestamp, TsLit("2024-01-31T10:00:00Z"), Lit(Value::IntervalYearMonth(1)));
  EXPECT_EQ(Eval1(*plus_month), TsVal("2024-02-29T10:00:00Z"));
  ExprPtr minus_year = Fn(SF::kSubtract, SqlType::kTimestamp, TsLit("2024-02-29T00:00:00Z"),
                          Lit(Value::IntervalYearMonth(12)));
  EXPECT_EQ(Eval1(*minus_year), TsVal("2023-02-28T00:00:00Z"));
  ExprPtr date_minus = Fn(SF::kSubtract, SqlType::kDate, DateLit(2024, 3, 31), Lit(Value::IntervalYearMonth(1)));
  EXPECT_EQ(Eval1(*date_minus), DateVal(2024, 2, 29));
  ExprPtr date_plus_days = Fn(SF::kAdd, SqlType::kDate, DateLit(2023, 12, 31), Lit(Value::IntervalDayTime(2 * kMicrosPerDay)));
  EXPECT_EQ(Eval1(*date_plus_days), DateVal(2024, 1, 2));
  ExprPtr date_plus_hour = Fn(SF::kAdd, SqlType::kDate, DateLit(2023, 12, 31),
                              Lit(Value::IntervalDayTime(3600 * kMicrosPerSecond)));
  EXPECT_FALSE(EvalError(*date_plus_hour).ok());
  ExprPtr overflow = Fn(SF::kAdd, SqlType::kTimestamp, Lit(Value::Timestamp(INT64_MAX - 5)),
                        Lit(Value::IntervalDayTime(kMicrosPerDay)));
  EXPECT_FALSE(EvalError(*overflow).ok());
}

// ---- strings ----

ExprPtr S1(SF f, SqlType t, const char* s) { return Fn(f, t, Str(s)); }

TEST(EvalString, ConcatLengthLowerUpper) {
  EXPECT_EQ(Eval1(*Fn(SF::kConcat, SqlType::kVarchar, Str("a"), Str("é"), Str("c"))), Value::Varchar("aéc"));
  EXPECT_EQ(Eval1(*Fn(SF::kConcat, SqlType::kVarchar, Str("a"), Null(SqlType::kVarchar))), Value::Null(SqlType::kVarchar));
  EXPECT_EQ(Eval1(*S1(SF::kLength, SqlType::kBigint, "héllo")), Value::Bigint(5));
  EXPECT_EQ(Eval1(*S1(SF::kLength, SqlType::kBigint, "日本")), Value::Bigint(2));
  EXPECT_EQ(Eval1(*S1(SF::kLength, SqlType::kBigint, "")), Value::Bigint(0));
  EXPECT_EQ(Eval1(*S1(SF::kLower, SqlType::kVarchar, "HeLLo ÀÉÎÞ ΑΒΓ ΆΏ ДЖЁ ŁŹ İ")),
            Value::Varchar("hello àéîþ αβγ άώ джё łź i"));
  EXPECT_EQ(Eval1(*S1(SF::kUpper, SqlType::kVarchar, "straße ÿ µ ς ά жё łź ı ×÷")),
            Value::Varchar("STRAßE Ÿ Μ Σ Ά ЖЁ ŁŹ I ×÷"));
  EXPECT_EQ(Eval1(*S1(SF::kUpper, SqlType::kVarchar, "日本 abc")), Value::Varchar("日本 ABC"));
  // Malformed UTF-8 passes through.
  EXPECT_EQ(Eval1(*S1(SF::kUpper, SqlType::kVarchar, "a\xff" "b")), Value::Varchar("A\xff" "B"));
  // So do overlong forms ("\xc1\xa1" would be 'a'), surrogates and cut sequences: byte for byte,
  // never decoded, mapped and re-encoded.
  EXPECT_EQ(Eval1(*S1(SF::kUpper, SqlType::kVarchar, "\xc1\xa1" "b")), Value::Varchar("\xc1\xa1" "B"));
  EXPECT_EQ(Eval1(*S1(SF::kLower, SqlType::kVarchar, "\xed\xa0\x80" "A")), Value::Varchar("\xed\xa0\x80" "a"));
  EXPECT_EQ(Eval1(*S1(SF::kLower, SqlType::kVarchar, "A\xc3")), Value::Varchar("a\xc3"));
  // length counts the bytes that are not continuation bytes.
  EXPECT_EQ(Eval1(*S1(SF::kLength, SqlType::kBigint, "a\xff\x80" "b")), Value::Bigint(3));
}

TEST(EvalString, SubstrInCodePoints) {
  auto sub = [](const char* s, int64_t start, std::optional<int64_t> len) {
    return len ? Eval1(*Fn(SF::kSubstr, SqlType::kVarchar, Str(s), Big(start), Big(*len)))
               : Eval1(*Fn(SF::kSubstr, SqlType::kVarchar, Str(s), Big(start)));
  };
  EXPECT_EQ(sub("héllo", 2, {}), Value::Varchar("éllo"));
  EXPECT_EQ(sub("héllo", 2, 2), Value::Varchar("él"));
  EXPECT_EQ(sub("héllo", -3, {}), Value::Varchar("llo"));
  EXPECT_EQ(sub("héllo", -4, 2), Value::Varchar("él"));
  EXPECT_EQ(sub("abc", 0, {}), Value::Varchar(""));
  EXPECT_EQ(sub("abc", 4, {}), Value::Varchar(""));
  EXPECT_EQ(sub("abc", -5, {}), Value::Varchar(""));
  EXPECT_EQ(sub("abc", 2, 0), Value::Varchar(""));
  EXPECT_EQ(sub("abc", 2, -1), Value::Varchar(""));
  EXPECT_EQ(sub("abc", 2, 100), Value::Varchar("bc"));
  EXPECT_EQ(sub("日本語", 2, 1), Value::Varchar("本"));
  // integer-typed start and length are accepted too
  EXPECT_EQ(Eval1(*Fn(SF::kSubstr, SqlType::kVarchar, Str("abcdef"), Int(3), Int(2))), Value::Varchar("cd"));
}

TEST(EvalString, StrposReplaceTrimStartsWith) {
  EXPECT_EQ(Eval1(*Fn(SF::kStrpos, SqlType::kBigint, Str("héllo"), Str("l"))), Value::Bigint(3));
  EXPECT_EQ(Eval1(*Fn(SF::kStrpos, SqlType::kBigint, Str("abc"), Str(""))), Value::Bigint(1));
  EXPECT_EQ(Eval1(*Fn(SF::kStrpos, SqlType::kBigint, Str("abc"), Str("x"))), Value::Bigint(0));
  EXPECT_EQ(Eval1(*Fn(SF::kReplace, SqlType::kVarchar, Str("aXbXc"), Str("X"), Str("--"))), Value::Varchar("a--b--c"));
  EXPECT_EQ(Eval1(*Fn(SF::kReplace, SqlType::kVarchar, Str("abcb"), Str("b"))), Value::Varchar("ac"));
  EXPECT_EQ(Eval1(*Fn(SF::kReplace, SqlType::kVarchar, Str("aé"), Str(""), Str("-"))), Value::Varchar("-a-é-"));
  EXPECT_EQ(Eval1(*Fn(SF::kReplace, SqlType::kVarchar, Str("aaa"), Str("aa"), Str("b"))), Value::Varchar("ba"));
  EXPECT_EQ(Eval1(*S1(SF::kTrim, SqlType::kVarchar, "  a b \t\n")), Value::Varchar("a b"));
  EXPECT_EQ(Eval1(*S1(SF::kTrim, SqlType::kVarchar, "   ")), Value::Varchar(""));
  EXPECT_EQ(Eval1(*S1(SF::kTrim, SqlType::kVarchar, "\u3000x\u2003")), Value::Varchar("x"));
  EXPECT_EQ(Eval1(*S1(SF::kTrim, SqlType::kVarchar, "\u00a0x")), Value::Varchar("\u00a0x"));  // no-break space stays
  // A malformed byte is not white space, and trimming stops at it.
  EXPECT_EQ(Eval1(*S1(SF::kTrim, SqlType::kVarchar, " \xe3\x80 x\x80 ")), Value::Varchar("\xe3\x80 x\x80"));
  EXPECT_EQ(Eval1(*Fn(SF::kStartsWith, SqlType::kBoolean, Str("abc"), Str("ab"))), Value::Boolean(true));
  EXPECT_EQ(Eval1(*Fn(SF::kStartsWith, SqlType::kBoolean, Str("abc"), Str(""))), Value::Boolean(true));
  EXPECT_EQ(Eval1(*Fn(SF::kStartsWith, SqlType::kBoolean, Str("ab"), Str("abc"))), Value::Boolean(false));
}

TEST(EvalString, RegexpLikeFindsAnywhere) {
  Batch b{{Strings({"abc123", "abc", std::nullopt, "x9"})}};
  ExprPtr e = Fn(SF::kRegexpLike, SqlType::kBoolean, Ref(0, SqlType::kVarchar), Str("\\d+"));
  EXPECT_EQ(Eval(*e, b), (V{B(true), B(false), B({}), B(true)}));
  EXPECT_EQ(Select(*e, b), (std::vector<uint32_t>{0, 3}));
  EXPECT_EQ(Eval1(*Fn(SF::kRegexpLike, SqlType::kBoolean, Str("abc"), Str("^b"))), Value::Boolean(false));
  EXPECT_EQ(Eval1(*Fn(SF::kRegexpLike, SqlType::kBoolean, Str("abc"), Str("b"))), Value::Boolean(true));
  EXPECT_EQ(Eval1(*Fn(SF::kRegexpLike, SqlType::kBoolean, Str("abc"), Null(SqlType::kVarchar))),
            Value::Null(SqlType::kBoolean));
  auto bad = ExprEvaluator::Compile(*Fn(SF::kRegexpLike, SqlType::kBoolean, Ref(0, SqlType::kVarchar), Str("(")));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("regexp_like"), std::string::npos);
  // A pattern from a column.
  Batch p{{Strings({"abc", "abc"}), Strings({"^a", "^b"})}};
  ExprPtr dyn = Fn(SF::kRegexpLike, SqlType::kBoolean, Ref(0, SqlType::kVarchar), Ref(1, SqlType::kVarchar));
  EXPECT_EQ(Eval(*dyn, p), (V{B(true), B(false)}));
}

TEST(EvalString, JsonExtractScalar) {
  const char* doc = R"({"a":{"b":[1,"x",true,null,{"c":2}]},"n":1.50,"s":"q\"uote","a.b":7})";
  Batch b{{Strings({doc, "not json", std::nullopt, "[1,2]"})}};
  auto extract = [&](const char* path) {
    return Eval(*Fn(SF::kJsonExtractScalar, SqlType::kVarchar, Ref(0, SqlType::kVarchar), Str(path)), b);
  };
  Value null = Value::Null(SqlType::kVarchar);
  EXPECT_EQ(extract("$.a.b[0]"), (V{Value::Varchar("1"), null, null, null}));
  EXPECT_EQ(extract("$.a.b[1]")[0], Value::Varchar("x"));
  EXPECT_EQ(extract("$.a.b[2]")[0], Value::Varchar("true"));
  EXPECT_EQ(extract("$.a.b[3]")[0], null);  // JSON null
  EXPECT_EQ(extract("$.a.b[4]")[0], null);  // an object
  EXPECT_EQ(extract("$.a")[0], null);
  EXPECT_EQ(extract("$.n")[0], Value::Varchar("1.50"));  // as written
  EXPECT_EQ(extract("$.s")[0], Value::Varchar("q\"uote"));
  EXPECT_EQ(extract("$.missing")[0], null);
  EXPECT_EQ(extract("$[\"a\"][\"b\"][1]")[0], Value::Varchar("x"));
  EXPECT_EQ(extract("$['a.b']")[0], Value::Varchar("7"));
  EXPECT_EQ(extract("$[1]"), (V{null, null, null, Value::Varchar("2")}));
  EXPECT_FALSE(ExprEvaluator::Compile(*Fn(SF::kJsonExtractScalar, SqlType::kVarchar, Ref(0, SqlType::kVarchar),
                                          Str("a.b")))
                   .ok());
}

// ---- date/time ----

TEST(EvalDatetime, DateTruncEveryUnit) {
  // 2024-05-01 is a Wednesday.
  const char* t = "2024-05-01T12:34:56.123456Z";
  struct Case {
    const char* unit;
    const char* want;
  } cases[] = {{"second", "2024-05-01T12:34:56Z"}, {"minute", "2024-05-01T12:34:00Z"}, {"hour", "2024-05-01T12:00:00Z"},
               {"day", "2024-05-01T00:00:00Z"},    {"week", "2024-04-29T00:00:00Z"},   {"month", "2024-05-01T00:00:00Z"},
               {"quarter", "2024-04-01T00:00:00Z"}, {"YEAR", "2024-01-01T00:00:00Z"}};
  for (const Case& c : cases) {
    EXPECT_EQ(Eval1(*Fn(SF::kDateTrunc, SqlType::kTimestamp, Str(c.unit), TsLit(t))), TsVal(c.want)) << c.unit;
  }
  // Before 1970 the truncation still goes toward the past; 1970-01-01 was a Thursday.
  EXPECT_EQ(Eval1(*Fn(SF::kDateTrunc, SqlType::kTimestamp, Str("second"), TsLit("1969-12-31T23:59:59.5Z"))),
            TsVal("1969-12-31T23:59:59Z"));
  EXPECT_EQ(Eval1(*Fn(SF::kDateTrunc, SqlType::kTimestamp, Str("week"), TsLit("1970-01-01T05:00:00Z"))),
            TsVal("1969-12-29T00:00:00Z"));
  EXPECT_EQ(Eval1(*Fn(SF::kDateTrunc, SqlType::kTimestamp, Str("quarter"), TsLit("2023-12-31T23:59:59Z"))),
            TsVal("2023-10-01T00:00:00Z"));
  EXPECT_FALSE(ExprEvaluator::Compile(*Fn(SF::kDateTrunc, SqlType::kTimestamp, Str("fortnight"), TsLit(t))).ok());
}

// Every unit over random instants of years 0000..9999 (before 1970 too), checked against what a
// truncation means rather than against a second implementation: the result is the first instant
// of the unit holding t, so it is <= t, has the unit's shape (midnight, the 1st, a Monday...) and
// lies in the same unit as t. Column evaluation (one kernel per unit) agrees with TruncateMicros.
TEST(EvalDatetime, DateTruncPropertiesOverRandomInstants) {
  std::mt19937_64 rng(20240501);
  std::uniform_int_distribution<int64_t> any(kMinTimestampMicros, kMaxTimestampMicros);
  std::vector<std::optional<int64_t>> times;
  for (int i = 0; i < 4000; ++i) times.push_back(any(rng));
  times.push_back(-1);  // 1969-12-31T23:59:59.999999Z
  times.push_back(0);
  times.push_back(kMinTimestampMicros);
  times.push_back(kMaxTimestampMicros);
  times.push_back(std::nullopt);
  Batch b;
  b.columns.push_back(Times(times));
  const struct {
    const char* name;
    DateUnit unit;
    int64_t fixed;  // length in micros for the fixed units, else 0
  } units[] = {{"millisecond", DateUnit::kMillisecond, 1000},
               {"second", DateUnit::kSecond, kMicrosPerSecond},
               {"minute", DateUnit::kMinute, 60 * kMicrosPerSecond},
               {"hour", DateUnit::kHour, 3600 * kMicrosPerSecond},
               {"day", DateUnit::kDay, kMicrosPerDay},
               {"week", DateUnit::kWeek, 7 * kMicrosPerDay},
               {"month", DateUnit::kMonth, 0},
               {"quarter", DateUnit::kQuarter, 0},
               {"year", DateUnit::kYear, 0}};
  for (const auto& u : units) {
    std::vector<Value> got = Eval(*Fn(SF::kDateTrunc, SqlType::kTimestamp, Str(u.name), Ref(0, SqlType::kTimestamp)), b);
    ASSERT_EQ(got.size(), times.size()) << u.name;
    EXPECT_TRUE(got.back().is_null()) << u.name;
    for (size_t i = 0; i + 1 < times.size(); ++i) {
      const int64_t t = *times[i];
      const int64_t r = TruncateMicros(u.unit, t);
      ASSERT_EQ(got[i], Value::Timestamp(r)) << u.name << " " << t;
      ASSERT_LE(r, t) << u.name << " " << t;
      const CivilDate rd = CivilDateFromMicros(r), td = CivilDateFromMicros(t);
      if (u.unit == DateUnit::kWeek) {
        ASSERT_EQ(MicrosFromCivilDate(rd), r) << t;
        ASSERT_EQ(FloorMod(r / kMicrosPerDay + 3, 7), 0) << t;  // a Monday (1970-01-01 was a Thursday)
        ASSERT_LT(t - r, u.fixed) << t;
      } else if (u.fixed != 0) {
        ASSERT_EQ(FloorMod(r, u.fixed), 0) << u.name << " " << t;
        ASSERT_LT(t - r, u.fixed) << u.name << " " << t;
      } else {
        ASSERT_EQ(MicrosFromCivilDate(rd), r) << u.name << " " << t;  // midnight
        ASSERT_EQ(rd.day, 1) << u.name << " " << t;
        ASSERT_EQ(rd.year, td.year) << u.name << " " << t;
        const int first_month = u.unit == DateUnit::kMonth     ? td.month
                                : u.unit == DateUnit::kQuarter ? (td.month - 1) / 3 * 3 + 1
                                                               : 1;
        ASSERT_EQ(rd.month, first_month) << u.name << " " << t;
      }
    }
  }
}

TEST(EvalDatetime, DateFormatSpecifiers) {
  auto fmt = [](const char* t, const char* f) {
    return Eval1(*Fn(SF::kDateFormat, SqlType::kVarchar, TsLit(t), Str(f)));
  };
  const char* t = "2024-05-01T12:34:56.123456Z";
  EXPECT_EQ(fmt(t, "%Y-%m-%d %H:%i:%s"), Value::Varchar("2024-05-01 12:34:56"));
  EXPECT_EQ(fmt(t, "%f|%j|%S"), Value::Varchar("123456|122|56"));  // May 1 is day 31+29+31+30+1 = 122
  EXPECT_EQ(fmt(t, "%a %b %M %W"), Value::Varchar("Wed May May Wednesday"));
  EXPECT_EQ(fmt(t, "%p %r %T"), Value::Varchar("PM 12:34:56 PM 12:34:56"));
  EXPECT_EQ(fmt(t, "%y %e %c %h %k %l %I %D"), Value::Varchar("24 1 5 12 12 12 12 1st"));
  EXPECT_EQ(fmt(t, "%v %x"), Value::Varchar("18 2024"));
  EXPECT_EQ(fmt("2021-01-01T01:05:09Z", "%v %x %h %l %p %D %e"), Value::Varchar("53 2020 01 1 AM 1st 1"));
  EXPECT_EQ(fmt("2021-03-22T00:00:00Z", "%D %d %r"), Value::Varchar("22nd 22 12:00:00 AM"));
  EXPECT_EQ(fmt("2021-03-13T23:00:00Z", "%D %l%p"), Value::Varchar("13th 11PM"));
  EXPECT_EQ(fmt(t, "100%% %Q"), Value::Varchar("100% Q"));
  EXPECT_FALSE(ExprEvaluator::Compile(*Fn(SF::kDateFormat, SqlType::kVarchar, TsLit(t), Str("%U"))).ok());
}

TEST(EvalDatetime, IsoUnixAndFields) {
  int64_t t = Ts("2024-05-01T12:34:56.123456Z");
  EXPECT_EQ(Eval1(*Fn(SF::kFromIso8601Timestamp, SqlType::kTimestamp, Str("2024-05-01T14:34:56.123456+02:00"))),
            Value::Timestamp(t));
  Status bad = EvalError(*Fn(SF::kFromIso8601Timestamp, SqlType::kTimestamp, Str("yesterday")));
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("from_iso8601_timestamp"), std::string::npos);
  EXPECT_EQ(Eval1(*Fn(SF::kToIso8601, SqlType::kVarchar, Lit(Value::Timestamp(t)))),
            Value::Varchar("2024-05-01T12:34:56.123456"));
  EXPECT_EQ(Eval1(*Fn(SF::kToUnixtime, SqlType::kDouble, Lit(Value::Timestamp(t)))), Value::Double(1714566896.123456));
  EXPECT_EQ(Eval1(*Fn(SF::kFromUnixtime, SqlType::kTimestamp, Dbl(1714566896.5))),
            TsVal("2024-05-01T12:34:56.5Z"));
  EXPECT_FALSE(EvalError(*Fn(SF::kFromUnixtime, SqlType::kTimestamp, Dbl(1e300))).ok());
  struct Field {
    SF f;
    int64_t want;
  } fields[] = {{SF::kYear, 2024}, {SF::kMonth, 5}, {SF::kDay, 1}, {SF::kHour, 12}, {SF::kMinute, 34}, {SF::kSecond, 56}};
  for (const Field& f : fields) {
    EXPECT_EQ(Eval1(*Fn(f.f, SqlType::kBigint, Lit(Value::Timestamp(t)))), Value::Bigint(f.want));
  }
  // -1 µs is 1969-12-31 23:59:59.
  EXPECT_EQ(Eval1(*Fn(SF::kYear, SqlType::kBigint, Lit(Value::Timestamp(-1)))), Value::Bigint(1969));
  EXPECT_EQ(Eval1(*Fn(SF::kSecond, SqlType::kBigint, Lit(Value::Timestamp(-1)))), Value::Bigint(59));
  EXPECT_EQ(Eval1(*Fn(SF::kDay, SqlType::kBigint, DateLit(2024, 2, 29))), Value::Bigint(29));
}

TEST(EvalDatetime, DateDiffAndDateAdd) {
  auto diff = [](const char* unit, const char* a, const char* b) {
    return Eval1(*Fn(SF::kDateDiff, SqlType::kBigint, Str(unit), TsLit(a), TsLit(b))).AsInt64();
  };
  EXPECT_EQ(diff("day", "2024-01-01T00:00:00Z", "2024-01-02T23:59:00Z"), 1);
  EXPECT_EQ(diff("day", "2024-01-02T23:59:00Z", "2024-01-01T00:00:00Z"), -1);
  EXPECT_EQ(diff("hour", "2024-01-01T00:00:00Z", "2024-01-01T01:30:00Z"), 1);
  EXPECT_EQ(diff("week", "2024-01-01T00:00:00Z", "2024-01-15T00:00:00Z"), 2);
  EXPECT_EQ(diff("second", "2024-01-01T00:00:00Z", "2024-01-01T00:00:01.999Z"), 1);
  EXPECT_EQ(diff("month", "2024-01-31T00:00:00Z", "2024-02-29T00:00:00Z"), 1);  // last day of February
  EXPECT_EQ(diff("month", "2024-01-31T00:00:00Z", "2024-02-28T00:00:00Z"), 0);
  EXPECT_EQ(diff("month", "2024-01-15T10:00:00Z", "2024-02-15T09:00:00Z"), 0);
  EXPECT_EQ(diff("month", "2024-01-15T10:00:00Z", "2024-03-15T10:00:00Z"), 2);
  EXPECT_EQ(diff("month", "2024-03-15T10:00:00Z", "2024-01-15T10:00:01Z"), -1);
  EXPECT_EQ(diff("quarter", "2024-01-01T00:00:00Z", "2024-12-31T00:00:00Z"), 3);
  EXPECT_EQ(diff("year", "2020-06-01T00:00:00Z", "2024-05-31T00:00:00Z"), 3);

  auto add = [](const char* unit, int64_t n, const char* t) {
    return Eval1(*Fn(SF::kDateAdd, SqlType::kTimestamp, Str(unit), Big(n), TsLit(t)));
  };
  EXPECT_EQ(add("month", 1, "2024-01-31T10:00:00Z"), TsVal("2024-02-29T10:00:00Z"));
  EXPECT_EQ(add("year", 1, "2024-02-29T00:00:00Z"), TsVal("2025-02-28T00:00:00Z"));
  EXPECT_EQ(add("day", -1, "2024-03-01T00:00:00Z"), TsVal("2024-02-29T00:00:00Z"));
  EXPECT_EQ(add("hour", 25, "2024-01-01T00:00:00Z"), TsVal("2024-01-02T01:00:00Z"));
  EXPECT_EQ(add("quarter", 1, "2024-11-30T00:00:00Z"), TsVal("2025-02-28T00:00:00Z"));
  EXPECT_EQ(add("minute", -90, "2024-01-01T00:00:00Z"), TsVal("2023-12-31T22:30:00Z"));
  EXPECT_FALSE(EvalError(*Fn(SF::kDateAdd, SqlType::kTimestamp, Str("day"), Big(INT64_MAX / 1000),
                             TsLit("2024-01-01T00:00:00Z")))
                   .ok());
}

TEST(EvalDatetime, HelpersAgreeOnMonthArithmetic) {
  int64_t out = 0;
  ASSERT_TRUE(AddMonthsToMicros(Ts("2023-03-31T08:00:00Z"), -1, &out));
  EXPECT_EQ(out, Ts("2023-02-28T08:00:00Z"));
  ASSERT_TRUE(AddMonthsToMicros(Ts("1969-12-31T23:00:00Z"), 2, &out));
  EXPECT_EQ(out, Ts("1970-02-28T23:00:00Z"));
  EXPECT_EQ(DiffMicros(DateUnit::kMonth, Ts("2023-02-28T00:00:00Z"), Ts("2023-03-31T00:00:00Z")), 1);
}

// ---- casts ----

Value CastOf(ExprPtr e, SqlType to) { return Eval1(*Cast(std::move(e), to)); }
std::string CastError(ExprPtr e, SqlType to) { return ErrorOf(*Cast(std::move(e), to)); }

TEST(EvalCast, VarcharToScalars) {
  EXPECT_EQ(CastOf(Str("12"), SqlType::kInteger), Value::Integer(12));
  EXPECT_EQ(CastOf(Str(" -5 "), SqlType::kBigint), Value::Bigint(-5));
  EXPECT_EQ(CastOf(Str("+7"), SqlType::kBigint), Value::Bigint(7));
  EXPECT_EQ(CastError(Str("abc"), SqlType::kInteger), "cannot cast 'abc' to integer");
  EXPECT_EQ(CastError(Str("3000000000"), SqlType::kInteger), "cannot cast '3000000000' to integer");
  EXPECT_EQ(CastError(Str("1.5"), SqlType::kBigint), "cannot cast '1.5' to bigint");
  EXPECT_EQ(CastError(Str(""), SqlType::kBigint), "cannot cast '' to bigint");
  EXPECT_EQ(CastOf(Str("1.5"), SqlType::kDouble), Value::Double(1.5));
  EXPECT_EQ(CastOf(Str("1e3"), SqlType::kDouble), Value::Double(1000));
  EXPECT_EQ(CastOf(Str("-Infinity"), SqlType::kDouble), Value::Double(-INFINITY));
  EXPECT_TRUE(std::isnan(CastOf(Str("NaN"), SqlType::kDouble).AsDouble()));
  EXPECT_EQ(CastError(Str("1.5x"), SqlType::kDouble), "cannot cast '1.5x' to double");
  EXPECT_EQ(CastOf(Str("TRUE"), SqlType::kBoolean), Value::Boolean(true));
  EXPECT_EQ(CastOf(Str("f"), SqlType::kBoolean), Value::Boolean(false));
  EXPECT_EQ(CastOf(Str("1"), SqlType::kBoolean), Value::Boolean(true));
  EXPECT_EQ(CastError(Str("yes"), SqlType::kBoolean), "cannot cast 'yes' to boolean");
  EXPECT_EQ(CastOf(Str("2024-05-01 12:00:00"), SqlType::kTimestamp), TsVal("2024-05-01T12:00:00Z"));
  EXPECT_EQ(CastOf(Str("2024-05-01"), SqlType::kDate), DateVal(2024, 5, 1));
  EXPECT_EQ(CastError(Str("2024-13-01"), SqlType::kDate), "cannot cast '2024-13-01' to date");
  EXPECT_EQ(CastOf(Null(SqlType::kVarchar), SqlType::kInteger), Value::Null(SqlType::kInteger));
}

TEST(EvalCast, BetweenNumbers) {
  EXPECT_EQ(CastOf(Dbl(2.5), SqlType::kInteger), Value::Integer(3));  // half away from zero
  EXPECT_EQ(CastOf(Dbl(-2.5), SqlType::kInteger), Value::Integer(-3));
  EXPECT_EQ(CastOf(Dbl(2.4999), SqlType::kBigint), Value::Bigint(2));
  EXPECT_FALSE(EvalError(*Cast(Dbl(1e10), SqlType::kInteger)).ok());
  EXPECT_FALSE(EvalError(*Cast(Dbl(9.3e18), SqlType::kBigint)).ok());
  EXPECT_FALSE(EvalError(*Cast(Dbl(std::nan("")), SqlType::kBigint)).ok());
  EXPECT_EQ(CastError(Big(3000000000), SqlType::kInteger), "Out of range for integer: 3000000000");
  EXPECT_EQ(CastOf(Int(-4), SqlType::kBigint), Value::Bigint(-4));
  EXPECT_EQ(CastOf(Big(7), SqlType::kDouble), Value::Double(7));
  EXPECT_EQ(CastOf(Bool(true), SqlType::kInteger), Value::Integer(1));
  EXPECT_EQ(CastOf(Int(0), SqlType::kBoolean), Value::Boolean(false));
  EXPECT_EQ(CastOf(Dbl(0.5), SqlType::kBoolean), Value::Boolean(true));
}

TEST(EvalCast, ToVarcharLikeTrino) {
  EXPECT_EQ(CastOf(Int(-12), SqlType::kVarchar), Value::Varchar("-12"));
  EXPECT_EQ(CastOf(Bool(false), SqlType::kVarchar), Value::Varchar("false"));
  struct D {
    double v;
    const char* text;
  } doubles[] = {{1.5, "1.5"},         {100.0, "100.0"},         {0.001, "0.001"},       {0.0001, "1.0E-4"},
                 {1e10, "1.0E10"},     {1234567.0, "1234567.0"}, {12345678.0, "1.2345678E7"}, {-0.0, "-0.0"},
                 {0.0, "0.0"},         {0.1 + 0.2, "0.30000000000000004"}, {-2.5e-7, "-2.5E-7"}, {INFINITY, "Infinity"}};
  for (const D& d : doubles) EXPECT_EQ(CastOf(Dbl(d.v), SqlType::kVarchar), Value::Varchar(d.text)) << d.text;
  EXPECT_EQ(CastOf(TsLit("2024-05-01T12:34:56.123456Z"), SqlType::kVarchar), Value::Varchar("2024-05-01 12:34:56.123456"));
  EXPECT_EQ(CastOf(DateLit(2024, 5, 1), SqlType::kVarchar), Value::Varchar("2024-05-01"));
}

TEST(EvalCast, TimestampAndDate) {
  EXPECT_EQ(CastOf(TsLit("2024-05-01T23:59:59Z"), SqlType::kDate), DateVal(2024, 5, 1));
  EXPECT_EQ(CastOf(TsLit("1969-12-31T23:59:59Z"), SqlType::kDate), DateVal(1969, 12, 31));
  EXPECT_EQ(CastOf(DateLit(2024, 5, 1), SqlType::kTimestamp), TsVal("2024-05-01T00:00:00Z"));
  auto bad = ExprEvaluator::Compile(*Cast(TsLit("2024-05-01T00:00:00Z"), SqlType::kBigint));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("cannot cast timestamp to bigint"), std::string::npos);
}

TEST(EvalCast, ColumnCastsAndErrorsOnlyOnNonNullRows) {
  Batch b{{Strings({"1", std::nullopt, "x", "4"})}};
  ExprPtr e = Cast(Ref(0, SqlType::kVarchar), SqlType::kBigint);
  std::vector<uint32_t> rows = {0, 1, 3};
  EXPECT_EQ(Eval(*e, b, &rows), (V{Value::Bigint(1), Value::Null(SqlType::kBigint), Value::Bigint(4)}));
  EXPECT_EQ(EvalError(*e, b).message(), "cannot cast 'x' to bigint");
}

}  // namespace
}  // namespace loglake::query
