// RunQuery / ExecutePlan end to end: SQL over a lake written by the converter, table resolution,
// dedup, statistics, EXPLAIN and limits.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "query/engine.h"
#include "scan_test_util.h"
#include "test_lake.h"
#include "test_util.h"

namespace loglake::query {
namespace {

using namespace scantest;  // NOLINT
using testing_util::AccessLogRow;
using testing_util::WriteAccessLogDay;

class EngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lake_ = new std::string(testing_util::FreshTempDir("engine_run_query"));
    // Days 8, 9, 10 of March 2024: 1000 records each, one a minute; every 10th record of day 9
    // is delivered twice (once more in a second file).
    for (int day = 8; day <= 10; ++day) {
      std::vector<AccessLogRow> rows, again;
      for (int i = 0; i < 1000; ++i) {
        const std::string uuid = "u" + std::to_string(day) + "-" + std::to_string(i);
        AccessLogRow r{uuid, Micros(2024, 3, day) + i * 60 * kMicrosPerSecond, "t" + std::to_string(i % 5),
                       i % 7 == 0 ? 500 : 200, "/p/" + uuid};
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
