// CAST between the types Trino converts: boolean, integer, bigint, double and varchar among
// themselves; varchar ↔ timestamp/date; timestamp ↔ date. Numbers to integers round half away
// from zero and fail when out of range; text that does not parse fails with
// "cannot cast 'abc' to integer". The binder asks CastSupported() which CASTs exist and folds
// constant CASTs through this code, so both apply the same rules with the same messages.
#include <charconv>
#include <cmath>
#include <limits>

#include "common/ascii.h"
#include "common/time.h"
#include "query/execution/eval_node.h"
#include "query/execution/functions_datetime.h"
#include "query/execution/functions_string.h"

namespace loglake::query::eval {

std::string FormatDoubleForCast(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  // Shortest round-trip digits, then laid out like Java's Double.toString: plain notation for
  // 1e-3 <= |v| < 1e7, else d.dddE<exp>; always at least one fractional digit.
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string_view sci(buf, r.ptr - buf);
  std::string out;
  if (sci[0] == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exp = std::stoi(std::string(sci.substr(e + 1)));
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  double a = std::fabs(v);
  if (a >= 1e-3 && a < 1e7) {
    if (exp >= 0) {
      size_t int_digits = static_cast<size_t>(exp) + 1;
      if (digits.size() <= int_digits) {
        out += digits + std::string(int_digits - digits.size(), '0') + ".0";
      } else {
        out += digits.substr(0, int_digits) + "." + digits.substr(int_digits);
      }
    } else {
      out += "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
    }
    return out;
  }
  out.push_back(digits[0]);
  out.push_back('.');
  out += digits.size() > 1 ? digits.substr(1) : "0";
  out += "E" + std::to_string(exp);
  return out;
}

namespace {

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

Status CannotCast(std::string_view text, SqlType to) {
  return EvalError("cannot cast '" + std::string(text) + "' to " + SqlTypeName(to));
}

bool ParseInt64(std::string_view s, int64_t* out) {
  s = TrimAscii(s);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty() || s[0] == '+') return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool ParseDouble(std::string_view s, double* out) {
  s = TrimAscii(s);
  bool negative = false;
  std::string_view body = s;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "NaN") {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (body == "Infinity") {
    *out = negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    return true;
  }
  if (body.empty() || body[0] == '+' || body[0] == '-') return false;
  double v;
  auto r = std::from_chars(body.data(), body.data() + body.size(), v);
  if (r.ptr != body.data() + body.size()) return false;
  if (r.ec == std::errc::result_out_of_range) {
    // Overflow gives ±Infinity and underflow ±0, as Java's parser does.
    v = std::fabs(v) > 1 ? std::numeric_limits<double>::infinity() : 0.0;
  } else if (r.ec != std::errc()) {
    return false;
  }
  *out = negative ? -v : v;
  return true;
}

bool ParseBool(std::string_view s, bool* out) {
  if (s.size() == 1) {
    char c = s[0];
    if (c == '1' || c == 't' || c == 'T') return *out = true, true;
    if (c == '0' || c == 'f' || c == 'F') return *out = false, true;
    return false;
  }
  if (EqualsIgnoreCase(s, "true")) return *out = true, true;
  if (EqualsIgnoreCase(s, "false")) return *out = false, true;
  return false;
}

// Rounds half away from zero and range-checks a double for an integer type.
template <typename T>
bool DoubleToInteger(double v, SqlType to, T* out, Status* err) {
  if (std::isnan(v)) {
    *err = EvalError("cannot cast double NaN to " + std::string(SqlTypeName(to)));
    return false;
  }
  double r = std::round(v);
  // 2^63 and 2^31 are exact doubles; the range is [-2^(b-1), 2^(b-1)).
  double limit = -static_cast<double>(std::numeric_limits<T>::min());
  if (!(r >= -limit && r < limit)) {
    *err = EvalError("Out of range for " + std::string(SqlTypeName(to)) + ": " + FormatDoubleForCast(v));
    return false;
  }
  *out = static_cast<T>(r);
  return true;
}

// Reads position i of an operand of type `from` as a number in a wide form.
double AsDouble(const Operand& o, size_t i, SqlType from) {
  switch (from) {
    case SqlType::kBoolean: return o.Bool(i) ? 1 : 0;
    case SqlType::kInteger: return o.I32(i);
    case SqlType::kBigint: return static_cast<double>(o.I64(i));
    default: return o.F64(i);
  }
}

int64_t AsInt64(const Operand& o, size_t i, SqlType from) {
  switch (from) {
    case SqlType::kBoolean: return o.Bool(i) ? 1 : 0;
    case SqlType::kInteger: return o.I32(i);
    default: return o.I64(i);
  }
}

void AppendAsText(const Operand& o, size_t i, SqlType from, std::string* s) {
  switch (from) {
    case SqlType::kBoolean: s->append(o.Bool(i) ? "true" : "false"); break;
    case SqlType::kInteger: s->append(std::to_string(o.I32(i))); break;
    case SqlType::kBigint: s->append(std::to_string(o.I64(i))); break;
    case SqlType::kDouble: s->append(FormatDoubleForCast(o.F64(i))); break;
    case SqlType::kTimestamp: AppendSqlTimestamp(o.I64(i), s); break;
    case SqlType::kDate: s->append(FormatDate(CivilFromDays(o.I32(i)))); break;
    default: break;
  }
}

}  // namespace

}  // namespace loglake::query::eval

namespace loglake::query {

bool CastSupported(SqlType from, SqlType to) {
  auto scalar = [](SqlType t) {
    return t == SqlType::kBoolean || t == SqlType::kInteger || t == SqlType::kBigint || t == SqlType::kDouble ||
           t == SqlType::kVarchar;
  };
  auto temporal = [](SqlType t) { return t == SqlType::kTimestamp || t == SqlType::kDate; };
  if (from == to || from == SqlType::kUnknown) return true;
  if (scalar(from) && scalar(to)) return true;
  if (temporal(from) && (temporal(to) || to == SqlType::kVarchar)) return true;
  if (from == SqlType::kVarchar && temporal(to)) return true;
  return false;
}

}  // namespace loglake::query

namespace loglake::query::eval {

Result<NodePtr> CompileCast(const Expr& expr) {
  RETURN_IF_ERROR(ExpectArgs(expr, 1, 1));
  const SqlType from = expr.args[0]->type;
  const SqlType to = expr.type;
  if (from == SqlType::kUnknown) return MakeConstantNode(Value::Null(to));
  if (!CastSupported(from, to)) {
    return Status::InvalidArgument("cannot cast " + std::string(SqlTypeName(from)) + " to " + SqlTypeName(to) +
                                   " in " + expr.ToString());
  }
  ASSIGN_OR_RETURN(NodePtr arg, CompileNode(*expr.args[0]));
  if (from == to) return arg;
  std::vector<NodePtr> args;
  args.push_back(std::move(arg));

  if (to == SqlType::kVarchar) {
    return MakeStrictMap(to, std::move(args), [from](const Operand* o, size_t i, Column* out, Status*) {
      std::string& s = ScratchString();
      AppendAsText(o[0], i, from, &s);
      out->AppendString(s);
      return true;
    });
  }
  if (from == SqlType::kVarchar) {
    return MakeStrictMap(to, std::move(args), [to](const Operand* o, size_t i, Column* out, Status* err) {
      std::string_view s = o[0].Str(i);
      switch (to) {
        case SqlType::kBoolean: {
          bool b;
          if (!ParseBool(s, &b)) break;
          out->AppendBool(b);
          return true;
        }
        case SqlType::kInteger:
        case SqlType::kBigint: {
          int64_t v;
          if (!ParseInt64(s, &v)) break;
          if (to == SqlType::kInteger) {
            if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) break;
            out->AppendInt32(static_cast<int32_t>(v));
          } else {
            out->AppendInt64(v);
          }
          return true;
        }
        case SqlType::kDouble: {
          double d;
          if (!ParseDouble(s, &d)) break;
          out->AppendDouble(d);
          return true;
        }
        case SqlType::kTimestamp: {
          Result<int64_t> micros = ParseTimestampMicros(TrimAscii(s));
          if (!micros.ok()) break;
          out->AppendInt64(*micros);
          return true;
        }
        case SqlType::kDate: {
          Result<CivilDate> date = ParseDate(TrimAscii(s));
          if (!date.ok()) break;
          out->AppendInt32(static_cast<int32_t>(DaysFromCivil(date->year, date->month, date->day)));
          return true;
        }
        default: break;
      }
      *err = CannotCast(s, to);
      return false;
    });
  }
  if (from == SqlType::kTimestamp) {  // to date
    return MakeStrictMap(to, std::move(args), [](const Operand* o, size_t i, Column* out, Status*) {
      out->AppendInt32(static_cast<int32_t>(FloorDiv(o[0].I64(i), kMicrosPerDay)));
      return true;
    });
  }
  if (from == SqlType::kDate) {  // to timestamp
    return MakeStrictMap(to, std::move(args), [](const Operand* o, size_t i, Column* out, Status*) {
      out->AppendInt64(int64_t{o[0].I32(i)} * kMicrosPerDay);
      return true;
    });
  }
  // Among boolean, integer, bigint, double.
  switch (to) {
    case SqlType::kBoolean:
      return MakeStrictMap(to, std::move(args), [from](const Operand* o, size_t i, Column* out, Status*) {
        out->AppendBool(from == SqlType::kDouble ? o[0].F64(i) != 0 : AsInt64(o[0], i, from) != 0);
        return true;
      });
    case SqlType::kDouble:
      return MakeStrictMap(to, std::move(args), [from](const Operand* o, size_t i, Column* out, Status*) {
        out->AppendDouble(AsDouble(o[0], i, from));
        return true;
      });
    case SqlType::kInteger:
      return MakeStrictMap(to, std::move(args), [from, to](const Operand* o, size_t i, Column* out, Status* err) {
        int32_t v;
        if (from == SqlType::kDouble) {
          if (!DoubleToInteger<int32_t>(o[0].F64(i), to, &v, err)) return false;
        } else {
          int64_t w = AsInt64(o[0], i, from);
          if (w < std::numeric_limits<int32_t>::min() || w > std::numeric_limits<int32_t>::max()) {
            *err = EvalError("Out of range for integer: " + std::to_string(w));
            return false;
          }
          v = static_cast<int32_t>(w);
        }
        out->AppendInt32(v);
        return true;
      });
    case SqlType::kBigint:
      return MakeStrictMap(to, std::move(args), [from, to](const Operand* o, size_t i, Column* out, Status* err) {
        int64_t v;
        if (from == SqlType::kDouble) {
          if (!DoubleToInteger<int64_t>(o[0].F64(i), to, &v, err)) return false;
        } else {
          v = AsInt64(o[0], i, from);
        }
        out->AppendInt64(v);
        return true;
      });
    default: break;
  }
  return Status::InvalidArgument("cannot cast " + std::string(SqlTypeName(from)) + " to " + SqlTypeName(to));
}

}  // namespace loglake::query::eval
