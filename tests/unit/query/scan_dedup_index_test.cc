// Dedup by a file's duplicate index (index_dedup.h) against the key path and a brute-force
// reference, over lakes written by the converter: single-file days (index path), multi-file days
// (key path), duplicates inside and across files, NULL keys, filters that match only a later copy.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "lake/converter.h"
#include "lake/duplicate_index.h"
#include "parquet/reader.h"
#include "query/execution/explain.h"
#include "scan_test_util.h"
#include "test_util.h"

namespace loglake::query {
namespace {

using namespace scantest;

ScanRun RunScanOf(const std::string& lake, const QueryPlan& plan, int threads, bool use_index) {
  QueryOptions options;
  options.threads = threads;
  return RunPlan(lake, plan, options, use_index);
}

class IndexDedupTest : public ::testing::Test {
 protected:
  // Two converter runs (the second one's files sort after the first's): days 1, 3 and 5 are one
  // file each, days 2 and 4 get a file from each run.
  void SetUp() override {
    lake_ = testing_util::FreshTempDir("scan_dedup_index");
    std::mt19937_64 rng(17);
    std::vector<JsonRecord> first_run, second_run;
    std::map<int, std::vector<std::string>> keys_of_day;
    int64_t id = 0;
    for (int run = 0; run < 2; ++run) {
      for (int i = 0; i < 1500; ++i) {
        JsonRecord r;
        r.id = ++id;
        r.day = run == 0 ? 1 + i % 5 : 2 + 2 * (i % 2);  // run 1: days 1-5; run 2: days 2 and 4
        r.time = Micros(2024, 5, r.day, 0) + r.id * 1000;
        std::vector<std::string>& earlier = keys_of_day[r.day];
        const uint64_t dice = rng() % 100;
        if (dice < 5) {
          r.key = std::nullopt;
        } else if (dice < 30 && !earlier.empty() && r.day != 5) {  // day 5 has no duplicates
          r.key = earlier[rng() % earlier.size()];  // a copy, maybe several, maybe across files
        } else {
          r.key = "k" + std::to_string(rng());
          earlier.push_back(*r.key);
        }
        // Copies differ in status, so that a filter can select a later copy only.
        r.status = rng() % 3 == 0 ? 500 : 200;
        (run == 0 ? first_run : second_run).push_back(r);
      }
    }
    // Many row groups (37 rows each), so that duplicate groups span them.
    ConvertRecords(lake_, t_, first_run, 37);
    ConvertRecords(lake_, t_, second_run, 37);
    // The reference order: a day's rows in file order, the first run's file first.
    for (const JsonRecord& r : first_run) records_.push_back(r);
    for (const JsonRecord& r : second_run) records_.push_back(r);
    std::stable_sort(records_.begin(), records_.end(), [](const JsonRecord& a, const JsonRecord& b) { return a.day < b.day; });
  }

  // Ids of the first row of each key per day among the rows passing `pass`.
  std::vector<int64_t> Reference(const std::function<bool(const JsonRecord&)>& pass) const {
    std::set<std::pair<int, std::string>> seen;
    std::vector<int64_t> ids;
    for (const JsonRecord& r : records_) {
      if (!pass(r)) continue;
      if (r.key && !seen.emplace(r.day, *r.key).second) continue;
      ids.push_back(r.id);
    }
    return Sorted(ids);
  }

  // Days 1, 3 and 5 are single files, 2 and 4 have two (unless the filter projects fewer days).
  void Check(const QueryPlan& plan, const std::function<bool(const JsonRecord&)>& pass, const std::string& what,
             uint64_t days_by_index = 3, uint64_t days_by_keys = 2) {
    const std::vector<int64_t> expected = Reference(pass);
    ASSERT_FALSE(expected.empty()) << what;
    for (int threads : {1, 4}) {
      ScanRun by_index = RunScanOf(lake_, plan, threads, true);
      ScanRun by_keys = RunScanOf(lake_, plan, threads, false);
      ASSERT_TRUE(by_index.status.ok()) << by_index.status.ToString();
      ASSERT_TRUE(by_keys.status.ok()) << by_keys.status.ToString();
      EXPECT_EQ(Sorted(by_index.ids), expected) << what << ", " << threads << " threads, by index";
      EXPECT_EQ(Sorted(by_keys.ids), expected) << what << ", " << threads << " threads, by keys";
      EXPECT_EQ(by_index.report.days_dedup_by_index, days_by_index) << what;
      EXPECT_EQ(by_index.report.days_dedup_by_keys, days_by_keys) << what;
      EXPECT_EQ(by_keys.report.days_dedup_by_index, 0u) << what;
      EXPECT_EQ(by_keys.report.days_dedup_by_keys, days_by_index + days_by_keys) << what;
      EXPECT_EQ(by_index.report.stats.duplicates_dropped, by_keys.report.stats.duplicates_dropped) << what;
    }
  }

  lake::TableDef t_ = TestTable();
  std::string lake_;
  std::vector<JsonRecord> records_;
};

TEST_F(IndexDedupTest, LakeHasIndexedAndUnindexedDays) {
  // Sanity of the setup: every file has an index, and single-file days have duplicates.
  uint64_t groups = 0;
  for (const std::string& rel : testing_util::FilesUnder(lake_ + "/t")) {
    auto file = RandomAccessFile::Open(lake_ + "/t/" + rel);
    ASSERT_TRUE(file.ok());
    auto reader = parquet::FileReader::Open(*file);
    ASSERT_TRUE(reader.ok());
    bool found = false;
    for (const parquet::KeyValue& kv : *(*reader)->metadata().key_value_metadata) {
      if (kv.key != lake::kDuplicatesMetadataKey) continue;
      auto index = lake::DecodeDuplicateIndex(*kv.value);
      ASSERT_TRUE(index.ok());
      groups += index->num_groups();
      found = true;
    }
    EXPECT_TRUE(found) << rel;
  }
  EXPECT_GT(groups, 50u);
}

TEST_F(IndexDedupTest, NoFilter) {
  Check(PlanFor(t_, nullptr), [](const JsonRecord&) { return true; }, "no filter");
  Check(PlanFor(t_, nullptr, {"id", "key"}), [](const JsonRecord&) { return true; }, "no filter, key selected");
}

TEST_F(IndexDedupTest, FilterSelectingLaterCopies) {
  // Where the first copy has status 500, status = 200 keeps a later copy (and vice versa).
  Check(PlanFor(t_, Cmp(Col(t_, "status"), CompareOp::kEq, Int(200))), [](const JsonRecord& r) { return r.status == 200; },
        "status = 200");
  Check(PlanFor(t_, Cmp(Col(t_, "status"), CompareOp::kEq, Int(500)), {"id", "key", "status"}),
        [](const JsonRecord& r) { return r.status == 500; }, "status = 500");
  // Mostly later rows of each day: the first copies fail, many later ones pass.
  Check(PlanFor(t_, Cmp(Col(t_, "id"), CompareOp::kGt, Lit(Value::Bigint(900)))),
        [](const JsonRecord& r) { return r.id > 900; }, "id > 900");
}

TEST_F(IndexDedupTest, FilterOnTheKeyAndOnTime) {
  Check(PlanFor(t_, IsNull(Col(t_, "key"))), [](const JsonRecord& r) { return !r.key; }, "key IS NULL");
  Check(PlanFor(t_, IsNull(Col(t_, "key"), true)), [](const JsonRecord& r) { return r.key.has_value(); },
        "key IS NOT NULL");
  const int64_t lo = Micros(2024, 5, 1, 0) + 500 * 1000, hi = Micros(2024, 5, 3, 0) + 2500 * 1000;
  Check(PlanFor(t_, Between(Col(t_, "time"), Ts(lo), Ts(hi))),
        [&](const JsonRecord& r) { return r.time >= lo && r.time <= hi; }, "time range (days 1-3)", 2, 1);
}

// ORDER BY time DESC LIMIT n skips days once n kept rows are better; the rows handed to the
// builders must still contain the true top n of the deduplicated rows.
TEST_F(IndexDedupTest, TopNByTime) {
  QueryPlan plan = PlanFor(t_, Cmp(Col(t_, "status"), CompareOp::kEq, Int(200)), {"id", "time"});
  plan.order_by.push_back(SortKey{Col(t_, "time"), /*descending=*/true, false});
  plan.limit = 40;
  std::vector<std::pair<int64_t, int64_t>> expected;  // (time, id), best first
  std::set<std::pair<int, std::string>> seen;
  for (const JsonRecord& r : records_) {
    if (r.status != 200 || (r.key && !seen.emplace(r.day, *r.key).second)) continue;
    expected.emplace_back(r.time, r.id);
  }
  std::sort(expected.rbegin(), expected.rend());
  expected.resize(40);
  for (bool use_index : {true, false}) {
    for (int threads : {1, 4}) {
      ScanRun r = RunScanOf(lake_, plan, threads, use_index);
      ASSERT_TRUE(r.status.ok()) << r.status.ToString();
      ASSERT_EQ(r.ids.size(), r.times.size());
      std::vector<std::pair<int64_t, int64_t>> got;
      for (size_t i = 0; i < r.ids.size(); ++i) got.emplace_back(r.times[i], r.ids[i]);
      std::sort(got.rbegin(), got.rend());
      ASSERT_GE(got.size(), 40u);
      got.resize(40);
      EXPECT_EQ(got, expected) << threads << " threads, index " << use_index;
      EXPECT_LT(r.report.stats.days_listed, 5u) << "top-N stopped early";
    }
  }
}

TEST_F(IndexDedupTest, ExplainCountsTheDaysOfEachPath) {
  QueryPlan plan = PlanFor(t_, nullptr);
  ScanRun r = RunScanOf(lake_, plan, 2, true);
  ASSERT_TRUE(r.status.ok());
  const std::string text = FormatExplain(plan, r.report, r.report.stats);
  EXPECT_NE(text.find("dedup: 3 days by duplicate index, 2 days by keys"), std::string::npos) << text;
}

TEST_F(IndexDedupTest, IndexPathReadsNoKeys) {
  QueryPlan plan = PlanFor(t_, Cmp(Col(t_, "status"), CompareOp::kEq, Int(200)));
  ScanRun by_index = RunScanOf(lake_, plan, 2, true);
  ScanRun by_keys = RunScanOf(lake_, plan, 2, false);
  ASSERT_TRUE(by_index.status.ok());
  ASSERT_TRUE(by_keys.status.ok());
  EXPECT_LT(by_index.report.stats.bytes_scanned, by_keys.report.stats.bytes_scanned);
}

// A file whose index is damaged or stale is deduplicated by keys, with the same result.
TEST(IndexDedupFallbackTest, MalformedOrStaleIndexIsIgnored) {
  const lake::TableDef t = TestTable();
  const int64_t d = Micros(2024, 5, 1, 12);
  std::vector<TestRow> rows;
  for (int i = 0; i < 50; ++i) {
    TestRow r;
    r.id = i;
    r.time = d + i;
    r.key = "k" + std::to_string(i % 20);  // rows 20.. repeat rows 0..19
    r.status = 200;
    rows.push_back(r);
  }
  // Each would give a wrong answer if it were trusted (it claims rows 1 and 2 share a key and no
  // others do), or cannot be decoded.
  const std::vector<std::string> bad = {
      [] {
        lake::DuplicateIndex i;
        i.key_column = "key";
        i.num_rows = 49;  // stale: one row fewer than the file
        i.rows = {1, 2};
        i.group_begin = {0, 2};
        return lake::EncodeDuplicateIndex(i);
      }(),
      "1 other 50 AA==",  // another column
      "1 key 50 AA=",     // malformed
      "9 key 50 AA==",    // unknown version
  };
  for (const std::string& text : bad) {
    const std::string lake = testing_util::FreshTempDir("scan_dedup_index_bad");
    parquet::WriterOptions o = SmallWriterOptions(t);
    o.row_group_rows = 16;
    o.key_value_metadata.emplace_back(lake::kDuplicatesMetadataKey, text);
    WriteDayFile(lake, t, "a.parquet", rows, o);
    QueryPlan plan = PlanFor(t, nullptr);
    for (int threads : {1, 3}) {
      ScanRun r = RunScanOf(lake, plan, threads, true);
      ASSERT_TRUE(r.status.ok()) << r.status.ToString();
      std::vector<int64_t> expected;
      for (int i = 0; i < 20; ++i) expected.push_back(i);
      EXPECT_EQ(Sorted(r.ids), expected) << text;
      EXPECT_EQ(r.report.days_dedup_by_index, 0u) << text;
      EXPECT_EQ(r.report.days_dedup_by_keys, 1u) << text;
    }
  }
}

// A valid index is trusted: the day's key column is not even read. (Here the index describes
// other keys than the file holds, to tell the two paths apart.)
TEST(IndexDedupFallbackTest, ValidIndexDecidesTheDay) {
  const lake::TableDef t = TestTable();
  const int64_t d = Micros(2024, 5, 1, 12);
  std::vector<TestRow> rows;
  for (int i = 0; i < 50; ++i) {
    TestRow r;
    r.id = i;
    r.time = d + i;
    r.key = "u" + std::to_string(i);  // all distinct
    r.status = i % 2 ? 500 : 200;
    rows.push_back(r);
  }
  lake::DuplicateTracker tracker;
  Column key_column(ColumnType::kString);
  for (int i = 0; i < 50; ++i) key_column.AppendString("k" + std::to_string(i % 20));
  tracker.Add(key_column);
  const std::string lake = testing_util::FreshTempDir("scan_dedup_index_valid");
  parquet::WriterOptions o = SmallWriterOptions(t);
  o.row_group_rows = 16;
  o.key_value_metadata.emplace_back(lake::kDuplicatesMetadataKey, lake::EncodeDuplicateIndex(*tracker.Finish("key")));
  WriteDayFile(lake, t, "a.parquet", rows, o);
  // status = 500 passes the odd rows only, whose indexed keys are k1, k3, ..., k19: first at rows 1..19.
  QueryPlan plan = PlanFor(t, Cmp(Col(t, "status"), CompareOp::kEq, Int(500)));
  for (int threads : {1, 4}) {
    ScanRun r = RunScanOf(lake, plan, threads, true);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    std::vector<int64_t> expected;
    for (int i = 1; i < 20; i += 2) expected.push_back(i);
    EXPECT_EQ(Sorted(r.ids), expected);
    EXPECT_EQ(r.report.days_dedup_by_index, 1u);
    EXPECT_EQ(r.report.stats.duplicates_dropped, 15u);  // rows 21, 23, ..., 49
    ScanRun by_keys = RunScanOf(lake, plan, threads, false);
    ASSERT_TRUE(by_keys.status.ok());
    EXPECT_EQ(by_keys.ids.size(), 25u);  // the keys themselves are all distinct
  }
}

}  // namespace
}  // namespace loglake::query
