// Helpers for the query API tests: small access_log lakes written with parquet::FileWriter (the
// layout and metadata the converter produces), plans bound from SQL, and a JSON reader.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/file.h"
#include "common/time.h"
#include "lake/partition.h"
#include "lake/table.h"
#include "parquet/writer.h"
#include "query/binder.h"
#include "query/plan.h"

namespace loglake::server::querytest {

struct LogRow {
  std::string uuid;
  int64_t time = 0;
  std::string tenant;
  int32_t status = 200;
};

// Writes rows of one UTC day as <lake>/access_log/yyyy/MM/dd/<name>.
inline void WriteAccessLogDay(const std::string& lake, const std::string& name, const std::vector<LogRow>& rows) {
  const lake::TableDef t = lake::AccessLogTable();
  const std::string dir = lake + "/access_log/" + lake::PartitionPath(t.layout, CivilDateFromMicros(rows.at(0).time));
  std::filesystem::create_directories(dir);
  auto file = WritableFile::Create(dir + "/" + name);
  ASSERT_TRUE(file.ok());
  parquet::WriterOptions o;
  o.row_group_rows = 500;
  o.page_rows = 100;
  o.bloom_columns = t.bloom_columns;
  o.key_value_metadata = lake::FileMetadataFor(t);
  auto writer = parquet::FileWriter::Create(file->get(), t.columns, o);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ColumnBatch batch(t.columns);
  for (const LogRow& r : rows) {
    for (size_t c = 0; c < t.columns.size(); ++c) {
      const std::string& field = t.columns[c].name;
      Column& col = batch.columns[c];
      if (field == "uuid") {
        col.AppendString(r.uuid);
      } else if (field == "time") {
        col.AppendTimestamp(r.time);
      } else if (field == "status") {
        col.AppendInt32(r.status);
      } else if (field == "tenant_id") {
        col.AppendString(r.tenant);
      } else {
        col.AppendNull();
      }
    }
  }
  ASSERT_TRUE((*writer)->Write(batch).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  ASSERT_TRUE((*file)->Close().ok());
}

// `days` days from 2024-05-01, `per_day` rows a day, tenants alternating acme/globex/initech;
// uuids "d<day>-<i>" are unique.
inline void WriteTestLake(const std::string& lake, int days, int per_day) {
  const char* tenants[] = {"acme", "globex", "initech"};
  for (int d = 0; d < days; ++d) {
    std::vector<LogRow> rows;
    const int64_t midnight = MicrosFromCivilDate({2024, 5, 1}) + d * kMicrosPerDay;
    for (int i = 0; i < per_day; ++i) {
      rows.push_back(LogRow{"d" + std::to_string(d) + "-" + std::to_string(i),
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
