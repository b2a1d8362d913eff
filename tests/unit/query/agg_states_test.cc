#include "query/execution/aggregate.h"

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "query/execution/aggregate_distinct.h"

namespace loglake::query {
namespace {

AggregateCall Call(AggregateKind kind, SqlType type, bool distinct = false) {
  AggregateCall c;
  c.kind = kind;
  c.type = type;
  c.distinct = distinct;
  return c;
}

struct Batch {
  std::vector<uint32_t> groups;
  Column values;
};

// Random int32 values with nulls spread over `num_groups` groups.
Batch RandomInts(std::mt19937* rng, size_t n, uint32_t num_groups, int32_t span) {
  Batch b{{}, Column(ColumnType::kInt32)};
  for (size_t r = 0; r < n; ++r) {
    b.groups.push_back((*rng)() % num_groups);
    if ((*rng)() % 7 == 0) {
      b.values.AppendNull();
    } else {
      b.values.AppendInt32(static_cast<int32_t>((*rng)() % static_cast<uint32_t>(span)) - span / 2);
    }
  }
  return b;
}

Column RunAggregate(const AggregateCall& call, SqlType arg_type, bool grouped, const std::vector<Batch>& batches,
           size_t num_groups) {
  auto state = AggregateState::Make(call, arg_type, grouped);
  EXPECT_TRUE(state.ok()) << state.status().ToString();
  for (const Batch& b : batches) {
    (*state)->Resize(num_groups);
    EXPECT_TRUE((*state)->Update(b.groups.data(), b.groups.size(), &b.values).ok());
  }
  auto out = (*state)->Finish(num_groups);
  EXPECT_TRUE(out.ok());
  return std::move(out).value();
}

// The property test: every aggregate over random grouped int32 data with NULLs equals a
// brute-force computation, with and without DISTINCT, single state and merged halves.
TEST(AggregateStatesTest, IntegerAggregatesMatchBruteForce) {
  std::mt19937 rng(42);
  const uint32_t kGroups = 37;
  std::vector<Batch> batches;
  for (int i = 0; i < 5; ++i) batches.push_back(RandomInts(&rng, 2000, kGroups, i == 4 ? 50 : 100000));

  struct Model {
    int64_t count = 0, sum = 0;
    std::optional<int32_t> min, max;
    std::set<int32_t> distinct;
  };
  std::vector<Model> model(kGroups + 3);  // 3 groups never seen
  for (const Batch& b : batches) {
    for (size_t r = 0; r < b.groups.size(); ++r) {
      if (b.values.IsNull(r)) continue;
      Model& m = model[b.groups[r]];
      int32_t v = b.values.Int32(r);
      ++m.count;
      m.sum += v;
      m.min = m.min ? std::min(*m.min, v) : v;
      m.max = m.max ? std::max(*m.max, v) : v;
      m.distinct.insert(v);
    }
  }
  size_t n = model.size();
  for (bool merged : {false, true}) {
    auto compute = [&](const AggregateCall& call) {
      if (!merged) return RunAggregate(call, SqlType::kInteger, true, batches, n);
      auto a = AggregateState::Make(call, SqlType::kInteger, true);
      auto b = AggregateState::Make(call, SqlType::kInteger, true);
      for (size_t i = 0; i < batches.size(); ++i) {
        auto& s = (i % 2 == 0) ? *a : *b;
        s->Resize(n);
        EXPECT_TRUE(s->Update(batches[i].groups.data(), batches[i].groups.size(), &batches[i].values).ok());
      }
      (*b)->Resize(n);
      std::vector<uint32_t> identity(n);
      for (size_t g = 0; g < n; ++g) identity[g] = static_cast<uint32_t>(g);
      EXPECT_TRUE((*a)->Merge(**b, identity).ok());
      return std::move((*a)->Finish(n)).value();
    };
    Column count = compute(Call(AggregateKind::kCount, SqlType::kBigint));
    Column sum = compute(Call(AggregateKind::kSum, SqlType::kBigint));
    Column min = compute(Call(AggregateKind::kMin, SqlType::kInteger));
    Column max = compute(Call(AggregateKind::kMax, SqlType::kInteger));
    Column avg = compute(Call(AggregateKind::kAvg, SqlType::kDouble));
    Column count_distinct = compute(Call(AggregateKind::kCount, SqlType::kBigint, true));
    Column sum_distinct = compute(Call(AggregateKind::kSum, SqlType::kBigint, true));
    Column avg_distinct = compute(Call(AggregateKind::kAvg, SqlType::kDouble, true));
    for (size_t g = 0; g < n; ++g) {
      const Model& m = model[g];
      SCOPED_TRACE("group " + std::to_string(g) + (merged ? " merged" : ""));
      EXPECT_EQ(count.Int64(g), m.count);
      EXPECT_EQ(count_distinct.Int64(g), static_cast<int64_t>(m.distinct.size()));
      if (m.count == 0) {
        EXPECT_TRUE(sum.IsNull(g) && min.IsNull(g) && max.IsNull(g) && avg.IsNull(g) && sum_distinct.IsNull(g) &&
                    avg_distinct.IsNull(g));
        continue;
      }
      EXPECT_EQ(sum.Int64(g), m.sum);
      EXPECT_EQ(min.Int32(g), *m.min);
      EXPECT_EQ(max.Int32(g), *m.max);
      EXPECT_DOUBLE_EQ(avg.Double(g), static_cast<double>(m.sum) / static_cast<double>(m.count));
      int64_t dsum = 0;
      for (int32_t v : m.distinct) dsum += v;
      EXPECT_EQ(sum_distinct.Int64(g), dsum);
      EXPECT_DOUBLE_EQ(avg_distinct.Double(g), static_cast<double>(dsum) / static_cast<double>(m.distinct.size()));
    }
  }
}

TEST(AggregateStatesTest, MergeFollowsTheGroupMap) {
  auto a = AggregateState::Make(Call(AggregateKind::kSum, SqlType::kBigint), SqlType::kBigint, true);
  auto b = AggregateState::Make(Call(AggregateKind::kSum, SqlType::kBigint), SqlType::kBigint, true);
  Column va(ColumnType::kInt64), vb(ColumnType::kInt64);
  va.AppendInt64(1);
  va.AppendInt64(10);
  vb.AppendInt64(100);
  vb.AppendInt64(1000);
  std::vector<uint32_t> ga{0, 1}, gb{0, 1};
  (*a)->Resize(3);
  (*b)->Resize(2);
  ASSERT_TRUE((*a)->Update(ga.data(), 2, &va).ok());
  ASSERT_TRUE((*b)->Update(gb.data(), 2, &vb).ok());
  ASSERT_TRUE((*a)->Merge(**b, {2, 0}).ok());  // b's 0 → a's 2, b's 1 → a's 0
  Column out = std::move((*a)->Finish(3)).value();
  EXPECT_EQ(out.Int64(0), 1001);
  EXPECT_EQ(out.Int64(1), 10);
  EXPECT_EQ(out.Int64(2), 100);
}

TEST(AggregateStatesTest, BigintSumOverflowIsAnError) {
  auto s = AggregateState::Make(Call(AggregateKind::kSum, SqlType::kBigint), SqlType::kBigint, false);
  Column v(ColumnType::kInt64);
  v.AppendInt64(std::numeric_limits<int64_t>::max());
  v.AppendInt64(1);
  std::vector<uint32_t> g{0, 0};
  (*s)->Resize(1);
  Status st = (*s)->Update(g.data(), 2, &v);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("bigint addition overflow"), std::string::npos) << st.message();
}

TEST(AggregateStatesTest, BigintSumOverflowOnMergeIsAnError) {
  auto a = AggregateState::Make(Call(AggregateKind::kSum, SqlType::kBigint), SqlType::kBigint, false);
  auto b = AggregateState::Make(Call(AggregateKind::kSum, SqlType::kBigint), SqlType::kBigint, false);
  Column v(ColumnType::kInt64);
  v.AppendInt64(std::numeric_limits<int64_t>::min());
  std::vector<uint32_t> g{0};
  for (auto* s : {&*a, &*b}) {
    (*s)->Resize(1);
    ASSERT_TRUE((*s)->Update(g.data(), 1, &v).ok());
  }
  EXPECT_EQ((*a)->Merge(**b, {0}).code(), StatusCode::kInvalidArgument);
}

TEST(AggregateStatesTest, AvgOfBigintsIsExactBeyondInt64) {
  auto s = AggregateState::Make(Call(AggregateKind::kAvg, SqlType::kDouble), SqlType::kBigint, false);
  Column v(ColumnType::kInt64);
  const int64_t big = std::numeric_limits<int64_t>::max() - 1;
  v.AppendInt64(big);
  v.AppendInt64(big);
  v.AppendNull();
  std::vector<uint32_t> g{0, 0, 0};
  (*s)->Resize(1);
  ASSERT_TRUE((*s)->Update(g.data(), 3, &v).ok());
  EXPECT_DOUBLE_EQ(std::move((*s)->Finish(1)).value().Double(0), static_cast<double>(big));
}

TEST(AggregateStatesTest, SumAndAvgOfDoubles) {
  Batch b{{0, 0, 1, 1}, Column(ColumnType::kDouble)};
  b.values.AppendDouble(1.5);
  b.values.AppendDouble(2.5);
  b.values.AppendNull();
  b.values.AppendNull();
  Column sum = RunAggregate(Call(AggregateKind::kSum, SqlType::kDouble), SqlType::kDouble, true, {b}, 2);
  Column avg = RunAggregate(Call(AggregateKind::kAvg, SqlType::kDouble), SqlType::kDouble, true, {b}, 2);
  EXPECT_DOUBLE_EQ(sum.Double(0), 4.0);
  EXPECT_TRUE(sum.IsNull(1));
  EXPECT_DOUBLE_EQ(avg.Double(0), 2.0);
  EXPECT_TRUE(avg.IsNull(1));
}

TEST(AggregateStatesTest, MinMaxOfDoublesPutNaNAboveNumbers) {
  Batch b{{0, 0, 0}, Column(ColumnType::kDouble)};
  b.values.AppendDouble(std::nan(""));
  b.values.AppendDouble(-1);
  b.values.AppendDouble(7);
  Column min = RunAggregate(Call(AggregateKind::kMin, SqlType::kDouble), SqlType::kDouble, false, {b}, 1);
  Column max = RunAggregate(Call(AggregateKind::kMax, SqlType::kDouble), SqlType::kDouble, false, {b}, 1);
  EXPECT_EQ(min.Double(0), -1);
  EXPECT_TRUE(std::isnan(max.Double(0)));
}

TEST(AggregateStatesTest, MinMaxOfVarcharByBytes) {
  Batch b{{0, 0, 0, 1, 1}, Column(ColumnType::kString)};
  for (const char* s : {"b", "\xc3\xa9", "B", "", "a"}) b.values.AppendString(s);
  Column min = RunAggregate(Call(AggregateKind::kMin, SqlType::kVarchar), SqlType::kVarchar, true, {b}, 3);
  Column max = RunAggregate(Call(AggregateKind::kMax, SqlType::kVarchar), SqlType::kVarchar, true, {b}, 3);
  EXPECT_EQ(min.String(0), "B");
  EXPECT_EQ(max.String(0), "\xc3\xa9");  // é (0xC3...) sorts after ASCII
  EXPECT_EQ(min.String(1), "");
  EXPECT_EQ(max.String(1), "a");
  EXPECT_TRUE(min.IsNull(2));
}

TEST(AggregateStatesTest, MinMaxOfTimestampsAndBooleans) {
  Batch t{{0, 0}, Column(ColumnType::kTimestamp)};
  t.values.AppendInt64(5);
  t.values.AppendInt64(-5);
  Column tmax = RunAggregate(Call(AggregateKind::kMax, SqlType::kTimestamp), SqlType::kTimestamp, false, {t}, 1);
  EXPECT_EQ(tmax.type(), ColumnType::kTimestamp);
  EXPECT_EQ(tmax.Int64(0), 5);
  Batch b{{0, 0}, Column(ColumnType::kBool)};
  b.values.AppendBool(true);
  b.values.AppendBool(false);
  EXPECT_FALSE(RunAggregate(Call(AggregateKind::kMin, SqlType::kBoolean), SqlType::kBoolean, false, {b}, 1).Bool(0));
  EXPECT_TRUE(RunAggregate(Call(AggregateKind::kMax, SqlType::kBoolean), SqlType::kBoolean, false, {b}, 1).Bool(0));
}

TEST(AggregateStatesTest, CountDistinctVarcharGroupedAndNotGrouped) {
  std::mt19937 rng(9);
  for (bool grouped : {false, true}) {
    const uint32_t groups = grouped ? 13 : 1;
    std::vector<std::set<std::string>> model(groups);
    Batch b{{}, Column(ColumnType::kString)};
    for (int r = 0; r < 50000; ++r) {
      uint32_t g = rng() % groups;
      b.groups.push_back(g);
      if (rng() % 11 == 0) {
        b.values.AppendNull();
        continue;
      }
      std::string s = "v" + std::to_string(rng() % 20000);
      model[g].insert(s);
      b.values.AppendString(s);
    }
    Column c = RunAggregate(Call(AggregateKind::kCount, SqlType::kBigint, true), SqlType::kVarchar, grouped, {b}, groups);
    for (uint32_t g = 0; g < groups; ++g) EXPECT_EQ(c.Int64(g), static_cast<int64_t>(model[g].size()));
  }
}

TEST(AggregateStatesTest, DistinctSetMergeRenamesGroups) {
  for (ColumnType type : {ColumnType::kString, ColumnType::kInt64}) {
    DistinctSet a(type, true), b(type, true);
    Column v(type);
    for (int i = 0; i < 3; ++i) {
      if (type == ColumnType::kString) {
        v.AppendString("x" + std::to_string(i));
      } else {
        v.AppendInt64(i);
      }
    }
    std::vector<uint32_t> ga{0, 0, 1}, gb{0, 1, 1};
    a.Insert(ga.data(), v, 3);  // (0,x0) (0,x1) (1,x2)
    b.Insert(gb.data(), v, 3);  // (0,x0) (1,x1) (1,x2) → renamed 1→0, 0→1
    a.Merge(std::move(b), {1, 0});         // adds (1,x0) (0,x1)dup (0,x2)
    EXPECT_EQ(a.size(), 5u);
    std::map<uint32_t, int> per_group;
    a.ForEach([&](uint32_t g, uint64_t) { ++per_group[g]; });
    EXPECT_EQ(per_group[0], 3);
    EXPECT_EQ(per_group[1], 2);
  }
}

TEST(AggregateStatesTest, UngroupedMergeKeepsTheLargerSet) {
  for (ColumnType type : {ColumnType::kString, ColumnType::kInt64}) {
    DistinctSet small(type, false), large(type, false);
    Column a(type), b(type);
    for (int i = 0; i < 5000; ++i) {
      if (type == ColumnType::kString) {
        b.AppendString(std::to_string(i));
        if (i % 100 == 0) a.AppendString(std::to_string(i * 3));
      } else {
        b.AppendInt64(i);
        if (i % 100 == 0) a.AppendInt64(i * 3);
      }
    }
    small.Insert(nullptr, a, a.size());
    large.Insert(nullptr, b, b.size());
    small.Merge(std::move(large), {0});
    // a holds 0, 300, ..., 14700: those below 5000 (0..4800, 17 values) are in b too.
    EXPECT_EQ(small.size(), 5000u + 50u - 17u);
  }
}

TEST(AggregateStatesTest, DistinctDoublesTreatSignedZerosAndNaNsAsOne) {
  DistinctSet s(ColumnType::kDouble, false);
  Column v(ColumnType::kDouble);
  v.AppendDouble(0.0);
  v.AppendDouble(-0.0);
  v.AppendDouble(std::nan(""));
  v.AppendDouble(-std::nan(""));
  v.AppendNull();
  s.Insert(nullptr, v, 5);
  EXPECT_EQ(s.size(), 2u);
}

TEST(AggregateStatesTest, DistinctSetGrowsToManyValues) {
  DistinctSet s(ColumnType::kString, false);
  Column v(ColumnType::kString);
  for (int i = 0; i < 200000; ++i) v.AppendString("uuid-" + std::to_string(i % 150000));
  s.Insert(nullptr, v, v.size());
  EXPECT_EQ(s.size(), 150000u);
}

TEST(AggregateStatesTest, RejectsSumOfVarchar) {
  EXPECT_EQ(AggregateState::Make(Call(AggregateKind::kSum, SqlType::kBigint), SqlType::kVarchar, false).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace loglake::query
