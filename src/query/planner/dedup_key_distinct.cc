#include "query/planner/dedup_key_distinct.h"

#include <utility>

namespace loglake::query {
namespace {

ExprPtr CloneOrNull(const ExprPtr& e) { return e ? e->Clone() : nullptr; }

QueryPlan ClonePlan(const QueryPlan& plan) {
  QueryPlan out;
  out.table = plan.table;
  out.filter = CloneOrNull(plan.filter);
  out.aggregate = plan.aggregate;
  for (const ExprPtr& k : plan.group_keys) out.group_keys.push_back(k->Clone());
  for (const AggregateCall& a : plan.aggregates) out.aggregates.push_back(a.Clone());
  out.having = CloneOrNull(plan.having);
  for (const OutputColumn& o : plan.outputs) out.outputs.push_back({o.name, CloneOrNull(o.expr)});
  for (const SortKey& k : plan.order_by) out.order_by.push_back({CloneOrNull(k.expr), k.descending, k.nulls_first});
  out.offset = plan.offset;
  out.limit = plan.limit;
  return out;
}

bool IsDistinctOverColumn(const AggregateCall& call, int column) {
  return call.distinct && call.kind != AggregateKind::kCountStar && call.arg &&
         call.arg->kind == ExprKind::kColumnRef && call.arg->index == column;
}

}  // namespace

std::optional<QueryPlan> DropDistinctOnDedupKey(const QueryPlan& plan) {
  if (!plan.aggregate || plan.table.dedup_key.empty()) return std::nullopt;
  const int key = plan.table.ColumnIndex(plan.table.dedup_key);
  if (key < 0) return std::nullopt;
  bool any = false;
  for (const AggregateCall& call : plan.aggregates) any = any || IsDistinctOverColumn(call, key);
  if (!any) return std::nullopt;
  QueryPlan rewritten = ClonePlan(plan);
  for (AggregateCall& call : rewritten.aggregates) {
    if (IsDistinctOverColumn(call, key)) call.distinct = false;
  }
  return rewritten;
}

}  // namespace loglake::query
