#include "query/execution/sort.h"

#include <cmath>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace loglake::query {
namespace {

Column Ints(const std::vector<std::optional<int64_t>>& values) {
  Column c(ColumnType::kInt64);
  for (const auto& v : values) {
    if (v) {
      c.AppendInt64(*v);
    } else {
      c.AppendNull();
    }
  }
  return c;
}

std::vector<uint32_t> Sorted(const std::vector<SortColumn>& keys, size_t n) {
  std::vector<uint32_t> rows = Iota(n);
  SortRowIndices(keys, &rows);
  return rows;
}

TEST(SortRowsTest, NullsLastByDefaultInBothDirections) {
  Column c = Ints({3, std::nullopt, 1, 2});
  EXPECT_EQ(Sorted({{&c, {false, false}}}, 4), (std::vector<uint32_t>{2, 3, 0, 1}));
  EXPECT_EQ(Sorted({{&c, {true, false}}}, 4), (std::vector<uint32_t>{0, 3, 2, 1}));
}

TEST(SortRowsTest, NullsFirst) {
  Column c = Ints({3, std::nullopt, 1, 2});
  EXPECT_EQ(Sorted({{&c, {false, true}}}, 4), (std::vector<uint32_t>{1, 2, 3, 0}));
  EXPECT_EQ(Sorted({{&c, {true, true}}}, 4), (std::vector<uint32_t>{1, 0, 3, 2}));
}

TEST(SortRowsTest, MultipleKeysAndStableTies) {
  Column a = Ints({1, 2, 1, 2, 1});
  Column b(ColumnType::kString);
  for (const char* s : {"b", "a", "a", "a", "b"}) b.AppendString(s);
  // a ASC, b DESC; rows 0 and 4 tie on both and keep their order.
  EXPECT_EQ(Sorted({{&a, {false, false}}, {&b, {true, false}}}, 5), (std::vector<uint32_t>{0, 4, 2, 1, 3}));
}

TEST(SortRowsTest, DoublesNaNLargestAndSignedZerosEqual) {
  Column c(ColumnType::kDouble);
  for (double d : {std::nan(""), 1.0, -0.0, -HUGE_VAL, 0.0, HUGE_VAL}) c.AppendDouble(d);
  EXPECT_EQ(Sorted({{&c, {false, false}}}, 6), (std::vector<uint32_t>{3, 2, 4, 1, 5, 0}));
  EXPECT_EQ(Sorted({{&c, {true, false}}}, 6), (std::vector<uint32_t>{0, 5, 1, 2, 4, 3}));
}

TEST(SortRowsTest, VarcharByUnsignedBytes) {
  Column c(ColumnType::kString);
  for (const char* s : {"\xc3\xa9", "z", "", "Z", "za"}) c.AppendString(s);
  EXPECT_EQ(Sorted({{&c, {false, false}}}, 5), (std::vector<uint32_t>{2, 3, 1, 4, 0}));
}

TEST(SortRowsTest, BooleansFalseFirst) {
  Column c(ColumnType::kBool);
  c.AppendBool(true);
  c.AppendBool(false);
  EXPECT_EQ(Sorted({{&c, {false, false}}}, 2), (std::vector<uint32_t>{1, 0}));
}

TEST(SortRowsTest, PartialSortEqualsPrefixOfFullSort) {
  std::mt19937 rng(3);
  Column a(ColumnType::kInt32), b(ColumnType::kInt32);
  for (int i = 0; i < 5000; ++i) {
    if (rng() % 9 == 0) {
      a.AppendNull();
    } else {
      a.AppendInt32(static_cast<int32_t>(rng() % 50));
    }
    b.AppendInt32(static_cast<int32_t>(rng() % 1000));
  }
  std::vector<SortColumn> keys{{&a, {true, true}}, {&b, {false, false}}};
  std::vector<uint32_t> full = Sorted(keys, 5000);
  for (size_t limit : {0, 1, 17, 999, 5000}) {
    std::vector<uint32_t> part = Iota(5000);
    SortRowIndices(keys, &part, limit);
    EXPECT_EQ(part, std::vector<uint32_t>(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(limit)));
  }
}

}  // namespace
}  // namespace loglake::query
