#include "query/execution/topn.h"

#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace loglake::query {
namespace {

struct Data {
  Column key{ColumnType::kInt64};
  Column payload{ColumnType::kInt32};  // the row's arrival number
};

Data RandomData(std::mt19937* rng, int n, int first_id) {
  Data d;
  for (int i = 0; i < n; ++i) {
    if ((*rng)() % 13 == 0) {
      d.key.AppendNull();
    } else {
      d.key.AppendInt64(static_cast<int64_t>((*rng)() % 300));
    }
    d.payload.AppendInt32(first_id + i);
  }
  return d;
}

void Feed(TopN* topn, const Data& d, size_t from, size_t to) {
  Column key(ColumnType::kInt64), payload(ColumnType::kInt32);
  for (size_t i = from; i < to; ++i) {
    key.AppendFrom(d.key, i);
    payload.AppendFrom(d.payload, i);
  }
  std::vector<uint32_t> rows;
  topn->Candidates({&key}, key.size(), &rows);
  // Payload only for the candidates, as the result builder does.
  Column selected(ColumnType::kInt32);
  for (uint32_t r : rows) selected.AppendFrom(payload, r);
  topn->Add({&key}, rows, {&selected});
}

std::vector<int32_t> Expected(const Data& d, SortKeySpec spec, size_t n) {
  std::vector<uint32_t> rows = Iota(d.key.size());
  SortRowIndices({{&d.key, spec}}, &rows, n);
  std::vector<int32_t> ids;
  for (uint32_t r : rows) ids.push_back(d.payload.Int32(r));
  return ids;
}

std::vector<int32_t> Ids(const std::vector<Column>& cols) {
  std::vector<int32_t> ids;
  for (size_t i = 0; i < cols[0].size(); ++i) ids.push_back(cols[0].Int32(i));
  return ids;
}

// Top-N over batches equals a full stable sort followed by LIMIT, for every direction and NULL
// placement and sizes below, at and above the input.
TEST(TopNTest, EqualsFullSortThenLimit) {
  std::mt19937 rng(11);
  Data d = RandomData(&rng, 4000, 0);
  for (bool desc : {false, true}) {
    for (bool nulls_first : {false, true}) {
      for (size_t n : {1, 7, 100, 1000, 5000}) {
        SortKeySpec spec{desc, nulls_first};
        TopN topn({ColumnType::kInt64}, {spec}, {ColumnType::kInt32}, n);
        for (size_t from = 0; from < 4000; from += 333) Feed(&topn, d, from, std::min<size_t>(4000, from + 333));
        EXPECT_EQ(Ids(topn.Finish()), Expected(d, spec, n)) << desc << nulls_first << " n=" << n;
      }
    }
  }
}

TEST(TopNTest, MergeEqualsSingleBuffer) {
  std::mt19937 rng(12);
  Data d = RandomData(&rng, 3000, 0);
  SortKeySpec spec{true, false};
  TopN a({ColumnType::kInt64}, {spec}, {ColumnType::kInt32}, 50);
  TopN b({ColumnType::kInt64}, {spec}, {ColumnType::kInt32}, 50);
  Feed(&a, d, 0, 1500);
  Feed(&b, d, 1500, 3000);
  a.Merge(std::move(b));
  EXPECT_EQ(Ids(a.Finish()), Expected(d, spec, 50));
}

TEST(TopNTest, CutoffOnlyAdmitsStrictlyBetterRows) {
  TopN topn({ColumnType::kInt64}, {{false, false}}, {ColumnType::kInt32}, 2);
  Data d;
  for (int64_t v : {5, 3, 9, 1}) {
    d.key.AppendInt64(v);
    d.payload.AppendInt32(static_cast<int32_t>(v));
  }
  Feed(&topn, d, 0, 4);  // 4 rows ≥ 2n: compacted to {1, 3}
  ASSERT_TRUE(topn.full());
  EXPECT_EQ(topn.key_column(0).Int64(topn.CutoffRow()), 3);
  Column key(ColumnType::kInt64);
  for (int64_t v : {3, 2, 4}) key.AppendInt64(v);
  std::vector<uint32_t> rows;
  topn.Candidates({&key}, 3, &rows);
  EXPECT_EQ(rows, (std::vector<uint32_t>{1}));
}

TEST(TopNTest, ZeroRowsWanted) {
  TopN topn({ColumnType::kInt64}, {{false, false}}, {ColumnType::kInt32}, 0);
  std::mt19937 rng(1);
  Data d = RandomData(&rng, 10, 0);
  Feed(&topn, d, 0, 10);
  EXPECT_EQ(topn.Finish()[0].size(), 0u);
}

}  // namespace
}  // namespace loglake::query
