#include "query/execution/result_builder.h"

#include <algorithm>
#include <limits>
#include <string>

#include "query/execution/aggregate.h"
#include "query/execution/hash_table.h"
#include "query/execution/project.h"
#include "query/execution/sort.h"
#include "query/execution/topn.h"

namespace loglake::query {
namespace {

constexpr uint64_t kUnbounded = std::numeric_limits<uint64_t>::max();

uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return a > kUnbounded - b ? kUnbounded : a + b; }

Status TooManyRows(uint64_t max_rows) {
  return Status::ResourceExhausted("the result has more than " + std::to_string(max_rows) +
                                   " rows (max_result_rows); add a LIMIT or a narrower WHERE, or raise "
                                   "max_result_rows");
}

Status AggregationTooLarge(uint64_t limit) {
  constexpr uint64_t kMiB = uint64_t{1} << 20;
  const std::string amount =
      limit % kMiB == 0 ? std::to_string(limit / kMiB) + " MiB" : std::to_string(limit) + " bytes";
  return Status::ResourceExhausted("aggregation needs more than " + amount +
                                   " (--max-memory); narrow the time range or group by fewer values, or "
                                   "raise --max-memory");
}

// Rows [from, to) as indexes.
std::vector<uint32_t> Range(size_t from, size_t to) {
  std::vector<uint32_t> rows;
  for (size_t i = from; i < to; ++i) rows.push_back(static_cast<uint32_t>(i));
  return rows;
}

// What every builder shares: the plan's outputs and ORDER BY, OFFSET/LIMIT, the row limit.
class BuilderBase : public ResultBuilder {
 protected:
  BuilderBase(const QueryPlan& plan, const QueryLimits& limits) : plan_(plan), limits_(limits) {
    offset_ = static_cast<uint64_t>(std::max<int64_t>(plan.offset, 0));
    if (plan.limit) need_ = SaturatingAdd(offset_, static_cast<uint64_t>(std::max<int64_t>(*plan.limit, 0)));
    max_rows_ = limits.max_result_rows == 0 ? kUnbounded : limits.max_result_rows;
  }

  Status PrepareOutputs() {
    for (const OutputColumn& o : plan_.outputs) {
      ASSIGN_OR_RETURN(ProjectedExpr p, ProjectedExpr::Make(*o.expr));
      outputs_.push_back(std::move(p));
    }
    for (const SortKey& k : plan_.order_by) {
      ASSIGN_OR_RETURN(ProjectedExpr p, ProjectedExpr::Make(*k.expr));
      sort_exprs_.push_back(std::move(p));
      sort_specs_.push_back({k.descending, k.nulls_first});
    }
    return Status::OK();
  }

  // True when holding `held` rows (before OFFSET) already means the result exceeds the limit.
  bool ExceedsRowLimit(uint64_t held) const {
    uint64_t cap = SaturatingAdd(offset_, max_rows_);
    return held > cap && need_ > cap;
  }

  // Evaluates exprs over rows (nullptr: all) into `scratch` (resized), returning the columns.
  static Result<std::vector<const Column*>> EvaluateAll(const std::vector<ProjectedExpr>& exprs,
                                                        const EvalInput& input, const std::vector<uint32_t>* rows,
                                                        std::vector<Column>* scratch) {
    scratch->clear();
    for (size_t i = 0; i < exprs.size(); ++i) scratch->emplace_back(ColumnType::kBool);
    std::vector<const Column*> out;
    for (size_t i = 0; i < exprs.size(); ++i) {
      ASSIGN_OR_RETURN(const Column* c, exprs[i].Evaluate(input, rows, &(*scratch)[i]));
      out.push_back(c);
    }
    return out;
  }

  std::vector<ColumnType> OutputTypes() const {
    std::vector<ColumnType> types;
    for (const OutputColumn& o : plan_.outputs) types.push_back(PhysicalType(o.expr->type));
    return types;
  }

  std::vector<SortColumn> SortColumns(const std::vector<const Column*>& keys) const {
    std::vector<SortColumn> cols;
    for (size_t k = 0; k < keys.size(); ++k) cols.push_back({keys[k], sort_specs_[k]});
    return cols;
  }

  Result<QueryResult> MakeResult(std::vector<Column> columns) const {
    QueryResult result;
    size_t rows = columns.empty() ? 0 : columns[0].size();
    if (rows > max_rows_) return TooManyRows(max_rows_);
    for (size_t i = 0; i < plan_.outputs.size(); ++i) {
      result.names.push_back(plan_.outputs[i].name);
      result.types.push_back(plan_.outputs[i].expr->type);
    }
    result.columns = std::move(columns);
    return result;
  }

  const QueryPlan& plan_;
  QueryLimits limits_;
  uint64_t offset_ = 0;
  uint64_t need_ = kUnbounded;  // rows that matter before OFFSET: offset + limit
  uint64_t max_rows_ = kUnbounded;
  std::vector<ProjectedExpr> outputs_;
  std::vector<ProjectedExpr> sort_exprs_;
  std::vector<SortKeySpec> sort_specs_;
};

// SELECT without aggregates: outputs per row; kept as they come (no ORDER BY), in a top-N
// (ORDER BY ... LIMIT), or all then sorted (ORDER BY alone).
class PlainBuilder final : public BuilderBase {
 public:
  PlainBuilder(const QueryPlan& plan, const QueryLimits& limits) : BuilderBase(plan, limits) {}

  Status Init() {
    RETURN_IF_ERROR(PrepareOutputs());
    for (ColumnType t : OutputTypes()) kept_.emplace_back(t);
    std::vector<ColumnType> key_types;
    for (const ProjectedExpr& k : sort_exprs_) {
      key_types.push_back(PhysicalType(k.type()));
      kept_keys_.emplace_back(PhysicalType(k.type()));
    }
    if (!sort_exprs_.empty() && need_ != kUnbounded) {
      topn_ = std::make_unique<TopN>(key_types, sort_specs_, OutputTypes(), static_cast<size_t>(need_));
    }
    return Status::OK();
  }

  Status Add(const EvalInput& input) override {
    size_t n = input.num_rows;
    if (n == 0 || Saturated()) return Status::OK();
    if (topn_) return AddTopN(input);
    const std::vector<uint32_t>* rows = nullptr;
    std::vector<uint32_t> prefix;
    if (sort_exprs_.empty() && kept_rows_ + n > need_) {
      prefix = Range(0, need_ - kept_rows_);
      rows = &prefix;
    }
    ASSIGN_OR_RETURN(std::vector<const Column*> out, EvaluateAll(outputs_, input, rows, &scratch_));
    for (size_t i = 0; i < out.size(); ++i) AppendRows(*out[i], nullptr, &kept_[i]);
    if (!sort_exprs_.empty()) {
      ASSIGN_OR_RETURN(std::vector<const Column*> keys, EvaluateAll(sort_exprs_, input, nullptr, &key_scratch_));
      for (size_t k = 0; k < keys.size(); ++k) AppendRows(*keys[k], nullptr, &kept_keys_[k]);
    }
    kept_rows_ += rows ? rows->size() : n;
    if (ExceedsRowLimit(kept_rows_)) return TooManyRows(max_rows_);
    return Status::OK();
  }

  Status Merge(ResultBuilder&& other_builder) override {
    auto* other = dynamic_cast<PlainBuilder*>(&other_builder);
    if (other == nullptr) return Status::Internal("merging result builders of different plans");
    if (topn_) {
      topn_->Merge(std::move(*other->topn_));
      return Status::OK();
    }
    if (Saturated()) return Status::OK();
    const std::vector<uint32_t>* rows = nullptr;
    std::vector<uint32_t> prefix;
    if (sort_exprs_.empty() && kept_rows_ + other->kept_rows_ > need_) {
      prefix = Range(0, need_ - kept_rows_);
      rows = &prefix;
    }
    for (size_t i = 0; i < kept_.size(); ++i) AppendRows(other->kept_[i], rows, &kept_[i]);
    for (size_t k = 0; k < kept_keys_.size(); ++k) AppendRows(other->kept_keys_[k], rows, &kept_keys_[k]);
    kept_rows_ += rows ? rows->size() : other->kept_rows_;
    if (ExceedsRowLimit(kept_rows_)) return TooManyRows(max_rows_);
    return Status::OK();
  }

  std::optional<Value> TopNBoundary() const override {
    if (!topn_ || !topn_->full()) return std::nullopt;
    return ValueAt(topn_->key_column(0), sort_exprs_[0].type(), topn_->CutoffRow());
  }

  bool Saturated() const override {
    if (topn_) return need_ == 0;
    return sort_exprs_.empty() && kept_rows_ >= need_;
  }

  Result<QueryResult> Finish() override {
    std::vector<Column> columns;
    if (topn_) {
      columns = topn_->Finish();
    } else if (!sort_exprs_.empty()) {
      std::vector<const Column*> keys;
      for (const Column& c : kept_keys_) keys.push_back(&c);
      std::vector<uint32_t> order = Iota(kept_rows_);
      SortRowIndices(SortColumns(keys), &order);
      for (const Column& c : kept_) columns.push_back(Gather(c, order));
    } else {
      columns = std::move(kept_);
    }
    size_t rows = columns.empty() ? 0 : columns[0].size();
    if (offset_ > 0) {
      std::vector<uint32_t> tail = Range(std::min<uint64_t>(offset_, rows), rows);
      for (Column& c : columns) c = Gather(c, tail);
    }
    return MakeResult(std::move(columns));
  }

 private:
  Status AddTopN(const EvalInput& input) {
    ASSIGN_OR_RETURN(std::vector<const Column*> keys, EvaluateAll(sort_exprs_, input, nullptr, &key_scratch_));
    topn_->Candidates(keys, input.num_rows, &candidates_);
    if (candidates_.empty()) return Status::OK();
    const std::vector<uint32_t>* rows = candidates_.size() == input.num_rows ? nullptr : &candidates_;
    ASSIGN_OR_RETURN(std::vector<const Column*> payload, EvaluateAll(outputs_, input, rows, &scratch_));
    topn_->Add(keys, candidates_, payload);
    if (ExceedsRowLimit(topn_->size())) return TooManyRows(max_rows_);
    return Status::OK();
  }

  std::vector<Column> kept_;       // outputs, in arrival order (no top-N)
  std::vector<Column> kept_keys_;  // sort keys of kept_ (ORDER BY without LIMIT)
  uint64_t kept_rows_ = 0;
  std::unique_ptr<TopN> topn_;
  std::vector<Column> scratch_;
  std::vector<Column> key_scratch_;
  std::vector<uint32_t> candidates_;
};

// GROUP BY / aggregates: hash aggregation into per-group states; HAVING, ORDER BY, OFFSET,
// LIMIT and the outputs run over the groups at Finish (aggregate level, plan.h).
class AggregateBuilder final : public BuilderBase {
 public:
  AggregateBuilder(const QueryPlan& plan, const QueryLimits& limits, MemoryBudget* budget)
      : BuilderBase(plan, limits), budget_(budget) {
    if (budget_ == nullptr) {
      own_budget_ = std::make_unique<MemoryBudget>(limits.max_memory_bytes);
      budget_ = own_budget_.get();
    }
  }
  ~AggregateBuilder() override { budget_->Recharge(charged_, 0); }

  Status Init() {
    std::vector<ColumnType> key_types;
    for (const ExprPtr& k : plan_.group_keys) {
      ASSIGN_OR_RETURN(ProjectedExpr p, ProjectedExpr::Make(*k));
      key_types.push_back(PhysicalType(k->type));
      keys_.push_back(std::move(p));
    }
    table_ = std::make_unique<GroupHashTable>(key_types);
    bool grouped = !plan_.group_keys.empty();
    for (const AggregateCall& call : plan_.aggregates) {
      std::optional<ProjectedExpr> arg;
      SqlType arg_type = SqlType::kUnknown;
      if (call.kind != AggregateKind::kCountStar) {
        if (!call.arg) return Status::InvalidArgument(call.ToString() + " has no argument");
        ASSIGN_OR_RETURN(ProjectedExpr p, ProjectedExpr::Make(*call.arg));
        arg = std::move(p);
        arg_type = call.arg->type;
      }
      ASSIGN_OR_RETURN(std::unique_ptr<AggregateState> state, AggregateState::Make(call, arg_type, grouped));
      args_.push_back(std::move(arg));
      states_.push_back(std::move(state));
    }
    if (plan_.having) {
      ASSIGN_OR_RETURN(ProjectedExpr p, ProjectedExpr::Make(*plan_.having));
      having_ = std::move(p);
    }
    return PrepareOutputs();
  }

  Status Add(const EvalInput& input) override {
    size_t n = input.num_rows;
    if (n == 0) return Status::OK();
    ASSIGN_OR_RETURN(std::vector<const Column*> keys, EvaluateAll(keys_, input, nullptr, &key_scratch_));
    table_->FindOrInsert(keys, n, &group_ids_);
    size_t groups = NumGroups();
    Column arg_scratch(ColumnType::kBool);
    for (size_t i = 0; i < states_.size(); ++i) {
      states_[i]->Resize(groups);
      const Column* arg = nullptr;
      if (args_[i]) {
        ASSIGN_OR_RETURN(arg, args_[i]->Evaluate(input, nullptr, &arg_scratch));
      }
      RETURN_IF_ERROR(states_[i]->Update(group_ids_.data(), n, arg));
    }
    return ChargeMemory();
  }

  Status Merge(ResultBuilder&& other_builder) override {
    auto* other = dynamic_cast<AggregateBuilder*>(&other_builder);
    if (other == nullptr) return Status::Internal("merging result builders of different plans");
    std::vector<uint32_t> map;
    if (plan_.group_keys.empty()) {
      map.assign(1, 0);
    } else {
      std::vector<const Column*> keys;
      for (const Column& c : other->table_->key_columns()) keys.push_back(&c);
      table_->FindOrInsert(keys, other->table_->num_groups(), &map);
    }
    size_t groups = NumGroups();
    for (size_t i = 0; i < states_.size(); ++i) {
      states_[i]->Resize(groups);
      other->states_[i]->Resize(other->NumGroups());
      RETURN_IF_ERROR(states_[i]->Merge(*other->states_[i], map));
    }
    return ChargeMemory();
  }

  std::optional<Value> TopNBoundary() const override { return std::nullopt; }
  bool Saturated() const override { return false; }

  Result<QueryResult> Finish() override {
    size_t groups = NumGroups();
    // The aggregate-level row: group keys, then aggregates.
    std::vector<Column> level;
    for (const Column& c : table_->key_columns()) level.push_back(c);
    for (auto& state : states_) {
      ASSIGN_OR_RETURN(Column c, state->Finish(groups));
      level.push_back(std::move(c));
    }
    EvalInput input;
    for (const Column& c : level) input.columns.push_back(&c);
    input.num_rows = groups;

    std::vector<uint32_t> selected;
    if (having_) {
      RETURN_IF_ERROR(having_->Select(input, nullptr, &selected));
    } else {
      selected = Iota(groups);
    }
    // `final_rows`: the groups of the result, in result order.
    std::vector<uint32_t> final_rows;
    if (!sort_exprs_.empty()) {
      std::vector<Column> scratch;
      ASSIGN_OR_RETURN(std::vector<const Column*> keys, EvaluateAll(sort_exprs_, input, &selected, &scratch));
      std::vector<uint32_t> order = Iota(selected.size());
      SortRowIndices(SortColumns(keys), &order, need_ == kUnbounded ? order.size() : static_cast<size_t>(need_));
      for (size_t i = offset_; i < order.size(); ++i) final_rows.push_back(selected[order[i]]);
    } else {
      size_t end = static_cast<size_t>(std::min<uint64_t>(need_, selected.size()));
      for (size_t i = offset_; i < end; ++i) final_rows.push_back(selected[i]);
    }
    if (final_rows.size() > max_rows_) return TooManyRows(max_rows_);

    // Outputs are evaluated over ascending rows, then put in result order.
    std::vector<uint32_t> ascending = final_rows;
    std::sort(ascending.begin(), ascending.end());
    std::vector<Column> scratch;
    ASSIGN_OR_RETURN(std::vector<const Column*> out, EvaluateAll(outputs_, input, &ascending, &scratch));
    std::vector<Column> columns;
    if (ascending == final_rows) {
      for (const Column* c : out) columns.push_back(*c);
    } else {
      std::vector<uint32_t> position;  // final_rows[i] sits at ascending[position[i]]
      position.reserve(final_rows.size());
      for (uint32_t g : final_rows) {
        position.push_back(static_cast<uint32_t>(std::lower_bound(ascending.begin(), ascending.end(), g) -
                                                 ascending.begin()));
      }
      for (const Column* c : out) columns.push_back(Gather(*c, position));
    }
    return MakeResult(std::move(columns));
  }

 private:
  size_t NumGroups() const { return plan_.group_keys.empty() ? 1 : table_->num_groups(); }

  // Charges what the table and the states hold now (constant time per state).
  Status ChargeMemory() {
    uint64_t usage = table_->MemoryUsage() + group_ids_.capacity() * sizeof(uint32_t);
    for (const auto& state : states_) usage += state->MemoryUsage();
    const bool within = budget_->Recharge(charged_, usage);
    charged_ = usage;
    return within ? Status::OK() : AggregationTooLarge(budget_->limit());
  }

  std::vector<ProjectedExpr> keys_;
  std::vector<std::optional<ProjectedExpr>> args_;
  std::vector<std::unique_ptr<AggregateState>> states_;
  std::optional<ProjectedExpr> having_;
  std::unique_ptr<GroupHashTable> table_;
  std::vector<uint32_t> group_ids_;
  std::vector<Column> key_scratch_;
  std::unique_ptr<MemoryBudget> own_budget_;
  MemoryBudget* budget_;  // own_budget_, or the query's shared one
  uint64_t charged_ = 0;  // what this builder has charged to budget_
};

}  // namespace

Result<std::unique_ptr<ResultBuilder>> ResultBuilder::Create(const QueryPlan& plan, const QueryLimits& limits,
                                                             MemoryBudget* budget) {
  if (plan.aggregate) {
    auto builder = std::make_unique<AggregateBuilder>(plan, limits, budget);
    RETURN_IF_ERROR(builder->Init());
    return std::unique_ptr<ResultBuilder>(std::move(builder));
  }
  auto builder = std::make_unique<PlainBuilder>(plan, limits);
  RETURN_IF_ERROR(builder->Init());
  return std::unique_ptr<ResultBuilder>(std::move(builder));
}

}  // namespace loglake::query
