#include "query/planner/predicate_summary.h"

#include <algorithm>
#include <cmath>

#include "query/planner/constants.h"

namespace loglake::query {
namespace {

using parquet::StatValue;
using Kind = ColumnPredicate::Kind;

// nullopt: the predicate is not analysable. An empty list: it can never be true.
using Disjuncts = std::optional<std::vector<ColumnPredicate>>;

std::string StatText(const StatValue& v) {
  if (const int64_t* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const double* d = std::get_if<double>(&v)) return Value::Double(*d).ToString();
  return Value::Varchar(std::get<std::string>(v)).ToSqlLiteral();
}

bool Less(const StatValue& a, const StatValue& b) {
  if (a.index() != b.index()) return false;
  if (const int64_t* i = std::get_if<int64_t>(&a)) return *i < std::get<int64_t>(b);
  if (const double* d = std::get_if<double>(&a)) return *d < std::get<double>(b);
  return std::get<std::string>(a) < std::get<std::string>(b);  // byte order, like memcmp
}

bool SameKind(const StatValue& a, const StatValue& b) { return a.index() == b.index(); }

bool Equal(const StatValue& a, const StatValue& b) { return SameKind(a, b) && !Less(a, b) && !Less(b, a); }

std::optional<std::string> PrefixSuccessor(std::string prefix) {
  while (!prefix.empty() && static_cast<uint8_t>(prefix.back()) == 0xff) prefix.pop_back();
  if (prefix.empty()) return std::nullopt;
  prefix.back() = static_cast<char>(static_cast<uint8_t>(prefix.back()) + 1);
  return prefix;
}

class Summarizer {
 public:
  Summarizer(const std::vector<SqlType>& types, int num_stored) : types_(types), num_stored_(num_stored) {}

  Disjuncts Analyze(const Expr& e) const {
    switch (e.kind) {
      case ExprKind::kOr: {
        std::vector<ColumnPredicate> all;
        for (const ExprPtr& a : e.args) {
          Disjuncts d = Analyze(*a);
          if (!d) return std::nullopt;
          all.insert(all.end(), d->begin(), d->end());
        }
        return all;
      }
      case ExprKind::kConstant:
        if (e.type == SqlType::kBoolean && (e.constant.is_null() || !e.constant.AsBool())) {
          return std::vector<ColumnPredicate>();
        }
        return std::nullopt;
      case ExprKind::kCompare: return Compare(e.args, e.compare);
      case ExprKind::kInList: return e.negated ? std::nullopt : InList(e);
      case ExprKind::kBetween: return e.negated ? std::nullopt : Between(e);
      case ExprKind::kLike: return e.negated ? std::nullopt : Like(e);
      case ExprKind::kIsNull: return IsNull(e, e.negated);
      case ExprKind::kNot: {
        const Expr& inner = *e.args[0];
        if (inner.kind == ExprKind::kIsNull) return IsNull(inner, !inner.negated);
        if (inner.kind == ExprKind::kCompare && inner.compare == CompareOp::kEq) {
          return Compare(inner.args, CompareOp::kNe);
        }
        return std::nullopt;
      }
      default: return std::nullopt;
    }
  }

 private:
  // The stored column an operand reads directly (or through a widening integer cast), or -1.
  int ColumnOf(const Expr& e) const {
    const Expr* ref = &e;
    if (e.kind == ExprKind::kCast && e.args.size() == 1 && e.type == SqlType::kBigint &&
        e.args[0]->kind == ExprKind::kColumnRef && e.args[0]->type == SqlType::kInteger) {
      ref = e.args[0].get();
    }
    if (ref->kind != ExprKind::kColumnRef || ref->index < 0 || ref->index >= num_stored_) return -1;
    return ref->index;
  }

  // A constant in the domain of column `col`; nullopt when it is NULL or cannot be compared.
  std::optional<StatValue> Domain(int col, const Value& v) const {
    if (v.is_null()) return std::nullopt;
    const SqlType t = types_[static_cast<size_t>(col)];
    switch (t) {
      case SqlType::kInteger:
      case SqlType::kBigint:
        if (v.type() == SqlType::kInteger || v.type() == SqlType::kBigint) return StatValue(v.AsInt64());
        return std::nullopt;
      case SqlType::kTimestamp:
        if (v.type() == SqlType::kTimestamp) return StatValue(v.AsInt64());
        return std::nullopt;
      case SqlType::kBoolean:
        if (v.type() == SqlType::kBoolean) return StatValue(int64_t{v.AsBool() ? 1 : 0});
        return std::nullopt;
      case SqlType::kDouble:
        if (v.type() == SqlType::kDouble && !std::isnan(v.AsDouble())) return StatValue(v.AsDouble());
        return std::nullopt;
      case SqlType::kVarchar:
        if (v.type() == SqlType::kVarchar) return StatValue(v.AsString());
        return std::nullopt;
      default: return std::nullopt;
    }
  }

  bool IsDouble(int col) const { return types_[static_cast<size_t>(col)] == SqlType::kDouble; }

  static Disjuncts One(ColumnPredicate p) { return std::vector<ColumnPredicate>{std::move(p)}; }
  static Disjuncts Never() { return std::vector<ColumnPredicate>(); }

  Disjuncts RangePredicate(int col, std::optional<StatValue> low, bool low_inclusive, std::optional<StatValue> high,
                           bool high_inclusive) const {
    // A double NaN satisfies no upper bound but, for some engines, every lower one; the
    // statistics leave NaN out, so only ranges with an upper bound are safe to test.
    if (IsDouble(col) && !high) return std::nullopt;
    ColumnPredicate p;
    p.kind = Kind::kRange;
    p.column = col;
    p.low = std::move(low);
    p.low_inclusive = low_inclusive;
    p.high = std::move(high);
    p.high_inclusive = high_inclusive;
    return One(std::move(p));
  }

  Disjuncts Compare(const std::vector<ExprPtr>& args, CompareOp op) const {
    if (args.size() != 2) return std::nullopt;
    int col = ColumnOf(*args[0]);
    const Expr* other = args[1].get();
    if (col < 0) {
      col = ColumnOf(*args[1]);
      other = args[0].get();
      switch (op) {
        case CompareOp::kLt: op = CompareOp::kGt; break;
        case CompareOp::kLe: op = CompareOp::kGe; break;
        case CompareOp::kGt: op = CompareOp::kLt; break;
        case CompareOp::kGe: op = CompareOp::kLe; break;
        default: break;
      }
    }
    if (col < 0) return std::nullopt;
    std::optional<Value> c = ConstantOf(*other);
    if (!c) return std::nullopt;
    if (c->is_null()) return Never();  // comparing with NULL is never true
    std::optional<StatValue> v = Domain(col, *c);
    if (!v) return std::nullopt;
    ColumnPredicate p;
    p.column = col;
    switch (op) {
      case CompareOp::kEq:
        p.kind = Kind::kIn;
        p.values.push_back(std::move(*v));
        return One(std::move(p));
      case CompareOp::kNe:
        if (IsDouble(col) || std::holds_alternative<std::string>(*v)) return std::nullopt;
        p.kind = Kind::kNotEqual;
        p.values.push_back(std::move(*v));
        return One(std::move(p));
      case CompareOp::kLt: return RangePredicate(col, std::nullopt, true, std::move(v), false);
      case CompareOp::kLe: return RangePredicate(col, std::nullopt, true, std::move(v), true);
      case CompareOp::kGt: return RangePredicate(col, std::move(v), false, std::nullopt, true);
      case CompareOp::kGe: return RangePredicate(col, std::move(v), true, std::nullopt, true);
    }
    return std::nullopt;
  }

  Disjuncts InList(const Expr& e) const {
    if (e.args.size() < 2) return std::nullopt;
    const int col = ColumnOf(*e.args[0]);
    if (col < 0) return std::nullopt;
    ColumnPredicate p;
    p.kind = Kind::kIn;
    p.column = col;
    for (size_t i = 1; i < e.args.size(); ++i) {
      std::optional<Value> c = ConstantOf(*e.args[i]);
      if (!c) return std::nullopt;
      if (c->is_null()) continue;  // x IN (.., NULL) is never true through the NULL
      std::optional<StatValue> v = Domain(col, *c);
      if (!v) return std::nullopt;
      p.values.push_back(std::move(*v));
    }
    if (p.values.empty()) return Never();
    return One(std::move(p));
  }

  Disjuncts Between(const Expr& e) const {
    if (e.args.size() != 3) return std::nullopt;
    const int col = ColumnOf(*e.args[0]);
    if (col < 0) return std::nullopt;
    std::optional<Value> lo = ConstantOf(*e.args[1]);
    std::optional<Value> hi = ConstantOf(*e.args[2]);
    if ((lo && lo->is_null()) || (hi && hi->is_null())) return Never();
    std::optional<StatValue> low = lo ? Domain(col, *lo) : std::nullopt;
    std::optional<StatValue> high = hi ? Domain(col, *hi) : std::nullopt;
    if (!low && !high) return std::nullopt;
    return RangePredicate(col, std::move(low), true, std::move(high), true);
  }

  Disjuncts Like(const Expr& e) const {
    if (e.args.size() != 2) return std::nullopt;  // with ESCAPE: not analysed
    const int col = ColumnOf(*e.args[0]);
    if (col < 0 || types_[static_cast<size_t>(col)] != SqlType::kVarchar) return std::nullopt;
    std::optional<Value> pattern = ConstantOf(*e.args[1]);
    if (!pattern) return std::nullopt;
    if (pattern->is_null()) return Never();
    if (pattern->type() != SqlType::kVarchar) return std::nullopt;
    const std::string& text = pattern->AsString();
    const size_t wildcard = text.find_first_of("%_");
    if (wildcard == std::string::npos) {
      ColumnPredicate p;
      p.kind = Kind::kIn;
      p.column = col;
      p.values.push_back(StatValue(text));
      return One(std::move(p));
    }
    const std::string prefix = text.substr(0, wildcard);
    if (prefix.empty()) return std::nullopt;
    std::optional<std::string> end = PrefixSuccessor(prefix);
    return RangePredicate(col, StatValue(prefix), true, end ? std::optional<StatValue>(StatValue(*end)) : std::nullopt,
                          false);
  }

  Disjuncts IsNull(const Expr& e, bool negated) const {
    if (e.args.size() != 1) return std::nullopt;
    const int col = ColumnOf(*e.args[0]);
    if (col < 0) return std::nullopt;
    ColumnPredicate p;
    p.kind = negated ? Kind::kIsNotNull : Kind::kIsNull;
    p.column = col;
    return One(std::move(p));
  }

  const std::vector<SqlType>& types_;
  int num_stored_;
};

void CollectConjuncts(const Expr& e, std::vector<const Expr*>* out) {
  if (e.kind == ExprKind::kAnd) {
    for (const ExprPtr& a : e.args) CollectConjuncts(*a, out);
  } else {
    out->push_back(&e);
  }
}

}  // namespace

std::string ColumnPredicate::ToString(const std::vector<std::string>* names) const {
  std::string col = names != nullptr && column >= 0 && static_cast<size_t>(column) < names->size()
                        ? (*names)[static_cast<size_t>(column)]
                        : "#" + std::to_string(column);
  switch (kind) {
    case Kind::kIn: {
      std::string s = col + " IN (";
      for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + StatText(values[i]);
      return s + ")";
    }
    case Kind::kRange: {
      std::string s;
      if (low) s += StatText(*low) + (low_inclusive ? " <= " : " < ");
      s += col;
      if (high) s += std::string(high_inclusive ? " <= " : " < ") + StatText(*high);
      return s;
    }
    case Kind::kNotEqual: return col + " <> " + StatText(values[0]);
    case Kind::kIsNull: return col + " IS NULL";
    case Kind::kIsNotNull: return col + " IS NOT NULL";
  }
  return col;
}

std::vector<int> PredicateSummary::Columns() const {
  std::vector<int> cols;
  for (const SummaryConjunct& c : conjuncts) {
    for (const ColumnPredicate& p : c.any_of) cols.push_back(p.column);
  }
  std::sort(cols.begin(), cols.end());
  cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
  return cols;
}

std::string PredicateSummary::ToString(const std::vector<std::string>* names) const {
  if (never_true) return "false";
  std::string s;
  for (const SummaryConjunct& c : conjuncts) {
    if (!s.empty()) s += " AND ";
    std::string d;
    for (const ColumnPredicate& p : c.any_of) d += (d.empty() ? "" : " OR ") + p.ToString(names);
    s += c.any_of.size() > 1 ? "(" + d + ")" : d;
  }
  return s.empty() ? "true" : s;
}

PredicateSummary SummarizeFilter(const Expr* filter, const std::vector<SqlType>& column_types,
                                 int num_stored_columns) {
  PredicateSummary summary;
  if (filter == nullptr) return summary;
  std::vector<const Expr*> conjuncts;
  CollectConjuncts(*filter, &conjuncts);
  Summarizer summarizer(column_types, num_stored_columns);
  for (const Expr* c : conjuncts) {
    Disjuncts d = summarizer.Analyze(*c);
    if (!d) continue;
    if (d->empty()) {
      summary.never_true = true;
      continue;
    }
    summary.conjuncts.push_back(SummaryConjunct{std::move(*d)});
  }
  return summary;
}

bool MayMatch(const ColumnPredicate& p, const UnitBounds& b) {
  const bool only_nulls = b.all_null || (b.null_count && b.num_values > 0 && *b.null_count >= b.num_values);
  switch (p.kind) {
    case Kind::kIsNull:
      if (b.all_null) return true;
      return !(b.null_count && *b.null_count == 0);
    case Kind::kIsNotNull: return !only_nulls;
    default: break;
  }
  if (only_nulls) return false;  // a value predicate is never true on NULL
  switch (p.kind) {
    case Kind::kIn:
      if (!b.min || !b.max) return true;
      for (const StatValue& v : p.values) {
        if (!SameKind(v, *b.min) || !SameKind(v, *b.max)) return true;
        if (!Less(v, *b.min) && !Less(*b.max, v)) return true;
      }
      return false;
    case Kind::kRange:
      if (p.low && b.max && SameKind(*p.low, *b.max)) {
        if (p.low_inclusive ? Less(*b.max, *p.low) : !Less(*p.low, *b.max)) return false;
      }
      if (p.high && b.min && SameKind(*p.high, *b.min)) {
        if (p.high_inclusive ? Less(*p.high, *b.min) : !Less(*b.min, *p.high)) return false;
      }
      return true;
    case Kind::kNotEqual:
      if (!b.bounds_exact || !b.min || !b.max) return true;
      return !(Equal(*b.min, p.values[0]) && Equal(*b.max, p.values[0]));
    default: return true;
  }
}

UnitBounds BoundsFromStatistics(const parquet::ColumnStatistics& stats, int64_t num_values) {
  UnitBounds b;
  b.min = stats.min;
  b.max = stats.max;
  b.bounds_exact = stats.min_is_exact.value_or(true) && stats.max_is_exact.value_or(true);
  b.null_count = stats.null_count;
  b.num_values = num_values;
  return b;
}

}  // namespace loglake::query
