// The syntax tree of one SELECT statement, as parsed and before any name or type is resolved.
//
// An AstNode is one expression; its `kind` says which fields matter. Positions point at the
// token a message about the node should point at (an operator, a function name, a literal).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "query/expr.h"
#include "query/sql/token.h"
#include "query/types.h"

namespace loglake::query::sql {

enum class AstKind : uint8_t {
  kColumn,        // `parts`: [column], [table, column] or [db, table, column]
  kLiteral,       // `value`: integer, bigint, double, varchar, boolean or NULL (unknown)
  kTypedLiteral,  // TIMESTAMP '...' / DATE '...': `cast_type`, `text`
  kInterval,      // INTERVAL [+|-] 'text' unit [TO unit]: `text`, `interval_from`, `interval_to`,
                  // `negated` for a leading '-'
  kParameter,     // `?`: `parameter_index` (0-based, in textual order)
  kNegate,        // -args[0] (unary plus is dropped by the parser)
  kArithmetic,    // args[0] `op` args[1]: `op` is one of + - * / % ||
  kAnd,           // args[0] AND args[1] AND ...
  kOr,            // args[0] OR args[1] OR ...
  kNot,           // NOT args[0]
  kCompare,       // args[0] `compare` args[1]
  kIn,            // args[0] [NOT] IN (args[1...])
  kBetween,       // args[0] [NOT] BETWEEN args[1] AND args[2]
  kLike,          // args[0] [NOT] LIKE args[1] [ESCAPE args[2]]
  kIsNull,        // args[0] IS [NOT] NULL
  kCast,          // CAST(args[0] AS cast_type)
  kCase,          // CASE [operand] WHEN .. THEN .. [ELSE ..] END: `case_operand` says whether args[0]
                  // is the operand of a simple CASE; then (when, then) pairs; `has_else`: last arg
  kFunction,      // `name`(args...): `distinct` for f(DISTINCT x), `star` for count(*)
  kCurrent,       // current_timestamp / current_date / now(): `cast_type` timestamp or date
};

enum class IntervalUnit : uint8_t { kYear, kMonth, kDay, kHour, kMinute, kSecond };

struct AstNode;
using AstPtr = std::unique_ptr<AstNode>;

struct AstNode {
  AstKind kind = AstKind::kLiteral;
  SourcePos pos;
  std::vector<AstPtr> args;

  std::vector<std::string> parts;  // kColumn (as written; `quoted` per part)
  std::vector<bool> quoted;
  std::string name;                // kFunction: lower-cased name
  Value value;                     // kLiteral
  std::string text;                // kTypedLiteral, kInterval
  std::string op;                  // kArithmetic
  CompareOp compare = CompareOp::kEq;  // kCompare
  SqlType cast_type = SqlType::kUnknown;  // kCast, kTypedLiteral, kCurrent
  IntervalUnit interval_from = IntervalUnit::kDay;
  std::optional<IntervalUnit> interval_to;
  int parameter_index = -1;
  bool negated = false;  // kIn, kBetween, kLike, kIsNull (NOT forms), kInterval (sign)
  bool distinct = false;  // kFunction
  bool star = false;      // kFunction: count(*)
  bool case_operand = false;
  bool has_else = false;
  int height = 1;  // 1 + the largest height of args (the parser bounds it)

  // SQL-like text of the node (for messages), e.g. "lower(path)".
  std::string ToString() const;
};

struct SelectItem {
  SourcePos pos;
  // `*` or `t.*`: star is set and expr is null; star_qualifier is "t" (or empty).
  bool star = false;
  std::vector<std::string> star_qualifier;
  AstPtr expr;
  std::optional<std::string> alias;  // lower-cased unless it was "quoted" (as Trino names outputs)
};

struct OrderItem {
  AstPtr expr;
  bool descending = false;
  std::optional<bool> nulls_first;  // unset: Trino's default, NULLS LAST
};

// LIMIT / OFFSET count: a literal or a `?` parameter.
struct RowCount {
  SourcePos pos;
  std::optional<int64_t> literal;
  int parameter_index = -1;
};

struct SelectStatement {
  bool distinct = false;
  std::vector<SelectItem> items;

  SourcePos table_pos;
  std::vector<std::string> table_parts;  // [table] or [db, table]
  std::optional<std::string> table_alias;

  AstPtr where;
  SourcePos group_by_pos;
  std::vector<AstPtr> group_by;
  AstPtr having;
  std::vector<OrderItem> order_by;
  std::optional<RowCount> offset;
  std::optional<RowCount> limit;  // unset for no LIMIT and for LIMIT ALL

  int num_parameters = 0;  // `?` marks in the statement
};

const char* IntervalUnitName(IntervalUnit unit);  // "DAY"

}  // namespace loglake::query::sql
