// ColumnChunkReader::ReadRanges (only wanted positions materialized, other pages skipped),
// NextDataPageIndices (dictionary pages as indices) and SelectStrings (matching on the decoded
// pages) against ReadAll of the same chunk: every type, NULLs, several pages, and a dictionary
// chunk that fell back to PLAIN part-way.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/file.h"
#include "parquet/column_reader.h"
#include "parquet/reader.h"
#include "parquet/writer.h"
#include "test_util.h"

namespace loglake::parquet {
namespace {

std::string Cell(const Column& c, size_t i) {
  if (c.IsNull(i)) return "NULL";
  switch (c.type()) {
    case ColumnType::kBool: return c.Bool(i) ? "true" : "false";
    case ColumnType::kInt32: return std::to_string(c.Int32(i));
    case ColumnType::kInt64:
    case ColumnType::kTimestamp: return std::to_string(c.Int64(i));
    case ColumnType::kDouble: return std::to_string(c.Double(i));
    case ColumnType::kString: return "'" + std::string(c.String(i)) + "'";
  }
  return "?";
}

// Writes `batch` to `path` as one file and opens it for reading.
std::unique_ptr<FileReader> WriteAndOpen(const std::string& path, const std::vector<Field>& schema,
                                         const ColumnBatch& batch, const WriterOptions& options) {
  auto file = WritableFile::Create(path);
  EXPECT_TRUE(file.ok());
  if (!file.ok()) return nullptr;
  auto writer = FileWriter::Create(file->get(), schema, options);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  if (!writer.ok()) return nullptr;
  EXPECT_TRUE((*writer)->Write(batch).ok());
  EXPECT_TRUE((*writer)->Close().ok());
  EXPECT_TRUE((*file)->Close().ok());
  auto source = RandomAccessFile::Open(path);
  EXPECT_TRUE(source.ok());
  if (!source.ok()) return nullptr;
  auto reader = FileReader::Open(*source);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  return reader.ok() ? std::move(*reader) : nullptr;
}

class ColumnReaderRangesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<Field> schema = {{"s", ColumnType::kString, true},
                                       {"few", ColumnType::kString, true},
                                       {"i", ColumnType::kInt32, true},
                                       {"l", ColumnType::kInt64, false},
                                       {"b", ColumnType::kBool, true}};
    ColumnBatch batch(schema);
    for (int r = 0; r < kRows; ++r) {
      // Few distinct values first (dictionary pages), then a new one per row (PLAIN fallback).
      r % 6 == 0 ? batch.columns[0].AppendNull() : batch.columns[0].AppendString("v" + std::to_string(r < 200 ? r % 5 : r));
      r % 5 == 1 ? batch.columns[1].AppendNull() : batch.columns[1].AppendString(r % 3 ? "x" : "yy");
      r % 4 == 2 ? batch.columns[2].AppendNull() : batch.columns[2].AppendInt32(r % 7);
      batch.columns[3].AppendInt64(int64_t{r} * 1000003);
      r % 9 == 0 ? batch.columns[4].AppendNull() : batch.columns[4].AppendBool(r % 2 == 0);
    }
    WriterOptions options;
    options.codec = Codec::kSnappy;
    options.page_rows = 50;
    options.page_bytes = 400;  // the dictionary's sample page is cut by bytes, not rows
    options.row_group_rows = kRows;
    options.dictionary_bytes_limit = 400;  // "s" outgrows it: PLAIN after its first pages
    reader_ = WriteAndOpen(testing_util::FreshTempDir("column_reader_ranges") + "/c.parquet", schema, batch, options);
    ASSERT_NE(reader_, nullptr);
    ASSERT_EQ(reader_->num_row_groups(), 1);
  }

  std::vector<std::string> All(int col) {
    auto chunk = reader_->OpenColumnChunk(0, col);
    EXPECT_TRUE(chunk.ok());
    Column c(reader_->fields()[static_cast<size_t>(col)].type);
    EXPECT_TRUE((*chunk)->ReadAll(&c).ok());
    std::vector<std::string> out;
    for (size_t i = 0; i < c.size(); ++i) out.push_back(Cell(c, i));
    return out;
  }

  static constexpr int kRows = 400;
  std::unique_ptr<FileReader> reader_;
};

TEST_F(ColumnReaderRangesTest, WantedPositionsOnly) {
  const std::vector<ColumnChunkReader::PositionRanges> cases = {
      {{0, kRows}}, {{0, 1}}, {{kRows - 1, kRows}}, {{49, 51}}, {{3, 7}, {120, 121}, {160, 260}, {399, 400}},
      {{210, 211}}, {}};
  for (int col = 0; col < reader_->num_columns(); ++col) {
    const std::vector<std::string> all = All(col);
    ASSERT_EQ(all.size(), static_cast<size_t>(kRows));
    for (const auto& wanted : cases) {
      auto chunk = reader_->OpenColumnChunk(0, col);
      ASSERT_TRUE(chunk.ok());
      Column got(reader_->fields()[static_cast<size_t>(col)].type);
      ASSERT_TRUE((*chunk)->ReadRanges(wanted, &got).ok());
      std::vector<std::string> want;
      for (const auto& [b, e] : wanted) {
        for (int64_t p = b; p < e; ++p) want.push_back(all[static_cast<size_t>(p)]);
      }
      ASSERT_EQ(got.size(), want.size()) << "column " << col;
      for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(Cell(got, i), want[i]) << "column " << col << " at " << i;
    }
  }
}

TEST_F(ColumnReaderRangesTest, PositionsPastTheChunkAreCorruption) {
  auto chunk = reader_->OpenColumnChunk(0, 3);
  ASSERT_TRUE(chunk.ok());
  Column got(ColumnType::kInt64);
  EXPECT_FALSE((*chunk)->ReadRanges({{kRows - 2, kRows + 5}}, &got).ok());
}

TEST_F(ColumnReaderRangesTest, IndicesRebuildTheValues) {
  bool saw_plain_fallback = false;
  for (int col : {0, 1, 2}) {
    const std::vector<std::string> all = All(col);
    auto chunk = reader_->OpenColumnChunk(0, col);
    ASSERT_TRUE(chunk.ok());
    const ColumnType type = reader_->fields()[static_cast<size_t>(col)].type;
    std::vector<std::string> got;
    int index_pages = 0;
    while (true) {
      DataPageInfo info;
      std::vector<uint32_t> indices;
      Column values(type);
      bool as_indices = false, done = false;
      ASSERT_TRUE((*chunk)->NextDataPageIndices(&info, &indices, &values, &as_indices, &done).ok());
      if (done) break;
      if (as_indices) {
        ++index_pages;
        ASSERT_TRUE((*chunk)->has_dictionary());
        Column dictionary(type);
        (*chunk)->AppendDictionary(&dictionary);
        EXPECT_EQ(dictionary.size(), (*chunk)->dictionary_size());
        ASSERT_EQ(indices.size(), static_cast<size_t>(info.num_rows));
        for (uint32_t k : indices) {
          got.push_back(k == ColumnChunkReader::kNullIndex ? "NULL" : Cell(dictionary, k));
        }
      } else {
        saw_plain_fallback = saw_plain_fallback || col == 0;
        ASSERT_EQ(values.size(), static_cast<size_t>(info.num_rows));
        for (size_t i = 0; i < values.size(); ++i) got.push_back(Cell(values, i));
      }
    }
    EXPECT_GT(index_pages, 0) << "column " << col;
    EXPECT_EQ(got, all) << "column " << col;
  }
  EXPECT_TRUE(saw_plain_fallback);
}

TEST_F(ColumnReaderRangesTest, SelectStringsMatchesWhatReadAllHolds) {
  const std::vector<ColumnChunkReader::PositionRanges> cases = {
      {{0, kRows}}, {{0, 1}}, {{49, 51}}, {{3, 7}, {120, 121}, {160, 260}, {399, 400}}, {{45, 260}}, {}};
  // Column 0: dictionary pages, then PLAIN; column 1: dictionary only. Both nullable.
  const std::vector<std::set<std::string>> key_sets = {
      {"'v1'"}, {"'v3'", "'v250'", "'v399'"}, {"'x'"}, {"'yy'", "'nope'"}, {"'absent'"}, {}};
  int hits = 0;
  for (int col : {0, 1}) {
    const std::vector<std::string> all = All(col);
    for (const auto& wanted : cases) {
      for (const auto& keys : key_sets) {
        auto chunk = reader_->OpenColumnChunk(0, col);
        ASSERT_TRUE(chunk.ok());
        std::vector<uint32_t> selected;
        Column values(ColumnType::kString);
        const auto match = [&keys](std::string_view v) { return keys.count("'" + std::string(v) + "'") > 0; };
        ASSERT_TRUE((*chunk)->SelectStrings(wanted, match, &selected, &values).ok());
        std::vector<uint32_t> want_selected;
        std::vector<std::string> want_values;
        uint32_t index = 0;
        for (const auto& [b, e] : wanted) {
          for (int64_t p = b; p < e; ++p, ++index) {
            if (keys.count(all[static_cast<size_t>(p)]) == 0) continue;
            want_selected.push_back(index);
            want_values.push_back(all[static_cast<size_t>(p)]);
          }
        }
        EXPECT_EQ(selected, want_selected) << "column " << col;
        ASSERT_EQ(values.size(), want_values.size());
        for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(Cell(values, i), want_values[i]);
        hits += static_cast<int>(selected.size());
      }
    }
  }
  EXPECT_GT(hits, 100);  // the cases do select rows
}

TEST_F(ColumnReaderRangesTest, SelectStringsRefusesOtherTypes) {
  auto chunk = reader_->OpenColumnChunk(0, 2);
  ASSERT_TRUE(chunk.ok());
  std::vector<uint32_t> selected;
  Column values(ColumnType::kString);
  EXPECT_FALSE((*chunk)->SelectStrings({{0, 10}}, [](std::string_view) { return true; }, &selected, &values).ok());
}

// A large dictionary (40k entries, row r holding entry r / 4: each repeats, so the writer keeps
// the dictionary, and entries appear in index order) is
// decoded only as far as the wanted rows need: a needle's row near the start of the dictionary
// costs a small prefix of its page, a later one more, and every value read equals ReadAll's.
TEST(ColumnReaderLazyDictionaryTest, ReadRangesDecodesOnlyTheEntriesItNeeds) {
  constexpr int kDistinct = 40000;
  constexpr int kRows = 4 * kDistinct;
  const std::vector<Field> schema = {{"s", ColumnType::kString, true}, {"d", ColumnType::kDouble, false}};
  ColumnBatch batch(schema);
  for (int r = 0; r < kRows; ++r) {
    const int k = r / 4;
    if (r % 11 == 5) {
      batch.columns[0].AppendNull();  // a group of 4 rows holds at most one
    } else {
      batch.columns[0].AppendString("k" + std::to_string((int64_t{k} * 7919) % kDistinct));
    }
    batch.columns[1].AppendDouble(k * 0.5 + 0.25);
  }
  const std::string dir = testing_util::FreshTempDir("column_reader_lazy_dictionary");
  for (Codec codec : {Codec::kSnappy, Codec::kZstd, Codec::kUncompressed}) {
    SCOPED_TRACE(CodecToString(codec));
    WriterOptions options;
    options.codec = codec;
    options.row_group_rows = kRows;
    const std::unique_ptr<FileReader> reader =
        WriteAndOpen(dir + "/" + CodecToString(codec) + ".parquet", schema, batch, options);
    ASSERT_NE(reader, nullptr);
    for (int col : {0, 1}) {
      SCOPED_TRACE(col);
      const ColumnType type = schema[static_cast<size_t>(col)].type;
      Column all(type);
      {
        auto chunk = reader->OpenColumnChunk(0, col);
        ASSERT_TRUE(chunk.ok());
        ASSERT_TRUE((*chunk)->ReadAll(&all).ok());
      }
      auto read = [&](const ColumnChunkReader::PositionRanges& wanted, size_t* decoded, size_t* dictionary) {
        auto chunk = reader->OpenColumnChunk(0, col);
        ASSERT_TRUE(chunk.ok());
        Column got(type);
        ASSERT_TRUE((*chunk)->ReadRanges(wanted, &got).ok());
        size_t i = 0;
        for (const auto& [b, e] : wanted) {
          for (int64_t p = b; p < e; ++p, ++i) {
            ASSERT_LT(i, got.size());
            EXPECT_EQ(Cell(got, i), Cell(all, static_cast<size_t>(p))) << "position " << p;
          }
        }
        EXPECT_EQ(i, got.size());
        ASSERT_TRUE((*chunk)->has_dictionary());
        *decoded = (*chunk)->dictionary_entries_decoded();
        *dictionary = (*chunk)->dictionary_size();
      };
      size_t decoded = 0, dictionary = 0;
      read({{41, 42}}, &decoded, &dictionary);  // entry 10
      EXPECT_EQ(dictionary, static_cast<size_t>(kDistinct));
      if (codec == Codec::kUncompressed) {
        EXPECT_EQ(decoded, dictionary) << "nothing to save: the page is read in place";
      } else {
        EXPECT_GE(decoded, 11u);
        EXPECT_LT(decoded, dictionary / 4) << "a needle near the start of the dictionary decodes a small prefix";
      }
      // Entry 5, then entry kDistinct - 2 on a later page: the prefix grows.
      read({{21, 22}, {kRows - 7, kRows - 6}}, &decoded, &dictionary);
      EXPECT_GE(decoded, static_cast<size_t>(kDistinct - 1));
      std::mt19937 rng(5);
      for (int trial = 0; trial < 20; ++trial) {
        const int64_t p = static_cast<int64_t>(rng() % kRows);
        read({{p, std::min<int64_t>(p + 1 + rng() % 3, kRows)}}, &decoded, &dictionary);
      }
    }
  }
}

}  // namespace
}  // namespace loglake::parquet
