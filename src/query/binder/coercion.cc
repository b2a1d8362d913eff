#include "query/binder/coercion.h"

#include "query/binder/constant_folding.h"

namespace loglake::query::binder {
namespace {

int NumericRank(SqlType t) {
  switch (t) {
    case SqlType::kInteger: return 1;
    case SqlType::kBigint: return 2;
    case SqlType::kDouble: return 3;
    default: return 0;
  }
}

}  // namespace

bool ImplicitlyCoercible(SqlType from, SqlType to) {
  if (from == to || from == SqlType::kUnknown) return true;
  if (IsNumeric(from) && IsNumeric(to)) return NumericRank(from) <= NumericRank(to);
  return from == SqlType::kDate && to == SqlType::kTimestamp;
}

std::optional<SqlType> CommonSuperType(SqlType a, SqlType b) {
  if (ImplicitlyCoercible(a, b)) return b;
  if (ImplicitlyCoercible(b, a)) return a;
  return std::nullopt;
}

Result<ExprPtr> CastExpr(ExprPtr e, SqlType to) {
  if (e->type == to) return e;
  return FoldConstants(Expr::CastTo(std::move(e), to));
}

}  // namespace loglake::query::binder
