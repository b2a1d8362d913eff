// Comparisons, BETWEEN and IN. The common WHERE shapes (column op constant, column op column,
// column IN (constants...)) select rows with tight loops over the column's raw vectors;
// everything else goes through the same loops on an evaluated operand.
#include <cstring>
#include <string>
#include <unordered_set>

#include "query/execution/eval_node.h"

namespace loglake::query::eval {
namespace {

template <typename T>
inline bool Cmp(CompareOp op, const T& a, const T& b) {
  switch (op) {
    case CompareOp::kEq: return a == b;
    case CompareOp::kNe: return a != b;
    case CompareOp::kLt: return a < b;
    case CompareOp::kLe: return a <= b;
    case CompareOp::kGt: return a > b;
    case CompareOp::kGe: return a >= b;
  }
  return false;
}

template <typename T, CompareOp kOp>
void SelectNumberConstOp(const Operand& a, const T* v, T c, size_t n, const std::vector<uint32_t>* rows,
                         std::vector<uint32_t>* out) {
  const uint8_t* valid = a.valid();
  SelectWhere(a, n, rows, [=](size_t r) { return (valid[r] != 0) & Cmp(kOp, v[r], c); }, out);
}

template <typename T>
void SelectNumberConst(CompareOp op, const Operand& a, const T* v, T c, size_t n, const std::vector<uint32_t>* rows,
                       std::vector<uint32_t>* out) {
  switch (op) {
    case CompareOp::kEq: return SelectNumberConstOp<T, CompareOp::kEq>(a, v, c, n, rows, out);
    case CompareOp::kNe: return SelectNumberConstOp<T, CompareOp::kNe>(a, v, c, n, rows, out);
    case CompareOp::kLt: return SelectNumberConstOp<T, CompareOp::kLt>(a, v, c, n, rows, out);
    case CompareOp::kLe: return SelectNumberConstOp<T, CompareOp::kLe>(a, v, c, n, rows, out);
    case CompareOp::kGt: return SelectNumberConstOp<T, CompareOp::kGt>(a, v, c, n, rows, out);
    case CompareOp::kGe: return SelectNumberConstOp<T, CompareOp::kGe>(a, v, c, n, rows, out);
  }
}

void SelectStringConst(CompareOp op, const Operand& a, std::string_view c, size_t n,
                       const std::vector<uint32_t>* rows, std::vector<uint32_t>* out) {
  const uint8_t* valid = a.valid();
  const uint64_t* off = a.offsets();
  const char* data = a.data();
  const size_t clen = c.size();
  const char* cdata = c.data();
  if (op == CompareOp::kEq || op == CompareOp::kNe) {
    const bool want_equal = op == CompareOp::kEq;
    // Most values differ from the constant in their first 8 bytes (uuids, ids): compare those
    // as one word before calling memcmp.
    uint64_t head = 0;
    if (clen >= 8) std::memcpy(&head, cdata, 8);
    SelectWhere(a, n, rows, [=](size_t r) {
      if (valid[r] == 0) return false;
      size_t len = off[r + 1] - off[r];
      bool equal = false;
      if (len == clen) {
        if (clen >= 8) {
          uint64_t w;
          std::memcpy(&w, data + off[r], 8);
          equal = w == head && std::memcmp(data + off[r] + 8, cdata + 8, clen - 8) == 0;
        } else {
          equal = clen == 0 || std::memcmp(data + off[r], cdata, clen) == 0;
        }
      }
      return equal == want_equal;
    }, out);
    return;
  }
  SelectWhere(a, n, rows, [=](size_t r) {
    if (valid[r] == 0) return false;
    std::string_view s(data + off[r], off[r + 1] - off[r]);
    return Cmp(op, s.compare(c), 0);
  }, out);
}

// Position-wise (both operands evaluated): writes TRUE positions' input rows.
template <typename Get>
void SelectPairs(CompareOp op, const Operand& a, const Operand& b, size_t n, const std::vector<uint32_t>* rows,
                 Get get, std::vector<uint32_t>* out) {
  out->clear();
  out->reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (a.IsNull(i) || b.IsNull(i)) continue;
    if (Cmp(op, get(a, i), get(b, i))) out->push_back(InputRow(rows, i));
  }
}

template <typename Get>
Column ComparePairs(CompareOp op, const Operand& a, const Operand& b, size_t n, Get get) {
  Column out(ColumnType::kBool);
  out.Reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (a.IsNull(i) || b.IsNull(i)) {
      out.AppendNull();
    } else {
      out.AppendBool(Cmp(op, get(a, i), get(b, i)));
    }
  }
  return out;
}

// Dispatches `fn(getter)` on the physical type; getter(op, i) reads position i.
template <typename Fn>
auto WithGetter(ColumnType physical, Fn fn) {
  switch (physical) {
    case ColumnType::kInt32: return fn([](const Operand& o, size_t i) { return o.I32(i); });
    case ColumnType::kInt64:
    case ColumnType::kTimestamp: return fn([](const Operand& o, size_t i) { return o.I64(i); });
    case ColumnType::kDouble: return fn([](const Operand& o, size_t i) { return o.F64(i); });
    case ColumnType::kBool: return fn([](const Operand& o, size_t i) { return o.Bool(i); });
    case ColumnType::kString: break;
  }
  return fn([](const Operand& o, size_t i) { return o.Str(i); });
}

class CompareNode final : public EvalNode {
 public:
  CompareNode(CompareOp op, NodePtr left, NodePtr right)
      : EvalNode(SqlType::kBoolean), op_(op), left_(std::move(left)), right_(std::move(right)),
        physical_(PhysicalType(left_->type())) {}

  Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const override {
    size_t n = NumPositions(input, rows);
    Operand a, b;
    RETURN_IF_ERROR(left_->EvalOperand(input, rows, &a));
    RETURN_IF_ERROR(right_->EvalOperand(input, rows, &b));
    return WithGetter(physical_, [&](auto get) { return ComparePairs(op_, a, b, n, get); });
  }

  Status Select(const EvalInput& input, const std::vector<uint32_t>* rows,
                std::vector<uint32_t>* selected) const override {
    size_t n = NumPositions(input, rows);
    const EvalNode* var = left_.get();
    const Value* c = right_->constant();
    CompareOp op = op_;
    if (c == nullptr && left_->constant() != nullptr) {
      var = right_.get();
      c = left_->constant();
      op = SwappedCompareOp(op);
    }
    if (c != nullptr) {
      selected->clear();
      if (c->is_null()) return Status::OK();
      Operand a;
      RETURN_IF_ERROR(var->EvalOperand(input, rows, &a));
      // Both sides constant (folding failed, e.g. an error in some branch): the general path.
      if (a.broadcast()) return EvalNode::Select(input, rows, selected);
      switch (physical_) {
        case ColumnType::kInt32:
          SelectNumberConst<int32_t>(op, a, a.i32(), c->AsInt32(), n, rows, selected);
          break;
        case ColumnType::kInt64:
        case ColumnType::kTimestamp:
          SelectNumberConst<int64_t>(op, a, a.i64(), c->AsInt64(), n, rows, selected);
          break;
        case ColumnType::kDouble:
          SelectNumberConst<double>(op, a, a.f64(), c->AsDouble(), n, rows, selected);
          break;
        case ColumnType::kBool:
          SelectNumberConst<uint8_t>(op, a, a.bools(), c->AsBool() ? 1 : 0, n, rows, selected);
          break;
        case ColumnType::kString: SelectStringConst(op, a, c->AsString(), n, rows, selected); break;
      }
      return Status::OK();
    }
    Operand a, b;
    RETURN_IF_ERROR(left_->EvalOperand(input, rows, &a));
    RETURN_IF_ERROR(right_->EvalOperand(input, rows, &b));
    WithGetter(physical_, [&](auto get) {
      SelectPairs(op_, a, b, n, rows, get, selected);
      return 0;
    });
    return Status::OK();
  }

 private:
  CompareOp op_;
  NodePtr left_, right_;
  ColumnType physical_;
};

// x [NOT] IN (constants...). NULL semantics: x NULL → NULL; found → TRUE; not found → NULL if
// the list holds a NULL, else FALSE (NOT IN negates the non-NULL outcomes).
class InConstantsNode final : public EvalNode {
 public:
  InConstantsNode(NodePtr arg, const std::vector<const Value*>& items, bool negated)
      : EvalNode(SqlType::kBoolean), arg_(std::move(arg)), negated_(negated), physical_(PhysicalType(arg_->type())) {
    for (const Value* v : items) {
      if (v->is_null()) {
        has_null_ = true;
        continue;
      }
      switch (physical_) {
        case ColumnType::kString: strings_.push_back(v->AsString()); break;
        case ColumnType::kDouble: doubles_.insert(v->AsDouble()); break;
        case ColumnType::kBool: ints_.insert(v->AsBool() ? 1 : 0); break;
        default: ints_.insert(v->AsInt64()); break;
      }
    }
    for (const std::string& s : strings_) string_set_.insert(s);
    // Short integer lists (status IN (500, 502, 503)) are scanned linearly: cheaper than hashing.
    if (ints_.size() <= kLinearMax) small_ints_.assign(ints_.begin(), ints_.end());
  }

  Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const override {
    size_t n = NumPositions(input, rows);
    Operand a;
    RETURN_IF_ERROR(arg_->EvalOperand(input, rows, &a));
    Column out(ColumnType::kBool);
    out.Reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (a.IsNull(i)) {
        out.AppendNull();
      } else if (Contains(a, a.Row(i))) {
        out.AppendBool(!negated_);
      } else if (has_null_) {
        out.AppendNull();
      } else {
        out.AppendBool(negated_);
      }
    }
    return out;
  }

  Status Select(const EvalInput& input, const std::vector<uint32_t>* rows,
                std::vector<uint32_t>* selected) const override {
    size_t n = NumPositions(input, rows);
    selected->clear();
    if (negated_ && has_null_) return Status::OK();  // never TRUE
    Operand a;
    RETURN_IF_ERROR(arg_->EvalOperand(input, rows, &a));
    if (a.broadcast()) return EvalNode::Select(input, rows, selected);
    const uint8_t* valid = a.valid();
    const bool want = !negated_;
    SelectWhere(a, n, rows, [&](size_t r) { return valid[r] != 0 && Contains(a, r) == want; }, selected);
    return Status::OK();
  }

 private:
  bool Contains(const Operand& a, size_t r) const {
    switch (physical_) {
      case ColumnType::kString: {
        const uint64_t* off = a.offsets();
        return string_set_.count(std::string_view(a.data() + off[r], off[r + 1] - off[r])) != 0;
      }
      case ColumnType::kInt32: return ContainsInt(a.i32()[r]);
      case ColumnType::kInt64:
      case ColumnType::kTimestamp: return ContainsInt(a.i64()[r]);
      case ColumnType::kDouble: return doubles_.count(a.f64()[r]) != 0;
      case ColumnType::kBool: return ints_.count(a.bools()[r]) != 0;
    }
    return false;
  }

  bool ContainsInt(int64_t v) const {
    if (ints_.size() <= kLinearMax) {
      bool found = false;
      for (int64_t x : small_ints_) found |= x == v;
      return found;
    }
    return ints_.count(v) != 0;
  }

  static constexpr size_t kLinearMax = 8;
  NodePtr arg_;
  bool negated_;
  ColumnType physical_;
  bool has_null_ = false;
  std::vector<int64_t> small_ints_;
  std::unordered_set<int64_t> ints_;
  std::unordered_set<double> doubles_;
  std::vector<std::string> strings_;
  std::unordered_set<std::string_view> string_set_;
};

Status ExpectSameTypes(const Expr& expr) {
  for (size_t i = 1; i < expr.args.size(); ++i) {
    if (expr.args[i]->type != expr.args[0]->type && expr.args[i]->type != SqlType::kUnknown) {
      return Status::InvalidArgument(expr.ToString() + ": cannot compare " + SqlTypeName(expr.args[0]->type) +
                                     " with " + SqlTypeName(expr.args[i]->type));
    }
  }
  if (expr.args[0]->type == SqlType::kUnknown) {
    return Status::InvalidArgument(expr.ToString() + ": cannot compare values of type unknown");
  }
  return Status::OK();
}

// NULL literals of type unknown in a comparison take the other side's type.
Result<NodePtr> CompileAs(const Expr& arg, SqlType type) {
  if (arg.type == SqlType::kUnknown && arg.IsConstant()) return MakeConstantNode(Value::Null(type));
  return CompileNode(arg);
}

}  // namespace

NodePtr MakeCompareNode(CompareOp op, NodePtr left, NodePtr right) {
  return std::make_unique<CompareNode>(op, std::move(left), std::move(right));
}

Result<NodePtr> CompileCompare(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kCompare: {
      RETURN_IF_ERROR(ExpectArgs(expr, 2, 2));
      RETURN_IF_ERROR(ExpectSameTypes(expr));
      SqlType t = expr.args[0]->type;
      ASSIGN_OR_RETURN(NodePtr l, CompileAs(*expr.args[0], t));
      ASSIGN_OR_RETURN(NodePtr r, CompileAs(*expr.args[1], t));
      return MakeCompareNode(expr.compare, std::move(l), std::move(r));
    }
    case ExprKind::kBetween: {
      // x BETWEEN a AND b ≡ x >= a AND x <= b (also under three-valued logic), which reuses the
      // compare fast paths; NOT BETWEEN is its negation (not x < a OR x > b, which differs for NaN).
      RETURN_IF_ERROR(ExpectArgs(expr, 3, 3));
      RETURN_IF_ERROR(ExpectSameTypes(expr));
      SqlType t = expr.args[0]->type;
      ASSIGN_OR_RETURN(NodePtr x1, CompileNode(*expr.args[0]));
      ASSIGN_OR_RETURN(NodePtr x2, CompileNode(*expr.args[0]));
      ASSIGN_OR_RETURN(NodePtr lo, CompileAs(*expr.args[1], t));
      ASSIGN_OR_RETURN(NodePtr hi, CompileAs(*expr.args[2], t));
      std::vector<NodePtr> parts;
      parts.push_back(MakeCompareNode(CompareOp::kGe, std::move(x1), std::move(lo)));
      parts.push_back(MakeCompareNode(CompareOp::kLe, std::move(x2), std::move(hi)));
      NodePtr between = MakeAndNode(std::move(parts));
      return expr.negated ? MakeNotNode(std::move(between)) : std::move(between);
    }
    case ExprKind::kInList: {
      RETURN_IF_ERROR(ExpectArgs(expr, 2, SIZE_MAX));
      RETURN_IF_ERROR(ExpectSameTypes(expr));
      SqlType t = expr.args[0]->type;
      std::vector<NodePtr> items;
      bool all_constant = true;
      for (size_t i = 1; i < expr.args.size(); ++i) {
        ASSIGN_OR_RETURN(NodePtr item, CompileAs(*expr.args[i], t));
        all_constant &= item->constant() != nullptr;
        items.push_back(std::move(item));
      }
      if (all_constant) {
        ASSIGN_OR_RETURN(NodePtr x, CompileNode(*expr.args[0]));
        std::vector<const Value*> values;
        for (const NodePtr& item : items) values.push_back(item->constant());
        return NodePtr(std::make_unique<InConstantsNode>(std::move(x), values, expr.negated));
      }
      // x IN (a, b) ≡ x = a OR x = b under three-valued logic.
      std::vector<NodePtr> equals;
      for (NodePtr& item : items) {
        ASSIGN_OR_RETURN(NodePtr x, CompileNode(*expr.args[0]));
        equals.push_back(MakeCompareNode(CompareOp::kEq, std::move(x), std::move(item)));
      }
      NodePtr any = MakeOrNode(std::move(equals));
      return expr.negated ? MakeNotNode(std::move(any)) : std::move(any);
    }
    default: break;
  }
  return Status::InvalidArgument("not a comparison: " + expr.ToString());
}

}  // namespace loglake::query::eval
