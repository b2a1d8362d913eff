// The expression kinds of the evaluator: column references, constants, comparisons, IN,
// BETWEEN, IS NULL, AND/OR/NOT (three-valued logic), CASE, coalesce/nullif, selections.
#include <gtest/gtest.h>

#include <cmath>

#include "eval_test_util.h"

namespace loglake::query {
namespace {

using namespace evaltest;
using V = std::vector<Value>;
using Rows = std::vector<uint32_t>;

TEST(EvalColumnRef, WholeColumnAndGatheredRows) {
  Batch b{{Ints({1, std::nullopt, 3, 4})}};
  ExprPtr e = Ref(0, SqlType::kInteger);
  EXPECT_EQ(Eval(*e, b), (V{Value::Integer(1), Value::Null(SqlType::kInteger), Value::Integer(3), Value::Integer(4)}));
  Rows rows = {1, 3};
  EXPECT_EQ(Eval(*e, b, &rows), (V{Value::Null(SqlType::kInteger), Value::Integer(4)}));
  Rows none;
  EXPECT_EQ(Eval(*e, b, &none), V{});
}

TEST(EvalColumnRef, Int64ColumnReadAsTimestampHasTimestampPhysicalType) {
  Batch b{{Bigints({5, std::nullopt})}};
  ExprPtr e = Ref(0, SqlType::kTimestamp);
  EXPECT_EQ(Eval(*e, b), (V{Value::Timestamp(5), Value::Null(SqlType::kTimestamp)}));  // TryEval checks the type
  std::vector<uint32_t> rows = {0};
  EXPECT_EQ(Eval(*e, b, &rows), (V{Value::Timestamp(5)}));
}

TEST(EvalColumnRef, MissingColumnIsAnErrorNotACrash) {
  Batch b{{Ints({1})}};
  ExprPtr e = Ref(3, SqlType::kInteger);
  EXPECT_FALSE(TryEval(*e, b).ok());
  ExprPtr wrong_type = Ref(0, SqlType::kVarchar);
  EXPECT_FALSE(TryEval(*wrong_type, b).ok());
}

TEST(EvalConstant, BroadcastsToEveryRow) {
  Batch b{{Ints({1, 2, 3})}};
  EXPECT_EQ(Eval(*Str("x"), b), (V{Value::Varchar("x"), Value::Varchar("x"), Value::Varchar("x")}));
  Rows rows = {2};
  EXPECT_EQ(Eval(*Null(SqlType::kBigint), b, &rows), (V{Value::Null(SqlType::kBigint)}));
  EXPECT_EQ(Select(*Bool(true), b, &rows), (Rows{2}));
  EXPECT_EQ(Select(*Bool(false), b), Rows{});
  EXPECT_EQ(Select(*Null(SqlType::kBoolean), b), Rows{});
}

TEST(EvalCompare, EveryOperatorOnIntegersWithNulls) {
  Batch b{{Ints({1, 2, 3, std::nullopt})}};
  struct Case {
    CompareOp op;
    V want;
    Rows selected;
  } cases[] = {
      {CompareOp::kEq, {B(false), B(true), B(false), B({})}, {1}},
      {CompareOp::kNe, {B(true), B(false), B(true), B({})}, {0, 2}},
      {CompareOp::kLt, {B(true), B(false), B(false), B({})}, {0}},
      {CompareOp::kLe, {B(true), B(true), B(false), B({})}, {0, 1}},
      {CompareOp::kGt, {B(false), B(false), B(true), B({})}, {2}},
      {CompareOp::kGe, {B(false), B(true), B(true), B({})}, {1, 2}},
  };
  for (const Case& c : cases) {
    ExprPtr e = Cmp(c.op, Ref(0, SqlType::kInteger), Int(2));
    EXPECT_EQ(Eval(*e, b), c.want) << e->ToString();
    EXPECT_EQ(Select(*e, b), c.selected) << e->ToString();
    // constant on the left: 2 op x is x flipped-op 2
    ExprPtr flipped = Cmp(c.op, Int(2), Ref(0, SqlType::kInteger));
    Rows flipped_want;
    for (uint32_t r = 0; r < 3; ++r) {
      int x = r + 1;
      bool t = c.op == CompareOp::kEq ? 2 == x : c.op == CompareOp::kNe ? 2 != x : c.op == CompareOp::kLt ? 2 < x
               : c.op == CompareOp::kLe ? 2 <= x : c.op == CompareOp::kGt ? 2 > x : 2 >= x;
      if (t) flipped_want.push_back(r);
    }
    EXPECT_EQ(Select(*flipped, b), flipped_want) << flipped->ToString();
  }
}

TEST(EvalCompare, VarcharComparesByBytes) {
  Batch b{{Strings({"a", "b", "", "é", std::nullopt, "ab"})}};
  EXPECT_EQ(Select(*Cmp(CompareOp::kEq, Ref(0, SqlType::kVarchar), Str("ab")), b), (Rows{5}));
  EXPECT_EQ(Select(*Cmp(CompareOp::kEq, Ref(0, SqlType::kVarchar), Str("")), b), (Rows{2}));
  EXPECT_EQ(Select(*Cmp(CompareOp::kNe, Ref(0, SqlType::kVarchar), Str("a")), b), (Rows{1, 2, 3, 5}));
  // 'é' (0xC3 0xA9) sorts after every ASCII letter: bytes compare unsigned.
  EXPECT_EQ(Select(*Cmp(CompareOp::kGt, Ref(0, SqlType::kVarchar), Str("z")), b), (Rows{3}));
  EXPECT_EQ(Select(*Cmp(CompareOp::kLt, Ref(0, SqlType::kVarchar), Str("ab")), b), (Rows{0, 2}));
  EXPECT_EQ(Select(*Cmp(CompareOp::kGe, Ref(0, SqlType::kVarchar), Str("ab")), b), (Rows{1, 3, 5}));
}

TEST(EvalCompare, OtherTypes) {
  Batch b{{Doubles({1.5, -0.0, std::nan(""), std::nullopt}), Bools({true, false, std::nullopt, true}),
           Times({100, 200, 300, std::nullopt}), Bigints({5, 6, 7, 8})}};
  EXPECT_EQ(Select(*Cmp(CompareOp::kEq, Ref(0, SqlType::kDouble), Dbl(0.0)), b), (Rows{1}));  // -0 = 0
  EXPECT_EQ(Select(*Cmp(CompareOp::kNe, Ref(0, SqlType::kDouble), Dbl(1.5)), b), (Rows{1, 2}));  // NaN <> 1.5
  EXPECT_EQ(Select(*Cmp(CompareOp::kGt, Ref(0, SqlType::kDouble), Dbl(-1)), b), (Rows{0, 1}));   // NaN > x false
  EXPECT_EQ(Select(*Cmp(CompareOp::kEq, Ref(1, SqlType::kBoolean), Bool(true)), b), (Rows{0, 3}));
  EXPECT_EQ(Select(*Cmp(CompareOp::kLt, Ref(1, SqlType::kBoolean), Bool(true)), b), (Rows{1}));
  EXPECT_EQ(Select(*Cmp(CompareOp::kGe, Ref(2, SqlType::kTimestamp), Lit(Value::Timestamp(200))), b), (Rows{1, 2}));
  EXPECT_EQ(Select(*Cmp(CompareOp::kLe, Ref(3, SqlType::kBigint), Big(6)), b), (Rows{0, 1}));
  // NULL constant: nothing is selected, every value is NULL.
  ExprPtr with_null = Cmp(CompareOp::kEq, Ref(3, SqlType::kBigint), Null(SqlType::kBigint));
  EXPECT_EQ(Select(*with_null, b), Rows{});
  EXPECT_EQ(Eval(*with_null, b), (V{B({}), B({}), B({}), B({})}));
}

TEST(EvalCompare, ColumnVersusColumnAndExpressions) {
  Batch b{{Ints({1, 5, std::nullopt, 4}), Ints({2, 5, 1, std::nullopt}), Strings({"a", "b", "c", "d"}),
           Strings({"a", "x", "c", std::nullopt})}};
  EXPECT_EQ(Select(*Cmp(CompareOp::kLe, Ref(0, SqlType::kInteger), Ref(1, SqlType::kInteger)), b), (Rows{0, 1}));
  EXPECT_EQ(Eval(*Cmp(CompareOp::kLt, Ref(0, SqlType::kInteger), Ref(1, SqlType::kInteger)), b),
            (V{B(true), B(false), B({}), B({})}));
  EXPECT_EQ(Select(*Cmp(CompareOp::kEq, Ref(2, SqlType::kVarchar), Ref(3, SqlType::kVarchar)), b), (Rows{0, 2}));
  // An expression on the left goes through the evaluated-operand path.
  ExprPtr plus = Cmp(CompareOp::kEq, Fn(ScalarFunction::kAdd, SqlType::kInteger, Ref(0, SqlType::kInteger), Int(1)),
                     Int(5));
  EXPECT_EQ(Select(*plus, b), (Rows{3}));
  Rows rows = {1, 3};
  EXPECT_EQ(Select(*plus, b, &rows), (Rows{3}));
  ExprPtr lower = Cmp(CompareOp::kEq, Fn(ScalarFunction::kUpper, SqlType::kVarchar, Ref(2, SqlType::kVarchar)),
                      Str("C"));
  EXPECT_EQ(Select(*lower, b), (Rows{2}));
}

TEST(EvalCompare, SelectionsSubsetRows) {
  Batch b{{Ints({1, 2, 3, 4, 5, 6})}};
  ExprPtr e = Cmp(CompareOp::kGt, Ref(0, SqlType::kInteger), Int(2));
  Rows rows = {0, 2, 5};
  EXPECT_EQ(Select(*e, b, &rows), (Rows{2, 5}));
  EXPECT_EQ(Eval(*e, b, &rows), (V{B(false), B(true), B(true)}));
  Rows empty;
  EXPECT_EQ(Select(*e, b, &empty), Rows{});
}

TEST(EvalCompare, TypeMismatchIsACompileError) {
  ExprPtr e = Cmp(CompareOp::kEq, Ref(0, SqlType::kInteger), Str("1"));
  auto r = ExprEvaluator::Compile(*e);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("varchar"), std::string::npos) << r.status().message();
}

ExprPtr In(ExprPtr x, std::vector<ExprPtr> items, bool negated = false) {
  std::vector<ExprPtr> args;
  args.push_back(std::move(x));
  for (auto& i : items) args.push_back(std::move(i));
  ExprPtr e = Expr::Make(ExprKind::kInList, SqlType::kBoolean, std::move(args));
  e->negated = negated;
  return e;
}

TEST(EvalInList, ConstantsWithAndWithoutNull) {
  Batch b{{Ints({1, 2, 3, std::nullopt})}};
  EXPECT_EQ(Eval(*In(Ref(0, SqlType::kInteger), Args(Int(1), Int(3))), b), (V{B(true), B(false), B(true), B({})}));
  EXPECT_EQ(Select(*In(Ref(0, SqlType::kInteger), Args(Int(1), Int(3))), b), (Rows{0, 2}));
  EXPECT_EQ(Eval(*In(Ref(0, SqlType::kInteger), Args(Int(1), Int(3)), true), b),
            (V{B(false), B(true), B(false), B({})}));
  EXPECT_EQ(Select(*In(Ref(0, SqlType::kInteger), Args(Int(1), Int(3)), true), b), (Rows{1}));
  // With a NULL in the list: not found is NULL, so NOT IN never selects.
  EXPECT_EQ(Eval(*In(Ref(0, SqlType::kInteger), Args(Int(1), Null(SqlType::kInteger))), b),
            (V{B(true), B({}), B({}), B({})}));
  EXPECT_EQ(Select(*In(Ref(0, SqlType::kInteger), Args(Int(1), Null(SqlType::kInteger)), true), b), Rows{});
  EXPECT_EQ(Eval(*In(Ref(0, SqlType::kInteger), Args(Int(1), Null(SqlType::kInteger)), true), b),
            (V{B(false), B({}), B({}), B({})}));
}

TEST(EvalInList, ManyStringsAndNonConstantItems) {
  std::vector<ExprPtr> items;
  for (int i = 0; i < 100; ++i) items.push_back(Str("k" + std::to_string(i * 2)));
  Batch b{{Strings({"k0", "k1", "k198", std::nullopt, "k50"}), Strings({"z", "k1", "q", "r", "s"})}};
  EXPECT_EQ(Select(*In(Ref(0, SqlType::kVarchar), std::move(items)), b), (Rows{0, 2, 4}));
  // x IN (col, 'k0'): rewritten to equalities.
  ExprPtr e = In(Ref(0, SqlType::kVarchar), Args(Ref(1, SqlType::kVarchar), Str("k0")));
  EXPECT_EQ(Select(*e, b), (Rows{0, 1}));
  EXPECT_EQ(Eval(*e, b), (V{B(true), B(true), B(false), B({}), B(false)}));
  ExprPtr ne = In(Ref(0, SqlType::kVarchar), Args(Ref(1, SqlType::kVarchar), Str("k0")), true);
  EXPECT_EQ(Select(*ne, b), (Rows{2, 4}));
}

TEST(EvalInList, DoublesAndTimestamps) {
  Batch b{{Doubles({1.0, 2.5, -0.0}), Times({10, 20, 30})}};
  EXPECT_EQ(Select(*In(Ref(0, SqlType::kDouble), Args(Dbl(2.5), Dbl(0.0))), b), (Rows{1, 2}));
  EXPECT_EQ(Select(*In(Ref(1, SqlType::kTimestamp), Args(Lit(Value::Timestamp(30)))), b), (Rows{2}));
}

ExprPtr Between(ExprPtr x, ExprPtr lo, ExprPtr hi, bool negated = false) {
  ExprPtr e = Kind(ExprKind::kBetween, SqlType::kBoolean, std::move(x), std::move(lo), std::move(hi));
  e->negated = negated;
  return e;
}

TEST(EvalBetween, InclusiveWithNulls) {
  Batch b{{Bigints({1, 2, 3, 4, std::nullopt})}};
  EXPECT_EQ(Eval(*Between(Ref(0, SqlType::kBigint), Big(2), Big(3)), b),
            (V{B(false), B(true), B(true), B(false), B({})}));
  EXPECT_EQ(Select(*Between(Ref(0, SqlType::kBigint), Big(2), Big(3)), b), (Rows{1, 2}));
  EXPECT_EQ(Select(*Between(Ref(0, SqlType::kBigint), Big(2), Big(3), true), b), (Rows{0, 3}));
  // NULL bound: x BETWEEN NULL AND 3 is NULL where x <= 3, FALSE where x > 3.
  EXPECT_EQ(Eval(*Between(Ref(0, SqlType::kBigint), Null(SqlType::kBigint), Big(3)), b),
            (V{B({}), B({}), B({}), B(false), B({})}));
  EXPECT_EQ(Eval(*Between(Ref(0, SqlType::kBigint), Null(SqlType::kBigint), Big(3), true), b),
            (V{B({}), B({}), B({}), B(true), B({})}));
}

TEST(EvalIsNull, BothForms) {
  Batch b{{Strings({"a", std::nullopt, "", std::nullopt})}};
  ExprPtr is_null = Kind(ExprKind::kIsNull, SqlType::kBoolean, Ref(0, SqlType::kVarchar));
  EXPECT_EQ(Eval(*is_null, b), (V{B(false), B(true), B(false), B(true)}));
  EXPECT_EQ(Select(*is_null, b), (Rows{1, 3}));
  ExprPtr not_null = Negated(Kind(ExprKind::kIsNull, SqlType::kBoolean, Ref(0, SqlType::kVarchar)));
  EXPECT_EQ(Select(*not_null, b), (Rows{0, 2}));
  Rows rows = {1, 2};
  EXPECT_EQ(Select(*not_null, b, &rows), (Rows{2}));
}

// All nine combinations of TRUE/FALSE/NULL.
Batch TruthTable() {
  std::vector<std::optional<bool>> l, r;
  const std::optional<bool> vals[] = {true, false, std::nullopt};
  for (auto x : vals) {
    for (auto y : vals) {
      l.push_back(x);
      r.push_back(y);
    }
  }
  return Batch{{Bools(l), Bools(r)}};
}

TEST(EvalLogic, AndOrNotTruthTables) {
  Batch b = TruthTable();
  ExprPtr a = And(Ref(0, SqlType::kBoolean), Ref(1, SqlType::kBoolean));
  // rows: TT TF TN FT FF FN NT NF NN
  EXPECT_EQ(Eval(*a, b), (V{B(true), B(false), B({}), B(false), B(false), B(false), B({}), B(false), B({})}));
  EXPECT_EQ(Select(*a, b), (Rows{0}));
  ExprPtr o = Or(Ref(0, SqlType::kBoolean), Ref(1, SqlType::kBoolean));
  EXPECT_EQ(Eval(*o, b), (V{B(true), B(true), B(true), B(true), B(false), B({}), B(true), B({}), B({})}));
  EXPECT_EQ(Select(*o, b), (Rows{0, 1, 2, 3, 6}));
  ExprPtr n = Not(Ref(0, SqlType::kBoolean));
  EXPECT_EQ(Eval(*n, b), (V{B(false), B(false), B(false), B(true), B(true), B(true), B({}), B({}), B({})}));
  EXPECT_EQ(Select(*n, b), (Rows{3, 4, 5}));
  ExprPtr not_and = Not(And(Ref(0, SqlType::kBoolean), Ref(1, SqlType::kBoolean)));
  EXPECT_EQ(Select(*not_and, b), (Rows{1, 3, 4, 5, 7}));
  Rows rows = {0, 2, 6, 8};
  EXPECT_EQ(Select(*o, b, &rows), (Rows{0, 2, 6}));
  EXPECT_EQ(Eval(*a, b, &rows), (V{B(true), B({}), B({}), B({})}));
}

TEST(EvalLogic, ThreeAndMoreArguments) {
  Batch b{{Ints({1, 2, 3, 4, 5, 6})}};
  ExprPtr e = Or(Cmp(CompareOp::kEq, Ref(0, SqlType::kInteger), Int(1)),
                 Cmp(CompareOp::kEq, Ref(0, SqlType::kInteger), Int(4)),
                 Cmp(CompareOp::kGe, Ref(0, SqlType::kInteger), Int(6)));
  EXPECT_EQ(Select(*e, b), (Rows{0, 3, 5}));
  ExprPtr a = And(Cmp(CompareOp::kGt, Ref(0, SqlType::kInteger), Int(1)),
                  Cmp(CompareOp::kLt, Ref(0, SqlType::kInteger), Int(6)),
                  Cmp(CompareOp::kNe, Ref(0, SqlType::kInteger), Int(3)));
  EXPECT_EQ(Select(*a, b), (Rows{1, 3, 4}));
  EXPECT_EQ(Eval(*a, b), (V{B(false), B(true), B(false), B(true), B(true), B(false)}));
}

TEST(EvalLogic, ShortCircuitKeepsLaterConjunctsFromFailing) {
  Batch b{{Ints({0, 5, 20, 0})}};
  // x <> 0 AND 10 / x > 1: the division only runs where x <> 0.
  auto make = [] {
    return And(Cmp(CompareOp::kNe, Ref(0, SqlType::kInteger), Int(0)),
               Cmp(CompareOp::kGt, Fn(ScalarFunction::kDivide, SqlType::kInteger, Int(10), Ref(0, SqlType::kInteger)),
                   Int(1)));
  };
  EXPECT_EQ(Select(*make(), b), (Rows{1}));
  EXPECT_EQ(Eval(*make(), b), (V{B(false), B(true), B(false), B(false)}));
  // x = 0 OR 10 / x > 1
  ExprPtr o = Or(Cmp(CompareOp::kEq, Ref(0, SqlType::kInteger), Int(0)),
                 Cmp(CompareOp::kGt, Fn(ScalarFunction::kDivide, SqlType::kInteger, Int(10), Ref(0, SqlType::kInteger)),
                     Int(1)));
  EXPECT_EQ(Select(*o, b), (Rows{0, 1, 3}));
  EXPECT_EQ(Eval(*o, b), (V{B(true), B(true), B(false), B(true)}));
  // Without the guard, the division fails with Trino's message.
  ExprPtr bare = Cmp(CompareOp::kGt, Fn(ScalarFunction::kDivide, SqlType::kInteger, Int(10), Ref(0, SqlType::kInteger)),
                     Int(1));
  Status s = EvalError(*bare, b);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "Division by zero");
}

ExprPtr Case(SqlType t, std::vector<ExprPtr> args, bool has_else) {
  ExprPtr e = Expr::Make(ExprKind::kCase, t, std::move(args));
  e->has_else = has_else;
  return e;
}

TEST(EvalCase, FirstTrueBranchElseAndNull) {
  Batch b{{Ints({1, 2, 3, std::nullopt})}};
  auto x = [] { return Ref(0, SqlType::kInteger); };
  ExprPtr e = Case(SqlType::kVarchar,
                   Args(Cmp(CompareOp::kEq, x(), Int(1)), Str("one"), Cmp(CompareOp::kLe, x(), Int(2)), Str("small"),
                        Str("big")),
                   true);
  EXPECT_EQ(Eval(*e, b), (V{Value::Varchar("one"), Value::Varchar("small"), Value::Varchar("big"),
                           Value::Varchar("big")}));
  ExprPtr no_else = Case(SqlType::kVarchar, Args(Cmp(CompareOp::kGe, x(), Int(2)), Str("ge2")), false);
  EXPECT_EQ(Eval(*no_else, b), (V{Value::Null(SqlType::kVarchar), Value::Varchar("ge2"), Value::Varchar("ge2"),
                                 Value::Null(SqlType::kVarchar)}));
  Rows rows = {0, 2};
  EXPECT_EQ(Eval(*e, b, &rows), (V{Value::Varchar("one"), Value::Varchar("big")}));
}

TEST(EvalCase, UntypedNullBranch) {
  Batch b{{Ints({1, 2})}};
  ExprPtr e = Case(SqlType::kVarchar, Args(Cmp(CompareOp::kEq, Ref(0, SqlType::kInteger), Int(1)), Lit(Value()),
                                           Str("other")),
                   true);
  EXPECT_EQ(Eval(*e, b), (V{Value::Null(SqlType::kVarchar), Value::Varchar("other")}));
  ExprPtr c = Fn(ScalarFunction::kCoalesce, SqlType::kBigint, Lit(Value()), Big(3));
  EXPECT_EQ(Eval(*c, b), (V{Value::Bigint(3), Value::Bigint(3)}));
}

TEST(EvalCase, BranchesRunOnlyOnTheirRows) {
  Batch b{{Ints({0, 5})}};
  // CASE WHEN x = 0 THEN 0 ELSE 10 / x END
  ExprPtr e = Case(SqlType::kInteger,
                   Args(Cmp(CompareOp::kEq, Ref(0, SqlType::kInteger), Int(0)), Int(0),
                        Fn(ScalarFunction::kDivide, SqlType::kInteger, Int(10), Ref(0, SqlType::kInteger))),
                   true);
  EXPECT_EQ(Eval(*e, b), (V{Value::Integer(0), Value::Integer(2)}));
  // A CASE as a filter.
  ExprPtr f = Case(SqlType::kBoolean, Args(Cmp(CompareOp::kGt, Ref(0, SqlType::kInteger), Int(1)), Bool(true)), true);
  f->args.push_back(Bool(false));
  EXPECT_EQ(Select(*f, b), (Rows{1}));
}

TEST(EvalCoalesce, LazyAndTyped) {
  Batch b{{Ints({std::nullopt, 2, std::nullopt}), Ints({0, 0, 5})}};
  // coalesce(a, 10 / b): the division runs only where a is NULL (rows 0 and 2), and fails on row 0.
  ExprPtr failing = Fn(ScalarFunction::kCoalesce, SqlType::kInteger, Ref(0, SqlType::kInteger),
                       Fn(ScalarFunction::kDivide, SqlType::kInteger, Int(10), Ref(1, SqlType::kInteger)));
  EXPECT_FALSE(TryEval(*failing, b).ok());
  Rows rows = {1, 2};
  EXPECT_EQ(Eval(*failing, b, &rows), (V{Value::Integer(2), Value::Integer(2)}));
  ExprPtr e = Fn(ScalarFunction::kCoalesce, SqlType::kInteger, Ref(0, SqlType::kInteger), Null(SqlType::kInteger),
                 Int(7));
  EXPECT_EQ(Eval(*e, b), (V{Value::Integer(7), Value::Integer(2), Value::Integer(7)}));
  ExprPtr all_null = Fn(ScalarFunction::kCoalesce, SqlType::kInteger, Ref(0, SqlType::kInteger),
                        Null(SqlType::kInteger));
  EXPECT_EQ(Eval(*all_null, b), (V{Value::Null(SqlType::kInteger), Value::Integer(2), Value::Null(SqlType::kInteger)}));
}

TEST(EvalNullIf, EqualGivesNull) {
  Batch b{{Strings({"a", "b", std::nullopt}), Strings({"a", "c", "x"})}};
  ExprPtr e = Fn(ScalarFunction::kNullIf, SqlType::kVarchar, Ref(0, SqlType::kVarchar), Ref(1, SqlType::kVarchar));
  EXPECT_EQ(Eval(*e, b), (V{Value::Null(SqlType::kVarchar), Value::Varchar("b"), Value::Null(SqlType::kVarchar)}));
  ExprPtr with_null = Fn(ScalarFunction::kNullIf, SqlType::kVarchar, Ref(0, SqlType::kVarchar), Null(SqlType::kVarchar));
  EXPECT_EQ(Eval(*with_null, b), (V{Value::Varchar("a"), Value::Varchar("b"), Value::Null(SqlType::kVarchar)}));
}

TEST(EvalSelect, NonBooleanFilterIsAnError) {
  Batch b{{Ints({1})}};
  auto ev = ExprEvaluator::Compile(*Ref(0, SqlType::kInteger));
  ASSERT_TRUE(ev.ok());
  std::vector<uint32_t> out;
  EXPECT_FALSE((*ev)->Select(b.input(), nullptr, &out).ok());
}

TEST(EvalSelect, BooleanColumnAsFilter) {
  Batch b{{Bools({true, false, std::nullopt, true})}};
  EXPECT_EQ(Select(*Ref(0, SqlType::kBoolean), b), (Rows{0, 3}));
  Rows rows = {1, 2, 3};
  EXPECT_EQ(Select(*Ref(0, SqlType::kBoolean), b, &rows), (Rows{3}));
}

TEST(EvaluateConstant, FoldsConstantTrees) {
  ExprPtr e = Fn(ScalarFunction::kAdd, SqlType::kBigint, Big(40), Big(2));
  auto v = EvaluateConstant(*e);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, Value::Bigint(42));
  auto s = EvaluateConstant(*Fn(ScalarFunction::kLower, SqlType::kVarchar, Str("ABC")));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, Value::Varchar("abc"));
  auto n = EvaluateConstant(*Null(SqlType::kDate));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, Value::Null(SqlType::kDate));
  auto err = EvaluateConstant(*Fn(ScalarFunction::kDivide, SqlType::kBigint, Big(1), Big(0)));
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.status().message(), "Division by zero");
  EXPECT_FALSE(EvaluateConstant(*Ref(0, SqlType::kBigint)).ok());
}

TEST(EvalCompile, FailingConstantSubtreeIsNotFoldedAway) {
  // CASE WHEN x > 0 THEN 1 ELSE 1 / 0 END compiles; it fails only if a row takes the ELSE.
  ExprPtr e = Case(SqlType::kInteger,
                   Args(Cmp(CompareOp::kGt, Ref(0, SqlType::kInteger), Int(0)), Int(1),
                        Fn(ScalarFunction::kDivide, SqlType::kInteger, Int(1), Int(0))),
                   true);
  Batch ok{{Ints({1, 2})}};
  EXPECT_EQ(Eval(*e, ok), (V{Value::Integer(1), Value::Integer(1)}));
  Batch bad{{Ints({1, -1})}};
  EXPECT_FALSE(TryEval(*e, bad).ok());
}

}  // namespace
}  // namespace loglake::query
