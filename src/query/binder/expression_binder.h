// ExpressionBinder: one AST expression (query/sql/ast.h) → a bound, typed Expr (query/expr.h).
//
// Names resolve against one table (its columns, then `datepath`), case-insensitively, through
// the table's name or its alias. Types follow Trino: implicit coercions only widen (integer →
// bigint → double, date → timestamp, NULL → anything) and become explicit kCast nodes; `?`
// parameters, now(), current_timestamp and current_date become constants; constant subtrees the
// planner cares about are folded (binder/constant_folding.h).
//
// Two levels (query/plan.h): BindTableLevel binds over table columns and refuses aggregates;
// BindAggregateLevel binds over GROUP BY keys and aggregate calls, registering each distinct
// aggregate call in the AggregateState and refusing bare columns that are not grouped.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "lake/table.h"
#include "query/plan.h"
#include "query/sql/ast.h"

namespace loglake::query::binder {

struct TableScope {
  const lake::TableDef* table = nullptr;
  std::vector<std::string> column_names;  // table columns, then datepath
  std::vector<SqlType> column_types;
  std::string qualifier;  // the alias if the FROM clause has one, else the table name (lower case)
  const std::vector<Value>* params = nullptr;
  int64_t now_micros = 0;
};

struct AggregateState {
  std::vector<ExprPtr> group_keys;
  std::vector<AggregateCall> aggregates;
  // The message for an ungrouped column; empty for Trino's "'x' must be an aggregate expression
  // or appear in GROUP BY clause".
  std::string ungrouped_message;
};

// True when `ast` contains a call of count/sum/min/max/avg (outside nothing: any depth).
bool ContainsAggregate(const sql::AstNode& ast);

class ExpressionBinder {
 public:
  explicit ExpressionBinder(const TableScope& scope) : scope_(scope) {}

  // `clause` names where the expression is ("WHERE", "GROUP BY") in the error for an aggregate.
  Result<ExprPtr> BindTableLevel(const sql::AstNode& ast, const char* clause);
  Result<ExprPtr> BindAggregateLevel(const sql::AstNode& ast, AggregateState* state);

  // The table-level index of column `name` (case-insensitive), or -1.
  int FindColumn(std::string_view name) const;

 private:
  enum class Level { kTable, kAggregate };

  Result<ExprPtr> Bind(const sql::AstNode& ast);
  Result<ExprPtr> BindNode(const sql::AstNode& ast);
  Result<ExprPtr> BindColumn(const sql::AstNode& ast);
  Result<ExprPtr> BindInterval(const sql::AstNode& ast);
  Result<ExprPtr> BindArithmetic(const sql::AstNode& ast);
  Result<ExprPtr> BindLogical(const sql::AstNode& ast);
  Result<ExprPtr> BindCompare(const sql::AstNode& ast);
  Result<ExprPtr> BindInOrBetween(const sql::AstNode& ast);
  Result<ExprPtr> BindLike(const sql::AstNode& ast);
  Result<ExprPtr> BindCase(const sql::AstNode& ast);
  Result<ExprPtr> BindAggregateCall(const sql::AstNode& ast);
  Result<std::vector<ExprPtr>> BindArgs(const sql::AstNode& ast);

  const TableScope& scope_;
  Level level_ = Level::kTable;
  const char* clause_ = "";
  AggregateState* state_ = nullptr;
};

// Scalar functions (binder/functions.cc): checks arity and types of already bound `args` for
// the function named ast.name, inserts casts, and returns the call (folded when constant).
Result<ExprPtr> BindScalarFunction(const sql::AstNode& ast, std::vector<ExprPtr> args);

// "line 1:8: " + message, as InvalidArgument.
Status ErrorAt(const sql::SourcePos& pos, const std::string& message);

// The closest of `candidates` to `name` by edit distance (case-insensitive), or "" when none is
// close enough to be a plausible typo.
std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace loglake::query::binder
