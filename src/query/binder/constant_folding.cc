#include "query/binder/constant_folding.h"

#include <charconv>
#include <cstdlib>
#include <limits>

#include "common/time.h"

namespace loglake::query::binder {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

bool InTimestampRange(int64_t micros) { return micros >= kMinTimestampMicros && micros <= kMaxTimestampMicros; }

Status CannotCast(const Value& v, SqlType to) {
  return Status::InvalidArgument("cannot cast " + v.ToSqlLiteral() + " to " + SqlTypeName(to));
}

// The folded value of CAST(v AS to), or nullopt when folding is left to the executor.
Result<std::optional<Value>> FoldCast(const Value& v, SqlType to) {
  if (v.is_null()) return std::optional<Value>(Value::Null(to));
  SqlType from = v.type();
  if (from == to) return std::optional<Value>(v);
  switch (from) {
    case SqlType::kInteger:
      if (to == SqlType::kBigint) return std::optional<Value>(Value::Bigint(v.AsInt64()));
      if (to == SqlType::kDouble) return std::optional<Value>(Value::Double(static_cast<double>(v.AsInt64())));
      break;
    case SqlType::kBigint:
      if (to == SqlType::kDouble) return std::optional<Value>(Value::Double(static_cast<double>(v.AsInt64())));
      break;
    case SqlType::kDate:
      if (to == SqlType::kTimestamp) {
        return std::optional<Value>(Value::Timestamp(static_cast<int64_t>(v.AsInt32()) * kMicrosPerDay));
      }
      break;
    case SqlType::kTimestamp:
      if (to == SqlType::kDate) {
        return std::optional<Value>(Value::Date(static_cast<int32_t>(FloorDiv(v.AsInt64(), kMicrosPerDay))));
      }
      break;
    case SqlType::kVarchar: {
      std::string_view text = TrimSpaces(v.AsString());
      switch (to) {
        case SqlType::kTimestamp: {
          Result<int64_t> micros = ParseTimestampMicros(text);
          if (!micros.ok()) return CannotCast(v, to);
          return std::optional<Value>(Value::Timestamp(*micros));
        }
        case SqlType::kDate: {
          Result<CivilDate> date = ParseDate(text);
          if (!date.ok()) return CannotCast(v, to);
          return std::optional<Value>(
              Value::Date(static_cast<int32_t>(DaysFromCivil(date->year, date->month, date->day))));
        }
        case SqlType::kInteger:
        case SqlType::kBigint: {
          int64_t n = 0;
          std::string_view digits = text;
          if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
          auto r = std::from_chars(digits.data(), digits.data() + digits.size(), n);
          if (digits.empty() || r.ec != std::errc() || r.ptr != digits.data() + digits.size()) {
            return CannotCast(v, to);
          }
          if (to == SqlType::kBigint) return std::optional<Value>(Value::Bigint(n));
          if (n < std::numeric_limits<int32_t>::min() || n > std::numeric_limits<int32_t>::max()) {
            return CannotCast(v, to);
          }
          return std::optional<Value>(Value::Integer(static_cast<int32_t>(n)));
        }
        case SqlType::kDouble: {
          // Only plain decimal text is folded; Infinity/NaN spellings are left to the executor.
          std::string s(text);
          bool plain = !s.empty();
          for (char c : s) {
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) plain = false;
          }
          if (!plain) break;
          char* end = nullptr;
          double d = std::strtod(s.c_str(), &end);
          if (end != s.c_str() + s.size()) return CannotCast(v, to);
          return std::optional<Value>(Value::Double(d));
        }
        default: break;
      }
      break;
    }
    default: break;
  }
  return std::optional<Value>();
}

bool IsTemporal(SqlType t) { return t == SqlType::kTimestamp || t == SqlType::kDate; }

// timestamp/date ± interval; nullopt when out of range.
std::optional<Value> FoldTemporalArithmetic(const Value& base, const Value& interval, bool subtract) {
  int64_t sign = subtract ? -1 : 1;
  if (interval.type() == SqlType::kIntervalYearMonth) {
    int64_t months = sign * interval.AsInt64();
    if (base.type() == SqlType::kTimestamp) {
      int64_t out = 0;
      if (!AddMonthsToTimestamp(base.AsInt64(), months, &out)) return std::nullopt;
      return Value::Timestamp(out);
    }
    int64_t out = 0;
    if (!AddMonthsToTimestamp(static_cast<int64_t>(base.AsInt32()) * kMicrosPerDay, months, &out)) return std::nullopt;
    return Value::Date(static_cast<int32_t>(FloorDiv(out, kMicrosPerDay)));
  }
  int64_t delta = interval.AsInt64();
  if (subtract) {
    if (delta == std::numeric_limits<int64_t>::min()) return std::nullopt;
    delta = -delta;
  }
  if (base.type() == SqlType::kTimestamp) {
    int64_t out = 0;
    if (__builtin_add_overflow(base.AsInt64(), delta, &out) || !InTimestampRange(out)) return std::nullopt;
    return Value::Timestamp(out);
  }
  int64_t days = static_cast<int64_t>(base.AsInt32()) + FloorDiv(delta, kMicrosPerDay);
  if (!InTimestampRange(days * kMicrosPerDay)) return std::nullopt;
  return Value::Date(static_cast<int32_t>(days));
}

std::optional<Value> FoldNumeric(ScalarFunction f, const Value& a, const Value& b) {
  if (a.type() == SqlType::kDouble) {
    double x = a.AsDouble();
    double y = b.AsDouble();
    switch (f) {
      case ScalarFunction::kAdd: return Value::Double(x + y);
      case ScalarFunction::kSubtract: return Value::Double(x - y);
      case ScalarFunction::kMultiply: return Value::Double(x * y);
      default: return std::nullopt;
    }
  }
  int64_t x = a.AsInt64();
  int64_t y = b.AsInt64();
  int64_t out = 0;
  bool overflow = false;
  switch (f) {
    case ScalarFunction::kAdd: overflow = __builtin_add_overflow(x, y, &out); break;
    case ScalarFunction::kSubtract: overflow = __builtin_sub_overflow(x, y, &out); break;
    case ScalarFunction::kMultiply: overflow = __builtin_mul_overflow(x, y, &out); break;
    default: return std::nullopt;
  }
  if (overflow) return std::nullopt;
  if (a.type() == SqlType::kBigint) return Value::Bigint(out);
  if (out < std::numeric_limits<int32_t>::min() || out > std::numeric_limits<int32_t>::max()) return std::nullopt;
  return Value::Integer(static_cast<int32_t>(out));
}

std::optional<Value> FoldCall(const Expr& e) {
  for (const ExprPtr& a : e.args) {
    if (!a->IsConstant()) return std::nullopt;
  }
  bool any_null = false;
  for (const ExprPtr& a : e.args) any_null = any_null || a->constant.is_null();
  switch (e.function) {
    case ScalarFunction::kNegate: {
      if (e.args.size() != 1) return std::nullopt;
      const Value& v = e.args[0]->constant;
      if (v.is_null()) return Value::Null(e.type);
      switch (v.type()) {
        case SqlType::kInteger:
          if (v.AsInt32() == std::numeric_limits<int32_t>::min()) return std::nullopt;
          return Value::Integer(-v.AsInt32());
        case SqlType::kBigint:
          if (v.AsInt64() == std::numeric_limits<int64_t>::min()) return std::nullopt;
          return Value::Bigint(-v.AsInt64());
        case SqlType::kDouble: return Value::Double(-v.AsDouble());
        case SqlType::kIntervalDayTime:
          if (v.AsInt64() == std::numeric_limits<int64_t>::min()) return std::nullopt;
          return Value::IntervalDayTime(-v.AsInt64());
        case SqlType::kIntervalYearMonth:
          if (v.AsInt32() == std::numeric_limits<int32_t>::min()) return std::nullopt;
          return Value::IntervalYearMonth(-v.AsInt32());
        default: return std::nullopt;
      }
    }
    case ScalarFunction::kAdd:
    case ScalarFunction::kSubtract:
    case ScalarFunction::kMultiply: {
      if (e.args.size() != 2) return std::nullopt;
      if (any_null) return Value::Null(e.type);
      const Value& a = e.args[0]->constant;
      const Value& b = e.args[1]->constant;
      bool subtract = e.function == ScalarFunction::kSubtract;
      if (e.function != ScalarFunction::kMultiply && IsTemporal(a.type()) &&
          (b.type() == SqlType::kIntervalDayTime || b.type() == SqlType::kIntervalYearMonth)) {
        return FoldTemporalArithmetic(a, b, subtract);
      }
      if (e.function != ScalarFunction::kMultiply && a.type() == b.type() &&
          (a.type() == SqlType::kIntervalDayTime || a.type() == SqlType::kIntervalYearMonth)) {
        int64_t out = 0;
        bool overflow = subtract ? __builtin_sub_overflow(a.AsInt64(), b.AsInt64(), &out)
                                 : __builtin_add_overflow(a.AsInt64(), b.AsInt64(), &out);
        if (overflow) return std::nullopt;
        if (a.type() == SqlType::kIntervalDayTime) return Value::IntervalDayTime(out);
        if (out < std::numeric_limits<int32_t>::min() || out > std::numeric_limits<int32_t>::max()) return std::nullopt;
        return Value::IntervalYearMonth(static_cast<int32_t>(out));
      }
      if (IsNumeric(a.type()) && a.type() == b.type()) return FoldNumeric(e.function, a, b);
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

}  // namespace

bool AddMonthsToTimestamp(int64_t micros, int64_t months, int64_t* out) {
  if (!InTimestampRange(micros) || months > 12 * 10000 || months < -12 * 10000) return false;
  CivilDate date = CivilDateFromMicros(micros);
  int64_t time_of_day = micros - MicrosFromCivilDate(date);
  int64_t month_index = static_cast<int64_t>(date.year) * 12 + (date.month - 1) + months;
  int year = static_cast<int>(FloorDiv(month_index, 12));
  int month = static_cast<int>(month_index - static_cast<int64_t>(year) * 12) + 1;
  if (year < 0 || year > 9999) return false;
  int day = std::min(date.day, DaysInMonth(year, month));
  *out = DaysFromCivil(year, month, day) * kMicrosPerDay + time_of_day;
  return InTimestampRange(*out);
}

Result<ExprPtr> FoldConstants(ExprPtr e) {
  if (e->kind == ExprKind::kCast && e->args.size() == 1 && e->args[0]->IsConstant()) {
    ASSIGN_OR_RETURN(std::optional<Value> v, FoldCast(e->args[0]->constant, e->type));
    if (v) return Expr::Constant(std::move(*v));
    return e;
  }
  if (e->kind == ExprKind::kCall) {
    if (std::optional<Value> v = FoldCall(*e)) {
      if (v->type() == e->type) return Expr::Constant(std::move(*v));
    }
  }
  return e;
}

}  // namespace loglake::query::binder
