// RunQuery / ExecutePlan end to end: SQL over a lake written by the converter, table resolution,
// dedup, statistics, EXPLAIN and limits.
#include <gtest/gtest.h>

#include <cstdio>

#include "common/file.h"
#include <filesystem>

#include "parquet/writer.h"
#include "query/engine.h"
#include "scan_test_util.h"
#include "test_util.h"

namespace loglake::query {
namespace {

using namespace scantest;  // NOLINT

struct LogRow {
  std::string uuid;
  int64_t time;
  int32_t status;
  std::string tenant;
};

// Writes access_log rows of one day the way the converter lays them out (bloom filters, schema
// metadata), with small row groups.
void WriteAccessLogDay(const std::string& lake, const std::string& name, const std::vector<LogRow>& rows) {
  const lake::TableDef t = lake::AccessLogTable();
  const std::string dir = lake + "/access_log/" + lake::PartitionPath(t.layout, CivilDateFromMicros(rows[0].time));
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
      } else if (field == "path") {
        col.AppendString("/p/" + r.uuid);
      } else {
        col.AppendNull();
      }
    }
  }
  ASSERT_TRUE((*writer)->Write(batch).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  ASSERT_TRUE((*file)->Close().ok());
}

class EngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lake_ = new std::string(testing_util::FreshTempDir("engine_run_query"));
    // Days 8, 9, 10 of March 2024: 1000 records each, one a minute; every 10th record of day 9
    // is delivered twice (once more in a second file).
    for (int day = 8; day <= 10; ++day) {
      std::vector<LogRow> rows, again;
      for (int i = 0; i < 1000; ++i) {
        LogRow r{"u" + std::to_string(day) + "-" + std::to_string(i), Micros(2024, 3, day) + i * 60 * kMicrosPerSecond,
                 i % 7 == 0 ? 500 : 200, "t" + std::to_string(i % 5)};
        if (day == 9 && i % 10 == 0) again.push_back(r);
        rows.push_back(std::move(r));
      }
      WriteAccessLogDay(*lake_, "part-a.parquet", rows);
      if (!again.empty()) WriteAccessLogDay(*lake_, "part-b.parquet", again);
    }
  }
  static void TearDownTestSuite() { delete lake_; }

  Result<QueryResult> Run(const std::string& sql, const std::vector<Value>& params = {}, QueryOptions o = {}) {
    o.now_micros = Micros(2024, 3, 11);
    return RunQuery(*lake_, sql, params, o);
  }

  static std::string* lake_;
};

std::string* EngineTest::lake_ = nullptr;

TEST_F(EngineTest, CountsDeduplicatedByDefault) {
  auto r = Run("SELECT count(*) FROM access_log");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->num_rows(), 1u);
  EXPECT_EQ(r->columns[0].Int64(0), 3000);
  EXPECT_EQ(r->stats.duplicates_dropped, 100u);
  EXPECT_EQ(r->stats.rows_scanned, 3100u);
  QueryOptions raw;
  raw.dedup = false;
  auto all = Run("SELECT count(*) FROM access_log", {}, raw);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->columns[0].Int64(0), 3100);
}

TEST_F(EngineTest, NeedleByParameterUsesBloomFiltersAndProjection) {
  QueryOptions o;
  o.explain = true;
  auto r = Run("SELECT uuid, status FROM access_log WHERE uuid = ? AND time >= TIMESTAMP '2024-03-09 00:00:00' "
               "AND time < TIMESTAMP '2024-03-10 00:00:00'",
               {Value::Varchar("u9-42")}, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->num_rows(), 1u);
  EXPECT_EQ(r->columns[0].String(0), "u9-42");
  EXPECT_EQ(r->stats.days_listed, 1u);
  EXPECT_EQ(r->stats.rows_returned, 1u);
  EXPECT_GT(r->stats.bytes_scanned, 0u);
  EXPECT_GT(r->stats.elapsed_seconds, 0);
  EXPECT_NE(r->explain.find("partition projection: 2024-03-09"), std::string::npos) << r->explain;
  EXPECT_NE(r->explain.find("row groups by bloom filters"), std::string::npos) << r->explain;
  // An injection attempt is a value that matches nothing.
  auto none = Run("SELECT uuid FROM access_log WHERE uuid = ?", {Value::Varchar("' OR 1=1 --")});
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(none->num_rows(), 0u);
  // A uuid inside every row group's min/max range is ruled out by the bloom filters alone.
  auto absent = Run("SELECT uuid FROM access_log WHERE uuid = 'u9-42x'");
  ASSERT_TRUE(absent.ok()) << absent.status().ToString();
  EXPECT_EQ(absent->num_rows(), 0u);
  EXPECT_GT(absent->stats.row_groups_by_bloom.pruned, 0u);
  EXPECT_EQ(absent->stats.rows_scanned, 0u);
}

TEST_F(EngineTest, TopNNewestFirst) {
  for (int threads : {1, 3}) {
    QueryOptions o;
    o.threads = threads;
    auto r = Run("SELECT uuid, time FROM access_log WHERE tenant_id = 't1' ORDER BY time DESC LIMIT 3", {}, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->num_rows(), 3u);
    EXPECT_EQ(r->columns[0].String(0), "u10-996");
    EXPECT_EQ(r->columns[0].String(1), "u10-991");
    EXPECT_EQ(r->columns[0].String(2), "u10-986");
    // The next day is not started while the newest day's units may still rule it out.
    EXPECT_EQ(r->stats.days_listed, 1u);
  }
}

TEST_F(EngineTest, DatePathIsQueryable) {
  auto r = Run("SELECT datepath, count(*) FROM access_log WHERE datepath LIKE '2024/03/1%' GROUP BY datepath");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->num_rows(), 1u);
  EXPECT_EQ(r->columns[0].String(0), "2024/03/10");
  EXPECT_EQ(r->columns[1].Int64(0), 1000);
  EXPECT_EQ(r->stats.days_listed, 1u);
}

TEST_F(EngineTest, LimitsAreErrorsThatNameTheSetting) {
  QueryOptions o;
  o.limits.max_days = 2;
  auto days = Run("SELECT count(*) FROM access_log", {}, o);
  EXPECT_EQ(days.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(days.status().message().find("max_days"), std::string::npos);
  QueryOptions b;
  b.limits.max_bytes_scanned = 100;
  auto bytes = Run("SELECT count(*) FROM access_log", {}, b);
  EXPECT_EQ(bytes.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(bytes.status().message().find("max_bytes_scanned"), std::string::npos);
  QueryOptions rows;
  rows.limits.max_result_rows = 10;
  auto many = Run("SELECT uuid FROM access_log", {}, rows);
  EXPECT_EQ(many.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(many.status().message().find("max_result_rows"), std::string::npos) << many.status().ToString();
  std::atomic<bool> cancel{true};
  QueryOptions c;
  c.cancel = &cancel;
  EXPECT_EQ(Run("SELECT count(*) FROM access_log", {}, c).status().code(), StatusCode::kCancelled);
}

TEST(EngineTableTest, TablesResolveFromFileMetadataOrSchemaFile) {
  const std::string lake = testing_util::FreshTempDir("engine_tables");
  lake::TableDef t = TestTable();
  std::vector<TestRow> rows;
  for (int i = 0; i < 10; ++i) {
    TestRow r;
    r.id = i;
    r.time = Micros(2024, 1, 1, 1) + i;
    r.key = "k" + std::to_string(i % 3);
    r.status = i % 2 ? 404 : 200;
    rows.push_back(r);
  }
  WriteDayFile(lake, t, "a.parquet", rows);
  QueryOptions o;
  o.dedup = false;
  auto r = RunQuery(lake, "SELECT id FROM t WHERE status = 404 ORDER BY id", {}, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->num_rows(), 5u);
  EXPECT_EQ(r->columns[0].Int64(4), 9);
  // Dedup by the table's key (from the file's schema metadata): k0, k1, k2 once each.
  auto d = RunQuery(lake, "SELECT count(*) FROM t", {}, QueryOptions());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->columns[0].Int64(0), 3);

  auto missing = RunQuery(lake, "SELECT * FROM nope", {}, o);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope"), std::string::npos) << missing.status().ToString();

  // A schema file takes precedence.
  const std::string schema = lake + "/t.toml";
  ASSERT_TRUE(WriteFileAtomically(schema, lake::TableDefToToml(t)).ok());
  QueryOptions with_schema = o;
  with_schema.schema_path = schema;
  auto s = RunQuery(lake, "SELECT count(*) FROM t WHERE key = 'k1'", {}, with_schema);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->columns[0].Int64(0), 3);
}

}  // namespace
}  // namespace loglake::query
