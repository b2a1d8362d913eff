// ProjectedExpr: one expression the result builder computes per batch (an output, a sort key, a
// group key, an aggregate argument, HAVING), prepared once.
//
// Column references, by far the most common case, are not evaluated at all: the input column
// is used in place (or gathered when only some rows are wanted); constants are repeated; every
// other expression goes through its compiled ExprEvaluator.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/column.h"
#include "common/status.h"
#include "query/execution/evaluator.h"
#include "query/expr.h"

namespace loglake::query {

class ProjectedExpr {
 public:
  static Result<ProjectedExpr> Make(const Expr& expr);

  SqlType type() const { return type_; }

  // The value for rows `rows` of `input` (nullptr: every row), one entry per selected row. The
  // pointer is either an input column or *scratch, which must live as long as it is used.
  Result<const Column*> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows, Column* scratch) const;

  // For a boolean expression: the rows where it is TRUE, like ExprEvaluator::Select.
  Status Select(const EvalInput& input, const std::vector<uint32_t>* rows, std::vector<uint32_t>* selected) const;

 private:
  SqlType type_ = SqlType::kUnknown;
  int column_index_ = -1;               // a column reference
  std::optional<Value> constant_;       // a constant
  std::shared_ptr<const ExprEvaluator> evaluator_;  // anything else
};

}  // namespace loglake::query
