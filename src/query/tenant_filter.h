// Restricting a bound plan to a set of tenants: the guarantee behind tenant-bound tokens.
//
// The predicate is added to the plan after binding, as a tree of constants (never SQL text), and
// AND-ed with whatever WHERE the query has: filter' = (filter) AND tenant_id IN ('t1', ...).
// Every later step of the plan (dedup, GROUP BY, HAVING, ORDER BY, outputs) sees only rows that
// passed the filter, and the plan has no other way to read the table, so no SQL can see rows of
// other tenants — an OR in the user's WHERE stays inside the left operand of the AND.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "query/plan.h"

namespace loglake::query {

// The column that names a record's tenant.
inline constexpr std::string_view kTenantColumn = "tenant_id";

// Whether `table` has a varchar tenant column a plan can be restricted by.
bool HasTenantColumn(const lake::TableDef& table);

// ANDs `tenant_id IN (tenants...)` into plan->filter. InvalidArgument when the table has no
// varchar tenant_id column or `tenants` is empty (a token bound to no tenant sees nothing:
// callers must not call this with an empty list to mean "all").
Status RestrictToTenants(const std::vector<std::string>& tenants, QueryPlan* plan);

}  // namespace loglake::query
