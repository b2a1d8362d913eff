// AND, OR, NOT, IS [NOT] NULL, CASE, coalesce and nullif: the kinds whose NULL handling is not
// "NULL in, NULL out", and that evaluate later arguments only on the rows that still need them.
#include <algorithm>

#include "query/execution/eval_node.h"

namespace loglake::query::eval {
namespace {

constexpr uint8_t kFalse = 0, kTrue = 1, kNull = 2;

// Positions (0..n-1) as input rows.
std::vector<uint32_t> RowsOfPositions(const std::vector<uint32_t>& positions, const std::vector<uint32_t>* rows) {
  if (rows == nullptr) return positions;
  std::vector<uint32_t> out(positions.size());
  for (size_t j = 0; j < positions.size(); ++j) out[j] = (*rows)[positions[j]];
  return out;
}

Column BoolColumnFromStates(const std::vector<uint8_t>& state) {
  Column out(ColumnType::kBool);
  out.Reserve(state.size());
  for (uint8_t s : state) {
    if (s == kNull) {
      out.AppendNull();
    } else {
      out.AppendBool(s == kTrue);
    }
  }
  return out;
}

// AND (is_and) or OR with three-valued logic. The "deciding" value is FALSE for AND and TRUE
// for OR: once a position has it, later arguments are not evaluated there.
class JunctionNode final : public EvalNode {
 public:
  JunctionNode(bool is_and, std::vector<NodePtr> args)
      : EvalNode(SqlType::kBoolean), is_and_(is_and), args_(std::move(args)) {}

  Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const override {
    size_t n = NumPositions(input, rows);
    const uint8_t deciding = is_and_ ? kFalse : kTrue;
    std::vector<uint8_t> state(n, is_and_ ? kTrue : kFalse);
    std::vector<uint32_t> active(n);
    for (size_t i = 0; i < n; ++i) active[i] = static_cast<uint32_t>(i);
    for (size_t a = 0; a < args_.size() && !active.empty(); ++a) {
      // `sub` outlives `op`, which may borrow it as its row index.
      std::vector<uint32_t> sub;
      Operand op;
      if (active.size() == n) {
        RETURN_IF_ERROR(args_[a]->EvalOperand(input, rows, &op));
      } else {
        sub = RowsOfPositions(active, rows);
        RETURN_IF_ERROR(args_[a]->EvalOperand(input, &sub, &op));
      }
      size_t kept = 0;
      for (size_t j = 0; j < active.size(); ++j) {
        uint32_t pos = active[j];
        if (op.IsNull(j)) {
          state[pos] = kNull;
        } else if (op.Bool(j) == (deciding == kTrue)) {
          state[pos] = deciding;
          continue;
        }
        active[kept++] = pos;
      }
      active.resize(kept);
    }
    return BoolColumnFromStates(state);
  }

  Status Select(const EvalInput& input, const std::vector<uint32_t>* rows,
                std::vector<uint32_t>* selected) const override {
    selected->clear();
    if (is_and_) {
      // Each conjunct sees only the rows the previous ones kept.
      std::vector<uint32_t> current;
      const std::vector<uint32_t>* cur = rows;
      for (size_t a = 0; a < args_.size(); ++a) {
        std::vector<uint32_t> next;
        RETURN_IF_ERROR(args_[a]->Select(input, cur, &next));
        current.swap(next);
        cur = &current;
        if (current.empty()) break;
      }
      selected->swap(current);
      return Status::OK();
    }
    // OR: each disjunct sees only the rows no previous one selected.
    std::vector<uint32_t> remaining;
    const std::vector<uint32_t>* rem = rows;
    for (size_t a = 0; a < args_.size(); ++a) {
      std::vector<uint32_t> hit;
      RETURN_IF_ERROR(args_[a]->Select(input, rem, &hit));
      if (hit.empty()) continue;
      std::vector<uint32_t> merged;
      merged.reserve(selected->size() + hit.size());
      std::merge(selected->begin(), selected->end(), hit.begin(), hit.end(), std::back_inserter(merged));
      selected->swap(merged);
      if (a + 1 < args_.size()) {
        remaining = rem != nullptr ? Difference(*rem, hit) : Difference(AllRows(input, nullptr), hit);
        rem = &remaining;
        if (remaining.empty()) break;
      }
    }
    return Status::OK();
  }

 private:
  bool is_and_;
  std::vector<NodePtr> args_;
};

class NotNode final : public EvalNode {
 public:
  explicit NotNode(NodePtr arg) : EvalNode(SqlType::kBoolean), arg_(std::move(arg)) {}

  Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const override {
    size_t n = NumPositions(input, rows);
    Operand op;
    RETURN_IF_ERROR(arg_->EvalOperand(input, rows, &op));
    Column out(ColumnType::kBool);
    out.Reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (op.IsNull(i)) {
        out.AppendNull();
      } else {
        out.AppendBool(!op.Bool(i));
      }
    }
    return out;
  }

  Status Select(const EvalInput& input, const std::vector<uint32_t>* rows,
                std::vector<uint32_t>* selected) const override {
    size_t n = NumPositions(input, rows);
    Operand op;
    RETURN_IF_ERROR(arg_->EvalOperand(input, rows, &op));
    selected->clear();
    selected->reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (!op.IsNull(i) && !op.Bool(i)) selected->push_back(InputRow(rows, i));
    }
    return Status::OK();
  }

 private:
  NodePtr arg_;
};

class IsNullNode final : public EvalNode {
 public:
  IsNullNode(NodePtr arg, bool negated) : EvalNode(SqlType::kBoolean), arg_(std::move(arg)), negated_(negated) {}

  Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const override {
    size_t n = NumPositions(input, rows);
    Operand op;
    RETURN_IF_ERROR(arg_->EvalOperand(input, rows, &op));
    Column out(ColumnType::kBool);
    out.Reserve(n);
    for (size_t i = 0; i < n; ++i) out.AppendBool(op.IsNull(i) != negated_);
    return out;
  }

  Status Select(const EvalInput& input, const std::vector<uint32_t>* rows,
                std::vector<uint32_t>* selected) const override {
    size_t n = NumPositions(input, rows);
    Operand op;
    RETURN_IF_ERROR(arg_->EvalOperand(input, rows, &op));
    selected->resize(n);
    uint32_t* out = selected->data();
    size_t k = 0;
    // valid byte is 1 for a value: IS NULL keeps valid == 0, IS NOT NULL keeps valid == 1.
    const uint8_t keep = negated_ ? 1 : 0;
    for (size_t i = 0; i < n; ++i) {
      out[k] = InputRow(rows, i);
      k += (op.valid()[op.Row(i)] == keep);
    }
    selected->resize(k);
    return Status::OK();
  }

 private:
  NodePtr arg_;
  bool negated_;
};

// Assembles a column from pieces computed on disjoint subsets of positions: position i comes
// from row index_of[i] of pieces[piece_of[i]], or is NULL when piece_of[i] < 0.
Column Assemble(SqlType type, const std::vector<Column>& pieces, const std::vector<int>& piece_of,
                const std::vector<uint32_t>& index_of) {
  Column out(PhysicalType(type));
  out.Reserve(piece_of.size());
  for (size_t i = 0; i < piece_of.size(); ++i) {
    if (piece_of[i] < 0) {
      out.AppendNull();
    } else {
      out.AppendFrom(pieces[piece_of[i]], index_of[i]);
    }
  }
  return out;
}

// Searched CASE. Each WHEN sees the rows no earlier WHEN took; each THEN is evaluated only on
// the rows its WHEN took, so a branch that would fail elsewhere (10 / x when x = 0) does not.
class CaseNode final : public EvalNode {
 public:
  CaseNode(SqlType type, std::vector<NodePtr> args, bool has_else)
      : EvalNode(type), args_(std::move(args)), has_else_(has_else) {}

  Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const override {
    size_t n = NumPositions(input, rows);
    std::vector<int> piece_of(n, -1);
    std::vector<uint32_t> index_of(n, 0);
    std::vector<Column> pieces;
    std::vector<uint32_t> remaining_pos(n);
    for (size_t i = 0; i < n; ++i) remaining_pos[i] = static_cast<uint32_t>(i);
    size_t pairs = has_else_ ? (args_.size() - 1) / 2 : args_.size() / 2;
    for (size_t p = 0; p < pairs && !remaining_pos.empty(); ++p) {
      std::vector<uint32_t> remaining_rows = RowsOfPositions(remaining_pos, rows);
      std::vector<uint32_t> hit_rows;
      RETURN_IF_ERROR(args_[2 * p]->Select(input, &remaining_rows, &hit_rows));
      if (hit_rows.empty()) continue;
      ASSIGN_OR_RETURN(Column value, args_[2 * p + 1]->Evaluate(input, &hit_rows));
      // Walk remaining (ascending) and hits (ascending subset) together.
      std::vector<uint32_t> still;
      still.reserve(remaining_pos.size() - hit_rows.size());
      size_t h = 0;
      for (size_t j = 0; j < remaining_pos.size(); ++j) {
        if (h < hit_rows.size() && remaining_rows[j] == hit_rows[h]) {
          piece_of[remaining_pos[j]] = static_cast<int>(pieces.size());
          index_of[remaining_pos[j]] = static_cast<uint32_t>(h);
          ++h;
        } else {
          still.push_back(remaining_pos[j]);
        }
      }
      pieces.push_back(std::move(value));
      remaining_pos.swap(still);
    }
    if (has_else_ && !remaining_pos.empty()) {
      std::vector<uint32_t> remaining_rows = RowsOfPositions(remaining_pos, rows);
      ASSIGN_OR_RETURN(Column value, args_.back()->Evaluate(input, &remaining_rows));
      for (size_t j = 0; j < remaining_pos.size(); ++j) {
        piece_of[remaining_pos[j]] = static_cast<int>(pieces.size());
        index_of[remaining_pos[j]] = static_cast<uint32_t>(j);
      }
      pieces.push_back(std::move(value));
    }
    return Assemble(type(), pieces, piece_of, index_of);
  }

 private:
  std::vector<NodePtr> args_;
  bool has_else_;
};

// coalesce(a, b, ...): b is evaluated only where a is NULL, and so on.
class CoalesceNode final : public EvalNode {
 public:
  CoalesceNode(SqlType type, std::vector<NodePtr> args) : EvalNode(type), args_(std::move(args)) {}

  Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const override {
    size_t n = NumPositions(input, rows);
    std::vector<int> piece_of(n, -1);
    std::vector<uint32_t> index_of(n, 0);
    std::vector<Column> pieces;
    std::vector<uint32_t> null_pos(n);
    for (size_t i = 0; i < n; ++i) null_pos[i] = static_cast<uint32_t>(i);
    for (size_t a = 0; a < args_.size() && !null_pos.empty(); ++a) {
      Column value(PhysicalType(type()));
      if (null_pos.size() == n) {
        ASSIGN_OR_RETURN(value, args_[a]->Evaluate(input, rows));
      } else {
        std::vector<uint32_t> sub = RowsOfPositions(null_pos, rows);
        ASSIGN_OR_RETURN(value, args_[a]->Evaluate(input, &sub));
      }
      size_t kept = 0;
      for (size_t j = 0; j < null_pos.size(); ++j) {
        if (value.IsNull(j)) {
          null_pos[kept++] = null_pos[j];
        } else {
          piece_of[null_pos[j]] = static_cast<int>(pieces.size());
          index_of[null_pos[j]] = static_cast<uint32_t>(j);
        }
      }
      null_pos.resize(kept);
      pieces.push_back(std::move(value));
    }
    return Assemble(type(), pieces, piece_of, index_of);
  }

 private:
  std::vector<NodePtr> args_;
};

bool SameValue(const Operand& a, const Operand& b, size_t i, ColumnType physical) {
  switch (physical) {
    case ColumnType::kString: return a.Str(i) == b.Str(i);
    case ColumnType::kInt32: return a.I32(i) == b.I32(i);
    case ColumnType::kInt64:
    case ColumnType::kTimestamp: return a.I64(i) == b.I64(i);
    case ColumnType::kDouble: return a.F64(i) == b.F64(i);
    case ColumnType::kBool: return a.Bool(i) == b.Bool(i);
  }
  return false;
}

// nullif(a, b): NULL when a = b, else a.
class NullIfNode final : public EvalNode {
 public:
  NullIfNode(SqlType type, NodePtr a, NodePtr b) : EvalNode(type), a_(std::move(a)), b_(std::move(b)) {}

  Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const override {
    size_t n = NumPositions(input, rows);
    Operand a, b;
    RETURN_IF_ERROR(a_->EvalOperand(input, rows, &a));
    RETURN_IF_ERROR(b_->EvalOperand(input, rows, &b));
    ColumnType physical = PhysicalType(type());
    Column out(physical);
    out.Reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (a.IsNull(i) || (!b.IsNull(i) && SameValue(a, b, i, physical))) {
        out.AppendNull();
      } else {
        out.AppendFrom(a.column(), a.Row(i));
      }
    }
    return out;
  }

 private:
  NodePtr a_, b_;
};

Status ExpectAllBoolean(const Expr& expr) {
  for (const ExprPtr& a : expr.args) RETURN_IF_ERROR(ExpectType(expr, *a, SqlType::kBoolean));
  return Status::OK();
}

}  // namespace

NodePtr MakeAndNode(std::vector<NodePtr> args) { return std::make_unique<JunctionNode>(true, std::move(args)); }
NodePtr MakeOrNode(std::vector<NodePtr> args) { return std::make_unique<JunctionNode>(false, std::move(args)); }
NodePtr MakeNotNode(NodePtr arg) { return std::make_unique<NotNode>(std::move(arg)); }

Result<NodePtr> CompileLogic(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      RETURN_IF_ERROR(ExpectArgs(expr, 1, SIZE_MAX));
      RETURN_IF_ERROR(ExpectAllBoolean(expr));
      ASSIGN_OR_RETURN(std::vector<NodePtr> args, CompileArgs(expr));
      return expr.kind == ExprKind::kAnd ? MakeAndNode(std::move(args)) : MakeOrNode(std::move(args));
    }
    case ExprKind::kNot: {
      RETURN_IF_ERROR(ExpectArgs(expr, 1, 1));
      RETURN_IF_ERROR(ExpectAllBoolean(expr));
      ASSIGN_OR_RETURN(NodePtr arg, CompileNode(*expr.args[0]));
      return MakeNotNode(std::move(arg));
    }
    case ExprKind::kIsNull: {
      RETURN_IF_ERROR(ExpectArgs(expr, 1, 1));
      ASSIGN_OR_RETURN(NodePtr arg, CompileNode(*expr.args[0]));
      return NodePtr(std::make_unique<IsNullNode>(std::move(arg), expr.negated));
    }
    case ExprKind::kCase: {
      size_t min = expr.has_else ? 3 : 2;
      RETURN_IF_ERROR(ExpectArgs(expr, min, SIZE_MAX));
      size_t pairs = expr.has_else ? (expr.args.size() - 1) / 2 : expr.args.size() / 2;
      if (pairs * 2 + (expr.has_else ? 1 : 0) != expr.args.size()) {
        return Status::InvalidArgument(expr.ToString() + ": CASE needs WHEN/THEN pairs");
      }
      for (size_t p = 0; p < pairs; ++p) {
        RETURN_IF_ERROR(ExpectType(expr, *expr.args[2 * p], SqlType::kBoolean));
        RETURN_IF_ERROR(ExpectType(expr, *expr.args[2 * p + 1], expr.type));
      }
      if (expr.has_else) RETURN_IF_ERROR(ExpectType(expr, *expr.args.back(), expr.type));
      ASSIGN_OR_RETURN(std::vector<NodePtr> args, CompileArgs(expr));
      return NodePtr(std::make_unique<CaseNode>(expr.type, std::move(args), expr.has_else));
    }
    default: break;
  }
  return Status::InvalidArgument("not a logical expression: " + expr.ToString());
}

Result<NodePtr> CompileLazyCall(const Expr& expr, std::vector<NodePtr> args) {
  for (const ExprPtr& a : expr.args) RETURN_IF_ERROR(ExpectType(expr, *a, expr.type));
  if (expr.function == ScalarFunction::kCoalesce) {
    RETURN_IF_ERROR(ExpectArgs(expr, 1, SIZE_MAX));
    return NodePtr(std::make_unique<CoalesceNode>(expr.type, std::move(args)));
  }
  RETURN_IF_ERROR(ExpectArgs(expr, 2, 2));
  return NodePtr(std::make_unique<NullIfNode>(expr.type, std::move(args[0]), std::move(args[1])));
}

}  // namespace loglake::query::eval
