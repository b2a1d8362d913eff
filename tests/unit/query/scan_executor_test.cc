// The scan driver: dedup by first occurrence, top-N early stops, LIMIT, limits and errors.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "query/execution/scan_control.h"
#include "scan_test_util.h"
#include "test_util.h"

namespace loglake::query {
namespace {

using namespace scantest;  // NOLINT

TestRow Row(int64_t id, int64_t time, std::optional<std::string> key) {
  TestRow r;
  r.id = id;
  r.time = time;
  r.key = std::move(key);
  r.status = 200;
  return r;
}

class DedupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lake_ = testing_util::FreshTempDir("scan_dedup");
    const int64_t d1 = Micros(2024, 5, 1, 12), d2 = Micros(2024, 5, 2, 12);
    parquet::WriterOptions o = SmallWriterOptions(t_);
    o.row_group_rows = 2;  // every two rows a new row group: duplicates cross row groups
    // Day 1, file a: k1, k2, k1 (dup), NULL, NULL, k4.
    WriteDayFile(lake_, t_, "a.parquet",
                 {Row(1, d1, "k1"), Row(2, d1, "k2"), Row(3, d1, "k1"), Row(4, d1, std::nullopt),
                  Row(5, d1, std::nullopt), Row(6, d1, "k4")},
                 o);
    // Day 1, file b (after a in path order): k2 (dup), k3, k4 (dup).
    WriteDayFile(lake_, t_, "b.parquet", {Row(7, d1, "k2"), Row(8, d1, "k3"), Row(9, d1, "k4")}, o);
    // Day 2: k1 again is a different day's key: kept.
    WriteDayFile(lake_, t_, "a.parquet", {Row(10, d2, "k1"), Row(11, d2, "k1")}, o);
  }
  lake::TableDef t_ = TestTable();
  std::string lake_;
};

TEST_F(DedupTest, FirstOccurrenceWinsPerDayWhateverTheThreads) {
  QueryPlan plan = PlanFor(t_, nullptr);
  for (int threads : {1, 2, 4, 8}) {
    QueryOptions o;
    o.threads = threads;
    ScanRun r = RunPlan(lake_, plan, o);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_EQ(Sorted(r.ids), (std::vector<int64_t>{1, 2, 4, 5, 6, 8, 10})) << threads << " threads";
    EXPECT_EQ(r.report.stats.duplicates_dropped, 4u);
    EXPECT_TRUE(r.report.dedup);
  }
  QueryOptions raw;
  raw.dedup = false;
  ScanRun r = RunPlan(lake_, plan, raw);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.ids.size(), 11u);
  EXPECT_EQ(r.report.stats.duplicates_dropped, 0u);
}

TEST_F(DedupTest, DedupAppliesAfterTheFilter) {
  // The filter removes row 1 (the first k1), so row 3 is the first k1 that passes it.
  QueryPlan plan = PlanFor(t_, Cmp(Col(t_, "id"), CompareOp::kNe, Lit(Value::Bigint(1))));
  ScanRun r = RunPlan(lake_, plan);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(Sorted(r.ids), (std::vector<int64_t>{2, 3, 4, 5, 6, 8, 10}));
}

class MultiDayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lake_ = testing_util::FreshTempDir("scan_multiday");
    int64_t id = 0;
    for (int day = 1; day <= 6; ++day) {
      std::vector<TestRow> rows;
      for (int i = 0; i < 100; ++i, ++id) {
        rows.push_back(Row(id, Micros(2024, 6, day) + i * 600 * kMicrosPerSecond, "k" + std::to_string(id)));
      }
      parquet::WriterOptions o = SmallWriterOptions(t_);
      o.row_group_rows = 25;
      WriteDayFile(lake_, t_, "a.parquet", rows, o);
    }
  }
  lake::TableDef t_ = TestTable();
  std::string lake_;
};

TEST_F(MultiDayTest, TimeTopNVisitsNewestDaysFirstAndStops) {
  for (bool dedup : {false, true}) {
    QueryPlan plan = PlanFor(t_, nullptr, {"id", "time"});
    plan.order_by.push_back(SortKey{Col(t_, "time"), /*descending=*/true, false});
    plan.limit = 10;
    QueryOptions o;
    o.threads = 1;
    o.dedup = dedup;
    ScanRun r = RunPlan(lake_, plan, o);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    std::vector<int64_t> ids = Sorted(r.ids);
    ASSERT_GE(ids.size(), 10u);
    // The newest ten are rows 590..599 and all of them were seen.
    for (int64_t want = 590; want < 600; ++want) {
      EXPECT_TRUE(std::binary_search(ids.begin(), ids.end(), want)) << want;
    }
    EXPECT_EQ(r.report.stats.days_listed, 1u) << "dedup " << dedup;
    EXPECT_EQ(r.report.days_skipped_by_top_n, 5u);
    if (!dedup) {
      EXPECT_EQ(r.report.row_groups_skipped_by_top_n, 3u);  // the day's older row groups
    }
  }
  // Ascending: oldest first.
  QueryPlan plan = PlanFor(t_, nullptr, {"id", "time"});
  plan.order_by.push_back(SortKey{Col(t_, "time"), false, false});
  plan.limit = 30;
  for (int threads : {1, 2}) {
    QueryOptions o;
    o.threads = threads;
    ScanRun r = RunPlan(lake_, plan, o);
    ASSERT_TRUE(r.status.ok());
    if (threads == 1) {
      EXPECT_EQ(r.report.stats.days_listed, 1u);
    }
    // Each worker's builder bounds the result on its own: two workers holding 25 rows each
    // (< 30) need the next day.
    EXPECT_LE(r.report.stats.days_listed, 2u);
    std::vector<int64_t> ids = Sorted(r.ids);
    for (int64_t want = 0; want < 30; ++want) EXPECT_TRUE(std::binary_search(ids.begin(), ids.end(), want)) << want;
  }
}

TEST_F(MultiDayTest, LimitWithoutOrderStopsEarly) {
  QueryPlan plan = PlanFor(t_, nullptr);
  plan.limit = 5;
  QueryOptions o;
  o.threads = 1;
  ScanRun r = RunPlan(lake_, plan, o);
  ASSERT_TRUE(r.status.ok());
  EXPECT_TRUE(r.report.stopped_at_limit);
  EXPECT_GE(r.ids.size(), 5u);
  EXPECT_LT(r.report.stats.rows_scanned, 600u);
  EXPECT_EQ(r.report.stats.days_listed, 1u);
}

TEST(ScanLimitTest, LimitWithoutOrderReadsSlicesOfLargeRowGroups) {
  const std::string lake = testing_util::FreshTempDir("scan_limit_slices");
  lake::TableDef t = TestTable();
  std::vector<TestRow> rows;
  for (int i = 0; i < 150000; ++i) rows.push_back(Row(i, Micros(2024, 7, 1) + i, std::nullopt));
  parquet::WriterOptions o = SmallWriterOptions(t);
  o.row_group_rows = 200000;
  o.page_rows = 10000;
  WriteDayFile(lake, t, "a.parquet", rows, o);
  QueryPlan plan = PlanFor(t, nullptr, {"id", "time"});
  plan.limit = 5;
  QueryOptions opts;
  opts.threads = 1;
  ScanRun r = RunPlan(lake, plan, opts);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.report.stopped_at_limit);
  EXPECT_EQ(r.report.stats.rows_scanned, 64u * 1024);  // one slice, not the 150,000-row group
  EXPECT_EQ(r.report.stats.row_groups_by_stats.considered, 1u);
  ASSERT_GE(r.ids.size(), 5u);
  // Without LIMIT every slice-free row is read once.
  plan.limit.reset();
  ScanRun all = RunPlan(lake, plan, opts);
  ASSERT_TRUE(all.status.ok());
  EXPECT_EQ(all.ids.size(), 150000u);
  EXPECT_EQ(all.report.stats.rows_scanned, 150000u);
}

TEST_F(MultiDayTest, MaxDaysCountsExistingDays) {
  QueryPlan plan = PlanFor(t_, nullptr);
  QueryOptions o;
  o.limits.max_days = 5;
  ScanRun r = RunPlan(lake_, plan, o);
  EXPECT_EQ(r.status.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status.message().find("max_days = 5"), std::string::npos) << r.status.message();
  EXPECT_NE(r.status.message().find("6 day partitions"), std::string::npos) << r.status.message();
  o.limits.max_days = 6;
  EXPECT_TRUE(RunPlan(lake_, plan, o).status.ok());
  // A projected range of 3 days, of which 2 exist, passes a limit of 2.
  QueryPlan narrow = PlanFor(t_, Between(Col(t_, "time"), Ts(Micros(2024, 6, 5)), Ts(Micros(2024, 6, 7, 5))));
  o.limits.max_days = 2;
  ScanRun n = RunPlan(lake_, narrow, o);
  ASSERT_TRUE(n.status.ok()) << n.status.ToString();
  EXPECT_EQ(n.ids.size(), 200u);
}

TEST_F(MultiDayTest, MaxBytesScannedStopsTheQuery) {
  QueryPlan plan = PlanFor(t_, nullptr, {"id", "time", "key"});
  QueryOptions o;
  o.limits.max_bytes_scanned = 2000;
  ScanRun r = RunPlan(lake_, plan, o);
  EXPECT_EQ(r.status.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status.message().find("max_bytes_scanned"), std::string::npos) << r.status.message();
  EXPECT_NE(r.status.message().find("more than 2000 bytes"), std::string::npos) << r.status.message();
  o.limits.max_bytes_scanned = 0;  // no limit
  ScanRun ok = RunPlan(lake_, plan, o);
  ASSERT_TRUE(ok.status.ok());
  EXPECT_GT(ok.report.stats.bytes_scanned, 2000u);
}

TEST_F(MultiDayTest, CancelledBeforeOrDuringTheScan) {
  std::atomic<bool> cancel{true};
  QueryOptions o;
  o.cancel = &cancel;
  ScanRun r = RunPlan(lake_, PlanFor(t_, nullptr), o);
  EXPECT_EQ(r.status.code(), StatusCode::kCancelled) << r.status.ToString();
}

TEST(ScanControlTest, DeadlineAndBytes) {
  ScanControl control(100, 1, nullptr);
  EXPECT_TRUE(control.Charge(60).ok());
  EXPECT_EQ(control.Charge(60).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(control.bytes_read(), 60u);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Status st = control.Check();
  EXPECT_EQ(st.code(), StatusCode::kDeadlineExceeded);
  EXPECT_NE(st.message().find("timeout_ms"), std::string::npos);
  ScanControl unlimited(0, 0, nullptr);
  EXPECT_TRUE(unlimited.Charge(uint64_t{1} << 50).ok());
  EXPECT_TRUE(unlimited.Check().ok());
}

TEST(ScanErrorsTest, MissingTableHiddenFilesAndDamagedFiles) {
  const std::string lake = testing_util::FreshTempDir("scan_errors");
  lake::TableDef t = TestTable();
  ScanRun missing = RunPlan(lake, PlanFor(t, nullptr));
  EXPECT_EQ(missing.status.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status.message().find("'t'"), std::string::npos);

  const std::string path = WriteDayFile(lake, t, "a.parquet", {Row(1, Micros(2024, 1, 1, 1), "x")});
  const std::string day_dir = std::filesystem::path(path).parent_path().string();
  // Temp and hidden files hold garbage; they must never be opened.
  std::ofstream(day_dir + "/.b.parquet.tmp") << "garbage";
  std::ofstream(day_dir + "/_c.parquet") << "garbage";
  ScanRun ok = RunPlan(lake, PlanFor(t, nullptr));
  ASSERT_TRUE(ok.status.ok()) << ok.status.ToString();
  EXPECT_EQ(ok.ids, std::vector<int64_t>{1});

  std::ofstream(day_dir + "/d.parquet") << "not parquet at all";
  ScanRun bad = RunPlan(lake, PlanFor(t, nullptr));
  EXPECT_EQ(bad.status.code(), StatusCode::kCorruption);
  EXPECT_NE(bad.status.message().find("d.parquet"), std::string::npos) << bad.status.message();
}

TEST(ScanSchemaTest, ColumnsMissingFromAFileReadAsNull) {
  const std::string lake = testing_util::FreshTempDir("scan_schema");
  lake::TableDef old_table = TestTable();
  old_table.columns.erase(old_table.columns.begin() + 4);  // no score
  old_table.bloom_columns = {};
  WriteDayFile(lake, old_table, "a.parquet", {Row(1, Micros(2024, 1, 1, 1), "x")});
  lake::TableDef t = TestTable();
  QueryPlan plan = PlanFor(t, IsNull(Col(t, "score")), {"id", "score"});
  ScanRun r = RunPlan(lake, plan);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.ids, std::vector<int64_t>{1});
}

}  // namespace
}  // namespace loglake::query
