// PredicateSummary: which conjuncts storage metadata can refute, and MayMatch on bounds.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "query/planner/predicate_summary.h"
#include "scan_test_util.h"

namespace loglake::query {
namespace {

using namespace scantest;  // NOLINT
using parquet::StatValue;

class SummaryTest : public ::testing::Test {
 protected:
  PredicateSummary Summarize(const ExprPtr& filter) {
    QueryPlan p;
    p.table = t_;
    return SummarizeFilter(filter.get(), p.TableLevelTypes(), static_cast<int>(t_.columns.size()));
  }
  std::string Text(const ExprPtr& filter) {
    std::vector<std::string> names;
    for (const Field& f : t_.columns) names.push_back(f.name);
    names.push_back("datepath");
    return Summarize(filter).ToString(&names);
  }
  lake::TableDef t_ = TestTable();
};

TEST_F(SummaryTest, SimpleShapes) {
  EXPECT_EQ(Text(Cmp(Col(t_, "key"), CompareOp::kEq, Str("a"))), "key IN ('a')");
  EXPECT_EQ(Text(Cmp(Int(5), CompareOp::kLt, Col(t_, "status"))), "5 < status");
  EXPECT_EQ(Text(Between(Col(t_, "status"), Int(2), Int(4))), "2 <= status <= 4");
  EXPECT_EQ(Text(Like(Col(t_, "key"), "ab%")), "'ab' <= key < 'ac'");
  EXPECT_EQ(Text(Like(Col(t_, "key"), "exact")), "key IN ('exact')");
  EXPECT_EQ(Text(IsNull(Col(t_, "key"), true)), "key IS NOT NULL");
  EXPECT_EQ(Text(Not(Cmp(Col(t_, "status"), CompareOp::kEq, Int(3)))), "status <> 3");
  EXPECT_EQ(Text(And(Cmp(Col(t_, "status"), CompareOp::kGe, Int(500)),
                     Or(Cmp(Col(t_, "key"), CompareOp::kEq, Str("x")), IsNull(Col(t_, "score"))))),
            "500 <= status AND (key IN ('x') OR score IS NULL)");
}

TEST_F(SummaryTest, UnanalysableConjunctsAreLeftOut) {
  // LIKE without a prefix, NOT IN, datepath (not stored), an OR with an unanalysable side.
  EXPECT_EQ(Text(Like(Col(t_, "key"), "%x")), "true");
  std::vector<ExprPtr> v;
  v.push_back(Int(1));
  EXPECT_EQ(Text(In(Col(t_, "status"), std::move(v), /*negated=*/true)), "true");
  EXPECT_EQ(Text(Cmp(Col(t_, kDatePathColumn), CompareOp::kEq, Str("2024/01/01"))), "true");
  EXPECT_EQ(Text(Or(Cmp(Col(t_, "key"), CompareOp::kEq, Str("x")), Like(Col(t_, "key"), "%y"))), "true");
  // Doubles: a lower bound alone could miss NaN, so it is not used; an upper bound is.
  EXPECT_EQ(Text(Cmp(Col(t_, "score"), CompareOp::kGt, Lit(Value::Double(1)))), "true");
  EXPECT_EQ(Text(Cmp(Col(t_, "score"), CompareOp::kLt, Lit(Value::Double(1)))), "score < 1");
}

TEST_F(SummaryTest, NullConstantsMakeTheFilterNeverTrue) {
  EXPECT_TRUE(Summarize(Cmp(Col(t_, "status"), CompareOp::kEq, Lit(Value::Null(SqlType::kInteger)))).never_true);
  EXPECT_TRUE(Summarize(Lit(Value::Boolean(false))).never_true);
  std::vector<ExprPtr> v;
  v.push_back(Lit(Value::Null(SqlType::kInteger)));
  v.push_back(Int(7));
  PredicateSummary s = Summarize(In(Col(t_, "status"), std::move(v)));
  EXPECT_FALSE(s.never_true);
  ASSERT_EQ(s.conjuncts.size(), 1u);
  EXPECT_EQ(s.conjuncts[0].any_of[0].values.size(), 1u);
}

UnitBounds Bounds(StatValue lo, StatValue hi, int64_t nulls = 0, int64_t n = 10) {
  UnitBounds b;
  b.min = std::move(lo);
  b.max = std::move(hi);
  b.bounds_exact = true;
  b.null_count = nulls;
  b.num_values = n;
  return b;
}

TEST(MayMatchTest, RangesInAndNulls) {
  ColumnPredicate in;
  in.kind = ColumnPredicate::Kind::kIn;
  in.values = {StatValue(int64_t{5}), StatValue(int64_t{50})};
  EXPECT_TRUE(MayMatch(in, Bounds(int64_t{1}, int64_t{5})));
  EXPECT_TRUE(MayMatch(in, Bounds(int64_t{40}, int64_t{60})));
  EXPECT_FALSE(MayMatch(in, Bounds(int64_t{6}, int64_t{49})));
  EXPECT_FALSE(MayMatch(in, Bounds(int64_t{1}, int64_t{5}, 10, 10)));  // only nulls
  EXPECT_TRUE(MayMatch(in, UnitBounds{}));                             // nothing known

  ColumnPredicate lt;
  lt.kind = ColumnPredicate::Kind::kRange;
  lt.high = StatValue(std::string("b"));
  lt.high_inclusive = false;
  EXPECT_FALSE(MayMatch(lt, Bounds(std::string("b"), std::string("c"))));
  EXPECT_TRUE(MayMatch(lt, Bounds(std::string("a\xff"), std::string("c"))));
  lt.high_inclusive = true;
  EXPECT_TRUE(MayMatch(lt, Bounds(std::string("b"), std::string("c"))));

  ColumnPredicate is_null;
  is_null.kind = ColumnPredicate::Kind::kIsNull;
  EXPECT_FALSE(MayMatch(is_null, Bounds(int64_t{1}, int64_t{2}, 0)));
  EXPECT_TRUE(MayMatch(is_null, Bounds(int64_t{1}, int64_t{2}, 1)));
  ColumnPredicate not_null;
  not_null.kind = ColumnPredicate::Kind::kIsNotNull;
  UnitBounds all_null;
  all_null.all_null = true;
  EXPECT_FALSE(MayMatch(not_null, all_null));
  EXPECT_TRUE(MayMatch(is_null, all_null));

  ColumnPredicate ne;
  ne.kind = ColumnPredicate::Kind::kNotEqual;
  ne.values = {StatValue(int64_t{3})};
  EXPECT_FALSE(MayMatch(ne, Bounds(int64_t{3}, int64_t{3}, 2)));
  EXPECT_TRUE(MayMatch(ne, Bounds(int64_t{3}, int64_t{4})));
}

}  // namespace
}  // namespace loglake::query
