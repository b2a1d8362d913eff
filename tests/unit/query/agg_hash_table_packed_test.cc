// The packed path of GroupHashTable (integer keys without NULLs, batch ranges within 64 bits):
// the same groups as the general path, whichever path each batch takes.
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "query/execution/hash_table.h"

namespace loglake::query {
namespace {

using Key = std::vector<int64_t>;

int64_t At(const Column& c, size_t r) {
  switch (c.type()) {
    case ColumnType::kInt32: return c.Int32(r);
    case ColumnType::kBool: return c.Bool(r) ? 1 : 0;
    default: return c.Int64(r);
  }
}

struct Checker {
  explicit Checker(std::vector<ColumnType> key_types) : types(key_types), table(key_types) {}

  // Feeds one batch made by `value(key, row)` (nullopt: NULL) and checks every id against the
  // model: equal keys share an id, different keys never do.
  template <typename ValueFn>
  void Batch(size_t n, ValueFn value) {
    std::vector<Column> cols;
    for (ColumnType t : types) cols.emplace_back(t);
    for (size_t r = 0; r < n; ++r) {
      for (size_t k = 0; k < cols.size(); ++k) {
        std::optional<int64_t> v = value(k, r);
        if (!v) {
          cols[k].AppendNull();
        } else if (types[k] == ColumnType::kInt32) {
          cols[k].AppendInt32(static_cast<int32_t>(*v));
        } else if (types[k] == ColumnType::kBool) {
          cols[k].AppendBool(*v != 0);
        } else {
          cols[k].AppendInt64(*v);
        }
      }
    }
    std::vector<const Column*> keys;
    for (const Column& c : cols) keys.push_back(&c);
    std::vector<uint32_t> ids;
    table.FindOrInsert(keys, n, &ids);
    ASSERT_EQ(ids.size(), n);
    for (size_t r = 0; r < n; ++r) {
      Key key;
      for (size_t k = 0; k < cols.size(); ++k) key.push_back(cols[k].IsNull(r) ? -7777777 : At(cols[k], r));
      auto [it, inserted] = model.emplace(key, ids[r]);
      ASSERT_EQ(it->second, ids[r]) << "row " << r;
      if (inserted) {
        ASSERT_TRUE(owners.emplace(ids[r], key).second) << "id " << ids[r] << " has two keys";
      }
    }
    ASSERT_EQ(table.num_groups(), model.size());
  }

  void CheckKeyColumns() {
    for (const auto& [id, key] : owners) {
      for (size_t k = 0; k < key.size(); ++k) {
        const Column& c = table.key_columns()[k];
        if (key[k] == -7777777) {
          EXPECT_TRUE(c.IsNull(id));
        } else {
          EXPECT_EQ(At(c, id), key[k]);
        }
      }
    }
  }

  std::vector<ColumnType> types;
  GroupHashTable table;
  std::map<Key, uint32_t> model;
  std::map<uint32_t, Key> owners;
};

TEST(GroupHashTablePackedTest, StatusByHourTakesThePackedPath) {
  Checker c({ColumnType::kInt32, ColumnType::kTimestamp});
  std::mt19937 rng(1);
  const int64_t hour = int64_t{3600} * 1000000;
  const int32_t statuses[] = {200, 201, 204, 301, 304, 400, 401, 403, 404, 500, 502, 503};
  for (int b = 0; b < 8; ++b) {
    c.Batch(5000, [&](size_t k, size_t r) -> std::optional<int64_t> {
      if (k == 0) return statuses[rng() % 12];
      return int64_t{1714521600000000} + (b * 3 + static_cast<int64_t>(r * 3 / 5000)) * hour;
    });
  }
  c.CheckKeyColumns();
  EXPECT_EQ(c.table.packed_batches(), 8u);
  EXPECT_EQ(c.table.num_groups(), 12u * 24);
}

TEST(GroupHashTablePackedTest, PathsMixAcrossBatchesWithTheSameGroups) {
  Checker c({ColumnType::kInt64, ColumnType::kBool, ColumnType::kInt32});
  std::mt19937 rng(2);
  for (int b = 0; b < 12; ++b) {
    const bool with_nulls = b % 3 == 1;  // general path
    const bool extreme = b % 3 == 2;     // ranges too wide to pack: general path
    c.Batch(300 + rng() % 3000, [&](size_t k, size_t r) -> std::optional<int64_t> {
      if (with_nulls && rng() % 9 == 0) return std::nullopt;
      if (extreme && k == 0 && r < 2) {
        return r == 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
      }
      if (extreme && k == 2 && r == 2) return std::numeric_limits<int32_t>::min();
      const int64_t v = static_cast<int64_t>(rng() % 4) - 2;  // 4 x 2 x 4 keys: the local table pays
      return k == 1 ? v & 1 : v;
    });
  }
  c.CheckKeyColumns();
  EXPECT_EQ(c.table.packed_batches(), 4u);  // b = 0, 3, 6, 9
}

TEST(GroupHashTablePackedTest, ManyDistinctKeysGiveUpOnTheLocalTable) {
  Checker c({ColumnType::kInt32, ColumnType::kInt64});
  uint64_t next = 0;
  for (int b = 0; b < 3; ++b) {
    c.Batch(4000, [&](size_t k, size_t) -> std::optional<int64_t> {
      return k == 0 ? int64_t{1} : static_cast<int64_t>(next++ / 2 % 100000);
    });
  }
  c.CheckKeyColumns();
  EXPECT_EQ(c.table.packed_batches(), 0u);
  EXPECT_EQ(c.table.num_groups(), 6000u);
}

TEST(GroupHashTablePackedTest, SmallBatchesAndConstantKeys) {
  Checker c({ColumnType::kInt32, ColumnType::kInt64});
  c.Batch(100, [](size_t k, size_t r) -> std::optional<int64_t> { return k == 0 ? int64_t(r % 3) : 5; });
  EXPECT_EQ(c.table.packed_batches(), 0u);  // below the packed path's minimum batch
  c.Batch(1000, [](size_t, size_t) -> std::optional<int64_t> { return 5; });  // zero bits of key
  c.Batch(1000, [](size_t k, size_t r) -> std::optional<int64_t> { return k == 0 ? int64_t(r % 3) : 5; });
  c.CheckKeyColumns();
  EXPECT_EQ(c.table.packed_batches(), 2u);
  EXPECT_EQ(c.table.num_groups(), 4u);  // (0..2, 5) and (5, 5)
}

}  // namespace
}  // namespace loglake::query
