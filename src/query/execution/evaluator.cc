#include "query/execution/evaluator.h"

#include <algorithm>

#include "query/execution/eval_node.h"

namespace loglake::query {
namespace eval {
namespace {

class ColumnRefNode final : public EvalNode {
 public:
  ColumnRefNode(SqlType type, int index, std::string name) : EvalNode(type), index_(index), name_(std::move(name)) {}

  int column_index() const override { return index_; }

  Status EvalOperand(const EvalInput& input, const std::vector<uint32_t>* rows, Operand* out) const override {
    ASSIGN_OR_RETURN(const Column* col, Input(input));
    out->Borrow(col, rows != nullptr ? rows->data() : nullptr);
    return Status::OK();
  }

  Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const override {
    ASSIGN_OR_RETURN(const Column* col, Input(input));
    // The result has PhysicalType(type()) even when the input stores a timestamp as int64.
    ColumnType physical = PhysicalType(type());
    if (rows == nullptr && col->type() == physical) return *col;
    Column out(physical);
    if (rows == nullptr) {
      out.Reserve(col->size());
      for (size_t r = 0; r < col->size(); ++r) out.AppendFrom(*col, r);
      return out;
    }
    out.Reserve(rows->size());
    for (uint32_t r : *rows) out.AppendFrom(*col, r);
    return out;
  }

  Status Select(const EvalInput& input, const std::vector<uint32_t>* rows,
                std::vector<uint32_t>* selected) const override {
    if (type() != SqlType::kBoolean) {
      return Status::InvalidArgument("a filter must be boolean, not " + std::string(SqlTypeName(type())));
    }
    ASSIGN_OR_RETURN(const Column* col, Input(input));
    Operand op;
    op.Borrow(col, rows != nullptr ? rows->data() : nullptr);
    selected->clear();
    AppendTrueRows(op, NumPositions(input, rows), rows, selected);
    return Status::OK();
  }

 private:
  Result<const Column*> Input(const EvalInput& input) const {
    if (index_ < 0 || static_cast<size_t>(index_) >= input.columns.size() || input.columns[index_] == nullptr) {
      return Status::Internal("column " + name_ + " (#" + std::to_string(index_) + ") is not in the evaluator's input");
    }
    const Column* col = input.columns[index_];
    ColumnType want = PhysicalType(type());
    bool compatible = col->type() == want || (want == ColumnType::kInt64 && col->type() == ColumnType::kTimestamp) ||
                      (want == ColumnType::kTimestamp && col->type() == ColumnType::kInt64);
    if (!compatible) {
      return Status::Internal("column " + name_ + " is " + ColumnTypeName(col->type()) + ", expected " +
                              ColumnTypeName(want));
    }
    if (col->size() != input.num_rows) {
      return Status::Internal("column " + name_ + " has " + std::to_string(col->size()) + " rows, the batch " +
                              std::to_string(input.num_rows));
    }
    return col;
  }

  int index_;
  std::string name_;
};

class ConstantNode final : public EvalNode {
 public:
  explicit ConstantNode(Value v) : EvalNode(v.type()), value_(std::move(v)), column_(PhysicalType(value_.type())) {
    AppendValue(value_, &column_);
  }

  const Value* constant() const override { return &value_; }

  Status EvalOperand(const EvalInput&, const std::vector<uint32_t>*, Operand* out) const override {
    out->Broadcast(&column_);
    return Status::OK();
  }

  Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const override {
    size_t n = NumPositions(input, rows);
    Column out(column_.type());
    out.Reserve(n);
    for (size_t i = 0; i < n; ++i) out.AppendFrom(column_, 0);
    return out;
  }

  Status Select(const EvalInput& input, const std::vector<uint32_t>* rows,
                std::vector<uint32_t>* selected) const override {
    selected->clear();
    if (value_.type() == SqlType::kBoolean && !value_.is_null() && value_.AsBool()) {
      *selected = AllRows(input, rows);
    }
    return Status::OK();
  }

 private:
  Value value_;
  Column column_;
};

}  // namespace

bool ReadsNoColumn(const Expr& expr) {
  if (expr.kind == ExprKind::kColumnRef) return false;
  for (const ExprPtr& a : expr.args) {
    if (a != nullptr && !ReadsNoColumn(*a)) return false;
  }
  return true;
}

namespace {

Result<NodePtr> CompileUnfolded(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kColumnRef:
      if (expr.index < 0) return Status::InvalidArgument("column reference " + expr.ToString() + " has no index");
      if (expr.type == SqlType::kUnknown) {
        return Status::InvalidArgument("column reference " + expr.ToString() + " has type unknown");
      }
      return NodePtr(std::make_unique<ColumnRefNode>(expr.type, expr.index, expr.name));
    case ExprKind::kConstant: {
      Value v = expr.constant;
      if (v.type() != expr.type) {
        if (!v.is_null()) {
          return Status::InvalidArgument("constant " + expr.ToString() + " is " + SqlTypeName(v.type()) +
                                         " but typed " + SqlTypeName(expr.type));
        }
        v = Value::Null(expr.type);
      }
      return MakeConstantNode(std::move(v));
    }
    case ExprKind::kCall: return CompileCall(expr);
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot:
    case ExprKind::kIsNull:
    case ExprKind::kCase: return CompileLogic(expr);
    case ExprKind::kCompare:
    case ExprKind::kInList:
    case ExprKind::kBetween: return CompileCompare(expr);
    case ExprKind::kLike: return CompileLike(expr);
    case ExprKind::kCast: return CompileCast(expr);
  }
  return Status::InvalidArgument("unknown expression kind in " + expr.ToString());
}

}  // namespace

NodePtr MakeConstantNode(Value v) { return std::make_unique<ConstantNode>(std::move(v)); }

Status EvalNode::EvalOperand(const EvalInput& input, const std::vector<uint32_t>* rows, Operand* out) const {
  ASSIGN_OR_RETURN(Column c, Evaluate(input, rows));
  out->Own(std::move(c));
  return Status::OK();
}

Status EvalNode::Select(const EvalInput& input, const std::vector<uint32_t>* rows,
                        std::vector<uint32_t>* selected) const {
  if (type() != SqlType::kBoolean) {
    return Status::InvalidArgument("a filter must be boolean, not " + std::string(SqlTypeName(type())));
  }
  Operand op;
  RETURN_IF_ERROR(EvalOperand(input, rows, &op));
  selected->clear();
  AppendTrueRows(op, NumPositions(input, rows), rows, selected);
  return Status::OK();
}

void AppendTrueRows(const Operand& b, size_t n, const std::vector<uint32_t>* rows, std::vector<uint32_t>* selected) {
  size_t base = selected->size();
  selected->resize(base + n);
  uint32_t* out = selected->data() + base;
  size_t k = 0;
  const uint8_t* valid = b.valid();
  const uint8_t* v = b.bools();
  if (b.broadcast()) {
    if (valid[0] != 0 && v[0] != 0) {
      for (size_t i = 0; i < n; ++i) out[k++] = InputRow(rows, i);
    }
  } else if (b.idx() == nullptr && rows == nullptr) {
    for (size_t i = 0; i < n; ++i) {
      out[k] = static_cast<uint32_t>(i);
      k += valid[i] & v[i];
    }
  } else if (b.idx() == nullptr) {
    const uint32_t* r = rows->data();
    for (size_t i = 0; i < n; ++i) {
      out[k] = r[i];
      k += valid[i] & v[i];
    }
  } else {
    const uint32_t* idx = b.idx();
    for (size_t i = 0; i < n; ++i) {
      uint32_t r = idx[i];
      out[k] = InputRow(rows, i);
      k += valid[r] & v[r];
    }
  }
  selected->resize(base + k);
}

std::vector<uint32_t> Difference(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out;
  out.reserve(a.size() - std::min(a.size(), b.size()));
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

std::vector<uint32_t> AllRows(const EvalInput& input, const std::vector<uint32_t>* rows) {
  if (rows != nullptr) return *rows;
  std::vector<uint32_t> out(input.num_rows);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint32_t>(i);
  return out;
}

Status ExpectArgs(const Expr& expr, size_t min, size_t max) {
  if (expr.args.size() < min || expr.args.size() > max) {
    return Status::InvalidArgument(expr.ToString() + ": expected " +
                                   (min == max ? std::to_string(min) : std::to_string(min) + " to " + std::to_string(max)) +
                                   " arguments, got " + std::to_string(expr.args.size()));
  }
  for (const ExprPtr& a : expr.args) {
    if (a == nullptr) return Status::InvalidArgument(expr.ToString() + ": missing argument");
  }
  return Status::OK();
}

Status ExpectType(const Expr& expr, const Expr& arg, SqlType want) {
  // A bare NULL literal the binder left untyped is NULL of any type: nodes only ever see that
  // it is NULL.
  if (arg.type != want && !(arg.type == SqlType::kUnknown && arg.IsConstant())) {
    return Status::InvalidArgument(expr.ToString() + ": expected " + SqlTypeName(want) + " but " + arg.ToString() +
                                   " is " + SqlTypeName(arg.type));
  }
  return Status::OK();
}

Status EvalError(std::string message) { return Status::InvalidArgument(std::move(message)); }

Result<std::vector<NodePtr>> CompileArgs(const Expr& expr) {
  std::vector<NodePtr> out;
  out.reserve(expr.args.size());
  for (const ExprPtr& a : expr.args) {
    if (a == nullptr) return Status::InvalidArgument(expr.ToString() + ": missing argument");
    ASSIGN_OR_RETURN(NodePtr n, CompileNode(*a));
    out.push_back(std::move(n));
  }
  return out;
}

Result<NodePtr> CompileCall(const Expr& expr) {
  ASSIGN_OR_RETURN(std::vector<NodePtr> args, CompileArgs(expr));
  switch (expr.function) {
    case ScalarFunction::kAdd:
    case ScalarFunction::kSubtract:
    case ScalarFunction::kMultiply:
    case ScalarFunction::kDivide:
    case ScalarFunction::kModulo:
    case ScalarFunction::kNegate:
    case ScalarFunction::kAbs:
    case ScalarFunction::kRound: return CompileMathCall(expr, std::move(args));
    case ScalarFunction::kConcat:
    case ScalarFunction::kLower:
    case ScalarFunction::kUpper:
    case ScalarFunction::kLength:
    case ScalarFunction::kSubstr:
    case ScalarFunction::kStrpos:
    case ScalarFunction::kReplace:
    case ScalarFunction::kTrim:
    case ScalarFunction::kStartsWith:
    case ScalarFunction::kRegexpLike:
    case ScalarFunction::kJsonExtractScalar: return CompileStringCall(expr, std::move(args));
    case ScalarFunction::kCoalesce:
    case ScalarFunction::kNullIf: return CompileLazyCall(expr, std::move(args));
    case ScalarFunction::kDateTrunc:
    case ScalarFunction::kDateFormat:
    case ScalarFunction::kFromIso8601Timestamp:
    case ScalarFunction::kToIso8601:
    case ScalarFunction::kToUnixtime:
    case ScalarFunction::kFromUnixtime:
    case ScalarFunction::kYear:
    case ScalarFunction::kMonth:
    case ScalarFunction::kDay:
    case ScalarFunction::kHour:
    case ScalarFunction::kMinute:
    case ScalarFunction::kSecond:
    case ScalarFunction::kDateDiff:
    case ScalarFunction::kDateAdd: return CompileDatetimeCall(expr, std::move(args));
  }
  return Status::InvalidArgument("unknown function in " + expr.ToString());
}

Result<NodePtr> CompileNode(const Expr& expr) {
  ASSIGN_OR_RETURN(NodePtr node, CompileUnfolded(expr));
  if (expr.kind == ExprKind::kConstant || !ReadsNoColumn(expr)) return node;
  // Fold the constant subtree once. An evaluation error is left to run time: the subtree may
  // sit in a CASE branch that no row takes.
  EvalInput one;
  one.num_rows = 1;
  Result<Column> c = node->Evaluate(one, nullptr);
  if (!c.ok() || c->size() != 1) return node;
  return MakeConstantNode(ValueAt(*c, node->type(), 0));
}

}  // namespace eval

Result<std::unique_ptr<ExprEvaluator>> ExprEvaluator::Compile(const Expr& expr) {
  ASSIGN_OR_RETURN(eval::NodePtr node, eval::CompileNode(expr));
  return std::unique_ptr<ExprEvaluator>(std::move(node));
}

Result<Value> EvaluateConstant(const Expr& expr) {
  if (!eval::ReadsNoColumn(expr)) {
    return Status::InvalidArgument(expr.ToString() + " is not a constant expression: it reads a column");
  }
  ASSIGN_OR_RETURN(eval::NodePtr node, eval::CompileNode(expr));
  if (const Value* v = node->constant()) return *v;
  EvalInput one;
  one.num_rows = 1;
  ASSIGN_OR_RETURN(Column c, node->Evaluate(one, nullptr));
  return ValueAt(c, node->type(), 0);
}

}  // namespace loglake::query
