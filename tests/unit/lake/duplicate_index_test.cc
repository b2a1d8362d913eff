#include "lake/duplicate_index.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "common/file.h"
#include "lake/converter.h"
#include "lake/json_text.h"
#include "parquet/reader.h"
#include "test_util.h"

namespace loglake::lake {
namespace {

// The index by definition: every key seen more than once, all its rows, groups by first row.
DuplicateIndex BruteForce(const std::vector<std::optional<std::string>>& keys, const std::string& column) {
  std::map<std::string, std::vector<uint64_t>> rows_of;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i]) rows_of[*keys[i]].push_back(i);
  }
  std::map<uint64_t, std::vector<uint64_t>> groups;  // by first row
  for (auto& [key, rows] : rows_of) {
    if (rows.size() > 1) groups[rows[0]] = rows;
  }
  DuplicateIndex index;
  index.key_column = column;
  index.num_rows = keys.size();
  for (auto& [first, rows] : groups) {
    index.rows.insert(index.rows.end(), rows.begin(), rows.end());
    index.group_begin.push_back(index.rows.size());
  }
  return index;
}

Column StringColumn(const std::vector<std::optional<std::string>>& keys, size_t begin, size_t end) {
  Column c(ColumnType::kString);
  for (size_t i = begin; i < end; ++i) keys[i] ? c.AppendString(*keys[i]) : c.AppendNull();
  return c;
}

TEST(DuplicateTrackerTest, FindsEveryGroupAcrossBatches) {
  std::mt19937_64 rng(7);
  std::vector<std::optional<std::string>> keys;
  for (int i = 0; i < 200000; ++i) {
    const uint64_t r = rng() % 1000;
    if (r < 20) {
      keys.push_back(std::nullopt);  // NULLs are never duplicates, even of each other
    } else if (r < 60 && !keys.empty()) {
      keys.push_back(keys[rng() % keys.size()]);  // a repeat of an earlier row (maybe NULL)
    } else {
      keys.push_back("k" + std::to_string(rng()));
    }
  }
  DuplicateTracker tracker;
  // Uneven batches, one of them empty, crossing the tracker's block boundaries.
  size_t pos = 0;
  for (size_t size : {0, 1, 70000, 3, 65533, 64463}) {
    tracker.Add(StringColumn(keys, pos, pos + size));
    pos += size;
  }
  ASSERT_EQ(pos, keys.size());
  EXPECT_EQ(tracker.rows(), keys.size());
  const size_t bytes = tracker.MemoryBytes();
  EXPECT_GE(bytes, keys.size() * 16);
  EXPECT_LE(bytes, keys.size() * 38);
  std::optional<DuplicateIndex> index = tracker.Finish("uuid");
  ASSERT_TRUE(index.has_value());
  const DuplicateIndex expected = BruteForce(keys, "uuid");
  EXPECT_GT(expected.num_groups(), 1000u);
  EXPECT_EQ(*index, expected);
  EXPECT_EQ(tracker.MemoryBytes(), 0u);  // memory returned at Finish
  EXPECT_EQ(tracker.rows(), 0u);
}

TEST(DuplicateTrackerTest, IntegerKeysHashLikeTheirInt64Value) {
  Column a(ColumnType::kInt32);
  for (int v : {5, 6, 5, -1, 7, -1, 5}) a.AppendInt32(v);
  Column b(ColumnType::kInt64);
  b.AppendInt64(6);  // row 7: same value as row 1, other width
  DuplicateTracker tracker;
  tracker.Add(a);
  tracker.Add(b);
  std::optional<DuplicateIndex> index = tracker.Finish("id");
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(index->rows, (std::vector<uint64_t>{0, 2, 6, 1, 7, 3, 5}));
  EXPECT_EQ(index->group_begin, (std::vector<uint64_t>{0, 3, 5, 7}));
  EXPECT_EQ(index->num_rows, 8u);
}

TEST(DuplicateIndexCodecTest, EmptyIndexIsExplicitAndShort) {
  DuplicateTracker tracker;
  Column keys(ColumnType::kString);
  for (int i = 0; i < 1000; ++i) keys.AppendString("u" + std::to_string(i));
  tracker.Add(keys);
  std::optional<DuplicateIndex> index = tracker.Finish("uuid");
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(index->num_groups(), 0u);
  EXPECT_EQ(EncodeDuplicateIndex(*index), "1 uuid 1000 AA==");
  Result<DuplicateIndex> back = DecodeDuplicateIndex("1 uuid 1000 AA==");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, *index);
}

TEST(DuplicateIndexCodecTest, RoundTrips) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    DuplicateIndex index;
    index.key_column = trial % 2 ? "uuid" : "request_id";
    index.num_rows = 2 + rng() % (trial % 3 == 0 ? (uint64_t{1} << 40) : 5000);
    // Distinct rows, dealt into groups of 2..5 ordered by first row.
    std::set<uint64_t> used;
    std::vector<std::vector<uint64_t>> groups;
    const int wanted = static_cast<int>(rng() % 20);
    for (int g = 0; g < wanted; ++g) {
      std::vector<uint64_t> rows;
      const int k = 2 + static_cast<int>(rng() % 4);
      for (int i = 0; i < k && used.size() < index.num_rows; ++i) {
        uint64_t r = rng() % index.num_rows;
        while (!used.insert(r).second) r = rng() % index.num_rows;
        rows.push_back(r);
      }
      if (rows.size() < 2) break;
      std::sort(rows.begin(), rows.end());
      groups.push_back(rows);
    }
    std::sort(groups.begin(), groups.end());
    for (const auto& rows : groups) {
      index.rows.insert(index.rows.end(), rows.begin(), rows.end());
      index.group_begin.push_back(index.rows.size());
    }
    const std::string text = EncodeDuplicateIndex(index);
    for (char c : text) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << text;  // printable ASCII
    Result<DuplicateIndex> back = DecodeDuplicateIndex(text);
    ASSERT_TRUE(back.ok()) << back.status().ToString() << " for " << text;
    EXPECT_EQ(*back, index);
  }
}

// Base64 of raw payload bytes, to build malformed payloads by hand.
std::string Payload(std::initializer_list<uint8_t> bytes) {
  std::string out;
  const std::string raw(bytes.begin(), bytes.end());
  AppendBase64(&out, raw);
  return out;
}

TEST(DuplicateIndexCodecTest, RejectsMalformedText) {
  // A valid one for reference: one group {1, 3} in a 5-row file.
  ASSERT_TRUE(DecodeDuplicateIndex("1 uuid 5 " + Payload({1, 2, 1, 2})).ok());
  const std::vector<std::string> bad = {
      "",
      "1",
      "1 uuid 5",
      "1 uuid 5 ",                              // no payload bytes at all
      "2 uuid 5 AA==",                          // unknown version
      "1  uuid 5 AA==",                         // empty field
      "1 uuid 5 AA== ",                         // trailing space
      "1 uu-id 5 AA==",                         // not a column name
      "1 uuid -5 AA==",                         // row count
      "1 uuid 05 AA==",
      "1 uuid 99999999999999999999999 AA==",    // overflow
      "1 uuid 5 AA=",                           // base64 length
      "1 uuid 5 A===",                          // base64 padding
      "1 uuid 5 AA=A",
      "1 uuid 5 *A==",                          // base64 alphabet
      "1 uuid 5 " + Payload({}),                // no group count
      "1 uuid 5 " + Payload({0x80}),            // truncated varint
      "1 uuid 5 " + Payload({0, 0}),            // trailing bytes
      "1 uuid 5 " + Payload({1, 2, 1}),         // truncated group
      "1 uuid 5 " + Payload({1, 1, 1}),         // a group of one row
      "1 uuid 5 " + Payload({1, 0, 1, 2}),      // a group of zero rows
      "1 uuid 5 " + Payload({1, 2, 1, 0}),      // rows of a group not ascending
      "1 uuid 5 " + Payload({1, 2, 4, 1}),      // row 5 in a 5-row file
      "1 uuid 5 " + Payload({1, 2, 5, 1}),      // first row past the end
      "1 uuid 0 " + Payload({1, 2, 0, 1}),      // rows in an empty file
      "1 uuid 9 " + Payload({2, 2, 1, 2, 2, 0, 1}),  // groups not in first-row order
      "1 uuid 9 " + Payload({2, 2, 1, 2, 2, 1, 1}),  // row 3 in two groups
      "1 uuid 9 " + Payload({200, 2, 1, 2}),    // more groups than bytes
      "1 uuid 5 " + Payload({1, 200, 1, 1}),    // more rows than bytes
      "1 uuid 5 " + Payload({1, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1}),  // > 64 bits
      "1 uuid 18446744073709551615 " + Payload({1, 2, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 5}),
  };
  for (const std::string& text : bad) {
    Result<DuplicateIndex> r = DecodeDuplicateIndex(text);
    EXPECT_FALSE(r.ok()) << "accepted '" << text << "'";
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << text;
    }
  }
}

// Random damage to valid texts never crashes, and whatever still decodes obeys the contract.
TEST(DuplicateIndexCodecTest, DamagedTextEitherFailsOrIsValid) {
  std::mt19937_64 rng(3);
  DuplicateIndex index;
  index.key_column = "uuid";
  index.num_rows = 400;
  for (uint64_t g = 0; g < 20; ++g) {
    index.rows.push_back(g * 10);
    index.rows.push_back(g * 10 + 3);
    index.rows.push_back(200 + g * 9);
    index.group_begin.push_back(index.rows.size());
  }
  const std::string valid = EncodeDuplicateIndex(index);
  ASSERT_TRUE(DecodeDuplicateIndex(valid).ok());
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= 1";
  for (int trial = 0; trial < 5000; ++trial) {
    std::string text = valid;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0: text[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: text.erase(at, 1 + rng() % 4); break;
        default: text.resize(at); break;
      }
      if (text.empty()) break;
    }
    Result<DuplicateIndex> r = DecodeDuplicateIndex(text);
    if (!r.ok()) continue;
    std::set<uint64_t> seen;
    for (size_t g = 0; g < r->num_groups(); ++g) {
      ASSERT_GE(r->group_begin[g + 1] - r->group_begin[g], 2u) << text;
      if (g > 0) {
        ASSERT_LT(r->rows[r->group_begin[g - 1]], r->rows[r->group_begin[g]]) << text;
      }
      for (uint64_t i = r->group_begin[g]; i < r->group_begin[g + 1]; ++i) {
        ASSERT_LT(r->rows[i], r->num_rows) << text;
        if (i > r->group_begin[g]) {
          ASSERT_LT(r->rows[i - 1], r->rows[i]) << text;
        }
        ASSERT_TRUE(seen.insert(r->rows[i]).second) << text;
      }
    }
  }
}

// The converter writes the index of each file it publishes, matching the file's rows.
TEST(DuplicateIndexConverterTest, EveryFileCarriesItsIndex) {
  const std::string lake = testing_util::FreshTempDir("duplicate_index_converter");
  ConverterOptions options;
  options.row_group_rows = 300;  // several row groups: row numbers count across them
  options.batch_bytes = 4096;    // several batches per file
  auto c = Converter::Create(lake, AccessLogTable(), options);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  std::string input;
  std::mt19937_64 rng(5);
  std::vector<std::string> earlier;
  for (int i = 0; i < 3000; ++i) {
    const int day = 1 + i / 1000;  // three days, one file each
    std::string uuid = "u" + std::to_string(i);
    if (i % 1000 > 10 && rng() % 10 == 0) uuid = earlier[earlier.size() - 1 - rng() % std::min<size_t>(earlier.size(), 30)];
    earlier.push_back(uuid);
    char time[64];
    std::snprintf(time, sizeof(time), "2024-03-%02dT10:%02d:%02dZ", day, i % 3600 / 60, i % 60);
    if (i % 97 == 5) {
      input += "{\"time\":\"" + std::string(time) + "\",\"status\":200}\n";  // NULL uuid
    } else {
      input += "{\"uuid\":\"" + uuid + "\",\"time\":\"" + time + "\",\"status\":200}\n";
    }
  }
  (*c)->BeginSource("in");
  ASSERT_TRUE((*c)->Feed(input).ok());
  ASSERT_TRUE((*c)->Finish().ok());
  ASSERT_EQ((*c)->stats().files.size(), 3u);
  uint64_t groups = 0;
  for (const std::string& path : (*c)->stats().files) {
    auto file = RandomAccessFile::Open(path);
    ASSERT_TRUE(file.ok());
    auto reader = parquet::FileReader::Open(*file);
    ASSERT_TRUE(reader.ok());
    ASSERT_GT((*reader)->num_row_groups(), 1);
    std::vector<std::optional<std::string>> keys;
    const int uuid = (*reader)->ColumnIndexOf("uuid");
    for (int rg = 0; rg < (*reader)->num_row_groups(); ++rg) {
      auto column = (*reader)->ReadColumnChunk(rg, uuid);
      ASSERT_TRUE(column.ok());
      for (size_t i = 0; i < column->size(); ++i) {
        keys.push_back(column->IsNull(i) ? std::nullopt : std::optional<std::string>(column->String(i)));
      }
    }
    const auto& kv = (*reader)->metadata().key_value_metadata;
    ASSERT_TRUE(kv.has_value());
    int entries = 0;
    for (const parquet::KeyValue& e : *kv) {
      if (e.key != kDuplicatesMetadataKey) continue;
      ++entries;
      ASSERT_TRUE(e.value.has_value());
      Result<DuplicateIndex> index = DecodeDuplicateIndex(*e.value);
      ASSERT_TRUE(index.ok()) << index.status().ToString();
      EXPECT_EQ(*index, BruteForce(keys, "uuid")) << path;
      groups += index->num_groups();
    }
    EXPECT_EQ(entries, 1) << path;
  }
  EXPECT_GT(groups, 100u);
}

}  // namespace
}  // namespace loglake::lake
