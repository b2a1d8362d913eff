// Helpers for the evaluator tests: build columns and bound expressions tersely, evaluate them,
// and read results back as Values.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "common/column.h"
#include "query/execution/evaluator.h"
#include "query/expr.h"
#include "query/types.h"

namespace loglake::query {
// Readable gtest failure messages.
inline void PrintTo(const Value& v, std::ostream* os) {
  *os << SqlTypeName(v.type()) << " " << (v.is_null() ? "NULL" : v.ToSqlLiteral());
}
}  // namespace loglake::query

namespace loglake::query::evaltest {

inline Column Ints(const std::vector<std::optional<int32_t>>& v) {
  Column c(ColumnType::kInt32);
  for (const auto& x : v) x ? c.AppendInt32(*x) : c.AppendNull();
  return c;
}
inline Column Bigints(const std::vector<std::optional<int64_t>>& v) {
  Column c(ColumnType::kInt64);
  for (const auto& x : v) x ? c.AppendInt64(*x) : c.AppendNull();
  return c;
}
inline Column Times(const std::vector<std::optional<int64_t>>& v) {
  Column c(ColumnType::kTimestamp);
  for (const auto& x : v) x ? c.AppendTimestamp(*x) : c.AppendNull();
  return c;
}
inline Column Doubles(const std::vector<std::optional<double>>& v) {
  Column c(ColumnType::kDouble);
  for (const auto& x : v) x ? c.AppendDouble(*x) : c.AppendNull();
  return c;
}
inline Column Bools(const std::vector<std::optional<bool>>& v) {
  Column c(ColumnType::kBool);
  for (const auto& x : v) x ? c.AppendBool(*x) : c.AppendNull();
  return c;
}
inline Column Strings(const std::vector<std::optional<std::string>>& v) {
  Column c(ColumnType::kString);
  for (const auto& x : v) x ? c.AppendString(*x) : c.AppendNull();
  return c;
}

inline ExprPtr Ref(int index, SqlType type) { return Expr::Column(index, type, "c" + std::to_string(index)); }
inline ExprPtr Lit(Value v) { return Expr::Constant(std::move(v)); }
inline ExprPtr Str(std::string s) { return Lit(Value::Varchar(std::move(s))); }
inline ExprPtr Int(int32_t v) { return Lit(Value::Integer(v)); }
inline ExprPtr Big(int64_t v) { return Lit(Value::Bigint(v)); }
inline ExprPtr Dbl(double v) { return Lit(Value::Double(v)); }
inline ExprPtr Bool(bool v) { return Lit(Value::Boolean(v)); }
inline ExprPtr Null(SqlType t) { return Lit(Value::Null(t)); }

template <typename... A>
std::vector<ExprPtr> Args(A... a) {
  std::vector<ExprPtr> v;
  (v.push_back(std::move(a)), ...);
  return v;
}

template <typename... A>
ExprPtr Fn(ScalarFunction f, SqlType type, A... a) {
  return Expr::Call(f, type, Args(std::move(a)...));
}
template <typename... A>
ExprPtr Kind(ExprKind k, SqlType type, A... a) {
  return Expr::Make(k, type, Args(std::move(a)...));
}
inline ExprPtr Cmp(CompareOp op, ExprPtr a, ExprPtr b) {
  ExprPtr e = Kind(ExprKind::kCompare, SqlType::kBoolean, std::move(a), std::move(b));
  e->compare = op;
  return e;
}
template <typename... A>
ExprPtr And(A... a) {
  return Kind(ExprKind::kAnd, SqlType::kBoolean, std::move(a)...);
}
template <typename... A>
ExprPtr Or(A... a) {
  return Kind(ExprKind::kOr, SqlType::kBoolean, std::move(a)...);
}
inline ExprPtr Not(ExprPtr a) { return Kind(ExprKind::kNot, SqlType::kBoolean, std::move(a)); }
inline ExprPtr Negated(ExprPtr e) {
  e->negated = true;
  return e;
}
inline ExprPtr Like(ExprPtr value, std::string pattern) {
  return Kind(ExprKind::kLike, SqlType::kBoolean, std::move(value), Str(std::move(pattern)));
}
inline ExprPtr Cast(ExprPtr e, SqlType to) { return Expr::CastTo(std::move(e), to); }

// A batch over the given columns (all of one length).
struct Batch {
  std::vector<Column> columns;
  EvalInput input() const {
    EvalInput in;
    for (const Column& c : columns) in.columns.push_back(&c);
    in.num_rows = columns.empty() ? 1 : columns[0].size();
    return in;
  }
};

inline Result<std::vector<Value>> TryEval(const Expr& e, const Batch& b,
                                          const std::vector<uint32_t>* rows = nullptr) {
  ASSIGN_OR_RETURN(auto ev, ExprEvaluator::Compile(e));
  ASSIGN_OR_RETURN(Column c, ev->Evaluate(b.input(), rows));
  size_t n = rows != nullptr ? rows->size() : b.input().num_rows;
  if (c.size() != n) return Status::Internal("result has " + std::to_string(c.size()) + " rows, want " + std::to_string(n));
  if (c.type() != PhysicalType(ev->type())) return Status::Internal("result column has the wrong physical type");
  std::vector<Value> out;
  for (size_t i = 0; i < c.size(); ++i) out.push_back(ValueAt(c, ev->type(), i));
  return out;
}

inline std::vector<Value> Eval(const Expr& e, const Batch& b, const std::vector<uint32_t>* rows = nullptr) {
  auto r = TryEval(e, b, rows);
  EXPECT_TRUE(r.ok()) << e.ToString() << ": " << r.status().ToString();
  return r.ok() ? *r : std::vector<Value>{};
}

// The value of an expression over a one-row batch with no columns.
inline Value Eval1(const Expr& e) {
  Batch none;
  auto v = Eval(e, none);
  return v.empty() ? Value() : v[0];
}

inline Status EvalError(const Expr& e, const Batch& b = Batch{}) {
  auto r = TryEval(e, b);
  return r.ok() ? Status::OK() : r.status();
}

inline std::vector<uint32_t> Select(const Expr& e, const Batch& b, const std::vector<uint32_t>* rows = nullptr) {
  auto ev = ExprEvaluator::Compile(e);
  EXPECT_TRUE(ev.ok()) << e.ToString() << ": " << ev.status().ToString();
  if (!ev.ok()) return {};
  std::vector<uint32_t> out = {999};  // must be cleared
  Status s = (*ev)->Select(b.input(), rows, &out);
  EXPECT_TRUE(s.ok()) << e.ToString() << ": " << s.ToString();
  return out;
}

// NULL of `t`, or the value: for compact expectations.
inline Value B(std::optional<bool> v) { return v ? Value::Boolean(*v) : Value::Null(SqlType::kBoolean); }

}  // namespace loglake::query::evaltest
