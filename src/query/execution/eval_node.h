// Internals of the expression evaluator (evaluator.h), shared by its eval_*.cc and
// functions_*.cc files.
//
// A compiled expression is a tree of EvalNodes. Between nodes, values travel as Operands: a
// view of a column for "position i = 0..n-1 of the batch being evaluated". A column reference
// lends the input column itself (position i is physical row rows[i], no copy); a constant lends
// a one-row column read at row 0 for every position; any other node owns the column it
// computed (position i is row i). Kernels therefore loop over raw vectors through Operand's
// inline accessors and never materialize per-row Values.
//
// Subsets are always expressed as input row indexes (ascending), like the public `rows`
// argument, so a node can evaluate a child on just the rows that still matter (AND, OR, CASE,
// coalesce short-circuit this way, which is also what keeps `x <> 0 AND 10 / x > 1` from
// failing on rows where x = 0).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/column.h"
#include "common/status.h"
#include "query/execution/evaluator.h"
#include "query/expr.h"

namespace loglake::query::eval {

class Operand {
 public:
  // Borrows `col`; position i reads row idx[i] (idx null: row i).
  void Borrow(const Column* col, const uint32_t* idx) {
    col_ = col;
    idx_ = idx;
    broadcast_ = false;
    Bind();
  }
  // Borrows a one-row column for every position.
  void Broadcast(const Column* col) {
    col_ = col;
    idx_ = nullptr;
    broadcast_ = true;
    Bind();
  }
  void Own(Column col) {
    owned_ = std::make_unique<Column>(std::move(col));
    col_ = owned_.get();
    idx_ = nullptr;
    broadcast_ = false;
    Bind();
  }

  const Column& column() const { return *col_; }
  const uint32_t* idx() const { return idx_; }
  bool broadcast() const { return broadcast_; }
  bool owned() const { return owned_ != nullptr; }

  size_t Row(size_t i) const { return broadcast_ ? 0 : (idx_ != nullptr ? idx_[i] : i); }
  bool IsNull(size_t i) const { return valid_[Row(i)] == 0; }
  int32_t I32(size_t i) const { return i32_[Row(i)]; }
  int64_t I64(size_t i) const { return i64_[Row(i)]; }
  double F64(size_t i) const { return f64_[Row(i)]; }
  bool Bool(size_t i) const { return b_[Row(i)] != 0; }
  std::string_view Str(size_t i) const {
    size_t r = Row(i);
    return std::string_view(data_ + off_[r], off_[r + 1] - off_[r]);
  }

  // Raw views (valid for the column's physical type only).
  const uint8_t* valid() const { return valid_; }
  const int32_t* i32() const { return i32_; }
  const int64_t* i64() const { return i64_; }
  const double* f64() const { return f64_; }
  const uint8_t* bools() const { return b_; }
  const uint64_t* offsets() const { return off_; }
  const char* data() const { return data_; }

 private:
  void Bind() {
    valid_ = col_->validity().data();
    i32_ = col_->int32_values().data();
    i64_ = col_->int64_values().data();
    f64_ = col_->double_values().data();
    b_ = col_->bool_values().data();
    off_ = col_->string_offsets().data();
    data_ = col_->string_data().data();
  }

  const Column* col_ = nullptr;
  const uint32_t* idx_ = nullptr;
  bool broadcast_ = false;
  std::unique_ptr<Column> owned_;
  const uint8_t* valid_ = nullptr;
  const int32_t* i32_ = nullptr;
  const int64_t* i64_ = nullptr;
  const double* f64_ = nullptr;
  const uint8_t* b_ = nullptr;
  const uint64_t* off_ = nullptr;
  const char* data_ = nullptr;
};

inline size_t NumPositions(const EvalInput& input, const std::vector<uint32_t>* rows) {
  return rows != nullptr ? rows->size() : input.num_rows;
}

// The input row of position i.
inline uint32_t InputRow(const std::vector<uint32_t>* rows, size_t i) {
  return rows != nullptr ? (*rows)[i] : static_cast<uint32_t>(i);
}

class EvalNode : public ExprEvaluator {
 public:
  explicit EvalNode(SqlType type) : ExprEvaluator(type) {}

  // The value for every position, as an Operand. The default evaluates into an owned column;
  // column references and constants lend theirs.
  virtual Status EvalOperand(const EvalInput& input, const std::vector<uint32_t>* rows, Operand* out) const;

  // Default Select: evaluates the boolean value and keeps TRUE positions.
  Status Select(const EvalInput& input, const std::vector<uint32_t>* rows,
                std::vector<uint32_t>* selected) const override;

  // A column reference's index, or -1.
  virtual int column_index() const { return -1; }
  // A constant's value, or nullptr.
  virtual const Value* constant() const { return nullptr; }
};

using NodePtr = std::unique_ptr<EvalNode>;

// Compiles any expression kind (the dispatcher in evaluator.cc). Constant subtrees are folded.
Result<NodePtr> CompileNode(const Expr& expr);
// True when no kColumnRef occurs in the tree.
bool ReadsNoColumn(const Expr& expr);
// Compiles every argument of `expr`.
Result<std::vector<NodePtr>> CompileArgs(const Expr& expr);

// Per-kind compilers (eval_*.cc, functions_*.cc).
Result<NodePtr> CompileLogic(const Expr& expr);    // kAnd, kOr, kNot, kIsNull, kCase
Result<NodePtr> CompileCompare(const Expr& expr);  // kCompare, kBetween, kInList
Result<NodePtr> CompileLike(const Expr& expr);     // kLike
Result<NodePtr> CompileCast(const Expr& expr);     // kCast
Result<NodePtr> CompileCall(const Expr& expr);     // kCall (dispatches to the functions_* files)
Result<NodePtr> CompileMathCall(const Expr& expr, std::vector<NodePtr> args);
Result<NodePtr> CompileStringCall(const Expr& expr, std::vector<NodePtr> args);
Result<NodePtr> CompileDatetimeCall(const Expr& expr, std::vector<NodePtr> args);
Result<NodePtr> CompileLazyCall(const Expr& expr, std::vector<NodePtr> args);  // coalesce, nullif

// A compare node over already compiled operands (also used for BETWEEN and IN rewrites).
NodePtr MakeCompareNode(CompareOp op, NodePtr left, NodePtr right);
// AND / OR / NOT over already compiled boolean nodes.
NodePtr MakeAndNode(std::vector<NodePtr> args);
NodePtr MakeOrNode(std::vector<NodePtr> args);
NodePtr MakeNotNode(NodePtr arg);
NodePtr MakeConstantNode(Value v);

// Appends the TRUE positions of a boolean operand, as input rows, to *selected.
void AppendTrueRows(const Operand& b, size_t n, const std::vector<uint32_t>* rows, std::vector<uint32_t>* selected);

// `a` minus `b` (both ascending).
std::vector<uint32_t> Difference(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);
// All positions of a batch as explicit rows.
std::vector<uint32_t> AllRows(const EvalInput& input, const std::vector<uint32_t>* rows);

// Type checks for Compile: InvalidArgument naming the expression. An untyped NULL literal
// (kUnknown constant) passes ExpectType for any type.
Status ExpectArgs(const Expr& expr, size_t min, size_t max);
Status ExpectType(const Expr& expr, const Expr& arg, SqlType want);

// The message for an evaluation error of `what` (a function name), e.g. "bigint addition
// overflow: 9223372036854775807 + 1".
Status EvalError(std::string message);

// Shared with the cast code and tests: formats like Trino's CAST(x AS varchar).
std::string FormatDoubleForCast(double v);

// Writes the input rows of the positions whose physical row r of `a` satisfies pred(r) to
// *out (replacing it). `a` indexes the positions (it is not a broadcast). The loop writes every
// candidate and advances only on a match, so it has no data-dependent branch of its own.
template <typename Pred>
void SelectWhere(const Operand& a, size_t n, const std::vector<uint32_t>* rows, Pred pred,
                 std::vector<uint32_t>* out) {
  out->resize(n);
  uint32_t* o = out->data();
  size_t k = 0;
  if (a.idx() == nullptr && rows == nullptr) {
    for (size_t i = 0; i < n; ++i) {
      o[k] = static_cast<uint32_t>(i);
      k += pred(i) ? 1 : 0;
    }
  } else if (a.idx() == nullptr) {
    const uint32_t* r = rows->data();
    for (size_t i = 0; i < n; ++i) {
      o[k] = r[i];
      k += pred(i) ? 1 : 0;
    }
  } else {
    // A borrowed column: its idx are the input rows themselves.
    const uint32_t* idx = a.idx();
    for (size_t i = 0; i < n; ++i) {
      uint32_t r = idx[i];
      o[k] = r;
      k += pred(r) ? 1 : 0;
    }
  }
  out->resize(k);
}

// A per-thread buffer for building one string value at a time (cleared): row kernels reuse it
// instead of allocating a std::string per row; compiled nodes are shared between threads.
inline std::string& ScratchString() {
  thread_local std::string buffer;
  buffer.clear();
  return buffer;
}

// A node that evaluates `args` on the same positions and fills the output row by row through
// `fn(ops, i, out, err) -> bool` (false: *err is set). Strict: a NULL argument gives NULL
// without calling fn.
template <typename Fn>
class StrictMapNode final : public EvalNode {
 public:
  StrictMapNode(SqlType type, std::vector<NodePtr> args, Fn fn)
      : EvalNode(type), args_(std::move(args)), fn_(std::move(fn)) {}

  Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const override {
    size_t n = NumPositions(input, rows);
    std::vector<Operand> ops(args_.size());
    for (size_t a = 0; a < args_.size(); ++a) RETURN_IF_ERROR(args_[a]->EvalOperand(input, rows, &ops[a]));
    Column out(PhysicalType(type()));
    out.Reserve(n);
    Status err;
    for (size_t i = 0; i < n; ++i) {
      bool any_null = false;
      for (const Operand& op : ops) any_null |= op.IsNull(i);
      if (any_null) {
        out.AppendNull();
      } else if (!fn_(ops.data(), i, &out, &err)) {
        return err;
      }
    }
    return out;
  }

 private:
  std::vector<NodePtr> args_;
  Fn fn_;
};

template <typename Fn>
NodePtr MakeStrictMap(SqlType type, std::vector<NodePtr> args, Fn fn) {
  return std::make_unique<StrictMapNode<Fn>>(type, std::move(args), std::move(fn));
}

}  // namespace loglake::query::eval
