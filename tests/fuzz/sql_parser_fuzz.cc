// libFuzzer target: any byte string as SQL (up to the first NUL byte), with `?` parameters made
// from the bytes after it, planned against the built-in access_log table. PlanQuery must return
// a plan or an error, never crash, trip a sanitizer, hang or recurse without bound; a plan must
// print, clone and report its columns.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_query_input.h"
#include "lake/table.h"
#include "query/binder.h"

namespace {

using loglake::Result;
using loglake::Status;
using loglake::query::ExprPtr;
using loglake::query::QueryPlan;
using loglake::query::SqlType;
using loglake::query::Value;



Result<loglake::lake::TableDef> Resolve(std::string_view name) {
  if (name == "access_log") return loglake::lake::AccessLogTable();
  return Status::NotFound("no table " + std::string(name));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const loglake::fuzz::QueryInput input = loglake::fuzz::SplitQueryInput(data, size, 0, uint64_t{1} << 58);
  const std::string_view sql = input.sql;
  const std::vector<Value>& params = input.params;

  Result<QueryPlan> plan = loglake::query::PlanQuery(sql, params, Resolve, 1715342400000000);
  if (plan.ok()) {
    (void)plan->ToString();
    (void)plan->ReferencedColumns();
    (void)plan->TableLevelTypes();
    for (const auto& o : plan->outputs) {
      ExprPtr copy = o.expr->Clone();
      if (!copy->SameAs(*o.expr)) __builtin_trap();
    }
  } else if (plan.status().message().empty()) {
    __builtin_trap();  // every error must say something
  }
  return 0;
}
