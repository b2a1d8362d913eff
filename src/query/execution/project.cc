#include "query/execution/project.h"

#include "query/execution/sort.h"

namespace loglake::query {

Result<ProjectedExpr> ProjectedExpr::Make(const Expr& expr) {
  ProjectedExpr p;
  p.type_ = expr.type;
  if (expr.kind == ExprKind::kColumnRef) {
    if (expr.index < 0) return Status::InvalidArgument("column reference without an index: " + expr.ToString());
    p.column_index_ = expr.index;
  } else if (expr.kind == ExprKind::kConstant) {
    p.constant_ = expr.constant;
  } else {
    ASSIGN_OR_RETURN(std::unique_ptr<ExprEvaluator> e, ExprEvaluator::Compile(expr));
    p.evaluator_ = std::move(e);
  }
  return p;
}

Result<const Column*> ProjectedExpr::Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows,
                                              Column* scratch) const {
  size_t n = rows ? rows->size() : input.num_rows;
  if (column_index_ >= 0) {
    if (static_cast<size_t>(column_index_) >= input.columns.size() || input.columns[column_index_] == nullptr) {
      return Status::Internal("column " + std::to_string(column_index_) + " was not provided to the result builder");
    }
    const Column* c = input.columns[column_index_];
    if (rows == nullptr) return c;
    *scratch = Column(c->type());
    AppendRows(*c, rows, scratch);
    return scratch;
  }
  if (constant_) {
    *scratch = Column(PhysicalType(type_));
    scratch->Reserve(n);
    for (size_t i = 0; i < n; ++i) AppendValue(*constant_, scratch);
    return scratch;
  }
  ASSIGN_OR_RETURN(*scratch, evaluator_->Evaluate(input, rows));
  if (scratch->size() != n || scratch->type() != PhysicalType(type_)) {
    return Status::Internal("expression evaluator returned " + std::to_string(scratch->size()) + " rows of " +
                            ColumnTypeName(scratch->type()) + " for " + std::to_string(n) + " rows of " +
                            SqlTypeName(type_));
  }
  return scratch;
}

Status ProjectedExpr::Select(const EvalInput& input, const std::vector<uint32_t>* rows,
                             std::vector<uint32_t>* selected) const {
  if (evaluator_) return evaluator_->Select(input, rows, selected);
  Column scratch(ColumnType::kBool);
  ASSIGN_OR_RETURN(const Column* c, Evaluate(input, rows, &scratch));
  if (c->type() != ColumnType::kBool) return Status::InvalidArgument("condition is not boolean");
  selected->clear();
  size_t n = rows ? rows->size() : input.num_rows;
  for (size_t i = 0; i < n; ++i) {
    if (!c->IsNull(i) && c->Bool(i)) selected->push_back(rows ? (*rows)[i] : static_cast<uint32_t>(i));
  }
  return Status::OK();
}

}  // namespace loglake::query
