// Property: for random data and random simple predicates, the pruned scan returns exactly the rows
// a brute-force filter over every row of every file returns. Pruning may only skip what cannot
// match.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <iterator>
#include <random>

#include "parquet/reader.h"
#include "query/execution/table_source.h"
#include "scan_test_util.h"
#include "test_util.h"

namespace loglake::query {
namespace {

using namespace scantest;  // NOLINT

class RandomLake {
 public:
  RandomLake(uint64_t seed, lake::PartitionLayout layout) : rng_(seed), t_(TestTable(layout)) {
    dir_ = testing_util::FreshTempDir("scan_property_" + std::to_string(seed));
    int64_t id = 0;
    for (int day = 0; day < 3; ++day) {
      for (int f = 0; f < 2; ++f) {
        std::vector<TestRow> rows;
        const int n = 50 + static_cast<int>(rng_() % 400);
        const bool sorted = rng_() % 2 == 0;
        for (int i = 0; i < n; ++i) {
          TestRow r;
          r.id = id++;
          const int64_t offset = sorted ? (static_cast<int64_t>(i) * 86'000 / n) : static_cast<int64_t>(rng_() % 86'400);
          r.time = Micros(2024, 2, 28 + day) + offset * kMicrosPerSecond;  // 02-28, 02-29, 03-01
          if (rng_() % 8 != 0) r.key = "k" + std::to_string(rng_() % 300);
          if (rng_() % 10 != 0) r.status = kStatuses[rng_() % 6];
          const uint64_t s = rng_() % 20;
          if (s == 0) {
            r.score = std::numeric_limits<double>::quiet_NaN();
          } else if (s != 1) {
            r.score = static_cast<double>(rng_() % 1000) / 4.0 - 50;
          }
          rows.push_back(r);
        }
        parquet::WriterOptions o = SmallWriterOptions(t_);
        o.row_group_rows = 60 + rng_() % 150;
        o.page_rows = 10 + rng_() % 40;
        o.page_bytes = 200 + rng_() % 400;
        WriteDayFile(dir_, t_, "f" + std::to_string(f) + ".parquet", rows, o);
      }
    }
  }

  ExprPtr RandomAtom() {
    switch (rng_() % 11) {
      case 0: return Cmp(Col(t_, "time"), RandomOp(), Ts(RandomTime()));
      case 1: return Between(Col(t_, "time"), Ts(RandomTime()), Ts(RandomTime()));
      case 2: return Cmp(Col(t_, "status"), RandomOp(), Int(RandomStatus()));
      case 3: {
        std::vector<ExprPtr> v;
        for (int i = 0, n = 1 + static_cast<int>(rng_() % 3); i < n; ++i) v.push_back(Int(RandomStatus()));
        return In(Col(t_, "status"), std::move(v));
      }
      case 4: return Cmp(Col(t_, "key"), RandomOp(), Str(RandomKey()));
      case 5: {
        std::vector<ExprPtr> v;
        for (int i = 0, n = 1 + static_cast<int>(rng_() % 3); i < n; ++i) v.push_back(Str(RandomKey()));
        if (rng_() % 4 == 0) v.push_back(Lit(Value::Null(SqlType::kVarchar)));  // selects nothing more
        return In(Col(t_, "key"), std::move(v));
      }
      case 6: return Like(Col(t_, "key"), "k" + std::to_string(rng_() % 40) + "%");
      case 7: return Cmp(Col(t_, "score"), RandomOp(), Lit(Value::Double(static_cast<double>(rng_() % 300) - 60)));
      case 8: return IsNull(Col(t_, rng_() % 2 ? "key" : "score"), rng_() % 2 == 0);
      case 9: return Not(Cmp(Col(t_, "status"), CompareOp::kEq, Int(RandomStatus())));
      default: {
        static const char* kPaths[] = {"2024/02/28", "2024/02/29", "2024/03/01", "2024/03/02"};
        if (rng_() % 2) return Like(Col(t_, kDatePathColumn), rng_() % 2 ? "2024/02/%" : "2024/03/%");
        return Cmp(Col(t_, kDatePathColumn), RandomOp(), Str(kPaths[rng_() % 4]));
      }
    }
  }

  ExprPtr RandomFilter() {
    switch (rng_() % 4) {
      case 0: return RandomAtom();
      case 1: return And(RandomAtom(), RandomAtom());
      case 2: return Or(RandomAtom(), RandomAtom());
      default: return And(RandomAtom(), Or(RandomAtom(), RandomAtom()));
    }
  }

  // Every row of every file, filtered without any pruning.
  std::vector<int64_t> BruteForce(const ExprEvaluator& filter) {
    std::vector<int64_t> ids;
    auto listing = ListDays(dir_ + "/t", t_.layout, DaySet::All());
    EXPECT_TRUE(listing.ok());
    for (int64_t day : listing->days) {
      auto files = ListDayFiles(dir_ + "/t", t_.layout, day);
      EXPECT_TRUE(files.ok());
      for (const std::string& path : *files) {
        auto file = RandomAccessFile::Open(path);
        auto reader = parquet::FileReader::Open(*file);
        EXPECT_TRUE(reader.ok());
        for (int rg = 0; rg < (*reader)->num_row_groups(); ++rg) {
          auto batch = (*reader)->ReadRowGroup(rg);
          EXPECT_TRUE(batch.ok());
          Column datepath(ColumnType::kString);
          const std::string dp = lake::PartitionPath(lake::PartitionLayout::kDatePath, CivilFromDays(day));
          for (size_t i = 0; i < batch->num_rows(); ++i) datepath.AppendString(dp);
          EvalInput in;
          for (Column& c : batch->columns) in.columns.push_back(&c);
          in.columns.push_back(&datepath);
          in.num_rows = batch->num_rows();
          std::vector<uint32_t> selected;
          EXPECT_TRUE(filter.Select(in, nullptr, &selected).ok());
          for (uint32_t s : selected) ids.push_back(batch->columns[0].Int64(s));
        }
      }
    }
    return ids;
  }

  const lake::TableDef& table() const { return t_; }
  const std::string& dir() const { return dir_; }

 private:
  static constexpr int kStatuses[] = {200, 204, 301, 404, 500, 503};
  CompareOp RandomOp() {
    static const CompareOp kOps[] = {CompareOp::kEq, CompareOp::kNe, CompareOp::kLt,
                                     CompareOp::kLe, CompareOp::kGt, CompareOp::kGe};
    return kOps[rng_() % 6];
  }
  int64_t RandomTime() { return Micros(2024, 2, 27) + static_cast<int64_t>(rng_() % (4 * 86'400)) * kMicrosPerSecond; }
  int32_t RandomStatus() { return rng_() % 5 == 0 ? 418 : kStatuses[rng_() % 6]; }
  std::string RandomKey() { return "k" + std::to_string(rng_() % 330); }

  std::mt19937_64 rng_;
  lake::TableDef t_;
  std::string dir_;
};

class ScanPropertyTest : public ::testing::TestWithParam<lake::PartitionLayout> {};

TEST_P(ScanPropertyTest, PrunedScanEqualsBruteForce) {
  RandomLake lake(GetParam() == lake::PartitionLayout::kDatePath ? 11 : 12, GetParam());
  std::mt19937_64 rng(5);
  uint64_t pruned_somewhere = 0;
  for (int q = 0; q < 100; ++q) {
    QueryPlan plan = PlanFor(lake.table(), lake.RandomFilter());
    auto filter = ExprEvaluator::Compile(*plan.filter);
    ASSERT_TRUE(filter.ok()) << filter.status().ToString();
    const std::vector<int64_t> expected = Sorted(lake.BruteForce(**filter));
    QueryOptions o;
    o.dedup = false;
    o.threads = 1 + static_cast<int>(rng() % 3);
    ScanRun r = RunPlan(lake.dir(), plan, o);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString() << "\n" << plan.filter->ToString();
    std::vector<int64_t> got = Sorted(r.ids);
    std::vector<int64_t> missing, extra;
    std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(), std::back_inserter(missing));
    std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(), std::back_inserter(extra));
    ASSERT_TRUE(missing.empty() && extra.empty())
        << plan.filter->ToString() << "\n" << r.report.summary.ToString() << "\nmissing " << missing.size()
        << (missing.empty() ? "" : " first id " + std::to_string(missing[0])) << ", extra " << extra.size()
        << (extra.empty() ? "" : " first id " + std::to_string(extra[0]));
    const QueryStats& s = r.report.stats;
    pruned_somewhere += s.row_groups_by_stats.pruned + s.row_groups_by_bloom.pruned +
                        s.row_groups_by_dictionary.pruned + s.pages_by_page_index.pruned +
                        (r.report.listing.days.size() < 3 ? 1 : 0);
  }
  EXPECT_GT(pruned_somewhere, 30u);  // the property is not vacuous
}

INSTANTIATE_TEST_SUITE_P(Layouts, ScanPropertyTest,
                         ::testing::Values(lake::PartitionLayout::kDatePath, lake::PartitionLayout::kHiveDate));

}  // namespace
}  // namespace loglake::query
