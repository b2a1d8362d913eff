#include "query/planner/constants.h"

#include "query/execution/evaluator.h"

namespace loglake::query {

bool ReadsColumns(const Expr& expr) {
  if (expr.kind == ExprKind::kColumnRef) return true;
  for (const ExprPtr& a : expr.args) {
    if (ReadsColumns(*a)) return true;
  }
  return false;
}

std::optional<Value> ConstantOf(const Expr& expr) {
  if (expr.kind == ExprKind::kConstant) return expr.constant;
  if (ReadsColumns(expr)) return std::nullopt;
  Result<Value> v = EvaluateConstant(expr);
  if (!v.ok()) return std::nullopt;
  return std::move(v).value();
}

}  // namespace loglake::query
