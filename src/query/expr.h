// Bound expressions: the typed expression trees the binder produces from SQL and the executor
// evaluates over column batches.
//
// Everything name-related is resolved by the binder: column references are indexes, functions
// are ScalarFunction values, `?` parameters and now()/current_date are constants, implicit
// casts are explicit kCast nodes (so both sides of a comparison or arithmetic have the same
// type, except timestamp/date ± interval), and constant subtrees may be folded. The executor
// can therefore rely on the argument types listed at each kind below.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "query/types.h"

namespace loglake::query {

enum class ExprKind : uint8_t {
  kColumnRef,    // `index` into the input the expression is evaluated over (see QueryPlan)
  kConstant,     // `constant`
  kCall,         // `function`(args...)
  kAnd,          // args[0] AND args[1] AND ... (boolean, SQL three-valued logic)
  kOr,           // args[0] OR args[1] OR ...
  kNot,          // NOT args[0]
  kCompare,      // args[0] `compare` args[1], both of one type
  kInList,       // args[0] [NOT] IN (args[1], ...), all of one type; `negated` for NOT IN
  kBetween,      // args[0] [NOT] BETWEEN args[1] AND args[2], all of one type
  kLike,         // args[0] [NOT] LIKE args[1] [ESCAPE args[2]], varchar
  kIsNull,       // args[0] IS [NOT] NULL; `negated` for IS NOT NULL
  kCast,         // CAST(args[0] AS type) — TRY_CAST semantics are not supported
  kCase,         // CASE WHEN args[0] THEN args[1] [WHEN args[2] THEN args[3]]... [ELSE args[last]]
                 // (the searched form; the simple form is rewritten to it); `has_else`
};

enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

// "=", "<>", "<", "<=", ">", ">=".
const char* CompareOpSymbol(CompareOp op);
// The operator that compares the same way with its operands swapped: `a < b` is `b > a`.
CompareOp SwappedCompareOp(CompareOp op);

// Functions, with the argument types the binder guarantees.
enum class ScalarFunction : uint8_t {
  // Arithmetic. Numbers: both args of one numeric type (result that type; integer overflow is an
  // error, division by zero is an error for integers, like Trino). Timestamp/date ± interval:
  // args[0] timestamp or date, args[1] an interval; timestamp - timestamp is not supported.
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kModulo,
  kNegate,
  kConcat,              // varchar || varchar, also concat(a, b, ...)
  kLower,               // (varchar)
  kUpper,               // (varchar)
  kLength,              // (varchar) → bigint, in code points
  kSubstr,              // (varchar, bigint start [, bigint length]) 1-based, code points
  kStrpos,              // (varchar, varchar) → bigint, 1-based code point index, 0 if absent
  kReplace,             // (varchar, varchar [, varchar])
  kTrim,                // (varchar)
  kStartsWith,          // (varchar, varchar) → boolean
  kCoalesce,            // (T, T, ...) → T
  kNullIf,              // (T, T) → T
  kAbs,                 // (numeric) → same
  kRound,               // (numeric [, integer digits]) → same
  kDateTrunc,           // (varchar unit constant, timestamp) → timestamp; unit in
                        // second, minute, hour, day, week, month, quarter, year
  kDateFormat,          // (timestamp, varchar MySQL-style format constant) → varchar
  kFromIso8601Timestamp,  // (varchar) → timestamp
  kToIso8601,           // (timestamp) → varchar
  kToUnixtime,          // (timestamp) → double seconds
  kFromUnixtime,        // (double seconds) → timestamp
  kYear, kMonth, kDay, kHour, kMinute, kSecond,  // (timestamp) → bigint
  kDateDiff,            // (varchar unit constant, timestamp, timestamp) → bigint
  kDateAdd,             // (varchar unit constant, bigint, timestamp) → timestamp
  kRegexpLike,          // (varchar, varchar pattern constant) → boolean
  kJsonExtractScalar,   // (varchar json, varchar path constant '$.a.b') → varchar
};

// The SQL name, e.g. "lower", "date_trunc"; "+", "-", "*", "/", "%", "||" for operators.
const char* ScalarFunctionName(ScalarFunction f);

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind = ExprKind::kConstant;
  SqlType type = SqlType::kUnknown;  // the result type
  int index = -1;                    // kColumnRef
  Value constant;                    // kConstant
  ScalarFunction function = ScalarFunction::kAdd;  // kCall
  CompareOp compare = CompareOp::kEq;              // kCompare
  bool negated = false;              // kInList, kBetween, kLike, kIsNull
  bool has_else = false;             // kCase
  std::vector<ExprPtr> args;
  // How the user wrote it (for EXPLAIN and messages); the binder fills it for column refs and
  // may leave it empty elsewhere: ToString() rebuilds text from the tree.
  std::string name;

  static ExprPtr Column(int index, SqlType type, std::string name);
  static ExprPtr Constant(Value v);
  static ExprPtr Call(ScalarFunction f, SqlType type, std::vector<ExprPtr> args);
  static ExprPtr Make(ExprKind kind, SqlType type, std::vector<ExprPtr> args);
  static ExprPtr CastTo(ExprPtr arg, SqlType type);

  ExprPtr Clone() const;
  bool IsConstant() const { return kind == ExprKind::kConstant; }
  // Structurally equal: same kind, type, index, constant, function, operator, flags and args
  // (`name` is ignored). The binder matches SELECT expressions to GROUP BY keys with it.
  bool SameAs(const Expr& other) const;
  // SQL-like text, for EXPLAIN and error messages.
  std::string ToString() const;
};

}  // namespace loglake::query
