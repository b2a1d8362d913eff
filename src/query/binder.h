// PlanQuery: SQL text → a bound QueryPlan (query/plan.h), the one way into the engine from text.
//
// Parses the Trino/Athena dialect (query/sql/), resolves the FROM table through `resolve`
// (`table` or `db.table`; the db part is ignored), binds names to columns (case-insensitively,
// like Trino), types every expression, inserts implicit casts, binds `?` parameters positionally
// from `params` as typed constants (never spliced into text), and turns now()/current_date into
// constants of `now_micros`.
//
// Constant subtrees that planning cares about are folded (now() - INTERVAL '1' DAY becomes a
// timestamp constant), so partition projection and statistics see `column <op> constant`.
// docs/sql.md is the user-facing reference of the dialect.
//
// Errors a person can act on:
//   syntax     InvalidArgument "line 1:15: expected FROM, found 'FORM'"
//   names      InvalidArgument "line 1:8: column 'uuidd' not found; did you mean 'uuid'?"
//   types      InvalidArgument "line 1:30: cannot compare varchar with integer ((uuid = 5))"
//   parameters InvalidArgument "the query has 2 parameters (?) but 1 value was given"
//   unsupported Unimplemented  "line 1:17: joins are not supported: loglake queries one table at a time"
//   nesting    InvalidArgument "line 1:140: expression too deeply nested (more than 100 levels)"
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "lake/table.h"
#include "query/plan.h"
#include "query/types.h"

namespace loglake::query {

// Returns the definition of the table named `name` (as written, without a db. prefix), or an
// error (NotFound with a message naming the table) that PlanQuery passes through.
using TableResolver = std::function<Result<lake::TableDef>(std::string_view name)>;

Result<QueryPlan> PlanQuery(std::string_view sql, const std::vector<Value>& params,
                            const TableResolver& resolve, int64_t now_micros);

}  // namespace loglake::query
