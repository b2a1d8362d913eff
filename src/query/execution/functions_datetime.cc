// Date and time functions: date_trunc, date_format, from_iso8601_timestamp, to_iso8601,
// to_unixtime, from_unixtime, year..second, date_diff, date_add. All in UTC (Trino with session
// zone UTC).
#include "query/execution/functions_datetime.h"

#include <cmath>
#include <limits>
#include <type_traits>

#include "common/ascii.h"
#include "common/time.h"
#include "query/execution/eval_node.h"

namespace loglake::query {
namespace {

constexpr int64_t FixedUnitMicros(DateUnit unit) {
  switch (unit) {
    case DateUnit::kMillisecond: return 1000;
    case DateUnit::kSecond: return kMicrosPerSecond;
    case DateUnit::kMinute: return 60 * kMicrosPerSecond;
    case DateUnit::kHour: return 3600 * kMicrosPerSecond;
    case DateUnit::kDay: return kMicrosPerDay;
    case DateUnit::kWeek: return 7 * kMicrosPerDay;
    default: return 0;
  }
}

int64_t UnitMonths(DateUnit unit) {
  switch (unit) {
    case DateUnit::kMonth: return 1;
    case DateUnit::kQuarter: return 3;
    case DateUnit::kYear: return 12;
    default: return 0;
  }
}

struct Broken {
  int64_t days;  // since 1970-01-01
  CivilDate date;
  int64_t micros_of_day;
};

Broken Split(int64_t micros) {
  Broken b;
  b.days = FloorDiv(micros, kMicrosPerDay);
  b.micros_of_day = micros - b.days * kMicrosPerDay;
  b.date = CivilFromDays(b.days);
  return b;
}

// 1 = Monday ... 7 = Sunday. 1970-01-01 was a Thursday.
int DayOfWeek(int64_t days) { return static_cast<int>(FloorMod(days + 3, 7)) + 1; }

int DayOfYear(const CivilDate& d) {
  return static_cast<int>(DaysFromCivil(d.year, d.month, d.day) - DaysFromCivil(d.year, 1, 1)) + 1;
}

// ISO-8601 week number and its week-based year (weeks start Monday; week 1 holds a Thursday).
void IsoWeek(int64_t days, int* week, int* week_year) {
  int64_t thursday = days - (DayOfWeek(days) - 1) + 3;
  CivilDate t = CivilFromDays(thursday);
  *week_year = t.year;
  *week = static_cast<int>((thursday - DaysFromCivil(t.year, 1, 1)) / 7) + 1;
}

void AppendPadded(std::string* out, int64_t v, int width) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  if (v < 0) out->push_back('-');
  for (int i = static_cast<int>(digits.size()); i < width; ++i) out->push_back('0');
  out->append(digits);
}

// date_trunc to a unit known at compile time. A fixed unit floors to a multiple of a constant,
// which the compiler turns into a multiplication (no division instruction per row); month and
// longer units go through the civil date of the day (a month starts `day - 1` days earlier).
template <DateUnit kUnit>
int64_t TruncateTo(int64_t micros) {
  if constexpr (kUnit == DateUnit::kWeek) {
    const int64_t days = FloorDiv(micros, kMicrosPerDay);
    return (days - (DayOfWeek(days) - 1)) * kMicrosPerDay;
  } else if constexpr (FixedUnitMicros(kUnit) != 0) {
    constexpr int64_t kUnitMicros = FixedUnitMicros(kUnit);
    return FloorDiv(micros, kUnitMicros) * kUnitMicros;
  } else {
    const int64_t days = FloorDiv(micros, kMicrosPerDay);
    const CivilDate d = CivilFromDays(days);
    if constexpr (kUnit == DateUnit::kMonth) {
      return (days - (d.day - 1)) * kMicrosPerDay;
    } else {
      const int month = kUnit == DateUnit::kQuarter ? (d.month - 1) / 3 * 3 + 1 : 1;
      return DaysFromCivil(d.year, month, 1) * kMicrosPerDay;
    }
  }
}

// Calls fn(std::integral_constant<DateUnit, unit>) so that code per unit is compiled once each.
template <typename Fn>
auto WithUnit(DateUnit unit, Fn&& fn) {
  switch (unit) {
    case DateUnit::kMillisecond: return fn(std::integral_constant<DateUnit, DateUnit::kMillisecond>());
    case DateUnit::kSecond: return fn(std::integral_constant<DateUnit, DateUnit::kSecond>());
    case DateUnit::kMinute: return fn(std::integral_constant<DateUnit, DateUnit::kMinute>());
    case DateUnit::kHour: return fn(std::integral_constant<DateUnit, DateUnit::kHour>());
    case DateUnit::kDay: return fn(std::integral_constant<DateUnit, DateUnit::kDay>());
    case DateUnit::kWeek: return fn(std::integral_constant<DateUnit, DateUnit::kWeek>());
    case DateUnit::kMonth: return fn(std::integral_constant<DateUnit, DateUnit::kMonth>());
    case DateUnit::kQuarter: return fn(std::integral_constant<DateUnit, DateUnit::kQuarter>());
    case DateUnit::kYear: break;
  }
  return fn(std::integral_constant<DateUnit, DateUnit::kYear>());
}

constexpr const char* kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                       "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kDayNames[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

}  // namespace

std::optional<DateUnit> ParseDateUnit(std::string_view name) {
  static constexpr struct {
    const char* name;
    DateUnit unit;
  } kUnits[] = {{"millisecond", DateUnit::kMillisecond}, {"second", DateUnit::kSecond}, {"minute", DateUnit::kMinute},
                {"hour", DateUnit::kHour},               {"day", DateUnit::kDay},       {"week", DateUnit::kWeek},
                {"month", DateUnit::kMonth},             {"quarter", DateUnit::kQuarter}, {"year", DateUnit::kYear}};
  for (const auto& u : kUnits) {
    if (EqualsIgnoreCase(name, u.name)) return u.unit;
  }
  return std::nullopt;
}

bool AddMonthsToMicros(int64_t micros, int64_t months, int64_t* out) {
  Broken b = Split(micros);
  // Keep the year within what the day arithmetic below can hold without overflow.
  constexpr int64_t kMaxMonths = int64_t{12} * 200000000;
  if (months > kMaxMonths || months < -kMaxMonths) return false;
  int64_t total = int64_t{b.date.year} * 12 + (b.date.month - 1) + months;
  int64_t year = FloorDiv(total, 12);
  int month = static_cast<int>(FloorMod(total, 12)) + 1;
  if (year > std::numeric_limits<int>::max() || year < std::numeric_limits<int>::min()) return false;
  int day = std::min(b.date.day, DaysInMonth(static_cast<int>(year), month));
  int64_t days = DaysFromCivil(static_cast<int>(year), month, day);
  int64_t r;
  if (__builtin_mul_overflow(days, kMicrosPerDay, &r) || __builtin_add_overflow(r, b.micros_of_day, &r)) return false;
  *out = r;
  return true;
}

int64_t TruncateMicros(DateUnit unit, int64_t micros) {
  return WithUnit(unit, [micros](auto u) { return TruncateTo<decltype(u)::value>(micros); });
}

bool AddUnitsToMicros(DateUnit unit, int64_t amount, int64_t micros, int64_t* out) {
  int64_t fixed = FixedUnitMicros(unit);
  if (fixed != 0) {
    int64_t delta;
    return !__builtin_mul_overflow(amount, fixed, &delta) && !__builtin_add_overflow(micros, delta, out);
  }
  int64_t months;
  if (__builtin_mul_overflow(amount, UnitMonths(unit), &months)) return false;
  return AddMonthsToMicros(micros, months, out);
}

namespace {

// Whole months from `from` to `to` (from <= to), like Joda-Time's month field difference: when
// `to` is on the last day of its month and `from` on a later day of month, `from` counts as
// being on that day.
int64_t MonthsBetweenOrdered(int64_t from, int64_t to) {
  Broken a = Split(from), b = Split(to);
  int64_t diff = (int64_t{b.date.year} - a.date.year) * 12 + (b.date.month - a.date.month);
  int from_day = a.date.day;
  if (b.date.day == DaysInMonth(b.date.year, b.date.month) && from_day > b.date.day) from_day = b.date.day;
  int64_t rem_to = (b.date.day - 1) * kMicrosPerDay + b.micros_of_day;
  int64_t rem_from = (from_day - 1) * kMicrosPerDay + a.micros_of_day;
  if (rem_to < rem_from) --diff;
  return diff;
}

}  // namespace

int64_t DiffMicros(DateUnit unit, int64_t from, int64_t to) {
  int64_t fixed = FixedUnitMicros(unit);
  if (fixed != 0) {
    // Subtraction of two in-range instants cannot overflow; saturate for arbitrary int64 input.
    int64_t delta;
    if (__builtin_sub_overflow(to, from, &delta)) {
      return to > from ? std::numeric_limits<int64_t>::max() / fixed : std::numeric_limits<int64_t>::min() / fixed;
    }
    return delta / fixed;
  }
  int64_t months = to >= from ? MonthsBetweenOrdered(from, to) : -MonthsBetweenOrdered(to, from);
  return months / UnitMonths(unit);
}

Status ValidateDateFormat(std::string_view format) {
  for (size_t i = 0; i + 1 < format.size(); ++i) {
    if (format[i] != '%') continue;
    char c = format[++i];
    if (c == 'U' || c == 'u' || c == 'V' || c == 'w' || c == 'X') {
      return Status::InvalidArgument(std::string("date_format: %") + c + " not supported in date format string");
    }
  }
  return Status::OK();
}

void AppendDateFormat(int64_t micros, std::string_view format, std::string* out) {
  Broken b = Split(micros);
  const CivilDate& d = b.date;
  int64_t secs_of_day = b.micros_of_day / kMicrosPerSecond;
  int hour = static_cast<int>(secs_of_day / 3600);
  int minute = static_cast<int>(secs_of_day / 60 % 60);
  int second = static_cast<int>(secs_of_day % 60);
  int64_t frac = b.micros_of_day % kMicrosPerSecond;
  int hour12 = hour % 12 == 0 ? 12 : hour % 12;
  int dow = DayOfWeek(b.days);
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c != '%' || i + 1 == format.size()) {
      out->push_back(c);
      continue;
    }
    c = format[++i];
    switch (c) {
      case 'a': out->append(kDayNames[dow - 1], 3); break;
      case 'b': out->append(kMonthNames[d.month - 1], 3); break;
      case 'c': AppendPadded(out, d.month, 1); break;
      case 'D': {
        AppendPadded(out, d.day, 1);
        int tens = d.day / 10 % 10, ones = d.day % 10;
        out->append(tens == 1 ? "th" : ones == 1 ? "st" : ones == 2 ? "nd" : ones == 3 ? "rd" : "th");
        break;
      }
      case 'd': AppendPadded(out, d.day, 2); break;
      case 'e': AppendPadded(out, d.day, 1); break;
      case 'f': AppendPadded(out, frac, 6); break;
      case 'H': AppendPadded(out, hour, 2); break;
      case 'h':
      case 'I': AppendPadded(out, hour12, 2); break;
      case 'i': AppendPadded(out, minute, 2); break;
      case 'j': AppendPadded(out, DayOfYear(d), 3); break;
      case 'k': AppendPadded(out, hour, 1); break;
      case 'l': AppendPadded(out, hour12, 1); break;
      case 'M': out->append(kMonthNames[d.month - 1]); break;
      case 'm': AppendPadded(out, d.month, 2); break;
      case 'p': out->append(hour < 12 ? "AM" : "PM"); break;
      case 'r':
        AppendPadded(out, hour12, 2);
        out->push_back(':');
        AppendPadded(out, minute, 2);
        out->push_back(':');
        AppendPadded(out, second, 2);
        out->append(hour < 12 ? " AM" : " PM");
        break;
      case 'S':
      case 's': AppendPadded(out, second, 2); break;
      case 'T':
        AppendPadded(out, hour, 2);
        out->push_back(':');
        AppendPadded(out, minute, 2);
        out->push_back(':');
        AppendPadded(out, second, 2);
        break;
      case 'v':
      case 'x': {
        int week, week_year;
        IsoWeek(b.days, &week, &week_year);
        if (c == 'v') {
          AppendPadded(out, week, 2);
        } else {
          AppendPadded(out, week_year, 4);
        }
        break;
      }
      case 'W': out->append(kDayNames[dow - 1]); break;
      case 'Y': AppendPadded(out, d.year, 4); break;
      case 'y': AppendPadded(out, FloorMod(d.year, 100), 2); break;
      default: out->push_back(c); break;  // '%%' and unknown specifiers: the character itself
    }
  }
}

namespace {

void AppendDateTime(int64_t micros, char separator, std::string* out) {
  Broken b = Split(micros);
  AppendPadded(out, b.date.year, 4);
  out->push_back('-');
  AppendPadded(out, b.date.month, 2);
  out->push_back('-');
  AppendPadded(out, b.date.day, 2);
  out->push_back(separator);
  int64_t secs = b.micros_of_day / kMicrosPerSecond;
  AppendPadded(out, secs / 3600, 2);
  out->push_back(':');
  AppendPadded(out, secs / 60 % 60, 2);
  out->push_back(':');
  AppendPadded(out, secs % 60, 2);
  out->push_back('.');
  AppendPadded(out, b.micros_of_day % kMicrosPerSecond, 6);
}

}  // namespace

void AppendIso8601(int64_t micros, std::string* out) { AppendDateTime(micros, 'T', out); }
void AppendSqlTimestamp(int64_t micros, std::string* out) { AppendDateTime(micros, ' ', out); }

namespace eval {
namespace {

// The constant varchar argument `i` (a unit or a format), or an error. *is_null when it is NULL.
Result<std::string> ConstantString(const Expr& expr, const std::vector<NodePtr>& args, size_t i, bool* is_null) {
  const Value* v = args[i]->constant();
  if (v == nullptr) {
    return Status::InvalidArgument(expr.ToString() + ": argument " + std::to_string(i + 1) + " of " +
                                   ScalarFunctionName(expr.function) + " must be a constant");
  }
  *is_null = v->is_null();
  if (v->is_null()) return std::string();
  if (v->type() != SqlType::kVarchar) {
    return Status::InvalidArgument(expr.ToString() + ": argument " + std::to_string(i + 1) + " must be varchar");
  }
  return v->AsString();
}

Result<DateUnit> ConstantUnit(const Expr& expr, const std::vector<NodePtr>& args, bool* is_null) {
  ASSIGN_OR_RETURN(std::string name, ConstantString(expr, args, 0, is_null));
  if (*is_null) return DateUnit::kDay;
  std::optional<DateUnit> unit = ParseDateUnit(name);
  if (!unit.has_value()) {
    return Status::InvalidArgument(std::string(ScalarFunctionName(expr.function)) + ": '" + name +
                                   "' is not a valid time unit (use second, minute, hour, day, week, month, "
                                   "quarter or year)");
  }
  return *unit;
}

NodePtr AllNull(SqlType type) { return MakeConstantNode(Value::Null(type)); }

// Reads a timestamp or date operand as micros.
struct TimeArg {
  bool is_date;
  int64_t Micros(const Operand& o, size_t i) const {
    return is_date ? int64_t{o.I32(i)} * kMicrosPerDay : o.I64(i);
  }
};

Result<TimeArg> ExpectTime(const Expr& expr, const Expr& arg) {
  if (arg.type != SqlType::kTimestamp && arg.type != SqlType::kDate) {
    return Status::InvalidArgument(expr.ToString() + ": expected timestamp but " + arg.ToString() + " is " +
                                   SqlTypeName(arg.type));
  }
  return TimeArg{arg.type == SqlType::kDate};
}

bool AppendTime(SqlType type, int64_t micros, Column* out, Status* err) {
  if (type == SqlType::kDate) {
    int64_t days = FloorDiv(micros, kMicrosPerDay);
    if (days < std::numeric_limits<int32_t>::min() || days > std::numeric_limits<int32_t>::max()) {
      *err = EvalError("date out of range");
      return false;
    }
    out->AppendInt32(static_cast<int32_t>(days));
  } else {
    out->AppendInt64(micros);
  }
  return true;
}

Result<NodePtr> CompileField(const Expr& expr, std::vector<NodePtr> args) {
  RETURN_IF_ERROR(ExpectArgs(expr, 1, 1));
  ASSIGN_OR_RETURN(TimeArg t, ExpectTime(expr, *expr.args[0]));
  ScalarFunction f = expr.function;
  if (t.is_date && (f == ScalarFunction::kHour || f == ScalarFunction::kMinute || f == ScalarFunction::kSecond)) {
    return Status::InvalidArgument(expr.ToString() + ": " + ScalarFunctionName(f) + " of a date is not defined");
  }
  return MakeStrictMap(SqlType::kBigint, std::move(args), [t, f](const Operand* o, size_t i, Column* out, Status*) {
    int64_t micros = t.Micros(o[0], i);
    int64_t v = 0;
    if (f == ScalarFunction::kYear || f == ScalarFunction::kMonth || f == ScalarFunction::kDay) {
      CivilDate d = CivilFromDays(FloorDiv(micros, kMicrosPerDay));
      v = f == ScalarFunction::kYear ? d.year : f == ScalarFunction::kMonth ? d.month : d.day;
    } else {
      int64_t secs = FloorMod(micros, kMicrosPerDay) / kMicrosPerSecond;
      v = f == ScalarFunction::kHour ? secs / 3600 : f == ScalarFunction::kMinute ? secs / 60 % 60 : secs % 60;
    }
    out->AppendInt64(v);
    return true;
  });
}

}  // namespace

Result<NodePtr> CompileDatetimeCall(const Expr& expr, std::vector<NodePtr> args) {
  const SqlType rt = expr.type;
  switch (expr.function) {
    case ScalarFunction::kDateTrunc: {
      RETURN_IF_ERROR(ExpectArgs(expr, 2, 2));
      ASSIGN_OR_RETURN(TimeArg t, ExpectTime(expr, *expr.args[1]));
      bool null_unit = false;
      ASSIGN_OR_RETURN(DateUnit unit, ConstantUnit(expr, args, &null_unit));
      if (null_unit) return AllNull(rt);
      if (t.is_date && FixedUnitMicros(unit) != 0 && unit != DateUnit::kDay && unit != DateUnit::kWeek) {
        return Status::InvalidArgument(expr.ToString() + ": a date cannot be truncated to a unit below day");
      }
      args.erase(args.begin());
      // One kernel per unit (see TruncateTo); only a date result needs AppendTime's range check.
      return WithUnit(unit, [&](auto u) -> Result<NodePtr> {
        constexpr DateUnit kUnit = decltype(u)::value;
        if (rt == SqlType::kTimestamp && !t.is_date) {
          return MakeStrictMap(rt, std::move(args), [](const Operand* o, size_t i, Column* out, Status*) {
            out->AppendInt64(TruncateTo<kUnit>(o[0].I64(i)));
            return true;
          });
        }
        return MakeStrictMap(rt, std::move(args), [t, rt](const Operand* o, size_t i, Column* out, Status* err) {
          return AppendTime(rt, TruncateTo<kUnit>(t.Micros(o[0], i)), out, err);
        });
      });
    }
    case ScalarFunction::kDateFormat: {
      RETURN_IF_ERROR(ExpectArgs(expr, 2, 2));
      ASSIGN_OR_RETURN(TimeArg t, ExpectTime(expr, *expr.args[0]));
      bool null_format = false;
      ASSIGN_OR_RETURN(std::string format, ConstantString(expr, args, 1, &null_format));
      if (null_format) return AllNull(rt);
      RETURN_IF_ERROR(ValidateDateFormat(format));
      args.pop_back();
      return MakeStrictMap(SqlType::kVarchar, std::move(args), [t, format](const Operand* o, size_t i, Column* out, Status*) {
        std::string& s = ScratchString();
        AppendDateFormat(t.Micros(o[0], i), format, &s);
        out->AppendString(s);
        return true;
      });
    }
    case ScalarFunction::kFromIso8601Timestamp:
      RETURN_IF_ERROR(ExpectArgs(expr, 1, 1));
      RETURN_IF_ERROR(ExpectType(expr, *expr.args[0], SqlType::kVarchar));
      return MakeStrictMap(SqlType::kTimestamp, std::move(args), [](const Operand* o, size_t i, Column* out, Status* err) {
        Result<int64_t> micros = ParseTimestampMicros(o[0].Str(i));
        if (!micros.ok()) {
          *err = EvalError("from_iso8601_timestamp: " + micros.status().message());
          return false;
        }
        out->AppendInt64(*micros);
        return true;
      });
    case ScalarFunction::kToIso8601: {
      RETURN_IF_ERROR(ExpectArgs(expr, 1, 1));
      ASSIGN_OR_RETURN(TimeArg t, ExpectTime(expr, *expr.args[0]));
      return MakeStrictMap(SqlType::kVarchar, std::move(args), [t](const Operand* o, size_t i, Column* out, Status*) {
        std::string& s = ScratchString();
        if (t.is_date) {
          s = FormatDate(CivilFromDays(o[0].I32(i)));
        } else {
          AppendIso8601(o[0].I64(i), &s);
        }
        out->AppendString(s);
        return true;
      });
    }
    case ScalarFunction::kToUnixtime: {
      RETURN_IF_ERROR(ExpectArgs(expr, 1, 1));
      ASSIGN_OR_RETURN(TimeArg t, ExpectTime(expr, *expr.args[0]));
      return MakeStrictMap(SqlType::kDouble, std::move(args), [t](const Operand* o, size_t i, Column* out, Status*) {
        out->AppendDouble(static_cast<double>(t.Micros(o[0], i)) / 1e6);
        return true;
      });
    }
    case ScalarFunction::kFromUnixtime: {
      RETURN_IF_ERROR(ExpectArgs(expr, 1, 1));
      SqlType at = expr.args[0]->type;
      if (!IsNumeric(at)) RETURN_IF_ERROR(ExpectType(expr, *expr.args[0], SqlType::kDouble));
      return MakeStrictMap(SqlType::kTimestamp, std::move(args), [at](const Operand* o, size_t i, Column* out, Status* err) {
        double secs = at == SqlType::kDouble ? o[0].F64(i)
                      : at == SqlType::kInteger ? static_cast<double>(o[0].I32(i))
                                                : static_cast<double>(o[0].I64(i));
        // Rounded to the microsecond (Trino rounds to the millisecond of its timestamp(3)).
        double micros = std::floor(secs * 1e6 + 0.5);
        if (!(micros >= static_cast<double>(kMinTimestampMicros) && micros <= static_cast<double>(kMaxTimestampMicros))) {
          *err = EvalError("from_unixtime: " + std::to_string(secs) + " is out of the timestamp range");
          return false;
        }
        out->AppendInt64(static_cast<int64_t>(micros));
        return true;
      });
    }
    case ScalarFunction::kYear:
    case ScalarFunction::kMonth:
    case ScalarFunction::kDay:
    case ScalarFunction::kHour:
    case ScalarFunction::kMinute:
    case ScalarFunction::kSecond: return CompileField(expr, std::move(args));
    case ScalarFunction::kDateDiff: {
      RETURN_IF_ERROR(ExpectArgs(expr, 3, 3));
      ASSIGN_OR_RETURN(TimeArg a, ExpectTime(expr, *expr.args[1]));
      ASSIGN_OR_RETURN(TimeArg b, ExpectTime(expr, *expr.args[2]));
      bool null_unit = false;
      ASSIGN_OR_RETURN(DateUnit unit, ConstantUnit(expr, args, &null_unit));
      if (null_unit) return AllNull(rt);
      args.erase(args.begin());
      return MakeStrictMap(SqlType::kBigint, std::move(args), [a, b, unit](const Operand* o, size_t i, Column* out, Status*) {
        out->AppendInt64(DiffMicros(unit, a.Micros(o[0], i), b.Micros(o[1], i)));
        return true;
      });
    }
    case ScalarFunction::kDateAdd: {
      RETURN_IF_ERROR(ExpectArgs(expr, 3, 3));
      SqlType amount_type = expr.args[1]->type;
      if (amount_type != SqlType::kInteger && amount_type != SqlType::kBigint) {
        RETURN_IF_ERROR(ExpectType(expr, *expr.args[1], SqlType::kBigint));
      }
      ASSIGN_OR_RETURN(TimeArg t, ExpectTime(expr, *expr.args[2]));
      bool null_unit = false;
      ASSIGN_OR_RETURN(DateUnit unit, ConstantUnit(expr, args, &null_unit));
      if (null_unit) return AllNull(rt);
      args.erase(args.begin());
      return MakeStrictMap(rt, std::move(args), [=](const Operand* o, size_t i, Column* out, Status* err) {
        int64_t amount = amount_type == SqlType::kInteger ? o[0].I32(i) : o[0].I64(i);
        int64_t r;
        if (!AddUnitsToMicros(unit, amount, t.Micros(o[1], i), &r)) {
          *err = EvalError("date_add: " + std::to_string(amount) + " units is out of the timestamp range");
          return false;
        }
        return AppendTime(rt, r, out, err);
      });
    }
    default: break;
  }
  return Status::InvalidArgument("not a date/time function: " + expr.ToString());
}

}  // namespace eval
}  // namespace loglake::query
