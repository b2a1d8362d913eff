// count(DISTINCT <dedup key>) runs as count(key) when the scan deduplicates, with the same result;
// with --no-dedup the exact DISTINCT stays.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "query/engine.h"
#include "query/planner/dedup_key_distinct.h"
#include "scan_test_util.h"
#include "test_util.h"

namespace loglake::query {
namespace {

using namespace scantest;  // NOLINT

AggregateCall CountOf(ExprPtr arg, bool distinct) {
  AggregateCall c;
  c.kind = AggregateKind::kCount;
  c.distinct = distinct;
  c.arg = std::move(arg);
  return c;
}

TEST(DedupKeyDistinctTest, DropsDistinctOnlyOnTheDedupKey) {
  const lake::TableDef t = TestTable();  // dedup key: key
  QueryPlan p;
  p.table = t;
  p.aggregate = true;
  p.filter = Cmp(Col(t, "status"), CompareOp::kEq, Int(200));
  p.group_keys.push_back(Col(t, "status"));
  p.aggregates.push_back(CountOf(Col(t, "key"), true));
  p.aggregates.push_back(CountOf(Col(t, "extra"), true));
  p.outputs.push_back({"n", Expr::Column(1, SqlType::kBigint, "n")});
  p.limit = 5;
  std::optional<QueryPlan> r = DropDistinctOnDedupKey(p);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->aggregates.size(), 2u);
  EXPECT_FALSE(r->aggregates[0].distinct);
  EXPECT_TRUE(r->aggregates[1].distinct);  // not the key: unchanged
  // Everything else is the same plan.
  EXPECT_EQ(r->ToString(), [&] {
    QueryPlan expected = std::move(p);
    expected.aggregates[0].distinct = false;
    return expected.ToString();
  }());

  QueryPlan other;
  other.table = t;
  other.aggregate = true;
  other.aggregates.push_back(CountOf(Col(t, "extra"), true));
  EXPECT_FALSE(DropDistinctOnDedupKey(other).has_value());
  // A table without a dedup key.
  QueryPlan no_key_table;
  no_key_table.table = t;
  no_key_table.table.dedup_key.clear();
  no_key_table.aggregate = true;
  no_key_table.aggregates.push_back(CountOf(Col(t, "key"), true));
  EXPECT_FALSE(DropDistinctOnDedupKey(no_key_table).has_value());
}

// Two days; each key is delivered up to three times within its day (in two files), some keys are
// NULL. Statuses split the keys into groups.
class DedupKeyDistinctEngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lake_ = new std::string(testing_util::FreshTempDir("dedup_key_distinct"));
    const lake::TableDef t = TestTable();
    int64_t id = 0;
    for (int day = 9; day <= 10; ++day) {
      std::vector<TestRow> a, b;
      for (int i = 0; i < 700; ++i) {
        TestRow r;
        r.id = id++;
        r.time = Micros(2024, 3, day) + i * 60 * kMicrosPerSecond;
        if (i % 50 != 0) r.key = "d" + std::to_string(day) + "-" + std::to_string(i);
        r.status = i % 3 == 0 ? 500 : 200;
        a.push_back(r);
        if (i % 4 == 0) a.push_back(r);  // a copy in the same file
        if (i % 5 == 0) b.push_back(r);  // and one in another file of the day
      }
      WriteDayFile(*lake_, t, "a.parquet", a);
      WriteDayFile(*lake_, t, "b.parquet", b);
    }
  }
  static void TearDownTestSuite() { delete lake_; }

  static Result<QueryResult> Run(const std::string& sql, bool dedup) {
    QueryOptions o;
    o.dedup = dedup;
    o.threads = 2;
    o.explain = true;
    return RunQuery(*lake_, sql, {}, o);
  }

  static std::string* lake_;
};

std::string* DedupKeyDistinctEngineTest::lake_ = nullptr;

TEST_F(DedupKeyDistinctEngineTest, SameCountsWithAndWithoutDedup) {
  // 2 days x 700 records, 14 NULL keys each: 1372 distinct keys.
  auto deduped = Run("SELECT count(DISTINCT key), count(key) FROM t", true);
  ASSERT_TRUE(deduped.ok()) << deduped.status().ToString();
  EXPECT_EQ(deduped->columns[0].Int64(0), 1372);
  EXPECT_EQ(deduped->columns[1].Int64(0), 1372);
  // Rewritten: the output keeps its SQL text, the aggregate runs without DISTINCT.
  EXPECT_NE(deduped->explain.find("aggregates: count(key), count(key)"), std::string::npos) << deduped->explain;

  auto raw = Run("SELECT count(DISTINCT key), count(key) FROM t", false);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  EXPECT_EQ(raw->columns[0].Int64(0), 1372);                // exact DISTINCT kept
  EXPECT_GT(raw->columns[1].Int64(0), 1372);                // the copies are there
  EXPECT_NE(raw->explain.find("aggregates: count(DISTINCT key), count(key)"), std::string::npos) << raw->explain;
}

TEST_F(DedupKeyDistinctEngineTest, GroupedAndFilteredAgreeWithTheExactDistinct) {
  const std::string sql =
      "SELECT status, count(DISTINCT key) AS n FROM t WHERE id % 7 <> 3 GROUP BY status ORDER BY status";
  auto deduped = Run(sql, true);
  auto raw = Run(sql, false);
  ASSERT_TRUE(deduped.ok()) << deduped.status().ToString();
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  ASSERT_EQ(deduped->num_rows(), 2u);
  ASSERT_EQ(raw->num_rows(), 2u);
  for (size_t r = 0; r < 2; ++r) {
    EXPECT_EQ(deduped->columns[0].Int32(r), raw->columns[0].Int32(r));
    EXPECT_EQ(deduped->columns[1].Int64(r), raw->columns[1].Int64(r)) << "status " << raw->columns[0].Int32(r);
  }
  EXPECT_GT(deduped->columns[1].Int64(0), 0);
}

}  // namespace
}  // namespace loglake::query
