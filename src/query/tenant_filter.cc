#include "query/tenant_filter.h"

namespace loglake::query {
namespace {

int TenantColumnIndex(const lake::TableDef& table) {
  const int index = table.ColumnIndex(kTenantColumn);
  if (index < 0 || table.columns[static_cast<size_t>(index)].type != ColumnType::kString) return -1;
  return index;
}

}  // namespace

bool HasTenantColumn(const lake::TableDef& table) { return TenantColumnIndex(table) >= 0; }

Status RestrictToTenants(const std::vector<std::string>& tenants, QueryPlan* plan) {
  const int index = TenantColumnIndex(plan->table);
  if (index < 0) {
    return Status::InvalidArgument("table '" + plan->table.name + "' has no varchar column " +
                                   std::string(kTenantColumn) + " to restrict by tenant");
  }
  if (tenants.empty()) return Status::InvalidArgument("no tenant to restrict the query to");
  std::vector<ExprPtr> in_list;
  in_list.push_back(Expr::Column(index, SqlType::kVarchar, std::string(kTenantColumn)));
  for (const std::string& t : tenants) in_list.push_back(Expr::Constant(Value::Varchar(t)));
  ExprPtr restriction = Expr::Make(ExprKind::kInList, SqlType::kBoolean, std::move(in_list));
  if (!plan->filter) {
    plan->filter = std::move(restriction);
    return Status::OK();
  }
  std::vector<ExprPtr> both;
  both.push_back(std::move(plan->filter));
  both.push_back(std::move(restriction));
  plan->filter = Expr::Make(ExprKind::kAnd, SqlType::kBoolean, std::move(both));
  return Status::OK();
}

}  // namespace loglake::query
