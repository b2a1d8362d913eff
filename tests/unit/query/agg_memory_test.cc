// The aggregation's memory limit (QueryLimits::max_memory_bytes): group tables, aggregate states
// and DISTINCT sets are charged per batch to a budget the builders of a query share; past it the
// query fails with an actionable ResourceExhausted instead of growing without bound.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "query/engine.h"
#include "query/execution/memory_budget.h"
#include "query/execution/result_builder.h"
#include "scan_test_util.h"
#include "test_util.h"

namespace loglake::query {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;

// Table columns: 0 id bigint, 1 name varchar; 2 is datepath.
lake::TableDef Table() {
  lake::TableDef t;
  t.name = "t";
  t.columns = {{"id", ColumnType::kInt64}, {"name", ColumnType::kString}};
  return t;
}

ExprPtr IdRef() { return Expr::Column(0, SqlType::kBigint, "id"); }

// Batches of `rows` rows; ids first, first + 1, ... (all distinct); names "n<id>".
std::vector<std::vector<Column>> Batches(int count, size_t rows, int64_t first = 0) {
  std::vector<std::vector<Column>> batches;
  int64_t id = first;
  for (int b = 0; b < count; ++b) {
    std::vector<Column> cols;
    cols.emplace_back(ColumnType::kInt64);
    cols.emplace_back(ColumnType::kString);
    cols.emplace_back(ColumnType::kString);
    for (size_t r = 0; r < rows; ++r, ++id) {
      cols[0].AppendInt64(id * 7919);  // spread beyond the direct-indexed range
      cols[1].AppendString("n" + std::to_string(id));
      cols[2].AppendString("2024/05/01");
    }
    batches.push_back(std::move(cols));
  }
  return batches;
}

EvalInput Input(const std::vector<Column>& cols) {
  EvalInput in;
  for (const Column& c : cols) in.columns.push_back(&c);
  in.num_rows = cols[0].size();
  return in;
}

// SELECT id, count(*), min(name) FROM t GROUP BY id.
QueryPlan GroupById() {
  QueryPlan p;
  p.table = Table();
  p.aggregate = true;
  p.group_keys.push_back(IdRef());
  AggregateCall count;
  count.kind = AggregateKind::kCountStar;
  p.aggregates.push_back(std::move(count));
  AggregateCall min;
  min.kind = AggregateKind::kMin;
  min.type = SqlType::kVarchar;
  min.arg = Expr::Column(1, SqlType::kVarchar, "name");
  p.aggregates.push_back(std::move(min));
  p.outputs.push_back({"id", Expr::Column(0, SqlType::kBigint, "id")});
  p.outputs.push_back({"n", Expr::Column(1, SqlType::kBigint, "n")});
  return p;
}

// SELECT count([DISTINCT] id) FROM t.
QueryPlan CountIds(bool distinct) {
  QueryPlan p;
  p.table = Table();
  p.aggregate = true;
  AggregateCall c;
  c.kind = AggregateKind::kCount;
  c.distinct = distinct;
  c.arg = IdRef();
  p.aggregates.push_back(std::move(c));
  p.outputs.push_back({"n", Expr::Column(0, SqlType::kBigint, "n")});
  return p;
}

// Feeds every batch to one builder; returns the first failure, with *added = batches accepted.
Status Feed(ResultBuilder* b, const std::vector<std::vector<Column>>& batches, size_t* added) {
  *added = 0;
  for (const auto& cols : batches) {
    RETURN_IF_ERROR(b->Add(Input(cols)));
    ++*added;
  }
  return Status::OK();
}

TEST(AggMemoryTest, ManyGroupsFailPastTheLimitWithAnActionableMessage) {
  const auto batches = Batches(40, 5000);  // 200,000 groups
  QueryPlan plan = GroupById();
  QueryLimits limits;
  limits.max_memory_bytes = 4 * kMiB;
  MemoryBudget budget(limits.max_memory_bytes);
  auto b = ResultBuilder::Create(plan, limits, &budget);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  size_t added = 0;
  Status st = Feed(b->get(), batches, &added);
  ASSERT_EQ(st.code(), StatusCode::kResourceExhausted) << st.ToString();
  EXPECT_NE(st.message().find("aggregation needs more than 4 MiB"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("--max-memory"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("group by fewer values"), std::string::npos) << st.message();
  EXPECT_LT(added, batches.size());
  // Stopped within about one batch (and one table doubling) of the limit.
  EXPECT_GT(budget.used(), limits.max_memory_bytes);
  EXPECT_LT(budget.used(), 3 * limits.max_memory_bytes);
  b->reset();
  EXPECT_EQ(budget.used(), 0u);  // a builder gives its charge back

  // The default limit (1 GiB) holds this easily, and 0 means no limit.
  for (uint64_t limit : {QueryLimits{}.max_memory_bytes, uint64_t{0}}) {
    QueryLimits l;
    l.max_memory_bytes = limit;
    auto ok = ResultBuilder::Create(plan, l);
    ASSERT_TRUE(ok.ok());
    ASSERT_TRUE(Feed(ok->get(), batches, &added).ok());
    auto result = (*ok)->Finish();
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->num_rows(), 200000u);
  }
}

TEST(AggMemoryTest, DistinctSetsAreCharged) {
  const auto batches = Batches(50, 10000);  // 500,000 distinct ids: ~16 MB of set
  QueryLimits limits;
  limits.max_memory_bytes = 2 * kMiB;
  size_t added = 0;
  QueryPlan distinct = CountIds(true);
  auto d = ResultBuilder::Create(distinct, limits);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Feed(d->get(), batches, &added).code(), StatusCode::kResourceExhausted);
  // Without DISTINCT the state is one counter.
  QueryPlan plain = CountIds(false);
  auto p = ResultBuilder::Create(plain, limits);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(Feed(p->get(), batches, &added).ok());
  auto r = (*p)->Finish();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->columns[0].Int64(0), 500000);
}

TEST(AggMemoryTest, ThreadsShareOneBudget) {
  QueryPlan plan = GroupById();
  const auto first = Batches(10, 5000, 0);
  const auto second = Batches(10, 5000, 50000);
  QueryLimits limits;
  // Each half fits a limit of 1.5x what one builder holds after half the data, on its own budget...
  MemoryBudget measure(0);
  auto m = ResultBuilder::Create(plan, {}, &measure);
  ASSERT_TRUE(m.ok());
  size_t added = 0;
  ASSERT_TRUE(Feed(m->get(), first, &added).ok());
  ASSERT_GT(measure.used(), 0u);
  limits.max_memory_bytes = measure.used() * 3 / 2;
  m->reset();
  EXPECT_EQ(measure.used(), 0u);
  for (const auto* half : {&first, &second}) {
    auto alone = ResultBuilder::Create(plan, limits);
    ASSERT_TRUE(alone.ok());
    EXPECT_TRUE(Feed(alone->get(), *half, &added).ok());
  }
  // ...but two threads' builders sharing the query's budget do not.
  MemoryBudget shared(limits.max_memory_bytes);
  auto a = ResultBuilder::Create(plan, limits, &shared);
  auto b = ResultBuilder::Create(plan, limits, &shared);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(Feed(a->get(), first, &added).ok());
  EXPECT_EQ(Feed(b->get(), second, &added).code(), StatusCode::kResourceExhausted);
}

TEST(AggMemoryTest, EngineAppliesTheLimitAcrossThreads) {
  using namespace scantest;  // NOLINT
  const lake::TableDef t = TestTable();
  const std::string lake = testing_util::FreshTempDir("agg_memory_engine");
  std::vector<TestRow> rows;
  for (int i = 0; i < 2000; ++i) {
    TestRow r;
    r.id = i;
    r.time = Micros(2024, 3, 9) + i * 30 * kMicrosPerSecond;
    r.key = "k" + std::to_string(i);
    rows.push_back(r);
  }
  WriteDayFile(lake, t, "a.parquet", rows);
  QueryOptions o;
  o.threads = 2;
  o.limits.max_memory_bytes = 64 << 10;  // less than the hash table of 2,000 varchar groups
  auto r = RunQuery(lake, "SELECT key, count(*) FROM t GROUP BY key", {}, o);
  ASSERT_EQ(r.status().code(), StatusCode::kResourceExhausted) << r.status().ToString();
  EXPECT_NE(r.status().message().find("--max-memory"), std::string::npos);
  o.limits.max_memory_bytes = 0;
  auto ok = RunQuery(lake, "SELECT key, count(*) FROM t GROUP BY key", {}, o);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->num_rows(), 2000u);
}

}  // namespace
}  // namespace loglake::query
