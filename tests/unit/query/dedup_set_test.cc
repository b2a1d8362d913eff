// KeyHashSet and key hashing: first insert wins, set growth keeps every key, NULLs are flagged.
#include <gtest/gtest.h>

#include <random>
#include <unordered_set>

#include "query/execution/dedup_set.h"

namespace loglake::query {
namespace {

TEST(DedupSetTest, InsertReportsFirstOccurrenceAcrossGrowth) {
  Column keys(ColumnType::kString);
  for (int i = 0; i < 5000; ++i) keys.AppendString("key-" + std::to_string(i % 3000));
  keys.AppendNull();
  keys.AppendNull();
  std::vector<KeyHash> hashes;
  std::vector<uint8_t> nulls;
  DedupKeyHashes(keys, &hashes, &nulls);
  ASSERT_EQ(hashes.size(), keys.size());
  KeyHashSet set;
  int firsts = 0;
  for (size_t i = 0; i < 5000; ++i) {
    const bool first = set.Insert(hashes[i]);
    EXPECT_EQ(first, i < 3000) << i;
    firsts += first;
  }
  EXPECT_EQ(firsts, 3000);
  EXPECT_EQ(set.size(), 3000u);
  EXPECT_EQ(nulls[5000], 1);
  EXPECT_EQ(nulls[4999], 0);
  // ~16 bytes per slot at <= 3/4 load.
  EXPECT_LE(set.MemoryBytes(), 3000u * 16 * 3);
  set.Clear();
  EXPECT_EQ(set.size(), 0u);
  EXPECT_EQ(set.MemoryBytes(), 0u);
  EXPECT_TRUE(set.Insert(hashes[0]));
}

TEST(DedupSetTest, IntegerKeysHashByValue) {
  Column a(ColumnType::kInt64);
  a.AppendInt64(42);
  a.AppendInt64(43);
  Column b(ColumnType::kInt32);
  b.AppendInt32(42);
  std::vector<KeyHash> ha, hb;
  DedupKeyHashes(a, &ha, nullptr);
  DedupKeyHashes(b, &hb, nullptr);
  EXPECT_EQ(ha[0], hb[0]);
  EXPECT_FALSE(ha[0] == ha[1]);
}

TEST(DedupSetTest, ZeroHashIsStillAKey) {
  KeyHashSet set;
  EXPECT_TRUE(set.Insert(KeyHash{0, 0}));
  EXPECT_FALSE(set.Insert(KeyHash{0, 0}));
  std::mt19937_64 rng(7);
  std::unordered_set<uint64_t> seen;
  for (int i = 0; i < 20000; ++i) {
    const uint64_t v = rng() % 10000;
    EXPECT_EQ(set.Insert(KeyHash{v + 2, v * 31}), seen.insert(v).second);
  }
}

}  // namespace
}  // namespace loglake::query
