// A time top-N skipping row groups inside days deduplicated by a file's duplicate index
// (index_dedup.h, scan_executor.h): a later copy in a scanned row group is kept only when no
// earlier copy passes WHERE, even when the earlier copy lies in a row group the top-N skipped.
// Lakes are written by the converter (so every file carries its duplicate index); results are
// checked against a brute-force reference and against the paths that skip nothing inside a day
// (dedup by keys).
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <random>
#include <set>

#include "lake/converter.h"
#include "query/execution/explain.h"
#include "scan_test_util.h"
#include "test_util.h"

namespace loglake::query {
namespace {

using namespace scantest;

// SELECT id, time WHERE filter ORDER BY time [DESC] LIMIT limit.
QueryPlan TopNPlan(const lake::TableDef& t, ExprPtr filter, bool descending, int64_t limit) {
  QueryPlan plan = PlanFor(t, std::move(filter), {"id", "time"});
  plan.order_by.push_back(SortKey{Col(t, "time"), descending, false});
  plan.limit = limit;
  return plan;
}

ScanRun RunTopN(const std::string& lake, const QueryPlan& plan, int threads, bool use_index) {
  QueryOptions options;
  options.threads = threads;
  ScanRun r = RunPlan(lake, plan, options, use_index);
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.ids.size(), r.times.size());
  return r;
}

using TimeId = std::pair<int64_t, int64_t>;

// The best `limit` (time, id) of rows handed to the builders, best first.
std::vector<TimeId> TopOf(const ScanRun& r, bool descending, size_t limit) {
  std::vector<TimeId> rows;
  for (size_t i = 0; i < r.ids.size() && i < r.times.size(); ++i) rows.emplace_back(r.times[i], r.ids[i]);
  std::sort(rows.begin(), rows.end());
  if (descending) std::reverse(rows.begin(), rows.end());
  if (rows.size() > limit) rows.resize(limit);
  return rows;
}

// One day of `n` records, one a second from noon: record i has id i and key "k<i>" unless
// `copies` maps it to the id whose key it repeats (with its own, later time; with the repeated
// record's time when `exact`).
std::vector<JsonRecord> Day(int n, const std::map<int64_t, int64_t>& copies, const std::set<int64_t>& failing,
                        bool exact = false) {
  std::vector<JsonRecord> records;
  for (int64_t i = 0; i < n; ++i) {
    JsonRecord r;
    r.id = i;
    auto it = copies.find(i);
    r.time = Micros(2024, 5, 1, 12) + (exact && it != copies.end() ? it->second : i) * kMicrosPerSecond;
    r.key = "k" + std::to_string(it == copies.end() ? i : it->second);
    r.status = failing.count(i) ? 500 : 200;
    records.push_back(r);
  }
  return records;
}

class TopNDedupTest : public ::testing::Test {
 protected:
  // 400 records in 10 row groups of 40; WHERE status = 200 ORDER BY time DESC LIMIT 10.
  ScanRun Search(const std::map<int64_t, int64_t>& copies, const std::set<int64_t>& failing, int threads,
                 bool use_index = true, bool exact = false) {
    lake_ = testing_util::FreshTempDir("scan_topn_dedup");
    ConvertRecords(lake_, t_, Day(400, copies, failing, exact), 40);
    plan_ = TopNPlan(t_, Cmp(Col(t_, "status"), CompareOp::kEq, Int(200)), true, 10);
    return RunTopN(lake_, plan_, threads, use_index);
  }

  static std::vector<TimeId> Newest(std::vector<int64_t> ids) {
    std::vector<TimeId> out;
    for (int64_t id : ids) out.emplace_back(Micros(2024, 5, 1, 12) + id * kMicrosPerSecond, id);
    return out;
  }

  static bool Has(const ScanRun& r, int64_t id) { return std::find(r.ids.begin(), r.ids.end(), id) != r.ids.end(); }

  lake::TableDef t_ = TestTable();
  std::string lake_;
  QueryPlan plan_;
};

// (a) Record 399 (newest row group) repeats record 5's key (row group 0, far outside the top 10),
// and record 5 passes WHERE: it is the first occurrence, so 399 is never kept.
TEST_F(TopNDedupTest, EarlierCopyInSkippedRowGroupPassesSoTheLaterCopyIsDropped) {
  for (int threads : {1, 2}) {
    ScanRun r = Search({{399, 5}}, {}, threads);
    EXPECT_FALSE(Has(r, 399)) << threads << " threads";
    EXPECT_EQ(TopOf(r, true, 10), Newest({398, 397, 396, 395, 394, 393, 392, 391, 390, 389})) << threads;
    EXPECT_EQ(r.report.days_dedup_by_index, 1u);
    EXPECT_GE(r.report.stats.duplicates_dropped, 1u);
    if (threads == 1) {
      // Row group 9 fills the top 10; 8 of the 9 older ones are never read; row group 0, which
      // holds the earlier copy, is read after all.
      EXPECT_EQ(r.report.row_groups_skipped_by_top_n, 8u);
      EXPECT_EQ(r.report.row_groups_rescanned_for_dedup, 1u);
    } else {
      EXPECT_GT(r.report.row_groups_skipped_by_top_n, 0u);
    }
  }
  // Dedup by keys skips no row group inside the day, with the same answer.
  ScanRun by_keys = Search({{399, 5}}, {}, 1, false);
  EXPECT_EQ(by_keys.report.row_groups_skipped_by_top_n, 0u);
  EXPECT_FALSE(Has(by_keys, 399));
}

// (b) The same, but record 5 fails WHERE: 399 is the first copy that passes and is kept.
TEST_F(TopNDedupTest, EarlierCopyInSkippedRowGroupFailsSoTheLaterCopyIsKept) {
  for (int threads : {1, 2}) {
    ScanRun r = Search({{399, 5}}, {5}, threads);
    EXPECT_EQ(TopOf(r, true, 10), Newest({399, 398, 397, 396, 395, 394, 393, 392, 391, 390})) << threads;
    EXPECT_FALSE(Has(r, 5));
    if (threads == 1) {
      EXPECT_EQ(r.report.row_groups_skipped_by_top_n, 8u);
      EXPECT_EQ(r.report.row_groups_rescanned_for_dedup, 1u);
    } else {
      EXPECT_GT(r.report.row_groups_skipped_by_top_n, 0u);
    }
  }
}

// Three copies: the first (row group 0) fails WHERE, the second (row group 3) passes and wins,
// so the third (row group 9) is dropped; both older row groups are read after all.
TEST_F(TopNDedupTest, EveryEarlierCopyIsChecked) {
  for (int threads : {1, 2}) {
    ScanRun r = Search({{130, 5}, {399, 5}}, {5}, threads);
    EXPECT_FALSE(Has(r, 399)) << threads;
    EXPECT_FALSE(Has(r, 130)) << threads;  // the winner, but out of the top-N's reach: not handed on
    EXPECT_EQ(TopOf(r, true, 10), Newest({398, 397, 396, 395, 394, 393, 392, 391, 390, 389})) << threads;
    if (threads == 1) {
      EXPECT_EQ(r.report.row_groups_skipped_by_top_n, 7u);
      EXPECT_EQ(r.report.row_groups_rescanned_for_dedup, 2u);
    }
  }
  // With the second copy failing too, the third is the first to pass.
  ScanRun r = Search({{130, 5}, {399, 5}}, {5, 130}, 1);
  EXPECT_TRUE(Has(r, 399));
  EXPECT_EQ(r.report.row_groups_rescanned_for_dedup, 2u);
  const std::string explain = FormatExplain(plan_, r.report, r.report.stats);
  EXPECT_NE(explain.find("2 row groups skipped by top-N read after all"), std::string::npos) << explain;
}

// Copies whose earlier members were read anyway, or a first member in the same row group, need
// no rescan; nor does a first member kept at once.
TEST_F(TopNDedupTest, NoRescanWhenEveryEarlierCopyWasRead) {
  ScanRun r = Search({{399, 370}, {250, 5}}, {}, 1);  // 250's group lies wholly in skipped row groups
  EXPECT_FALSE(Has(r, 399));
  EXPECT_EQ(TopOf(r, true, 10), Newest({398, 397, 396, 395, 394, 393, 392, 391, 390, 389}));
  EXPECT_EQ(r.report.row_groups_skipped_by_top_n, 9u);
  EXPECT_EQ(r.report.row_groups_rescanned_for_dedup, 0u);
}

// An exact copy (same record, same time) in the newest row group of a record in a skipped one
// has that record's time: out of the top-N's reach whichever copy wins, so nothing is read again.
TEST_F(TopNDedupTest, ExactCopiesCostNoRescan) {
  for (const std::set<int64_t>& failing : {std::set<int64_t>{}, std::set<int64_t>{5}}) {
    ScanRun r = Search({{399, 5}}, failing, 1, true, /*exact=*/true);
    EXPECT_FALSE(Has(r, 399));
    EXPECT_FALSE(Has(r, 5));
    EXPECT_EQ(TopOf(r, true, 10), Newest({398, 397, 396, 395, 394, 393, 392, 391, 390, 389}));
    EXPECT_EQ(r.report.row_groups_skipped_by_top_n, 9u);
    EXPECT_EQ(r.report.row_groups_rescanned_for_dedup, 0u);
  }
}

// (c) Random lakes: duplicates near and far, with their own or the first copy's time, NULL keys,
// copies that differ in status; several filters, LIMITs, both directions and thread counts. The
// best LIMIT rows handed to the builders equal the reference's, and every handed row is one the
// reference keeps (no later copy slips through).
TEST(TopNDedupRandomTest, EqualsReferenceAndTheNoSkipPaths) {
  const lake::TableDef t = TestTable();
  uint64_t skipped = 0, rescanned = 0;
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    std::mt19937_64 rng(seed);
    std::vector<JsonRecord> records;  // in file order: one converter run, one file per day
    std::map<int, std::vector<std::pair<std::string, int64_t>>> firsts;  // day -> (key, time)
    int64_t id = 0;
    for (int day : {3, 4}) {
      const int n = 250 + static_cast<int>(rng() % 300);
      for (int i = 0; i < n; ++i) {
        JsonRecord r;
        r.id = ++id;
        r.day = day;
        r.time = Micros(2024, 5, day, 1) + r.id * kMicrosPerSecond;
        auto& earlier = firsts[day];
        const uint64_t dice = rng() % 100;
        if (dice < 4) {
          r.key = std::nullopt;
        } else if (dice < 20 && !earlier.empty()) {
          // A retried batch (near) or a stray copy (anywhere earlier).
          const size_t span = rng() % 2 ? std::min<size_t>(earlier.size(), 8) : earlier.size();
          const auto& [key, time] = earlier[earlier.size() - 1 - rng() % span];
          r.key = key;
          if (rng() % 2) r.time = time;  // an exact copy: the first copy's time
        } else {
          r.key = "k" + std::to_string(r.id);
          earlier.emplace_back(*r.key, r.time);
        }
        r.status = rng() % 3 == 0 ? 500 : 200;
        records.push_back(r);
      }
    }
    const std::string lake = testing_util::FreshTempDir("scan_topn_dedup_random");
    const uint64_t rg_rows = std::vector<uint64_t>{13, 37, 64}[seed % 3];
    ConvertRecords(lake, t, records, rg_rows);

    struct Filter {
      std::function<ExprPtr()> expr;
      std::function<bool(const JsonRecord&)> pass;
    };
    const std::vector<Filter> filters = {
        {[] { return ExprPtr(); }, [](const JsonRecord&) { return true; }},
        {[&t] { return Cmp(Col(t, "status"), CompareOp::kEq, Int(200)); }, [](const JsonRecord& r) { return r.status == 200; }},
        {[&t] { return Cmp(Col(t, "status"), CompareOp::kEq, Int(500)); }, [](const JsonRecord& r) { return r.status == 500; }},
    };
    for (size_t f = 0; f < filters.size(); ++f) {
      // The reference: first passing copy of each key per day, in file order.
      std::set<std::pair<int, std::string>> seen;
      std::vector<TimeId> kept;
      std::set<int64_t> kept_ids;
      for (const JsonRecord& r : records) {
        if (!filters[f].pass(r) || (r.key && !seen.emplace(r.day, *r.key).second)) continue;
        kept.emplace_back(r.time, r.id);
        kept_ids.insert(r.id);
      }
      for (bool descending : {true, false}) {
        std::vector<TimeId> best = kept;
        std::sort(best.begin(), best.end());
        if (descending) std::reverse(best.begin(), best.end());
        for (int64_t limit : {1, 7, 60, 5000}) {
          std::vector<TimeId> expected = best;
          if (expected.size() > static_cast<size_t>(limit)) expected.resize(static_cast<size_t>(limit));
          QueryPlan plan = TopNPlan(t, filters[f].expr(), descending, limit);
          const std::string what = "seed " + std::to_string(seed) + " filter " + std::to_string(f) + " limit " +
                                   std::to_string(limit) + (descending ? " DESC" : " ASC");
          for (int threads : {1, 3}) {
            ScanRun by_index = RunTopN(lake, plan, threads, true);
            EXPECT_EQ(TopOf(by_index, descending, static_cast<size_t>(limit)), expected) << what << ", " << threads;
            for (int64_t got : by_index.ids) {
              ASSERT_TRUE(kept_ids.count(got)) << what << ", " << threads << " threads: row " << got
                                               << " is not the first passing copy of its key";
            }
            EXPECT_GE(by_index.report.days_dedup_by_index, 1u) << what;  // the top-N may skip a day
            EXPECT_EQ(by_index.report.days_dedup_by_keys, 0u) << what;
            skipped += by_index.report.row_groups_skipped_by_top_n;
            rescanned += by_index.report.row_groups_rescanned_for_dedup;
          }
          ScanRun by_keys = RunTopN(lake, plan, 1, false);
          EXPECT_EQ(by_keys.report.row_groups_skipped_by_top_n, 0u) << what;
          EXPECT_EQ(TopOf(by_keys, descending, static_cast<size_t>(limit)), expected) << what << ", by keys";
        }
      }
    }
  }
  // The lakes did exercise both: skipping and taking back.
  EXPECT_GT(skipped, 100u) << rescanned;
  EXPECT_GT(rescanned, 10u) << skipped;
}

}  // namespace
}  // namespace loglake::query
