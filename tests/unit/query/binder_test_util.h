// Helpers for the binder tests: PlanQuery over the built-in access_log table at a fixed now.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/time.h"
#include "lake/table.h"
#include "query/binder.h"

namespace loglake::query::testing_binder {

// 2024-05-10 12:00:00 UTC.
inline int64_t FixedNow() { return *ParseTimestampMicros("2024-05-10T12:00:00Z"); }

inline Result<lake::TableDef> ResolveAccessLog(std::string_view name) {
  if (name == "access_log") return lake::AccessLogTable();
  return Status::NotFound("table '" + std::string(name) + "' not found");
}

inline Result<QueryPlan> Plan(std::string_view sql, const std::vector<Value>& params = {}) {
  return PlanQuery(sql, params, ResolveAccessLog, FixedNow());
}

inline QueryPlan PlanOk(std::string_view sql, const std::vector<Value>& params = {}) {
  Result<QueryPlan> r = Plan(sql, params);
  EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  return r.ok() ? std::move(r).value() : QueryPlan{};
}

inline std::string PlanError(std::string_view sql, const std::vector<Value>& params = {}) {
  Result<QueryPlan> r = Plan(sql, params);
  EXPECT_FALSE(r.ok()) << "expected an error for: " << sql;
  return r.ok() ? "" : r.status().message();
}

// The bound WHERE of "SELECT uuid FROM access_log WHERE <expr>" as text.
inline std::string Filter(const std::string& expr, const std::vector<Value>& params = {}) {
  QueryPlan p = PlanOk("SELECT uuid FROM access_log WHERE " + expr, params);
  return p.filter ? p.filter->ToString() : "";
}

// The bound first output of "SELECT <expr> FROM access_log".
inline ExprPtr Output(const std::string& expr, const std::vector<Value>& params = {}) {
  QueryPlan p = PlanOk("SELECT " + expr + " FROM access_log", params);
  if (p.outputs.empty()) return Expr::Constant(Value());
  return std::move(p.outputs[0].expr);
}

inline int64_t Micros(const char* iso) { return *ParseTimestampMicros(iso); }

}  // namespace loglake::query::testing_binder
