#include "query/execution/hash_table.h"

#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

namespace loglake::query {
namespace {

// A key of the brute-force model: per key column, null or a value as text.
using ModelKey = std::vector<std::optional<std::string>>;

ModelKey KeyOf(const std::vector<const Column*>& keys, size_t r) {
  ModelKey k;
  for (const Column* c : keys) {
    if (c->IsNull(r)) {
      k.push_back(std::nullopt);
      continue;
    }
    switch (c->type()) {
      case ColumnType::kString: k.push_back(std::string(c->String(r))); break;
      case ColumnType::kInt32: k.push_back(std::to_string(c->Int32(r))); break;
      case ColumnType::kInt64:
      case ColumnType::kTimestamp: k.push_back(std::to_string(c->Int64(r))); break;
      case ColumnType::kDouble: {
        double d = c->Double(r);
        k.push_back(d != d ? "NaN" : std::to_string(d == 0 ? 0.0 : d));
        break;
      }
      case ColumnType::kBool: k.push_back(c->Bool(r) ? "t" : "f"); break;
    }
  }
  return k;
}

// Feeds random batches to a table and checks, against a std::map, that equal keys get equal
// ids, different keys different ids, ids are dense, and the key columns hold each group's key.
void CheckAgainstModel(const std::vector<ColumnType>& types, uint32_t seed, int64_t value_span) {
  std::mt19937 rng(seed);
  GroupHashTable table(types);
  std::map<ModelKey, uint32_t> model;
  std::set<uint32_t> seen_ids;
  for (int batch = 0; batch < 6; ++batch) {
    std::vector<Column> cols;
    for (ColumnType t : types) cols.emplace_back(t);
    size_t n = 1 + rng() % 3000;
    for (size_t r = 0; r < n; ++r) {
      for (Column& c : cols) {
        if (rng() % 10 == 0) {
          c.AppendNull();
          continue;
        }
        int64_t v = static_cast<int64_t>(rng() % static_cast<uint64_t>(value_span)) - value_span / 4;
        switch (c.type()) {
          case ColumnType::kString: c.AppendString(v % 7 == 0 ? std::string() : "s" + std::to_string(v)); break;
          case ColumnType::kInt32: c.AppendInt32(static_cast<int32_t>(v)); break;
          case ColumnType::kInt64: c.AppendInt64(v * 1'000'003); break;
          case ColumnType::kTimestamp: c.AppendInt64(v); break;
          case ColumnType::kDouble: c.AppendDouble(v % 5 == 0 ? (v % 2 ? -0.0 : 0.0) : v * 0.5); break;
          case ColumnType::kBool: c.AppendBool(v % 2 == 0); break;
        }
      }
    }
    std::vector<const Column*> keys;
    for (const Column& c : cols) keys.push_back(&c);
    std::vector<uint32_t> ids;
    table.FindOrInsert(keys, n, &ids);
    ASSERT_EQ(ids.size(), n);
    for (size_t r = 0; r < n; ++r) {
      ModelKey k = KeyOf(keys, r);
      auto [it, inserted] = model.emplace(k, ids[r]);
      ASSERT_EQ(ids[r], it->second) << "batch " << batch << " row " << r;
      if (inserted) {
        ASSERT_TRUE(seen_ids.insert(ids[r]).second) << "two keys share id " << ids[r];
      }
    }
  }
  ASSERT_EQ(table.num_groups(), model.size());
  ASSERT_EQ(*seen_ids.rbegin(), model.size() - 1);  // dense
  std::vector<const Column*> key_cols;
  for (const Column& c : table.key_columns()) key_cols.push_back(&c);
  for (const auto& [k, id] : model) EXPECT_EQ(KeyOf(key_cols, id), k);
}

TEST(GroupHashTableTest, SingleSmallIntUsesAnyValueIncludingNegativeAndNull) {
  CheckAgainstModel({ColumnType::kInt32}, 1, 1000);
}

TEST(GroupHashTableTest, SingleWideIntFallsBackToHashing) {
  CheckAgainstModel({ColumnType::kInt64}, 2, 200000);
}

TEST(GroupHashTableTest, SingleBool) { CheckAgainstModel({ColumnType::kBool}, 3, 10); }

TEST(GroupHashTableTest, DoublesMergeSignedZeros) { CheckAgainstModel({ColumnType::kDouble}, 4, 500); }

TEST(GroupHashTableTest, FixedWidthMultiKeyGrowsPastInitialCapacity) {
  CheckAgainstModel({ColumnType::kInt32, ColumnType::kTimestamp}, 5, 300);
}

TEST(GroupHashTableTest, StringKeys) { CheckAgainstModel({ColumnType::kString}, 6, 5000); }

TEST(GroupHashTableTest, MixedStringAndFixedKeys) {
  CheckAgainstModel({ColumnType::kString, ColumnType::kInt32, ColumnType::kBool}, 7, 100);
}

TEST(GroupHashTableTest, NullAndEmptyStringAreDifferentGroups) {
  Column c(ColumnType::kString);
  c.AppendNull();
  c.AppendString("");
  c.AppendNull();
  c.AppendString("");
  GroupHashTable table({ColumnType::kString});
  std::vector<uint32_t> ids;
  table.FindOrInsert({&c}, 4, &ids);
  EXPECT_EQ(ids, (std::vector<uint32_t>{0, 1, 0, 1}));
}

TEST(GroupHashTableTest, AdjacentStringKeysDoNotAlias) {
  // ("ab", "c") and ("a", "bc") serialize differently thanks to length prefixes.
  Column a(ColumnType::kString), b(ColumnType::kString);
  a.AppendString("ab");
  b.AppendString("c");
  a.AppendString("a");
  b.AppendString("bc");
  GroupHashTable table({ColumnType::kString, ColumnType::kString});
  std::vector<uint32_t> ids;
  table.FindOrInsert({&a, &b}, 2, &ids);
  EXPECT_EQ(ids, (std::vector<uint32_t>{0, 1}));
}

TEST(GroupHashTableTest, NoKeysIsOneGroup) {
  GroupHashTable table({});
  std::vector<uint32_t> ids;
  table.FindOrInsert({}, 3, &ids);
  EXPECT_EQ(ids, (std::vector<uint32_t>{0, 0, 0}));
  EXPECT_EQ(table.num_groups(), 1u);
}

}  // namespace
}  // namespace loglake::query
