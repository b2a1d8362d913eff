// [NOT] LIKE. A constant pattern is compiled once (like_matcher.h) and Select runs it straight
// over the string column's offsets and bytes; a pattern computed per row is compiled per
// distinct consecutive value.
#include <cstring>
#include <optional>

#include "query/execution/eval_node.h"
#include "query/execution/like_matcher.h"

namespace loglake::query::eval {
namespace {

class LikeNode final : public EvalNode {
 public:
  LikeNode(NodePtr value, NodePtr pattern, NodePtr escape, bool negated)
      : EvalNode(SqlType::kBoolean), value_(std::move(value)), pattern_(std::move(pattern)),
        escape_(std::move(escape)), negated_(negated) {}

  // Compiles the constant pattern (if it is one). A NULL pattern or escape makes every row NULL.
  Status Prepare() {
    const Value* p = pattern_->constant();
    const Value* e = escape_ != nullptr ? escape_->constant() : nullptr;
    if (p == nullptr || (escape_ != nullptr && e == nullptr)) return Status::OK();
    if (p->is_null() || (e != nullptr && e->is_null())) {
      always_null_ = true;
      return Status::OK();
    }
    std::optional<std::string_view> esc;
    if (e != nullptr) esc = e->AsString();
    ASSIGN_OR_RETURN(LikeMatcher m, LikeMatcher::Compile(p->AsString(), esc));
    matcher_ = std::move(m);
    return Status::OK();
  }

  Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const override {
    size_t n = NumPositions(input, rows);
    Column out(ColumnType::kBool);
    out.Reserve(n);
    if (always_null_) {
      for (size_t i = 0; i < n; ++i) out.AppendNull();
      return out;
    }
    Operand v;
    RETURN_IF_ERROR(value_->EvalOperand(input, rows, &v));
    if (matcher_.has_value()) {
      for (size_t i = 0; i < n; ++i) {
        if (v.IsNull(i)) {
          out.AppendNull();
        } else {
          out.AppendBool(matcher_->Matches(v.Str(i)) != negated_);
        }
      }
      return out;
    }
    Operand p, e;
    RETURN_IF_ERROR(pattern_->EvalOperand(input, rows, &p));
    if (escape_ != nullptr) RETURN_IF_ERROR(escape_->EvalOperand(input, rows, &e));
    std::optional<LikeMatcher> cached;
    std::string cached_pattern, cached_escape;
    for (size_t i = 0; i < n; ++i) {
      if (v.IsNull(i) || p.IsNull(i) || (escape_ != nullptr && e.IsNull(i))) {
        out.AppendNull();
        continue;
      }
      std::string_view pat = p.Str(i);
      std::optional<std::string_view> esc;
      if (escape_ != nullptr) esc = e.Str(i);
      if (!cached.has_value() || pat != cached_pattern || esc.value_or("") != cached_escape) {
        ASSIGN_OR_RETURN(LikeMatcher m, LikeMatcher::Compile(pat, esc));
        cached = std::move(m);
        cached_pattern = std::string(pat);
        cached_escape = std::string(esc.value_or(""));
      }
      out.AppendBool(cached->Matches(v.Str(i)) != negated_);
    }
    return out;
  }

  Status Select(const EvalInput& input, const std::vector<uint32_t>* rows,
                std::vector<uint32_t>* selected) const override {
    if (!matcher_.has_value() || always_null_) return EvalNode::Select(input, rows, selected);
    size_t n = NumPositions(input, rows);
    Operand v;
    RETURN_IF_ERROR(value_->EvalOperand(input, rows, &v));
    if (v.broadcast()) return EvalNode::Select(input, rows, selected);
    switch (matcher_->shape()) {
      case LikeMatcher::Shape::kExact: return SelectShape<LikeMatcher::Shape::kExact>(v, n, rows, selected);
      case LikeMatcher::Shape::kPrefix: return SelectShape<LikeMatcher::Shape::kPrefix>(v, n, rows, selected);
      case LikeMatcher::Shape::kSuffix: return SelectShape<LikeMatcher::Shape::kSuffix>(v, n, rows, selected);
      case LikeMatcher::Shape::kContains: return SelectShape<LikeMatcher::Shape::kContains>(v, n, rows, selected);
      case LikeMatcher::Shape::kAny: return SelectShape<LikeMatcher::Shape::kAny>(v, n, rows, selected);
      case LikeMatcher::Shape::kGeneral: return SelectShape<LikeMatcher::Shape::kGeneral>(v, n, rows, selected);
    }
    return Status::OK();
  }

 private:
  template <LikeMatcher::Shape kShape>
  bool MatchShape(std::string_view s) const {
    const std::string& lit = matcher_->literal();
    if constexpr (kShape == LikeMatcher::Shape::kExact) {
      return s == lit;
    } else if constexpr (kShape == LikeMatcher::Shape::kPrefix) {
      return s.size() >= lit.size() && std::memcmp(s.data(), lit.data(), lit.size()) == 0;
    } else if constexpr (kShape == LikeMatcher::Shape::kSuffix) {
      return s.size() >= lit.size() && std::memcmp(s.data() + s.size() - lit.size(), lit.data(), lit.size()) == 0;
    } else if constexpr (kShape == LikeMatcher::Shape::kAny) {
      return true;
    } else {
      return matcher_->Matches(s);
    }
  }

  template <LikeMatcher::Shape kShape>
  Status SelectShape(const Operand& v, size_t n, const std::vector<uint32_t>* rows,
                     std::vector<uint32_t>* selected) const {
    const uint8_t* valid = v.valid();
    const uint64_t* off = v.offsets();
    const char* data = v.data();
    const bool negated = negated_;
    SelectWhere(v, n, rows, [&](size_t r) {
      return valid[r] != 0 && MatchShape<kShape>(std::string_view(data + off[r], off[r + 1] - off[r])) != negated;
    }, selected);
    return Status::OK();
  }

  NodePtr value_, pattern_, escape_;
  bool negated_;
  bool always_null_ = false;
  std::optional<LikeMatcher> matcher_;
};

}  // namespace

Result<NodePtr> CompileLike(const Expr& expr) {
  RETURN_IF_ERROR(ExpectArgs(expr, 2, 3));
  for (const ExprPtr& a : expr.args) {
    if (a->type != SqlType::kUnknown) RETURN_IF_ERROR(ExpectType(expr, *a, SqlType::kVarchar));
  }
  ASSIGN_OR_RETURN(std::vector<NodePtr> args, CompileArgs(expr));
  for (NodePtr& a : args) {
    if (a->type() == SqlType::kUnknown) a = MakeConstantNode(Value::Null(SqlType::kVarchar));
  }
  NodePtr escape = args.size() > 2 ? std::move(args[2]) : nullptr;
  auto node = std::make_unique<LikeNode>(std::move(args[0]), std::move(args[1]), std::move(escape), expr.negated);
  RETURN_IF_ERROR(node->Prepare());
  return NodePtr(std::move(node));
}

}  // namespace loglake::query::eval
