#include "query/expr.h"

namespace loglake::query {

const char* CompareOpSymbol(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "<>";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
  }
  return "?";
}

CompareOp SwappedCompareOp(CompareOp op) {
  switch (op) {
    case CompareOp::kLt: return CompareOp::kGt;
    case CompareOp::kLe: return CompareOp::kGe;
    case CompareOp::kGt: return CompareOp::kLt;
    case CompareOp::kGe: return CompareOp::kLe;
    case CompareOp::kEq:
    case CompareOp::kNe: return op;
  }
  return op;
}

const char* ScalarFunctionName(ScalarFunction f) {
  switch (f) {
    case ScalarFunction::kAdd: return "+";
    case ScalarFunction::kSubtract: return "-";
    case ScalarFunction::kMultiply: return "*";
    case ScalarFunction::kDivide: return "/";
    case ScalarFunction::kModulo: return "%";
    case ScalarFunction::kNegate: return "-";
    case ScalarFunction::kConcat: return "||";
    case ScalarFunction::kLower: return "lower";
    case ScalarFunction::kUpper: return "upper";
    case ScalarFunction::kLength: return "length";
    case ScalarFunction::kSubstr: return "substr";
    case ScalarFunction::kStrpos: return "strpos";
    case ScalarFunction::kReplace: return "replace";
    case ScalarFunction::kTrim: return "trim";
    case ScalarFunction::kStartsWith: return "starts_with";
    case ScalarFunction::kCoalesce: return "coalesce";
    case ScalarFunction::kNullIf: return "nullif";
    case ScalarFunction::kAbs: return "abs";
    case ScalarFunction::kRound: return "round";
    case ScalarFunction::kDateTrunc: return "date_trunc";
    case ScalarFunction::kDateFormat: return "date_format";
    case ScalarFunction::kFromIso8601Timestamp: return "from_iso8601_timestamp";
    case ScalarFunction::kToIso8601: return "to_iso8601";
    case ScalarFunction::kToUnixtime: return "to_unixtime";
    case ScalarFunction::kFromUnixtime: return "from_unixtime";
    case ScalarFunction::kYear: return "year";
    case ScalarFunction::kMonth: return "month";
    case ScalarFunction::kDay: return "day";
    case ScalarFunction::kHour: return "hour";
    case ScalarFunction::kMinute: return "minute";
    case ScalarFunction::kSecond: return "second";
    case ScalarFunction::kDateDiff: return "date_diff";
    case ScalarFunction::kDateAdd: return "date_add";
    case ScalarFunction::kRegexpLike: return "regexp_like";
    case ScalarFunction::kJsonExtractScalar: return "json_extract_scalar";
  }
  return "?";
}

ExprPtr Expr::Column(int index, SqlType type, std::string name) {
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::kColumnRef;
  e->type = type;
  e->index = index;
  e->name = std::move(name);
  return e;
}

ExprPtr Expr::Constant(Value v) {
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::kConstant;
  e->type = v.type();
  e->constant = std::move(v);
  return e;
}

ExprPtr Expr::Call(ScalarFunction f, SqlType type, std::vector<ExprPtr> args) {
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::kCall;
  e->type = type;
  e->function = f;
  e->args = std::move(args);
  return e;
}

ExprPtr Expr::Make(ExprKind kind, SqlType type, std::vector<ExprPtr> args) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->type = type;
  e->args = std::move(args);
  return e;
}

ExprPtr Expr::CastTo(ExprPtr arg, SqlType type) {
  std::vector<ExprPtr> args;
  args.push_back(std::move(arg));
  return Make(ExprKind::kCast, type, std::move(args));
}

ExprPtr Expr::Clone() const {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->type = type;
  e->index = index;
  e->constant = constant;
  e->function = function;
  e->compare = compare;
  e->negated = negated;
  e->has_else = has_else;
  e->name = name;
  e->args.reserve(args.size());
  for (const ExprPtr& a : args) e->args.push_back(a->Clone());
  return e;
}

bool Expr::SameAs(const Expr& other) const {
  if (kind != other.kind || type != other.type || index != other.index || !(constant == other.constant) ||
      function != other.function || compare != other.compare || negated != other.negated ||
      has_else != other.has_else || args.size() != other.args.size()) {
    return false;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (!args[i]->SameAs(*other.args[i])) return false;
  }
  return true;
}

namespace {

std::string Joined(const std::vector<ExprPtr>& args, size_t from, const char* sep) {
  std::string out;
  for (size_t i = from; i < args.size(); ++i) {
    if (i > from) out += sep;
    out += args[i]->ToString();
  }
  return out;
}

bool IsInfixOperator(ScalarFunction f) {
  switch (f) {
    case ScalarFunction::kAdd:
    case ScalarFunction::kSubtract:
    case ScalarFunction::kMultiply:
    case ScalarFunction::kDivide:
    case ScalarFunction::kModulo:
    case ScalarFunction::kConcat: return true;
    default: return false;
  }
}

}  // namespace

std::string Expr::ToString() const {
  switch (kind) {
    case ExprKind::kColumnRef: return name.empty() ? "#" + std::to_string(index) : name;
    case ExprKind::kConstant: return constant.ToSqlLiteral();
    case ExprKind::kCall:
      if (function == ScalarFunction::kNegate && args.size() == 1) return "(-" + args[0]->ToString() + ")";
      if (IsInfixOperator(function) && args.size() == 2) {
        return "(" + args[0]->ToString() + " " + ScalarFunctionName(function) + " " + args[1]->ToString() + ")";
      }
      return std::string(ScalarFunctionName(function)) + "(" + Joined(args, 0, ", ") + ")";
    case ExprKind::kAnd: return "(" + Joined(args, 0, " AND ") + ")";
    case ExprKind::kOr: return "(" + Joined(args, 0, " OR ") + ")";
    case ExprKind::kNot: return "(NOT " + args[0]->ToString() + ")";
    case ExprKind::kCompare:
      return "(" + args[0]->ToString() + " " + CompareOpSymbol(compare) + " " + args[1]->ToString() + ")";
    case ExprKind::kInList:
      return "(" + args[0]->ToString() + (negated ? " NOT IN (" : " IN (") + Joined(args, 1, ", ") + "))";
    case ExprKind::kBetween:
      return "(" + args[0]->ToString() + (negated ? " NOT BETWEEN " : " BETWEEN ") + args[1]->ToString() +
             " AND " + args[2]->ToString() + ")";
    case ExprKind::kLike: {
      std::string s = "(" + args[0]->ToString() + (negated ? " NOT LIKE " : " LIKE ") + args[1]->ToString();
      if (args.size() > 2) s += " ESCAPE " + args[2]->ToString();
      return s + ")";
    }
    case ExprKind::kIsNull: return "(" + args[0]->ToString() + (negated ? " IS NOT NULL)" : " IS NULL)");
    case ExprKind::kCast: return "CAST(" + args[0]->ToString() + " AS " + SqlTypeName(type) + ")";
    case ExprKind::kCase: {
      std::string s = "CASE";
      size_t pairs = has_else ? (args.size() - 1) / 2 : args.size() / 2;
      for (size_t i = 0; i < pairs; ++i) {
        s += " WHEN " + args[2 * i]->ToString() + " THEN " + args[2 * i + 1]->ToString();
      }
      if (has_else) s += " ELSE " + args.back()->ToString();
      return s + " END";
    }
  }
  return "?";
}

}  // namespace loglake::query
