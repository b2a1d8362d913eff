#include "query/sql/ast.h"

namespace loglake::query::sql {

const char* IntervalUnitName(IntervalUnit unit) {
  switch (unit) {
    case IntervalUnit::kYear: return "YEAR";
    case IntervalUnit::kMonth: return "MONTH";
    case IntervalUnit::kDay: return "DAY";
    case IntervalUnit::kHour: return "HOUR";
    case IntervalUnit::kMinute: return "MINUTE";
    case IntervalUnit::kSecond: return "SECOND";
  }
  return "?";
}

namespace {

std::string Joined(const std::vector<AstPtr>& args, size_t from, const char* sep) {
  std::string out;
  for (size_t i = from; i < args.size(); ++i) {
    if (i > from) out += sep;
    out += args[i]->ToString();
  }
  return out;
}

}  // namespace

std::string AstNode::ToString() const {
  switch (kind) {
    case AstKind::kColumn: {
      std::string s;
      for (size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) s += ".";
        s += quoted[i] ? "\"" + parts[i] + "\"" : parts[i];
      }
      return s;
    }
    case AstKind::kLiteral: return value.ToSqlLiteral();
    case AstKind::kTypedLiteral:
      return std::string(cast_type == SqlType::kDate ? "DATE '" : "TIMESTAMP '") + text + "'";
    case AstKind::kInterval: {
      std::string s = std::string("INTERVAL ") + (negated ? "-'" : "'") + text + "' " + IntervalUnitName(interval_from);
      if (interval_to) s += std::string(" TO ") + IntervalUnitName(*interval_to);
      return s;
    }
    case AstKind::kParameter: return "?";
    case AstKind::kNegate: return "-" + args[0]->ToString();
    case AstKind::kArithmetic: return "(" + args[0]->ToString() + " " + op + " " + args[1]->ToString() + ")";
    case AstKind::kAnd: return "(" + Joined(args, 0, " AND ") + ")";
    case AstKind::kOr: return "(" + Joined(args, 0, " OR ") + ")";
    case AstKind::kNot: return "(NOT " + args[0]->ToString() + ")";
    case AstKind::kCompare:
      return "(" + args[0]->ToString() + " " + CompareOpSymbol(compare) + " " + args[1]->ToString() + ")";
    case AstKind::kIn:
      return "(" + args[0]->ToString() + (negated ? " NOT IN (" : " IN (") + Joined(args, 1, ", ") + "))";
    case AstKind::kBetween:
      return "(" + args[0]->ToString() + (negated ? " NOT BETWEEN " : " BETWEEN ") + args[1]->ToString() +
             " AND " + args[2]->ToString() + ")";
    case AstKind::kLike: {
      std::string s = "(" + args[0]->ToString() + (negated ? " NOT LIKE " : " LIKE ") + args[1]->ToString();
      if (args.size() > 2) s += " ESCAPE " + args[2]->ToString();
      return s + ")";
    }
    case AstKind::kIsNull: return "(" + args[0]->ToString() + (negated ? " IS NOT NULL)" : " IS NULL)");
    case AstKind::kCast: return "CAST(" + args[0]->ToString() + " AS " + SqlTypeName(cast_type) + ")";
    case AstKind::kCase: {
      std::string s = "CASE";
      size_t i = 0;
      if (case_operand) s += " " + args[i++]->ToString();
      size_t end = has_else ? args.size() - 1 : args.size();
      for (; i + 1 < end + 1 && i < end; i += 2) {
        s += " WHEN " + args[i]->ToString() + " THEN " + args[i + 1]->ToString();
      }
      if (has_else) s += " ELSE " + args.back()->ToString();
      return s + " END";
    }
    case AstKind::kFunction:
      if (star) return name + "(*)";
      return name + (distinct ? "(DISTINCT " : "(") + Joined(args, 0, ", ") + ")";
    case AstKind::kCurrent: return cast_type == SqlType::kDate ? "current_date" : "current_timestamp";
  }
  return "?";
}

}  // namespace loglake::query::sql
