// Helpers for the query API tests: small access_log lakes (test_lake.h), plans bound from SQL,
// and a JSON reader.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "common/time.h"
#include "lake/table.h"
#include "query/binder.h"
#include "query/plan.h"
#include "test_lake.h"

namespace loglake::server::querytest {

using testing_util::AccessLogRow;
using testing_util::WriteAccessLogDay;

// `days` days from 2024-05-01, `per_day` rows a day, tenants alternating acme/globex/initech;
// uuids "d<day>-<i>" are unique.
inline void WriteTestLake(const std::string& lake, int days, int per_day) {
  const char* tenants[] = {"acme", "globex", "initech"};
  for (int d = 0; d < days; ++d) {
    std::vector<AccessLogRow> rows;
    const int64_t midnight = MicrosFromCivilDate({2024, 5, 1}) + d * kMicrosPerDay;
    for (int i = 0; i < per_day; ++i) {
      rows.push_back(AccessLogRow{"d" + std::to_string(d) + "-" + std::to_string(i),
                                  midnight + static_cast<int64_t>(i) * (kMicrosPerDay / per_day), tenants[i % 3],
                                  i % 10 == 0 ? 500 : 200});
    }
    WriteAccessLogDay(lake, "part-0.parquet", rows);
  }
}

// Binds `sql` over the built-in access_log.
inline query::QueryPlan Bind(const std::string& sql, const std::vector<query::Value>& params = {}) {
  auto resolve = [](std::string_view) -> Result<lake::TableDef> { return lake::AccessLogTable(); };
  Result<query::QueryPlan> plan = query::PlanQuery(sql, params, resolve, NowMicros());
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? std::move(*plan) : query::QueryPlan{};
}

// A parsed JSON document that owns its parser.
struct Json {
  explicit Json(const std::string& text) : padded(text) {
    const auto error = parser.parse(padded).get(root);
    EXPECT_EQ(error, simdjson::SUCCESS) << text;
  }
  simdjson::padded_string padded;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
};

}  // namespace loglake::server::querytest
