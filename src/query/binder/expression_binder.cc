#include "query/binder/expression_binder.h"

#include <algorithm>
#include <limits>

#include "common/ascii.h"
#include "common/time.h"
#include "query/binder/coercion.h"
#include "query/binder/constant_folding.h"
#include "query/execution/evaluator.h"

namespace loglake::query::binder {

using sql::AstKind;
using sql::AstNode;
using sql::IntervalUnit;

namespace {

std::optional<AggregateKind> AggregateFor(std::string_view name) {
  if (name == "count") return AggregateKind::kCount;
  if (name == "sum") return AggregateKind::kSum;
  if (name == "min") return AggregateKind::kMin;
  if (name == "max") return AggregateKind::kMax;
  if (name == "avg") return AggregateKind::kAvg;
  return std::nullopt;
}

bool ReadsColumns(const Expr& e) {
  if (e.kind == ExprKind::kColumnRef) return true;
  for (const ExprPtr& a : e.args) {
    if (ReadsColumns(*a)) return true;
  }
  return false;
}

bool IsInterval(SqlType t) { return t == SqlType::kIntervalDayTime || t == SqlType::kIntervalYearMonth; }
bool IsTemporal(SqlType t) { return t == SqlType::kTimestamp || t == SqlType::kDate; }

// Types with an order (for comparisons, BETWEEN, min/max, ORDER BY).
bool IsComparable(SqlType t) { return t != SqlType::kUnknown; }

// ---- interval literals ----

// Parses an unsigned field of at most 9 digits.
bool ParseField(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 9) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// "ss" or "ss.ffffff" (up to 9 fraction digits, truncated to microseconds) → microseconds.
bool ParseSeconds(std::string_view s, int64_t* micros) {
  size_t dot = s.find('.');
  int64_t whole = 0;
  if (!ParseField(s.substr(0, dot), &whole)) return false;
  int64_t fraction = 0;
  if (dot != std::string_view::npos) {
    std::string_view f = s.substr(dot + 1);
    if (f.empty() || f.size() > 9) return false;
    int64_t digits = 0;
    if (!ParseField(f, &digits)) return false;
    for (size_t i = f.size(); i < 6; ++i) digits *= 10;
    for (size_t i = 6; i < f.size(); ++i) digits /= 10;
    fraction = digits;
  }
  *micros = whole * kMicrosPerSecond + fraction;
  return true;
}

int64_t UnitMicros(IntervalUnit unit) {
  switch (unit) {
    case IntervalUnit::kDay: return kMicrosPerDay;
    case IntervalUnit::kHour: return 3600 * kMicrosPerSecond;
    case IntervalUnit::kMinute: return 60 * kMicrosPerSecond;
    default: return kMicrosPerSecond;
  }
}

Result<Value> ParseInterval(const AstNode& ast) {
  auto invalid = [&]() {
    return ErrorAt(ast.pos, "invalid interval literal " + ast.ToString() +
                                ": expected a whole number such as '1' (fractions only for SECOND, fields such as "
                                "'1 02:30:00' for DAY TO SECOND)");
  };
  std::string_view text = ast.text;
  bool negative = ast.negated;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    if (text.front() == '-') negative = !negative;
    text.remove_prefix(1);
  }
  IntervalUnit from = ast.interval_from;
  IntervalUnit to = ast.interval_to.value_or(from);
  bool year_month = from == IntervalUnit::kYear || from == IntervalUnit::kMonth;
  if (year_month) {
    int64_t years = 0;
    int64_t months = 0;
    if (from == IntervalUnit::kYear && to == IntervalUnit::kMonth) {
      size_t dash = text.find('-');
      if (dash == std::string_view::npos || !ParseField(text.substr(0, dash), &years) ||
          !ParseField(text.substr(dash + 1), &months) || months > 11) {
        return invalid();
      }
    } else if (to != from) {
      return ErrorAt(ast.pos, std::string("invalid interval qualifier ") + sql::IntervalUnitName(from) + " TO " +
                                  sql::IntervalUnitName(to));
    } else if (!ParseField(text, from == IntervalUnit::kYear ? &years : &months)) {
      return invalid();
    }
    int64_t total = years * 12 + months;
    if (total > std::numeric_limits<int32_t>::max()) return invalid();
    return Value::IntervalYearMonth(static_cast<int32_t>(negative ? -total : total));
  }
  if (to == IntervalUnit::kYear || to == IntervalUnit::kMonth || static_cast<int>(to) < static_cast<int>(from)) {
    return ErrorAt(ast.pos, std::string("invalid interval qualifier ") + sql::IntervalUnitName(from) + " TO " +
                                sql::IntervalUnitName(to));
  }
  // Fields from `from` to `to`: days are separated by a space, the others by ':'.
  int64_t total = 0;
  std::string_view rest = text;
  for (int u = static_cast<int>(from); u <= static_cast<int>(to); ++u) {
    IntervalUnit unit = static_cast<IntervalUnit>(u);
    bool last = u == static_cast<int>(to);
    std::string_view field = rest;
    if (!last) {
      char sep = unit == IntervalUnit::kDay ? ' ' : ':';
      size_t at = rest.find(sep);
      if (at == std::string_view::npos) return invalid();
      field = rest.substr(0, at);
      rest = rest.substr(at + 1);
    }
    int64_t micros = 0;
    if (unit == IntervalUnit::kSecond) {
      if (!ParseSeconds(field, &micros)) return invalid();
    } else {
      int64_t n = 0;
      if (!ParseField(field, &n)) return invalid();
      micros = n * UnitMicros(unit);  // at most 999,999,999 days: fits in int64 µs
    }
    if (__builtin_add_overflow(total, micros, &total)) return invalid();
  }
  return Value::IntervalDayTime(negative ? -total : total);
}

size_t NodeCount(const Expr& e) {
  size_t n = 1;
  for (const ExprPtr& a : e.args) n += NodeCount(*a);
  return n;
}

// A simple CASE copies its operand into every WHEN comparison; nested simple CASEs would multiply
// those copies, so the copies of one CASE are bounded.
constexpr size_t kMaxCaseOperandCopies = 100000;

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

}  // namespace

Status ErrorAt(const sql::SourcePos& pos, const std::string& message) {
  return Status::InvalidArgument(sql::FormatPos(pos) + ": " + message);
}

std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::numeric_limits<size_t>::max();
  for (const std::string& c : candidates) {
    // Levenshtein distance, case-insensitive, one row at a time.
    std::vector<size_t> row(c.size() + 1);
    for (size_t j = 0; j <= c.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= name.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= c.size(); ++j) {
        size_t up = row[j];
        size_t cost = AsciiLower(name[i - 1]) == AsciiLower(c[j - 1]) ? 0 : 1;
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
        diagonal = up;
      }
    }
    if (row[c.size()] < best_distance) {
      best_distance = row[c.size()];
      best = c;
    }
  }
  // A typo is a few edits, proportionally fewer for short names.
  size_t allowed = std::max<size_t>(1, std::min<size_t>(3, name.size() / 3));
  return best_distance <= allowed ? best : std::string();
}

bool ContainsAggregate(const AstNode& ast) {
  if (ast.kind == AstKind::kFunction && AggregateFor(ast.name)) return true;
  for (const sql::AstPtr& a : ast.args) {
    if (ContainsAggregate(*a)) return true;
  }
  return false;
}

int ExpressionBinder::FindColumn(std::string_view name) const {
  for (size_t i = 0; i < scope_.column_names.size(); ++i) {
    if (EqualsIgnoreCase(scope_.column_names[i], name)) return static_cast<int>(i);
  }
  return -1;
}

Result<ExprPtr> ExpressionBinder::BindTableLevel(const AstNode& ast, const char* clause) {
  level_ = Level::kTable;
  clause_ = clause;
  state_ = nullptr;
  return Bind(ast);
}

Result<ExprPtr> ExpressionBinder::BindAggregateLevel(const AstNode& ast, AggregateState* state) {
  level_ = Level::kAggregate;
  clause_ = "";
  state_ = state;
  return Bind(ast);
}

Result<ExprPtr> ExpressionBinder::Bind(const AstNode& ast) {
  if (level_ == Level::kAggregate) {
    if (ast.kind == AstKind::kFunction && AggregateFor(ast.name)) return BindAggregateCall(ast);
    if (!ContainsAggregate(ast)) {
      ExpressionBinder table(scope_);
      ASSIGN_OR_RETURN(ExprPtr e, table.BindTableLevel(ast, "SELECT"));
      if (!ReadsColumns(*e)) return e;
      for (size_t i = 0; i < state_->group_keys.size(); ++i) {
        if (state_->group_keys[i]->SameAs(*e)) {
          return Expr::Column(static_cast<int>(i), e->type, state_->group_keys[i]->ToString());
        }
      }
      if (ast.kind == AstKind::kColumn) {
        if (!state_->ungrouped_message.empty()) return ErrorAt(ast.pos, state_->ungrouped_message);
        return ErrorAt(ast.pos,
                       "'" + ast.ToString() + "' must be an aggregate expression or appear in GROUP BY clause");
      }
    }
  }
  return BindNode(ast);
}

Result<std::vector<ExprPtr>> ExpressionBinder::BindArgs(const AstNode& ast) {
  std::vector<ExprPtr> args;
  args.reserve(ast.args.size());
  for (const sql::AstPtr& a : ast.args) {
    ASSIGN_OR_RETURN(ExprPtr e, Bind(*a));
    args.push_back(std::move(e));
  }
  return args;
}

Result<ExprPtr> ExpressionBinder::BindNode(const AstNode& ast) {
  switch (ast.kind) {
    case AstKind::kColumn: return BindColumn(ast);
    case AstKind::kLiteral: return Expr::Constant(ast.value);
    case AstKind::kTypedLiteral: {
      if (ast.cast_type == SqlType::kDate) {
        Result<CivilDate> date = ParseDate(ast.text);
        if (!date.ok()) {
          return ErrorAt(ast.pos, "invalid DATE literal '" + ast.text + "': expected 'YYYY-MM-DD'");
        }
        return Expr::Constant(Value::Date(static_cast<int32_t>(DaysFromCivil(date->year, date->month, date->day))));
      }
      Result<int64_t> micros = ParseTimestampMicros(ast.text);
      if (!micros.ok()) {
        return ErrorAt(ast.pos, "invalid TIMESTAMP literal '" + ast.text +
                                    "': expected 'YYYY-MM-DD[ HH:MM:SS[.ffffff]]' (" + micros.status().message() + ")");
      }
      return Expr::Constant(Value::Timestamp(*micros));
    }
    case AstKind::kInterval: {
      ASSIGN_OR_RETURN(Value v, ParseInterval(ast));
      return Expr::Constant(std::move(v));
    }
    case AstKind::kParameter: {
      if (scope_.params == nullptr || ast.parameter_index < 0 ||
          static_cast<size_t>(ast.parameter_index) >= scope_.params->size()) {
        return ErrorAt(ast.pos, "no value given for parameter " + std::to_string(ast.parameter_index + 1));
      }
      return Expr::Constant((*scope_.params)[static_cast<size_t>(ast.parameter_index)]);
    }
    case AstKind::kCurrent: {
      if (ast.cast_type == SqlType::kDate) {
        int64_t days = scope_.now_micros / kMicrosPerDay;
        if (scope_.now_micros % kMicrosPerDay < 0) --days;
        return Expr::Constant(Value::Date(static_cast<int32_t>(days)));
      }
      return Expr::Constant(Value::Timestamp(scope_.now_micros));
    }
    case AstKind::kNegate: {
      ASSIGN_OR_RETURN(ExprPtr arg, Bind(*ast.args[0]));
      if (arg->type == SqlType::kUnknown) {
        ASSIGN_OR_RETURN(arg, CastExpr(std::move(arg), SqlType::kBigint));
      }
      if (!IsNumeric(arg->type) && !IsInterval(arg->type)) {
        return ErrorAt(ast.pos, std::string("cannot apply operator: -") + SqlTypeName(arg->type));
      }
      SqlType type = arg->type;
      std::vector<ExprPtr> args;
      args.push_back(std::move(arg));
      return FoldConstants(Expr::Call(ScalarFunction::kNegate, type, std::move(args)));
    }
    case AstKind::kArithmetic: return BindArithmetic(ast);
    case AstKind::kAnd:
    case AstKind::kOr:
    case AstKind::kNot: return BindLogical(ast);
    case AstKind::kCompare: return BindCompare(ast);
    case AstKind::kIn:
    case AstKind::kBetween: return BindInOrBetween(ast);
    case AstKind::kLike: return BindLike(ast);
    case AstKind::kIsNull: {
      ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindArgs(ast));
      ExprPtr e = Expr::Make(ExprKind::kIsNull, SqlType::kBoolean, std::move(args));
      e->negated = ast.negated;
      return e;
    }
    case AstKind::kCast: {
      ASSIGN_OR_RETURN(ExprPtr arg, Bind(*ast.args[0]));
      if (!CastSupported(arg->type, ast.cast_type)) {
        return ErrorAt(ast.pos, std::string("cannot cast ") + SqlTypeName(arg->type) + " to " +
                                    SqlTypeName(ast.cast_type));
      }
      Result<ExprPtr> cast = CastExpr(std::move(arg), ast.cast_type);
      if (!cast.ok()) return ErrorAt(ast.pos, cast.status().message());
      return std::move(cast).value();
    }
    case AstKind::kCase: return BindCase(ast);
    case AstKind::kFunction: {
      if (AggregateFor(ast.name)) {
        if (clause_ == nullptr) {
          return ErrorAt(ast.pos, "cannot nest aggregate functions: " + ast.ToString() + " inside an aggregate");
        }
        return ErrorAt(ast.pos, std::string(clause_) + " clause cannot contain aggregate functions: " +
                                    ast.ToString());
      }
      if (ast.star) return ErrorAt(ast.pos, "only count(*) takes *; " + ast.name + "(*) does not exist");
      if (ast.distinct) return ErrorAt(ast.pos, "DISTINCT is only allowed in aggregate functions, not in " + ast.name);
      ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindArgs(ast));
      return BindScalarFunction(ast, std::move(args));
    }
  }
  return ErrorAt(ast.pos, "unsupported expression");
}

Result<ExprPtr> ExpressionBinder::BindColumn(const AstNode& ast) {
  const std::string& name = ast.parts.back();
  if (ast.parts.size() >= 2) {
    const std::string& qualifier = ast.parts[ast.parts.size() - 2];
    if (!EqualsIgnoreCase(qualifier, scope_.qualifier)) {
      return ErrorAt(ast.pos, "column '" + ast.ToString() + "' cannot be resolved: the table is referred to as '" +
                                  scope_.qualifier + "'");
    }
  }
  int index = FindColumn(name);
  if (index < 0) {
    std::string message = "column '" + name + "' not found";
    std::string closest = ClosestName(name, scope_.column_names);
    if (!closest.empty()) {
      message += "; did you mean '" + closest + "'?";
    } else {
      message += " in table " + scope_.table->name + "; its columns are:";
      for (size_t i = 0; i < scope_.column_names.size(); ++i) message += (i ? ", " : " ") + scope_.column_names[i];
    }
    return ErrorAt(ast.pos, message);
  }
  return Expr::Column(index, scope_.column_types[static_cast<size_t>(index)],
                      scope_.column_names[static_cast<size_t>(index)]);
}

Result<ExprPtr> ExpressionBinder::BindArithmetic(const AstNode& ast) {
  ASSIGN_OR_RETURN(ExprPtr left, Bind(*ast.args[0]));
  ASSIGN_OR_RETURN(ExprPtr right, Bind(*ast.args[1]));
  auto mismatch = [&]() {
    return ErrorAt(ast.pos, std::string("cannot apply operator: ") + SqlTypeName(left->type) + " " + ast.op + " " +
                                SqlTypeName(right->type));
  };
  auto call = [&](ScalarFunction f, SqlType type) -> Result<ExprPtr> {
    std::vector<ExprPtr> args;
    args.push_back(std::move(left));
    args.push_back(std::move(right));
    return FoldConstants(Expr::Call(f, type, std::move(args)));
  };
  if (ast.op == "||") {
    if (!ImplicitlyCoercible(left->type, SqlType::kVarchar) || !ImplicitlyCoercible(right->type, SqlType::kVarchar)) {
      return mismatch();
    }
    ASSIGN_OR_RETURN(left, CastExpr(std::move(left), SqlType::kVarchar));
    ASSIGN_OR_RETURN(right, CastExpr(std::move(right), SqlType::kVarchar));
    return call(ScalarFunction::kConcat, SqlType::kVarchar);
  }
  ScalarFunction f = ast.op == "+"   ? ScalarFunction::kAdd
                     : ast.op == "-" ? ScalarFunction::kSubtract
                     : ast.op == "*" ? ScalarFunction::kMultiply
                     : ast.op == "/" ? ScalarFunction::kDivide
                                     : ScalarFunction::kModulo;
  bool additive = f == ScalarFunction::kAdd || f == ScalarFunction::kSubtract;
  if (additive) {
    // interval + timestamp is timestamp + interval; a NULL next to an interval is a timestamp.
    if (f == ScalarFunction::kAdd && IsInterval(left->type) &&
        (IsTemporal(right->type) || right->type == SqlType::kUnknown)) {
      std::swap(left, right);
    }
    if (IsInterval(right->type) && left->type == SqlType::kUnknown) {
      ASSIGN_OR_RETURN(left, CastExpr(std::move(left), SqlType::kTimestamp));
    }
    if (IsTemporal(left->type) && IsInterval(right->type)) {
      SqlType type = left->type;
      return call(f, type);
    }
    if (IsInterval(left->type) && (left->type == right->type || right->type == SqlType::kUnknown)) {
      SqlType type = left->type;
      ASSIGN_OR_RETURN(right, CastExpr(std::move(right), type));
      ASSIGN_OR_RETURN(ExprPtr e, call(f, type));
      if (!e->IsConstant()) {
        return Status::Unimplemented(sql::FormatPos(ast.pos) +
                                     ": interval arithmetic is supported only between constant intervals");
      }
      return e;
    }
    if (IsTemporal(left->type) && IsTemporal(right->type) && f == ScalarFunction::kSubtract) {
      return Status::Unimplemented(sql::FormatPos(ast.pos) + ": subtracting " + SqlTypeName(left->type) + " from " +
                                   SqlTypeName(right->type) + " is not supported; use date_diff(unit, a, b)");
    }
  }
  bool numeric_left = IsNumeric(left->type) || left->type == SqlType::kUnknown;
  bool numeric_right = IsNumeric(right->type) || right->type == SqlType::kUnknown;
  if (!numeric_left || !numeric_right) return mismatch();
  SqlType type = *CommonSuperType(left->type, right->type);
  if (type == SqlType::kUnknown) type = SqlType::kBigint;
  ASSIGN_OR_RETURN(left, CastExpr(std::move(left), type));
  ASSIGN_OR_RETURN(right, CastExpr(std::move(right), type));
  return call(f, type);
}

Result<ExprPtr> ExpressionBinder::BindLogical(const AstNode& ast) {
  const char* what = ast.kind == AstKind::kAnd ? "AND" : ast.kind == AstKind::kOr ? "OR" : "NOT";
  std::vector<ExprPtr> args;
  for (const sql::AstPtr& a : ast.args) {
    ASSIGN_OR_RETURN(ExprPtr e, Bind(*a));
    if (!ImplicitlyCoercible(e->type, SqlType::kBoolean)) {
      return ErrorAt(a->pos, std::string(what) + " operand must be boolean, found " + SqlTypeName(e->type) + ": " +
                                 a->ToString());
    }
    ASSIGN_OR_RETURN(e, CastExpr(std::move(e), SqlType::kBoolean));
    args.push_back(std::move(e));
  }
  ExprKind kind = ast.kind == AstKind::kAnd ? ExprKind::kAnd : ast.kind == AstKind::kOr ? ExprKind::kOr : ExprKind::kNot;
  return Expr::Make(kind, SqlType::kBoolean, std::move(args));
}

Result<ExprPtr> ExpressionBinder::BindCompare(const AstNode& ast) {
  ASSIGN_OR_RETURN(ExprPtr left, Bind(*ast.args[0]));
  ASSIGN_OR_RETURN(ExprPtr right, Bind(*ast.args[1]));
  std::optional<SqlType> type = CommonSuperType(left->type, right->type);
  if (!type) {
    return ErrorAt(ast.pos, std::string("cannot compare ") + SqlTypeName(left->type) + " with " +
                                SqlTypeName(right->type) + " (" + ast.ToString() + ")");
  }
  SqlType t = *type == SqlType::kUnknown ? SqlType::kBoolean : *type;
  ASSIGN_OR_RETURN(left, CastExpr(std::move(left), t));
  ASSIGN_OR_RETURN(right, CastExpr(std::move(right), t));
  std::vector<ExprPtr> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  ExprPtr e = Expr::Make(ExprKind::kCompare, SqlType::kBoolean, std::move(args));
  e->compare = ast.compare;
  return e;
}

Result<ExprPtr> ExpressionBinder::BindInOrBetween(const AstNode& ast) {
  ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindArgs(ast));
  SqlType type = args[0]->type;
  for (size_t i = 1; i < args.size(); ++i) {
    std::optional<SqlType> common = CommonSuperType(type, args[i]->type);
    if (!common) {
      return ErrorAt(ast.args[i]->pos, std::string("cannot compare ") + SqlTypeName(args[0]->type) + " with " +
                                           SqlTypeName(args[i]->type) + " (" + ast.args[i]->ToString() + " in " +
                                           (ast.kind == AstKind::kIn ? "IN" : "BETWEEN") + ")");
    }
    type = *common;
  }
  if (type == SqlType::kUnknown) type = SqlType::kBoolean;
  if (!IsComparable(type)) return ErrorAt(ast.pos, std::string("cannot compare values of type ") + SqlTypeName(type));
  for (ExprPtr& a : args) {
    ASSIGN_OR_RETURN(a, CastExpr(std::move(a), type));
  }
  ExprPtr e = Expr::Make(ast.kind == AstKind::kIn ? ExprKind::kInList : ExprKind::kBetween, SqlType::kBoolean,
                         std::move(args));
  e->negated = ast.negated;
  return e;
}

Result<ExprPtr> ExpressionBinder::BindLike(const AstNode& ast) {
  ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindArgs(ast));
  static constexpr const char* kRoles[] = {"value", "pattern", "escape"};
  for (size_t i = 0; i < args.size(); ++i) {
    if (!ImplicitlyCoercible(args[i]->type, SqlType::kVarchar)) {
      return ErrorAt(ast.args[i]->pos, std::string("LIKE ") + kRoles[i] + " must be varchar, found " +
                                           SqlTypeName(args[i]->type) + ": " + ast.args[i]->ToString());
    }
    ASSIGN_OR_RETURN(args[i], CastExpr(std::move(args[i]), SqlType::kVarchar));
  }
  if (args.size() == 3 && args[2]->IsConstant() && !args[2]->constant.is_null() &&
      CodePoints(args[2]->constant.AsString()) != 1) {
    return ErrorAt(ast.args[2]->pos, "LIKE escape must be a single character, found " +
                                         args[2]->constant.ToSqlLiteral());
  }
  ExprPtr e = Expr::Make(ExprKind::kLike, SqlType::kBoolean, std::move(args));
  e->negated = ast.negated;
  return e;
}

Result<ExprPtr> ExpressionBinder::BindCase(const AstNode& ast) {
  size_t first = ast.case_operand ? 1 : 0;
  size_t end = ast.has_else ? ast.args.size() - 1 : ast.args.size();
  std::vector<ExprPtr> conditions;
  std::vector<ExprPtr> results;
  if (ast.case_operand) {
    // CASE x WHEN a THEN .. is CASE WHEN x = a THEN ..: x, a, b... share one type.
    ASSIGN_OR_RETURN(ExprPtr operand, Bind(*ast.args[0]));
    std::vector<ExprPtr> whens;
    SqlType type = operand->type;
    for (size_t i = first; i < end; i += 2) {
      ASSIGN_OR_RETURN(ExprPtr w, Bind(*ast.args[i]));
      std::optional<SqlType> common = CommonSuperType(type, w->type);
      if (!common) {
        return ErrorAt(ast.args[i]->pos, std::string("cannot compare ") + SqlTypeName(type) + " with " +
                                             SqlTypeName(w->type) + " (CASE operand and WHEN value)");
      }
      type = *common;
      whens.push_back(std::move(w));
    }
    if (type == SqlType::kUnknown) type = SqlType::kBoolean;
    if (NodeCount(*operand) * whens.size() > kMaxCaseOperandCopies) {
      return ErrorAt(ast.pos, "CASE expression too large: its operand would be copied into " +
                                  std::to_string(whens.size()) + " comparisons; use a searched CASE (CASE WHEN ...)");
    }
    ASSIGN_OR_RETURN(operand, CastExpr(std::move(operand), type));
    for (ExprPtr& w : whens) {
      ASSIGN_OR_RETURN(w, CastExpr(std::move(w), type));
      std::vector<ExprPtr> args;
      args.push_back(operand->Clone());
      args.push_back(std::move(w));
      ExprPtr eq = Expr::Make(ExprKind::kCompare, SqlType::kBoolean, std::move(args));
      eq->compare = CompareOp::kEq;
      conditions.push_back(std::move(eq));
    }
  } else {
    for (size_t i = first; i < end; i += 2) {
      ASSIGN_OR_RETURN(ExprPtr c, Bind(*ast.args[i]));
      if (!ImplicitlyCoercible(c->type, SqlType::kBoolean)) {
        return ErrorAt(ast.args[i]->pos, std::string("CASE WHEN condition must be boolean, found ") +
                                             SqlTypeName(c->type));
      }
      ASSIGN_OR_RETURN(c, CastExpr(std::move(c), SqlType::kBoolean));
      conditions.push_back(std::move(c));
    }
  }
  SqlType type = SqlType::kUnknown;
  std::vector<const AstNode*> result_asts;
  for (size_t i = first + 1; i < end; i += 2) result_asts.push_back(ast.args[i].get());
  if (ast.has_else) result_asts.push_back(ast.args.back().get());
  for (const AstNode* r : result_asts) {
    ASSIGN_OR_RETURN(ExprPtr e, Bind(*r));
    std::optional<SqlType> common = CommonSuperType(type, e->type);
    if (!common) {
      return ErrorAt(r->pos, std::string("CASE results must have one type; found ") + SqlTypeName(type) + " and " +
                                 SqlTypeName(e->type));
    }
    type = *common;
    results.push_back(std::move(e));
  }
  if (type == SqlType::kUnknown) return Expr::Constant(Value::Null(SqlType::kUnknown));  // every branch is NULL
  std::vector<ExprPtr> args;
  for (size_t i = 0; i < conditions.size(); ++i) {
    args.push_back(std::move(conditions[i]));
    ASSIGN_OR_RETURN(ExprPtr r, CastExpr(std::move(results[i]), type));
    args.push_back(std::move(r));
  }
  if (ast.has_else) {
    ASSIGN_OR_RETURN(ExprPtr r, CastExpr(std::move(results.back()), type));
    args.push_back(std::move(r));
  }
  ExprPtr e = Expr::Make(ExprKind::kCase, type, std::move(args));
  e->has_else = ast.has_else;
  return e;
}

Result<ExprPtr> ExpressionBinder::BindAggregateCall(const AstNode& ast) {
  AggregateCall call;
  call.kind = *AggregateFor(ast.name);
  call.distinct = ast.distinct;
  if (ast.star) {
    if (call.kind != AggregateKind::kCount) {
      return ErrorAt(ast.pos, "only count(*) takes *; " + ast.name + "(*) does not exist");
    }
    call.kind = AggregateKind::kCountStar;
    call.type = SqlType::kBigint;
  } else {
    if (ast.args.size() != 1) {
      return ErrorAt(ast.pos, ast.name + " takes one argument, " + std::to_string(ast.args.size()) + " given");
    }
    ExpressionBinder inner(scope_);
    ASSIGN_OR_RETURN(ExprPtr arg, inner.BindTableLevel(*ast.args[0], nullptr));
    SqlType t = arg->type;
    switch (call.kind) {
      case AggregateKind::kCount:
        if (t == SqlType::kUnknown) {
          ASSIGN_OR_RETURN(arg, CastExpr(std::move(arg), SqlType::kBoolean));
        }
        call.type = SqlType::kBigint;
        break;
      case AggregateKind::kSum:
      case AggregateKind::kAvg:
        if (t == SqlType::kUnknown) {
          ASSIGN_OR_RETURN(arg, CastExpr(std::move(arg), SqlType::kBigint));
          t = SqlType::kBigint;
        }
        if (!IsNumeric(t)) {
          return ErrorAt(ast.pos, "unexpected parameters (" + std::string(SqlTypeName(t)) + ") for function " +
                                      ast.name + "; expected " + ast.name + "(integer), " + ast.name +
                                      "(bigint) or " + ast.name + "(double)");
        }
        call.type = call.kind == AggregateKind::kAvg || t == SqlType::kDouble ? SqlType::kDouble : SqlType::kBigint;
        break;
      default:  // min, max
        if (t == SqlType::kUnknown) {
          ASSIGN_OR_RETURN(arg, CastExpr(std::move(arg), SqlType::kBigint));
          t = SqlType::kBigint;
        }
        call.type = t;
        break;
    }
    call.arg = std::move(arg);
  }
  std::vector<AggregateCall>& aggregates = state_->aggregates;
  size_t index = aggregates.size();
  for (size_t i = 0; i < aggregates.size(); ++i) {
    const AggregateCall& a = aggregates[i];
    if (a.kind == call.kind && a.distinct == call.distinct &&
        ((a.arg == nullptr && call.arg == nullptr) || (a.arg && call.arg && a.arg->SameAs(*call.arg)))) {
      index = i;
      break;
    }
  }
  if (index == aggregates.size()) aggregates.push_back(call.Clone());
  return Expr::Column(static_cast<int>(state_->group_keys.size() + index), call.type, call.ToString());
}

}  // namespace loglake::query::binder
