#include "query/execution/result_builder.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace loglake::query {
namespace {

// Table columns: 0 status int32, 1 host varchar, 2 ms double, 3 bytes bigint, 4 id bigint
// (unique, arrival order), 5 extra varchar; 6 is datepath.
enum Col { kStatus, kHost, kMs, kBytes, kId, kExtra, kDatePath };

lake::TableDef TestTable() {
  lake::TableDef t;
  t.name = "t";
  t.columns = {{"status", ColumnType::kInt32},  {"host", ColumnType::kString}, {"ms", ColumnType::kDouble},
               {"bytes", ColumnType::kInt64},   {"id", ColumnType::kInt64},    {"extra", ColumnType::kString}};
  return t;
}

const SqlType kTypes[] = {SqlType::kInteger, SqlType::kVarchar, SqlType::kDouble, SqlType::kBigint,
                          SqlType::kBigint,  SqlType::kVarchar, SqlType::kVarchar};
const char* const kNames[] = {"status", "host", "ms", "bytes", "id", "extra", "datepath"};

ExprPtr Ref(int i) { return Expr::Column(i, kTypes[i], kNames[i]); }
ExprPtr AggRef(int i, SqlType type) { return Expr::Column(i, type, "agg" + std::to_string(i)); }

struct Batch {
  std::vector<Column> columns;
  EvalInput Input() const {
    EvalInput in;
    for (const Column& c : columns) in.columns.push_back(&c);
    in.num_rows = columns[0].size();
    return in;
  }
};

// Random rows with NULLs in every column but id; ids continue from *next_id.
Batch RandomBatch(std::mt19937* rng, size_t n, int64_t* next_id) {
  Batch b;
  for (int i = 0; i <= kDatePath; ++i) b.columns.emplace_back(PhysicalType(kTypes[i]));
  for (size_t r = 0; r < n; ++r) {
    auto maybe_null = [&](Column& c) {
      if ((*rng)() % 8 == 0) {
        c.AppendNull();
        return false;
      }
      return true;
    };
    if (maybe_null(b.columns[kStatus])) b.columns[kStatus].AppendInt32(200 + static_cast<int32_t>((*rng)() % 5) * 100);
    if (maybe_null(b.columns[kHost])) b.columns[kHost].AppendString("h" + std::to_string((*rng)() % 6));
    if (maybe_null(b.columns[kMs])) b.columns[kMs].AppendDouble(static_cast<double>((*rng)() % 1000) / 8);
    if (maybe_null(b.columns[kBytes])) b.columns[kBytes].AppendInt64(static_cast<int64_t>((*rng)() % 100000) - 5000);
    b.columns[kId].AppendInt64((*next_id)++);
    b.columns[kExtra].AppendNull();
    b.columns[kDatePath].AppendString("2024/05/0" + std::to_string(1 + (*rng)() % 3));
  }
  return b;
}

std::vector<Batch> RandomBatches(uint32_t seed, int count, size_t rows) {
  std::mt19937 rng(seed);
  int64_t next_id = 0;
  std::vector<Batch> batches;
  for (int i = 0; i < count; ++i) batches.push_back(RandomBatch(&rng, rows, &next_id));
  return batches;
}

std::vector<std::vector<std::string>> Rows(const QueryResult& r) {
  std::vector<std::vector<std::string>> rows(r.num_rows());
  for (size_t c = 0; c < r.columns.size(); ++c) {
    for (size_t i = 0; i < r.num_rows(); ++i) rows[i].push_back(ValueAt(r.columns[c], r.types[c], i).ToString());
  }
  return rows;
}

// Runs `plan` over `batches` split round-robin over `builders` builders, merged at the end.
Result<QueryResult> RunPlan(const QueryPlan& plan, const std::vector<Batch>& batches, int builders = 1,
                        QueryLimits limits = {}) {
  std::vector<std::unique_ptr<ResultBuilder>> bs;
  for (int i = 0; i < builders; ++i) {
    ASSIGN_OR_RETURN(auto b, ResultBuilder::Create(plan, limits));
    bs.push_back(std::move(b));
  }
  for (size_t i = 0; i < batches.size(); ++i) RETURN_IF_ERROR(bs[i % bs.size()]->Add(batches[i].Input()));
  for (size_t i = 1; i < bs.size(); ++i) RETURN_IF_ERROR(bs[0]->Merge(std::move(*bs[i])));
  return bs[0]->Finish();
}

QueryPlan PlainPlan(std::vector<int> outputs) {
  QueryPlan p;
  p.table = TestTable();
  for (int i : outputs) p.outputs.push_back({kNames[i], Ref(i)});
  return p;
}

// All rows of the batches as output rows of `cols`, in arrival order.
std::vector<std::vector<std::string>> AllRows(const std::vector<Batch>& batches, std::vector<int> cols) {
  std::vector<std::vector<std::string>> rows;
  for (const Batch& b : batches) {
    for (size_t r = 0; r < b.columns[0].size(); ++r) {
      std::vector<std::string> row;
      for (int c : cols) row.push_back(ValueAt(b.columns[c], kTypes[c], r).ToString());
      rows.push_back(row);
    }
  }
  return rows;
}

TEST(ResultBuilderPlainTest, LimitOffsetWithoutOrderKeepsArrivalOrderAndSaturates) {
  auto batches = RandomBatches(1, 3, 10);
  QueryPlan plan = PlainPlan({kId, kHost});
  plan.offset = 4;
  plan.limit = 12;
  auto b = ResultBuilder::Create(plan, {});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_TRUE((*b)->Add(batches[0].Input()).ok());
  EXPECT_FALSE((*b)->Saturated());
  ASSERT_TRUE((*b)->Add(batches[1].Input()).ok());
  EXPECT_TRUE((*b)->Saturated());
  EXPECT_FALSE((*b)->TopNBoundary().has_value());
  auto r = (*b)->Finish();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto all = AllRows(batches, {kId, kHost});
  EXPECT_EQ(Rows(*r), std::vector<std::vector<std::string>>(all.begin() + 4, all.begin() + 16));
  EXPECT_EQ(r->names, (std::vector<std::string>{"id", "host"}));
  EXPECT_EQ(r->types, (std::vector<SqlType>{SqlType::kBigint, SqlType::kVarchar}));
}

TEST(ResultBuilderPlainTest, OffsetBeyondTheEndGivesNoRows) {
  auto batches = RandomBatches(2, 2, 10);
  for (bool sorted : {false, true}) {
    QueryPlan plan = PlainPlan({kId, kStatus});
    plan.offset = 25;
    if (sorted) plan.order_by.push_back({Ref(kId), true, false});
    auto r = RunPlan(plan, batches, 2);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->num_rows(), 0u);
    ASSERT_EQ(r->columns.size(), 2u);
    EXPECT_EQ(r->columns[1].type(), ColumnType::kInt32);
  }
}

TEST(ResultBuilderPlainTest, MergedBuildersWithoutOrderReturnEveryRowOnce) {
  auto batches = RandomBatches(3, 7, 50);
  auto r = RunPlan(PlainPlan({kId, kMs}), batches, 3);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto got = Rows(*r);
  auto want = AllRows(batches, {kId, kMs});
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
}

// Brute-force ORDER BY: stable sort of all rows by (status DESC NULLS FIRST, host ASC NULLS
// LAST), using the row number to break ties.
std::vector<std::vector<std::string>> BruteSorted(const std::vector<Batch>& batches, std::vector<int> cols) {
  struct Row {
    std::optional<int32_t> status;
    std::optional<std::string> host;
    std::vector<std::string> out;
  };
  std::vector<Row> rows;
  for (const Batch& b : batches) {
    for (size_t r = 0; r < b.columns[0].size(); ++r) {
      Row row;
      if (!b.columns[kStatus].IsNull(r)) row.status = b.columns[kStatus].Int32(r);
      if (!b.columns[kHost].IsNull(r)) row.host = std::string(b.columns[kHost].String(r));
      for (int c : cols) row.out.push_back(ValueAt(b.columns[c], kTypes[c], r).ToString());
      rows.push_back(row);
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.status != b.status) {
      if (!a.status) return true;   // NULLS FIRST
      if (!b.status) return false;
      return *a.status > *b.status;  // DESC
    }
    if (a.host != b.host) {
      if (!a.host) return false;  // NULLS LAST
      if (!b.host) return true;
      return *a.host < *b.host;
    }
    return false;
  });
  std::vector<std::vector<std::string>> out;
  for (const Row& r : rows) out.push_back(r.out);
  return out;
}

void AddStatusHostOrder(QueryPlan* plan) {
  plan->order_by.push_back({Ref(kStatus), true, true});
  plan->order_by.push_back({Ref(kHost), false, false});
}

TEST(ResultBuilderPlainTest, OrderByWithoutLimitSortsStablyByManyKeys) {
  auto batches = RandomBatches(4, 5, 200);
  QueryPlan plan = PlainPlan({kId, kStatus, kHost});
  AddStatusHostOrder(&plan);
  plan.offset = 3;
  auto r = RunPlan(plan, batches);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto want = BruteSorted(batches, {kId, kStatus, kHost});
  EXPECT_EQ(Rows(*r), std::vector<std::vector<std::string>>(want.begin() + 3, want.end()));
}

TEST(ResultBuilderPlainTest, TopNEqualsFullSortThenLimitAcrossMergedBuilders) {
  auto batches = RandomBatches(5, 9, 300);
  for (int64_t limit : {1, 10, 250, 5000}) {
    QueryPlan plan = PlainPlan({kId, kStatus, kHost});
    AddStatusHostOrder(&plan);
    plan.order_by.push_back({Ref(kId), false, false});  // unique: ties across builders are decided
    plan.offset = 2;
    plan.limit = limit;
    auto want = BruteSorted(batches, {kId, kStatus, kHost});
    want.erase(want.begin(), want.begin() + 2);
    if (want.size() > static_cast<size_t>(limit)) want.resize(static_cast<size_t>(limit));
    for (int builders : {1, 3}) {
      auto r = RunPlan(plan, batches, builders);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(Rows(*r), want) << "limit " << limit << " builders " << builders;
    }
  }
}

TEST(ResultBuilderPlainTest, TopNBoundaryIsTheFirstKeyOfTheLastKeptRow) {
  auto batches = RandomBatches(6, 4, 100);
  QueryPlan plan = PlainPlan({kId});
  plan.order_by.push_back({Ref(kId), true, false});
  plan.limit = 10;
  auto b = ResultBuilder::Create(plan, {});
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE((*b)->TopNBoundary().has_value());
  for (const Batch& batch : batches) ASSERT_TRUE((*b)->Add(batch.Input()).ok());
  auto boundary = (*b)->TopNBoundary();
  ASSERT_TRUE(boundary.has_value());
  EXPECT_EQ(*boundary, Value::Bigint(390));  // ids 399..390 are the 10 largest
  EXPECT_FALSE((*b)->Saturated());
}

TEST(ResultBuilderPlainTest, LimitZeroIsSaturatedAtOnce) {
  QueryPlan plan = PlainPlan({kId});
  plan.order_by.push_back({Ref(kId), false, false});
  plan.limit = 0;
  auto b = ResultBuilder::Create(plan, {});
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE((*b)->Saturated());
  auto r = (*b)->Finish();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->num_rows(), 0u);
}

TEST(ResultBuilderPlainTest, MaxResultRowsIsEnforced) {
  auto batches = RandomBatches(7, 3, 10);
  QueryLimits limits;
  limits.max_result_rows = 25;
  for (bool sorted : {false, true}) {
    QueryPlan plan = PlainPlan({kId});
    if (sorted) plan.order_by.push_back({Ref(kId), false, false});
    auto r = RunPlan(plan, batches, 1, limits);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
    EXPECT_NE(r.status().message().find("max_result_rows"), std::string::npos);
    plan.limit = 25;  // LIMIT applies first
    EXPECT_TRUE(RunPlan(plan, batches, 1, limits).ok());
    plan.offset = 10;  // skipped rows are not held in the result
    plan.limit.reset();
    auto skipped = RunPlan(plan, batches, 1, limits);
    ASSERT_TRUE(skipped.ok()) << skipped.status().ToString();
    EXPECT_EQ(skipped->num_rows(), 20u);
  }
}

TEST(ResultBuilderPlainTest, ConstantOutputs) {
  auto batches = RandomBatches(8, 1, 3);
  QueryPlan plan = PlainPlan({});
  plan.outputs.push_back({"_col0", Expr::Constant(Value::Integer(7))});
  auto r = RunPlan(plan, batches);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Rows(*r), (std::vector<std::vector<std::string>>(3, {"7"})));
}

TEST(ResultBuilderPlainTest, ComputedOutputsAndSortKeys) {
  auto batches = RandomBatches(9, 2, 50);
  QueryPlan plan = PlainPlan({});
  ExprPtr lower = Expr::Call(ScalarFunction::kUpper, SqlType::kVarchar, {});
  lower->args.push_back(Ref(kHost));
  plan.outputs.push_back({"u", std::move(lower)});
  ExprPtr neg = Expr::Call(ScalarFunction::kNegate, SqlType::kBigint, {});
  neg->args.push_back(Ref(kId));
  plan.order_by.push_back({std::move(neg), false, false});  // id DESC, computed
  plan.limit = 5;
  auto r = RunPlan(plan, batches, 2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto all = AllRows(batches, {kHost});
  std::vector<std::vector<std::string>> want;
  for (size_t i = all.size(); i-- > all.size() - 5;) {
    std::string s = all[i][0];
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    want.push_back({s});
  }
  EXPECT_EQ(Rows(*r), want);
}

// ---- aggregate queries ----

AggregateCall Agg(AggregateKind kind, int arg, SqlType type, bool distinct = false) {
  AggregateCall c;
  c.kind = kind;
  c.type = type;
  c.distinct = distinct;
  if (arg >= 0) c.arg = Ref(arg);
  return c;
}

// GROUP BY status, host with count(*), count(ms), sum(bytes), min(host), max(ms), avg(bytes),
// count(DISTINCT bytes), sum(ms); outputs every key and aggregate.
QueryPlan GroupPlan() {
  QueryPlan p;
  p.table = TestTable();
  p.aggregate = true;
  p.group_keys.push_back(Ref(kStatus));
  p.group_keys.push_back(Ref(kHost));
  p.aggregates.push_back(Agg(AggregateKind::kCountStar, -1, SqlType::kBigint));
  p.aggregates.push_back(Agg(AggregateKind::kCount, kMs, SqlType::kBigint));
  p.aggregates.push_back(Agg(AggregateKind::kSum, kBytes, SqlType::kBigint));
  p.aggregates.push_back(Agg(AggregateKind::kMin, kHost, SqlType::kVarchar));
  p.aggregates.push_back(Agg(AggregateKind::kMax, kMs, SqlType::kDouble));
  p.aggregates.push_back(Agg(AggregateKind::kAvg, kBytes, SqlType::kDouble));
  p.aggregates.push_back(Agg(AggregateKind::kCount, kBytes, SqlType::kBigint, true));
  p.aggregates.push_back(Agg(AggregateKind::kSum, kMs, SqlType::kDouble));
  const SqlType level[] = {SqlType::kInteger, SqlType::kVarchar, SqlType::kBigint, SqlType::kBigint,
                           SqlType::kBigint,  SqlType::kVarchar, SqlType::kDouble, SqlType::kDouble,
                           SqlType::kBigint,  SqlType::kDouble};
  for (int i = 0; i < 10; ++i) p.outputs.push_back({"c" + std::to_string(i), AggRef(i, level[i])});
  return p;
}

std::vector<std::vector<std::string>> BruteGroups(const std::vector<Batch>& batches) {
  struct State {
    int64_t count = 0, count_ms = 0, sum_bytes = 0, n_bytes = 0;
    std::optional<std::string> min_host;
    std::optional<double> max_ms;
    std::optional<double> sum_ms;
    std::set<int64_t> distinct_bytes;
  };
  std::map<std::pair<std::string, std::string>, State> groups;
  for (const Batch& b : batches) {
    for (size_t r = 0; r < b.columns[0].size(); ++r) {
      auto key = std::make_pair(ValueAt(b.columns[kStatus], SqlType::kInteger, r).ToString(),
                                ValueAt(b.columns[kHost], SqlType::kVarchar, r).ToString());
      State& s = groups[key];
      ++s.count;
      if (!b.columns[kMs].IsNull(r)) {
        double ms = b.columns[kMs].Double(r);
        ++s.count_ms;
        s.max_ms = s.max_ms ? std::max(*s.max_ms, ms) : ms;
        s.sum_ms = (s.sum_ms ? *s.sum_ms : 0) + ms;
      }
      if (!b.columns[kBytes].IsNull(r)) {
        s.sum_bytes += b.columns[kBytes].Int64(r);
        ++s.n_bytes;
        s.distinct_bytes.insert(b.columns[kBytes].Int64(r));
      }
      if (!b.columns[kHost].IsNull(r)) {
        std::string h(b.columns[kHost].String(r));
        s.min_host = s.min_host ? std::min(*s.min_host, h) : h;
      }
    }
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& [k, s] : groups) {
    rows.push_back({k.first, k.second, Value::Bigint(s.count).ToString(), Value::Bigint(s.count_ms).ToString(),
                    s.n_bytes ? Value::Bigint(s.sum_bytes).ToString() : "NULL",
                    s.min_host ? Value::Varchar(*s.min_host).ToString() : "NULL",
                    s.max_ms ? Value::Double(*s.max_ms).ToString() : "NULL",
                    s.n_bytes ? Value::Double(static_cast<double>(s.sum_bytes) / static_cast<double>(s.n_bytes)).ToString()
                              : "NULL",
                    Value::Bigint(static_cast<int64_t>(s.distinct_bytes.size())).ToString(),
                    s.sum_ms ? Value::Double(*s.sum_ms).ToString() : "NULL"});
  }
  return rows;
}

TEST(ResultBuilderAggregateTest, GroupByMatchesBruteForceSingleAndMerged) {
  // ms values are multiples of 1/8 below 125, so double sums are exact in any order.
  auto batches = RandomBatches(10, 8, 400);
  auto want = BruteGroups(batches);
  std::sort(want.begin(), want.end());
  QueryPlan plan = GroupPlan();
  for (int builders : {1, 3}) {
    auto r = RunPlan(plan, batches, builders);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    auto got = Rows(*r);
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, want) << builders << " builders";
  }
}

TEST(ResultBuilderAggregateTest, NoGroupByGivesOneRowEvenOnEmptyInput) {
  QueryPlan plan = GroupPlan();
  plan.group_keys.clear();
  plan.outputs.clear();
  const SqlType level[] = {SqlType::kBigint, SqlType::kBigint, SqlType::kBigint, SqlType::kVarchar,
                           SqlType::kDouble, SqlType::kDouble, SqlType::kBigint, SqlType::kDouble};
  for (int i = 0; i < 8; ++i) plan.outputs.push_back({"c" + std::to_string(i), AggRef(i, level[i])});
  for (int builders : {1, 2}) {
    auto r = RunPlan(plan, {}, builders);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(Rows(*r), (std::vector<std::vector<std::string>>{{"0", "0", "NULL", "NULL", "NULL", "NULL", "0", "NULL"}}));
  }
  // An empty batch changes nothing either.
  Batch empty = RandomBatches(1, 1, 0)[0];
  auto r = RunPlan(plan, {empty});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->num_rows(), 1u);
}

TEST(ResultBuilderAggregateTest, GroupByOnEmptyInputGivesNoRows) {
  auto r = RunPlan(GroupPlan(), {}, 2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->num_rows(), 0u);
  EXPECT_EQ(r->columns.size(), 10u);
}

TEST(ResultBuilderAggregateTest, CountDistinctHostsAcrossBuilders) {
  auto batches = RandomBatches(11, 6, 300);
  QueryPlan plan;
  plan.table = TestTable();
  plan.aggregate = true;
  plan.aggregates.push_back(Agg(AggregateKind::kCount, kHost, SqlType::kBigint, true));
  plan.aggregates.push_back(Agg(AggregateKind::kCount, kDatePath, SqlType::kBigint, true));
  plan.outputs.push_back({"hosts", AggRef(0, SqlType::kBigint)});
  plan.outputs.push_back({"days", AggRef(1, SqlType::kBigint)});
  auto r = RunPlan(plan, batches, 3);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Rows(*r), (std::vector<std::vector<std::string>>{{"6", "3"}}));
}

TEST(ResultBuilderAggregateTest, OrderByAggregateWithOffsetAndLimit) {
  auto batches = RandomBatches(12, 4, 500);
  QueryPlan plan;
  plan.table = TestTable();
  plan.aggregate = true;
  plan.group_keys.push_back(Ref(kHost));
  plan.aggregates.push_back(Agg(AggregateKind::kCountStar, -1, SqlType::kBigint));
  plan.outputs.push_back({"n", AggRef(1, SqlType::kBigint)});
  plan.outputs.push_back({"host", AggRef(0, SqlType::kVarchar)});
  plan.order_by.push_back({AggRef(1, SqlType::kBigint), true, false});
  plan.order_by.push_back({AggRef(0, SqlType::kVarchar), false, true});
  plan.offset = 1;
  plan.limit = 3;
  std::map<std::string, int64_t> counts;
  for (const Batch& b : batches) {
    for (size_t r = 0; r < b.columns[0].size(); ++r) ++counts[ValueAt(b.columns[kHost], SqlType::kVarchar, r).ToString()];
  }
  std::vector<std::pair<int64_t, std::string>> order;
  for (const auto& [h, n] : counts) order.push_back({-n, h == "NULL" ? std::string() : h + "~"});
  std::sort(order.begin(), order.end());  // count DESC, NULL host first, then hosts
  std::vector<std::vector<std::string>> want;
  for (size_t i = 1; i < 4; ++i) {
    std::string h = order[i].second.empty() ? "NULL" : order[i].second.substr(0, order[i].second.size() - 1);
    want.push_back({std::to_string(-order[i].first), h});
  }
  auto r = RunPlan(plan, batches, 2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Rows(*r), want);
  EXPECT_EQ(r->names, (std::vector<std::string>{"n", "host"}));
}

TEST(ResultBuilderAggregateTest, HavingFiltersGroups) {
  auto batches = RandomBatches(13, 3, 300);
  QueryPlan plan;
  plan.table = TestTable();
  plan.aggregate = true;
  plan.group_keys.push_back(Ref(kStatus));
  plan.aggregates.push_back(Agg(AggregateKind::kCountStar, -1, SqlType::kBigint));
  plan.outputs.push_back({"status", AggRef(0, SqlType::kInteger)});
  plan.outputs.push_back({"n", AggRef(1, SqlType::kBigint)});
  std::map<std::string, int64_t> counts;
  for (const Batch& b : batches) {
    for (size_t r = 0; r < b.columns[0].size(); ++r) ++counts[ValueAt(b.columns[kStatus], SqlType::kInteger, r).ToString()];
  }
  std::vector<int64_t> sorted;
  for (const auto& [k, n] : counts) sorted.push_back(n);
  std::sort(sorted.begin(), sorted.end());
  int64_t threshold = sorted[sorted.size() / 2];
  std::vector<ExprPtr> args;
  args.push_back(AggRef(1, SqlType::kBigint));
  args.push_back(Expr::Constant(Value::Bigint(threshold)));
  plan.having = Expr::Make(ExprKind::kCompare, SqlType::kBoolean, std::move(args));
  plan.having->compare = CompareOp::kGe;
  std::vector<std::vector<std::string>> want;
  for (const auto& [k, n] : counts) {
    if (n >= threshold) want.push_back({k, std::to_string(n)});
  }
  auto r = RunPlan(plan, batches, 2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto got = Rows(*r);
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
}

TEST(ResultBuilderAggregateTest, SumOverflowIsReported) {
  Batch b;
  for (int i = 0; i <= kDatePath; ++i) b.columns.emplace_back(PhysicalType(kTypes[i]));
  for (int64_t v : {std::numeric_limits<int64_t>::max(), int64_t{1}}) {
    b.columns[kStatus].AppendInt32(200);
    b.columns[kHost].AppendString("h");
    b.columns[kMs].AppendDouble(1);
    b.columns[kBytes].AppendInt64(v);
    b.columns[kId].AppendInt64(0);
    b.columns[kExtra].AppendNull();
    b.columns[kDatePath].AppendString("2024/05/01");
  }
  auto r = RunPlan(GroupPlan(), {b});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bigint addition overflow"), std::string::npos) << r.status().ToString();
}

TEST(ResultBuilderAggregateTest, MaxResultRowsCountsGroupsAfterLimit) {
  auto batches = RandomBatches(14, 2, 300);
  QueryLimits limits;
  limits.max_result_rows = 5;
  QueryPlan plan = GroupPlan();  // up to 6 statuses x 7 hosts groups
  auto r = RunPlan(plan, batches, 1, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  plan.limit = 5;
  EXPECT_TRUE(RunPlan(plan, batches, 1, limits).ok());
}

}  // namespace
}  // namespace loglake::query
