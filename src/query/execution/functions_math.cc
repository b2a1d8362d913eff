// Arithmetic (+ - * / % and unary -), abs and round on integer, bigint and double, and
// timestamp/date ± interval. Integer overflow and integer division by zero are errors, like
// Trino; double arithmetic follows IEEE 754 (1.0 / 0 is Infinity, 0.0 / 0 is NaN).
#include <cmath>
#include <limits>
#include <string>

#include "common/time.h"
#include "query/execution/eval_node.h"
#include "query/execution/functions_datetime.h"

namespace loglake::query::eval {
namespace {

const char* OpWord(ScalarFunction f) {
  switch (f) {
    case ScalarFunction::kAdd: return "addition";
    case ScalarFunction::kSubtract: return "subtraction";
    case ScalarFunction::kMultiply: return "multiplication";
    case ScalarFunction::kDivide: return "division";
    case ScalarFunction::kModulo: return "modulus";
    default: return "operation";
  }
}

template <typename T>
Status OverflowError(SqlType type, ScalarFunction f, T a, T b) {
  return EvalError(std::string(SqlTypeName(type)) + " " + OpWord(f) + " overflow: " + std::to_string(a) + " " +
                   ScalarFunctionName(f) + " " + std::to_string(b));
}

// Integer arithmetic of type T (int32_t or int64_t); false with *err on overflow / zero.
template <typename T>
bool IntegerOp(ScalarFunction f, SqlType type, T a, T b, T* r, Status* err) {
  switch (f) {
    case ScalarFunction::kAdd:
      if (__builtin_add_overflow(a, b, r)) break;
      return true;
    case ScalarFunction::kSubtract:
      if (__builtin_sub_overflow(a, b, r)) break;
      return true;
    case ScalarFunction::kMultiply:
      if (__builtin_mul_overflow(a, b, r)) break;
      return true;
    case ScalarFunction::kDivide:
      if (b == 0) {
        *err = EvalError("Division by zero");
        return false;
      }
      if (a == std::numeric_limits<T>::min() && b == -1) break;
      *r = a / b;
      return true;
    case ScalarFunction::kModulo:
      if (b == 0) {
        *err = EvalError("Division by zero");
        return false;
      }
      *r = b == -1 ? 0 : a % b;
      return true;
    default: break;
  }
  *err = OverflowError(type, f, a, b);
  return false;
}

double DoubleOp(ScalarFunction f, double a, double b) {
  switch (f) {
    case ScalarFunction::kAdd: return a + b;
    case ScalarFunction::kSubtract: return a - b;
    case ScalarFunction::kMultiply: return a * b;
    case ScalarFunction::kDivide: return a / b;
    case ScalarFunction::kModulo: return std::fmod(a, b);
    default: return 0;
  }
}

Result<NodePtr> CompileNumberBinary(const Expr& expr, std::vector<NodePtr> args) {
  ScalarFunction f = expr.function;
  SqlType t = expr.type;
  RETURN_IF_ERROR(ExpectType(expr, *expr.args[0], t));
  RETURN_IF_ERROR(ExpectType(expr, *expr.args[1], t));
  switch (t) {
    case SqlType::kInteger:
      return MakeStrictMap(t, std::move(args), [f, t](const Operand* o, size_t i, Column* out, Status* err) {
        int32_t r;
        if (!IntegerOp<int32_t>(f, t, o[0].I32(i), o[1].I32(i), &r, err)) return false;
        out->AppendInt32(r);
        return true;
      });
    case SqlType::kBigint:
      return MakeStrictMap(t, std::move(args), [f, t](const Operand* o, size_t i, Column* out, Status* err) {
        int64_t r;
        if (!IntegerOp<int64_t>(f, t, o[0].I64(i), o[1].I64(i), &r, err)) return false;
        out->AppendInt64(r);
        return true;
      });
    case SqlType::kDouble:
      return MakeStrictMap(t, std::move(args), [f](const Operand* o, size_t i, Column* out, Status*) {
        out->AppendDouble(DoubleOp(f, o[0].F64(i), o[1].F64(i)));
        return true;
      });
    default: break;
  }
  return Status::InvalidArgument(expr.ToString() + ": cannot apply " + ScalarFunctionName(f) + " to " +
                                 SqlTypeName(t));
}

// timestamp/date ± interval.
Result<NodePtr> CompileDatetimeArithmetic(const Expr& expr, std::vector<NodePtr> args) {
  SqlType base = expr.args[0]->type;
  SqlType interval = expr.args[1]->type;
  SqlType result = expr.type;
  const ScalarFunction f = expr.function;
  bool subtract = f == ScalarFunction::kSubtract;
  if ((base != SqlType::kTimestamp && base != SqlType::kDate) ||
      (interval != SqlType::kIntervalDayTime && interval != SqlType::kIntervalYearMonth) ||
      (result != SqlType::kTimestamp && result != SqlType::kDate) ||
      (expr.function != ScalarFunction::kAdd && !subtract)) {
    return Status::InvalidArgument(expr.ToString() + ": cannot apply " + ScalarFunctionName(expr.function) + " to " +
                                   SqlTypeName(base) + " and " + SqlTypeName(interval));
  }
  return MakeStrictMap(result, std::move(args), [=](const Operand* o, size_t i, Column* out, Status* err) {
    int64_t amount = interval == SqlType::kIntervalDayTime ? o[1].I64(i) : o[1].I32(i);
    if (subtract) {
      if (amount == std::numeric_limits<int64_t>::min()) {
        *err = EvalError("interval out of range in " + std::string(ScalarFunctionName(f)));
        return false;
      }
      amount = -amount;
    }
    if (base == SqlType::kDate && interval == SqlType::kIntervalDayTime && amount % kMicrosPerDay != 0) {
      *err = EvalError("Cannot add hour, minutes or seconds to a date");
      return false;
    }
    int64_t micros = base == SqlType::kDate ? int64_t{o[0].I32(i)} * kMicrosPerDay : o[0].I64(i);
    int64_t r;
    bool ok = interval == SqlType::kIntervalDayTime ? !__builtin_add_overflow(micros, amount, &r)
                                                     : AddMonthsToMicros(micros, amount, &r);
    if (!ok) {
      *err = EvalError(std::string(SqlTypeName(base)) + " out of range after adding an interval");
      return false;
    }
    if (result == SqlType::kDate) {
      int64_t days = FloorDiv(r, kMicrosPerDay);
      if (days < std::numeric_limits<int32_t>::min() || days > std::numeric_limits<int32_t>::max()) {
        *err = EvalError("date out of range after adding an interval");
        return false;
      }
      out->AppendInt32(static_cast<int32_t>(days));
    } else {
      out->AppendInt64(r);
    }
    return true;
  });
}

// round(x, digits) for doubles: half away from zero at 10^-digits.
double RoundDouble(double x, int64_t digits) {
  if (std::isnan(x) || std::isinf(x)) return x;
  if (digits > 308) return x;
  if (digits < -308) return x > 0 ? 0.0 : (x < 0 ? -0.0 : x);
  double factor = std::pow(10.0, static_cast<double>(digits));
  double scaled = x * factor;
  if (std::isinf(scaled) || std::fabs(scaled) >= 4503599627370496.0) return x;  // already integral at that scale
  double r = std::round(scaled) / factor;
  return std::isfinite(r) ? r : x;
}

// round(x, digits) for integers: digits >= 0 is x; digits < 0 rounds to tens, hundreds...
template <typename T>
bool RoundInteger(T x, int64_t digits, T* r) {
  if (digits >= 0) {
    *r = x;
    return true;
  }
  if (digits < -18) {
    *r = 0;
    return true;
  }
  int64_t factor = 1;
  for (int64_t d = 0; d < -digits; ++d) factor *= 10;
  int64_t v = x;
  int64_t q = v / factor, rem = v % factor;
  if (rem != 0 && (rem < 0 ? -rem : rem) * 2 >= factor) q += v < 0 ? -1 : 1;
  int64_t out;
  if (__builtin_mul_overflow(q, factor, &out) || out < std::numeric_limits<T>::min() ||
      out > std::numeric_limits<T>::max()) {
    return false;
  }
  *r = static_cast<T>(out);
  return true;
}

Result<NodePtr> CompileUnaryNumeric(const Expr& expr, std::vector<NodePtr> args) {
  ScalarFunction f = expr.function;
  SqlType t = expr.type;
  RETURN_IF_ERROR(ExpectType(expr, *expr.args[0], t));
  bool negate = f == ScalarFunction::kNegate;
  switch (t) {
    case SqlType::kInteger:
      return MakeStrictMap(t, std::move(args), [negate, t](const Operand* o, size_t i, Column* out, Status* err) {
        int32_t v = o[0].I32(i);
        if (v == std::numeric_limits<int32_t>::min()) {
          *err = negate ? EvalError(std::string(SqlTypeName(t)) + " negation overflow: " + std::to_string(v))
                        : EvalError("Value " + std::to_string(v) + " is out of range for abs()");
          return false;
        }
        out->AppendInt32(negate ? -v : (v < 0 ? -v : v));
        return true;
      });
    case SqlType::kBigint:
    case SqlType::kIntervalDayTime:
      return MakeStrictMap(t, std::move(args), [negate, t](const Operand* o, size_t i, Column* out, Status* err) {
        int64_t v = o[0].I64(i);
        if (v == std::numeric_limits<int64_t>::min()) {
          *err = negate ? EvalError(std::string(SqlTypeName(t)) + " negation overflow: " + std::to_string(v))
                        : EvalError("Value " + std::to_string(v) + " is out of range for abs()");
          return false;
        }
        out->AppendInt64(negate ? -v : (v < 0 ? -v : v));
        return true;
      });
    case SqlType::kIntervalYearMonth:
      if (negate) {
        return MakeStrictMap(t, std::move(args), [t](const Operand* o, size_t i, Column* out, Status* err) {
          int32_t v = o[0].I32(i);
          if (v == std::numeric_limits<int32_t>::min()) {
            *err = EvalError(std::string(SqlTypeName(t)) + " negation overflow");
            return false;
          }
          out->AppendInt32(-v);
          return true;
        });
      }
      break;
    case SqlType::kDouble:
      return MakeStrictMap(t, std::move(args), [negate](const Operand* o, size_t i, Column* out, Status*) {
        double v = o[0].F64(i);
        out->AppendDouble(negate ? -v : std::fabs(v));
        return true;
      });
    default: break;
  }
  return Status::InvalidArgument(expr.ToString() + ": cannot apply " + ScalarFunctionName(f) + " to " +
                                 SqlTypeName(t));
}

Result<NodePtr> CompileRound(const Expr& expr, std::vector<NodePtr> args) {
  RETURN_IF_ERROR(ExpectArgs(expr, 1, 2));
  SqlType t = expr.type;
  RETURN_IF_ERROR(ExpectType(expr, *expr.args[0], t));
  bool has_digits = args.size() == 2;
  SqlType dt = has_digits ? expr.args[1]->type : SqlType::kInteger;
  if (dt != SqlType::kInteger && dt != SqlType::kBigint) {
    return Status::InvalidArgument(expr.ToString() + ": round digits must be integer, not " + SqlTypeName(dt));
  }
  auto digits = [has_digits, dt](const Operand* o, size_t i) -> int64_t {
    if (!has_digits) return 0;
    return dt == SqlType::kInteger ? o[1].I32(i) : o[1].I64(i);
  };
  switch (t) {
    case SqlType::kDouble:
      return MakeStrictMap(t, std::move(args), [digits](const Operand* o, size_t i, Column* out, Status*) {
        out->AppendDouble(RoundDouble(o[0].F64(i), digits(o, i)));
        return true;
      });
    case SqlType::kInteger:
      return MakeStrictMap(t, std::move(args), [digits](const Operand* o, size_t i, Column* out, Status* err) {
        int32_t r;
        if (!RoundInteger<int32_t>(o[0].I32(i), digits(o, i), &r)) {
          *err = EvalError("integer overflow in round(" + std::to_string(o[0].I32(i)) + ")");
          return false;
        }
        out->AppendInt32(r);
        return true;
      });
    case SqlType::kBigint:
      return MakeStrictMap(t, std::move(args), [digits](const Operand* o, size_t i, Column* out, Status* err) {
        int64_t r;
        if (!RoundInteger<int64_t>(o[0].I64(i), digits(o, i), &r)) {
          *err = EvalError("bigint overflow in round(" + std::to_string(o[0].I64(i)) + ")");
          return false;
        }
        out->AppendInt64(r);
        return true;
      });
    default: break;
  }
  return Status::InvalidArgument(expr.ToString() + ": cannot round " + std::string(SqlTypeName(t)));
}

}  // namespace

Result<NodePtr> CompileMathCall(const Expr& expr, std::vector<NodePtr> args) {
  switch (expr.function) {
    case ScalarFunction::kAdd:
    case ScalarFunction::kSubtract:
    case ScalarFunction::kMultiply:
    case ScalarFunction::kDivide:
    case ScalarFunction::kModulo: {
      RETURN_IF_ERROR(ExpectArgs(expr, 2, 2));
      SqlType a = expr.args[0]->type;
      if (a == SqlType::kTimestamp || a == SqlType::kDate) return CompileDatetimeArithmetic(expr, std::move(args));
      return CompileNumberBinary(expr, std::move(args));
    }
    case ScalarFunction::kNegate:
    case ScalarFunction::kAbs:
      RETURN_IF_ERROR(ExpectArgs(expr, 1, 1));
      return CompileUnaryNumeric(expr, std::move(args));
    case ScalarFunction::kRound: return CompileRound(expr, std::move(args));
    default: break;
  }
  return Status::InvalidArgument("not an arithmetic function: " + expr.ToString());
}

}  // namespace loglake::query::eval
