// Property test: the vectorized comparison paths (column vs constant, constant vs column,
// column vs column, IN, BETWEEN; Select and Evaluate; all rows and random row subsets) agree
// with a straightforward per-row evaluation over Values, on random columns with NULLs.
#include <gtest/gtest.h>

#include <random>

#include "eval_test_util.h"

namespace loglake::query {
namespace {

using namespace evaltest;

struct Gen {
  std::mt19937_64 rng{12345};

  // Few distinct values so that equality hits happen; some NULLs.
  Value Random(SqlType t, bool allow_null = true) {
    if (allow_null && rng() % 5 == 0) return Value::Null(t);
    int64_t k = static_cast<int64_t>(rng() % 7) - 3;
    switch (t) {
      case SqlType::kBoolean: return Value::Boolean(rng() % 2 == 0);
      case SqlType::kInteger: return Value::Integer(static_cast<int32_t>(k));
      case SqlType::kBigint: return Value::Bigint(k * 1000000007LL);
      case SqlType::kDouble: {
        static const double kDoubles[] = {-1.5, -0.0, 0.0, 2.25, 1e300, std::nan(""), 7};
        return Value::Double(kDoubles[rng() % 7]);
      }
      case SqlType::kTimestamp: return Value::Timestamp(k * 86400000000LL + 5);
      case SqlType::kDate: return Value::Date(static_cast<int32_t>(k * 1000));
      case SqlType::kVarchar: {
        static const char* kStrings[] = {"", "a", "ab", "b", "é", "abc", "B"};
        return Value::Varchar(kStrings[rng() % 7]);
      }
      default: return Value::Null(t);
    }
  }

  Column RandomColumn(SqlType t, size_t n) {
    Column c(PhysicalType(t));
    for (size_t i = 0; i < n; ++i) AppendValue(Random(t), &c);
    return c;
  }

  std::vector<uint32_t> RandomRows(size_t n) {
    std::vector<uint32_t> rows;
    for (uint32_t i = 0; i < n; ++i) {
      if (rng() % 3 == 0) rows.push_back(i);
    }
    return rows;
  }
};

// Per-row reference: SQL comparison of two Values of one type; nullopt for NULL.
std::optional<bool> RefCompare(const Value& a, const Value& b, CompareOp op) {
  if (a.is_null() || b.is_null()) return std::nullopt;
  int c = 0;
  bool unordered = false;
  switch (a.type()) {
    case SqlType::kDouble: {
      double x = a.AsDouble(), y = b.AsDouble();
      if (std::isnan(x) || std::isnan(y)) {
        unordered = true;
      } else {
        c = x < y ? -1 : x > y ? 1 : 0;
      }
      break;
    }
    case SqlType::kVarchar: {
      int r = a.AsString().compare(b.AsString());
      c = r < 0 ? -1 : r > 0 ? 1 : 0;
      break;
    }
    default: c = a.AsInt64() < b.AsInt64() ? -1 : a.AsInt64() > b.AsInt64() ? 1 : 0; break;
  }
  if (unordered) return op == CompareOp::kNe;
  switch (op) {
    case CompareOp::kEq: return c == 0;
    case CompareOp::kNe: return c != 0;
    case CompareOp::kLt: return c < 0;
    case CompareOp::kLe: return c <= 0;
    case CompareOp::kGt: return c > 0;
    case CompareOp::kGe: return c >= 0;
  }
  return std::nullopt;
}

std::optional<bool> RefAnd(std::optional<bool> a, std::optional<bool> b) {
  if (a == false || b == false) return false;
  if (!a || !b) return std::nullopt;
  return true;
}
std::optional<bool> RefOr(std::optional<bool> a, std::optional<bool> b) {
  if (a == true || b == true) return true;
  if (!a || !b) return std::nullopt;
  return false;
}
std::optional<bool> RefNot(std::optional<bool> a) {
  if (!a) return std::nullopt;
  return !*a;
}

// Checks Evaluate and Select of `e` against `ref(row)` for all rows and a random subset.
template <typename Ref>
void CheckAgainstReference(const Expr& e, const Batch& b, Gen& gen, Ref ref) {
  size_t n = b.columns[0].size();
  std::vector<uint32_t> subset = gen.RandomRows(n);
  for (const std::vector<uint32_t>* rows : {static_cast<const std::vector<uint32_t>*>(nullptr),
                                            static_cast<const std::vector<uint32_t>*>(&subset)}) {
    std::vector<Value> got = Eval(e, b, rows);
    std::vector<uint32_t> selected = Select(e, b, rows);
    std::vector<uint32_t> want_selected;
    size_t count = rows != nullptr ? rows->size() : n;
    ASSERT_EQ(got.size(), count) << e.ToString();
    for (size_t i = 0; i < count; ++i) {
      uint32_t r = rows != nullptr ? (*rows)[i] : static_cast<uint32_t>(i);
      std::optional<bool> want = ref(r);
      ASSERT_EQ(got[i], B(want)) << e.ToString() << " row " << r;
      if (want == true) want_selected.push_back(r);
    }
    ASSERT_EQ(selected, want_selected) << e.ToString() << (rows ? " (subset)" : " (all rows)");
  }
}

const SqlType kTypes[] = {SqlType::kBoolean,   SqlType::kInteger, SqlType::kBigint, SqlType::kDouble,
                          SqlType::kTimestamp, SqlType::kDate,    SqlType::kVarchar};
const CompareOp kOps[] = {CompareOp::kEq, CompareOp::kNe, CompareOp::kLt,
                          CompareOp::kLe, CompareOp::kGt, CompareOp::kGe};

TEST(EvalProperty, CompareColumnWithConstantMatchesPerRow) {
  Gen gen;
  for (int iter = 0; iter < 8; ++iter) {
    for (SqlType t : kTypes) {
      size_t n = 1 + gen.rng() % 300;
      Batch b{{gen.RandomColumn(t, n)}};
      for (CompareOp op : kOps) {
        Value c = gen.Random(t, /*allow_null=*/iter % 4 == 0);
        CheckAgainstReference(*Cmp(op, Ref(0, t), Lit(c)), b, gen,
                              [&](uint32_t r) { return RefCompare(ValueAt(b.columns[0], t, r), c, op); });
        CheckAgainstReference(*Cmp(op, Lit(c), Ref(0, t)), b, gen,
                              [&](uint32_t r) { return RefCompare(c, ValueAt(b.columns[0], t, r), op); });
      }
    }
  }
}

TEST(EvalProperty, CompareColumnWithColumnMatchesPerRow) {
  Gen gen;
  for (int iter = 0; iter < 5; ++iter) {
    for (SqlType t : kTypes) {
      size_t n = 1 + gen.rng() % 200;
      Batch b{{gen.RandomColumn(t, n), gen.RandomColumn(t, n)}};
      for (CompareOp op : kOps) {
        CheckAgainstReference(*Cmp(op, Ref(0, t), Ref(1, t)), b, gen, [&](uint32_t r) {
          return RefCompare(ValueAt(b.columns[0], t, r), ValueAt(b.columns[1], t, r), op);
        });
      }
    }
  }
}

TEST(EvalProperty, InBetweenAndLogicMatchPerRow) {
  Gen gen;
  for (int iter = 0; iter < 6; ++iter) {
    for (SqlType t : kTypes) {
      size_t n = 1 + gen.rng() % 200;
      Batch b{{gen.RandomColumn(t, n), gen.RandomColumn(t, n)}};
      auto x = [&](uint32_t r) { return ValueAt(b.columns[0], t, r); };
      // IN with constants (sometimes a NULL), and with a column among the items.
      std::vector<Value> items;
      size_t k = 1 + gen.rng() % 12;
      for (size_t i = 0; i < k; ++i) items.push_back(gen.Random(t, iter % 2 == 0));
      for (bool negated : {false, true}) {
        std::vector<ExprPtr> args;
        args.push_back(Ref(0, t));
        for (const Value& v : items) args.push_back(Lit(v));
        ExprPtr in = Expr::Make(ExprKind::kInList, SqlType::kBoolean, std::move(args));
        in->negated = negated;
        auto ref_in = [&](uint32_t r, bool with_column) {
          std::optional<bool> any = false;
          for (const Value& v : items) any = RefOr(any, RefCompare(x(r), v, CompareOp::kEq));
          if (with_column) any = RefOr(any, RefCompare(x(r), ValueAt(b.columns[1], t, r), CompareOp::kEq));
          return negated ? RefNot(any) : any;
        };
        CheckAgainstReference(*in, b, gen, [&](uint32_t r) { return ref_in(r, false); });
        ExprPtr in_col = in->Clone();
        in_col->args.push_back(Ref(1, t));
        CheckAgainstReference(*in_col, b, gen, [&](uint32_t r) { return ref_in(r, true); });
      }
      // BETWEEN with constant bounds.
      Value lo = gen.Random(t, iter % 3 == 0), hi = gen.Random(t, iter % 3 == 0);
      for (bool negated : {false, true}) {
        ExprPtr between = Kind(ExprKind::kBetween, SqlType::kBoolean, Ref(0, t), Lit(lo), Lit(hi));
        between->negated = negated;
        CheckAgainstReference(*between, b, gen, [&](uint32_t r) {
          auto in_range = RefAnd(RefCompare(x(r), lo, CompareOp::kGe), RefCompare(x(r), hi, CompareOp::kLe));
          return negated ? RefNot(in_range) : in_range;
        });
      }
      // (x = c1 OR x <> y) AND NOT (x < c2)
      Value c1 = gen.Random(t, false), c2 = gen.Random(t, false);
      ExprPtr e = And(Or(Cmp(CompareOp::kEq, Ref(0, t), Lit(c1)), Cmp(CompareOp::kNe, Ref(0, t), Ref(1, t))),
                      Not(Cmp(CompareOp::kLt, Ref(0, t), Lit(c2))));
      CheckAgainstReference(*e, b, gen, [&](uint32_t r) {
        Value y = ValueAt(b.columns[1], t, r);
        return RefAnd(RefOr(RefCompare(x(r), c1, CompareOp::kEq), RefCompare(x(r), y, CompareOp::kNe)),
                      RefNot(RefCompare(x(r), c2, CompareOp::kLt)));
      });
    }
  }
}

}  // namespace
}  // namespace loglake::query

namespace loglake::query {
namespace {

using namespace evaltest;

// Evaluating on a row subset equals evaluating on every row and then picking those rows, for
// every kind of node (borrowed, broadcast and owned operands, lazy kinds).
TEST(EvalProperty, SubsetEvaluationEqualsGatheredFullEvaluation) {
  Gen gen;
  using SF = ScalarFunction;
  auto s = [] { return Ref(0, SqlType::kVarchar); };
  auto i = [] { return Ref(1, SqlType::kInteger); };
  auto d = [] { return Ref(2, SqlType::kDouble); };
  auto t = [] { return Ref(3, SqlType::kTimestamp); };
  std::vector<ExprPtr> exprs;
  exprs.push_back(Fn(SF::kLower, SqlType::kVarchar, Fn(SF::kUpper, SqlType::kVarchar, s())));
  exprs.push_back(Fn(SF::kSubstr, SqlType::kVarchar, s(), Big(2), Big(1)));
  exprs.push_back(Fn(SF::kLength, SqlType::kBigint, s()));
  exprs.push_back(Fn(SF::kConcat, SqlType::kVarchar, s(), Str("-"), s()));
  exprs.push_back(Fn(SF::kReplace, SqlType::kVarchar, s(), Str("a"), Str("xy")));
  exprs.push_back(Fn(SF::kStrpos, SqlType::kBigint, s(), Str("b")));
  exprs.push_back(Cast(i(), SqlType::kVarchar));
  exprs.push_back(Cast(d(), SqlType::kVarchar));
  exprs.push_back(Fn(SF::kMultiply, SqlType::kDouble, d(), Dbl(3)));
  exprs.push_back(Fn(SF::kAdd, SqlType::kInteger, i(), Int(10)));
  exprs.push_back(Fn(SF::kDateTrunc, SqlType::kTimestamp, Str("month"), t()));
  exprs.push_back(Fn(SF::kDateFormat, SqlType::kVarchar, t(), Str("%Y/%m/%d %H")));
  exprs.push_back(Fn(SF::kYear, SqlType::kBigint, t()));
  exprs.push_back(Fn(SF::kCoalesce, SqlType::kVarchar, s(), Cast(i(), SqlType::kVarchar), Str("none")));
  exprs.push_back(Fn(SF::kNullIf, SqlType::kInteger, i(), Int(0)));
  exprs.push_back(Like(s(), "%b%"));
  exprs.push_back(Like(Fn(SF::kUpper, SqlType::kVarchar, s()), "A_%"));
  exprs.push_back(Fn(SF::kRegexpLike, SqlType::kBoolean, s(), Str("^a")));
  exprs.push_back(Or(Cmp(CompareOp::kGt, i(), Int(0)), Like(s(), "a%")));
  exprs.push_back(And(Cmp(CompareOp::kNe, i(), Int(0)), Cmp(CompareOp::kLt, d(), Dbl(3))));
  {
    ExprPtr c = Expr::Make(ExprKind::kCase, SqlType::kVarchar,
                           Args(Cmp(CompareOp::kGt, i(), Int(0)), s(), Cmp(CompareOp::kLt, i(), Int(0)),
                                Fn(SF::kUpper, SqlType::kVarchar, s()), Str("zero")));
    c->has_else = true;
    exprs.push_back(std::move(c));
  }
  for (int iter = 0; iter < 10; ++iter) {
    size_t n = 1 + gen.rng() % 150;
    Batch b{{gen.RandomColumn(SqlType::kVarchar, n), gen.RandomColumn(SqlType::kInteger, n),
             gen.RandomColumn(SqlType::kDouble, n), gen.RandomColumn(SqlType::kTimestamp, n)}};
    std::vector<uint32_t> rows = gen.RandomRows(n);
    for (const ExprPtr& e : exprs) {
      auto all = TryEval(*e, b);
      ASSERT_TRUE(all.ok()) << e->ToString() << ": " << all.status().ToString();
      std::vector<Value> want;
      for (uint32_t r : rows) want.push_back((*all)[r]);
      EXPECT_EQ(Eval(*e, b, &rows), want) << e->ToString();
      if (e->type == SqlType::kBoolean) {
        std::vector<uint32_t> want_selected;
        for (uint32_t r : rows) {
          if ((*all)[r] == Value::Boolean(true)) want_selected.push_back(r);
        }
        EXPECT_EQ(Select(*e, b, &rows), want_selected) << e->ToString();
      }
    }
  }
}

}  // namespace
}  // namespace loglake::query
