#include "query/plan.h"

#include <algorithm>
#include <functional>

namespace loglake::query {

const char* AggregateKindName(AggregateKind kind) {
  switch (kind) {
    case AggregateKind::kCountStar:
    case AggregateKind::kCount: return "count";
    case AggregateKind::kSum: return "sum";
    case AggregateKind::kMin: return "min";
    case AggregateKind::kMax: return "max";
    case AggregateKind::kAvg: return "avg";
  }
  return "?";
}

AggregateCall AggregateCall::Clone() const {
  AggregateCall c;
  c.kind = kind;
  c.distinct = distinct;
  c.arg = arg ? arg->Clone() : nullptr;
  c.type = type;
  return c;
}

std::string AggregateCall::ToString() const {
  if (kind == AggregateKind::kCountStar) return "count(*)";
  std::string s = AggregateKindName(kind);
  s += distinct ? "(DISTINCT " : "(";
  return s + (arg ? arg->ToString() : "") + ")";
}

std::vector<SqlType> QueryPlan::TableLevelTypes() const {
  std::vector<SqlType> types;
  types.reserve(table.columns.size() + 1);
  for (const Field& f : table.columns) types.push_back(SqlTypeOf(f.type));
  types.push_back(SqlType::kVarchar);  // datepath
  return types;
}

std::vector<int> QueryPlan::ReferencedColumns() const {
  std::vector<int> cols;
  std::function<void(const Expr*)> visit = [&](const Expr* e) {
    if (e == nullptr) return;
    if (e->kind == ExprKind::kColumnRef) cols.push_back(e->index);
    for (const ExprPtr& a : e->args) visit(a.get());
  };
  visit(filter.get());
  if (aggregate) {
    for (const ExprPtr& k : group_keys) visit(k.get());
    for (const AggregateCall& a : aggregates) visit(a.arg.get());
  } else {
    for (const OutputColumn& o : outputs) visit(o.expr.get());
    for (const SortKey& k : order_by) visit(k.expr.get());
  }
  std::sort(cols.begin(), cols.end());
  cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
  return cols;
}

std::string QueryPlan::ToString() const {
  std::string s = "Query on " + table.name + "\n";
  std::string list;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (i > 0) list += ", ";
    list += outputs[i].expr->ToString() + " AS " + outputs[i].name;
  }
  s += "  output: " + list + "\n";
  if (filter) s += "  filter: " + filter->ToString() + "\n";
  if (aggregate) {
    std::string keys;
    for (size_t i = 0; i < group_keys.size(); ++i) keys += (i ? ", " : "") + group_keys[i]->ToString();
    std::string aggs;
    for (size_t i = 0; i < aggregates.size(); ++i) aggs += (i ? ", " : "") + aggregates[i].ToString();
    s += "  group by: " + (keys.empty() ? std::string("()") : keys) + "\n";
    s += "  aggregates: " + aggs + "\n";
    if (having) s += "  having: " + having->ToString() + "\n";
  }
  if (!order_by.empty()) {
    std::string keys;
    for (size_t i = 0; i < order_by.size(); ++i) {
      keys += (i ? ", " : "") + order_by[i].expr->ToString() + (order_by[i].descending ? " DESC" : " ASC") +
              (order_by[i].nulls_first ? " NULLS FIRST" : " NULLS LAST");
    }
    s += "  order by: " + keys + "\n";
  }
  if (offset > 0) s += "  offset: " + std::to_string(offset) + "\n";
  if (limit) s += "  limit: " + std::to_string(*limit) + "\n";
  return s;
}

}  // namespace loglake::query
