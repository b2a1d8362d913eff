#include "query/binder/constant_folding.h"

#include <limits>
#include <optional>

#include "query/execution/evaluator.h"

namespace loglake::query::binder {
namespace {

bool AllArgsConstant(const Expr& e) {
  for (const ExprPtr& a : e.args) {
    if (!a->IsConstant()) return false;
  }
  return true;
}

bool IsFoldedArithmetic(ScalarFunction f) {
  return f == ScalarFunction::kNegate || f == ScalarFunction::kAdd || f == ScalarFunction::kSubtract ||
         f == ScalarFunction::kMultiply;
}

bool IsInterval(SqlType t) { return t == SqlType::kIntervalDayTime || t == SqlType::kIntervalYearMonth; }

// interval ± interval of one kind. The executor has no kernel for it: intervals exist only as
// constants (no column holds one), so the binder requires this sum to fold. nullopt on overflow.
std::optional<Value> AddIntervals(const Expr& e) {
  const Value& a = e.args[0]->constant;
  const Value& b = e.args[1]->constant;
  if (a.is_null() || b.is_null()) return Value::Null(e.type);
  int64_t sum = 0;
  const bool overflow = e.function == ScalarFunction::kSubtract ? __builtin_sub_overflow(a.AsInt64(), b.AsInt64(), &sum)
                                                                : __builtin_add_overflow(a.AsInt64(), b.AsInt64(), &sum);
  if (overflow) return std::nullopt;
  if (e.type == SqlType::kIntervalDayTime) return Value::IntervalDayTime(sum);
  if (sum < std::numeric_limits<int32_t>::min() || sum > std::numeric_limits<int32_t>::max()) return std::nullopt;
  return Value::IntervalYearMonth(static_cast<int32_t>(sum));
}

}  // namespace

Result<ExprPtr> FoldConstants(ExprPtr e) {
  if (e->args.empty() || !AllArgsConstant(*e)) return e;
  if (e->kind == ExprKind::kCast) {
    ASSIGN_OR_RETURN(Value v, EvaluateConstant(*e));
    return Expr::Constant(std::move(v));
  }
  if (e->kind == ExprKind::kCall && IsInterval(e->type) && e->args.size() == 2 &&
      (e->function == ScalarFunction::kAdd || e->function == ScalarFunction::kSubtract)) {
    if (std::optional<Value> v = AddIntervals(*e)) return Expr::Constant(std::move(*v));
    return e;
  }
  if (e->kind == ExprKind::kCall && IsFoldedArithmetic(e->function)) {
    Result<Value> v = EvaluateConstant(*e);
    if (v.ok() && v->type() == e->type) return Expr::Constant(std::move(v).value());
  }
  return e;
}

}  // namespace loglake::query::binder
