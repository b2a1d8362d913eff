// Each pruning layer prunes what it should, and late materialization reads less.
#include <gtest/gtest.h>

#include <cmath>

#include "scan_test_util.h"
#include "test_util.h"

namespace loglake::query {
namespace {

using namespace scantest;  // NOLINT

// One day, one file, three row groups of 200 rows, pages of ~40 rows.
//   time    sorted, one row a minute: row groups and pages have disjoint time ranges
//   key     "k0000".."k0599" scrambled: every row group spans nearly the whole key range, so
//           only bloom filters can rule a key out
//   status  200/301/404/500 in turn, except row group 1 which has no 404 (dictionary-encoded)
//   score   i/2, NULL every 10th row
class PruningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lake_ = testing_util::FreshTempDir("scan_pruning");
    std::vector<TestRow> rows = ScrambledKeyDay();
    for (int i = 0; i < 600; ++i) {
      TestRow& r = rows[static_cast<size_t>(i)];
      static const int kStatus[] = {200, 301, 404, 500};
      r.status = kStatus[i % 4];
      if (i >= 200 && i < 400 && *r.status == 404) r.status = 200;
      if (i % 10 != 0) r.score = i / 2.0;
    }
    parquet::WriterOptions o = SmallWriterOptions(t_);
    o.page_bytes = 320;
    WriteDayFile(lake_, t_, "a.parquet", rows, o);
  }

  ScanRun Run(ExprPtr filter, std::vector<std::string> outputs = {"id"}) {
    plan_ = PlanFor(t_, std::move(filter), outputs);
    QueryOptions o;
    o.threads = 1;
    o.dedup = false;
    return RunPlan(lake_, plan_, o);
  }

  lake::TableDef t_ = TestTable();
  std::string lake_;
  QueryPlan plan_;
};

TEST_F(PruningTest, StatisticsAndPageIndexOnTime) {
  // Rows 250..259: inside row group 1, inside one or two of its pages.
  ScanRun r = Run(And(Cmp(Col(t_, "time"), CompareOp::kGe, Ts(Micros(2024, 3, 9) + 250 * 60 * kMicrosPerSecond)),
                      Cmp(Col(t_, "time"), CompareOp::kLt, Ts(Micros(2024, 3, 9) + 260 * 60 * kMicrosPerSecond))));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  std::vector<int64_t> expected;
  for (int i = 250; i < 260; ++i) expected.push_back(i);
  EXPECT_EQ(Sorted(r.ids), expected);
  const QueryStats& s = r.report.stats;
  EXPECT_EQ(s.row_groups_by_stats.considered, 3u);
  EXPECT_EQ(s.row_groups_by_stats.pruned, 2u);
  EXPECT_GT(s.pages_by_page_index.considered, 2u);
  EXPECT_GE(s.pages_by_page_index.pruned, s.pages_by_page_index.considered - 2);
  EXPECT_LE(s.rows_scanned, 80u);  // at most two pages of ~40 rows
  EXPECT_EQ(s.files.considered, 1u);
  EXPECT_EQ(s.files.pruned, 0u);
  EXPECT_EQ(s.days_listed, 1u);
}

TEST_F(PruningTest, WholeFilePrunedByStatistics) {
  ScanRun r = Run(Cmp(Col(t_, "time"), CompareOp::kGt, Ts(Micros(2024, 3, 9, 23))));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.ids.empty());
  EXPECT_EQ(r.report.stats.row_groups_by_stats.pruned, 3u);
  EXPECT_EQ(r.report.stats.files.pruned, 1u);
  EXPECT_EQ(r.report.stats.rows_scanned, 0u);
}

TEST_F(PruningTest, BloomFiltersRuleOutAbsentKeys) {
  ScanRun absent = Run(Cmp(Col(t_, "key"), CompareOp::kEq, Str("k0300x")));
  ASSERT_TRUE(absent.status.ok()) << absent.status.ToString();
  EXPECT_TRUE(absent.ids.empty());
  EXPECT_EQ(absent.report.stats.row_groups_by_stats.pruned, 0u);  // inside every row group's range
  EXPECT_EQ(absent.report.stats.row_groups_by_bloom.considered, 3u);
  EXPECT_EQ(absent.report.stats.row_groups_by_bloom.pruned, 3u);
  EXPECT_EQ(absent.report.stats.rows_scanned, 0u);

  // k0037 is row 1 (row group 0).
  ScanRun present = Run(Cmp(Col(t_, "key"), CompareOp::kEq, Str("k0037")));
  ASSERT_TRUE(present.status.ok());
  EXPECT_EQ(present.ids, std::vector<int64_t>{1});
  EXPECT_EQ(present.report.stats.row_groups_by_bloom.pruned, 2u);

  std::vector<ExprPtr> values;
  values.push_back(Str("k0037"));
  values.push_back(Str("nope"));
  ScanRun in = Run(In(Col(t_, "key"), std::move(values)));
  ASSERT_TRUE(in.status.ok());
  EXPECT_EQ(in.ids, std::vector<int64_t>{1});
  EXPECT_EQ(in.report.stats.row_groups_by_bloom.pruned, 2u);
}

TEST_F(PruningTest, DictionariesRuleOutAbsentValues) {
  ScanRun r = Run(Cmp(Col(t_, "status"), CompareOp::kEq, Int(404)));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.ids.size(), 100u);  // 50 in each of row groups 0 and 2
  for (int64_t id : r.ids) EXPECT_TRUE(id % 4 == 2 && (id < 200 || id >= 400)) << id;
  EXPECT_EQ(r.report.stats.row_groups_by_stats.pruned, 0u);
  EXPECT_EQ(r.report.stats.row_groups_by_dictionary.considered, 3u);
  EXPECT_EQ(r.report.stats.row_groups_by_dictionary.pruned, 1u);
}

TEST_F(PruningTest, LateMaterializationReadsLess) {
  ScanRun all = Run(nullptr, {"id", "time", "key", "status", "score"});
  ASSERT_TRUE(all.status.ok()) << all.status.ToString();
  EXPECT_EQ(all.ids.size(), 600u);
  EXPECT_EQ(all.report.stats.rows_scanned, 600u);
  // A selective filter on status (row group 1 has no 404 at all) and a narrow time window:
  // only the pages holding the matching rows are decoded for the output columns.
  ScanRun few = Run(Cmp(Col(t_, "time"), CompareOp::kLt, Ts(Micros(2024, 3, 9) + 30 * 60 * kMicrosPerSecond)),
                    {"id", "time", "key", "status", "score"});
  ASSERT_TRUE(few.status.ok());
  EXPECT_EQ(few.ids.size(), 30u);
  EXPECT_LT(few.report.stats.bytes_scanned * 2, all.report.stats.bytes_scanned);
  // Columns nobody references are not read: id alone costs less than every column.
  ScanRun ids = Run(nullptr, {"id"});
  ASSERT_TRUE(ids.status.ok());
  EXPECT_LT(ids.report.stats.bytes_scanned, all.report.stats.bytes_scanned);
}

TEST_F(PruningTest, NullsAndNeverTrueFilters) {
  ScanRun nulls = Run(IsNull(Col(t_, "score")));
  ASSERT_TRUE(nulls.status.ok()) << nulls.status.ToString();
  EXPECT_EQ(nulls.ids.size(), 60u);
  ScanRun none = Run(Cmp(Col(t_, "status"), CompareOp::kEq, Lit(Value::Null(SqlType::kInteger))));
  ASSERT_TRUE(none.status.ok());
  EXPECT_TRUE(none.ids.empty());
  EXPECT_EQ(none.report.stats.days_listed, 0u);
  EXPECT_EQ(none.report.stats.bytes_scanned, 0u);
}

}  // namespace
}  // namespace loglake::query
