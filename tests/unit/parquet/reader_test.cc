// FileReader against files written by DuckDB (testdata/, made by make_duckdb_files.mjs) and
// against files assembled here page by page, including damaged ones.
#include "parquet/reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/file.h"
#include "parquet/compression.h"
#include "parquet/encoding/bit_util.h"
#include "parquet/encoding/byte_stream_split.h"
#include "parquet/encoding/delta_binary_packed.h"
#include "parquet/encoding/delta_byte_array.h"
#include "parquet/encoding/plain.h"
#include "parquet/encoding/rle_hybrid.h"
#include "parquet/writer.h"
#include "test_util.h"

namespace loglake::parquet {
namespace {

std::string TestdataPath(const std::string& name) {
  return (std::filesystem::path(__FILE__).parent_path() / "testdata" / name).string();
}

std::string ReadTestFile(const std::string& name) {
  std::string data;
  const Status st = ReadFileToString(TestdataPath(name), &data);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return data;
}

// ---------------------------------------------------------------------------------------------
// expected.json: {"columns": [...], "rows": [[v, ...], ...]} where each v is null, true, false or
// a string. A parser for exactly that subset of JSON.

using Cell = std::optional<std::string>;  // booleans become "true"/"false"

class ExpectedParser {
 public:
  explicit ExpectedParser(std::string text) : s_(std::move(text)) {}

  std::vector<std::vector<Cell>> Rows() {
    const size_t rows_key = s_.find("\"rows\"");
    EXPECT_NE(rows_key, std::string::npos);
    pos_ = s_.find('[', rows_key) + 1;
    std::vector<std::vector<Cell>> rows;
    while (Skip(), s_[pos_] != ']') {
      if (s_[pos_] == ',') ++pos_;
      Skip();
      EXPECT_EQ(s_[pos_], '[');
      ++pos_;
      std::vector<Cell> row;
      while (Skip(), s_[pos_] != ']') {
        if (s_[pos_] == ',') ++pos_;
        Skip();
        row.push_back(Value());
      }
      ++pos_;
      rows.push_back(std::move(row));
    }
    return rows;
  }

 private:
  void Skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  Cell Value() {
    for (const char* word : {"null", "true", "false"}) {
      if (s_.compare(pos_, std::strlen(word), word) == 0) {
        pos_ += std::strlen(word);
        return word[0] == 'n' ? Cell() : Cell(word);
      }
    }
    EXPECT_EQ(s_[pos_], '"');
    ++pos_;
    std::string out;
    while (s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c == '\\') {
        c = s_[pos_++];
        switch (c) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'u': {  // JSON.stringify only escapes control characters this way
            out += static_cast<char>(std::stoi(s_.substr(pos_, 4), nullptr, 16));
            pos_ += 4;
            break;
          }
          default: out += c;
        }
      } else {
        out += c;
      }
    }
    ++pos_;
    return out;
  }

  std::string s_;
  size_t pos_ = 0;
};

const std::vector<std::vector<Cell>>& ExpectedRows() {
  static const auto* rows = new std::vector<std::vector<Cell>>(ExpectedParser(ReadTestFile("expected.json")).Rows());
  return *rows;
}

// The value of row `i` of `c`, rendered like expected.json renders it.
Cell Render(const Column& c, size_t i) {
  if (c.IsNull(i)) return std::nullopt;
  switch (c.type()) {
    case ColumnType::kString: return std::string(c.String(i));
    case ColumnType::kInt32: return std::to_string(c.Int32(i));
    case ColumnType::kInt64:
    case ColumnType::kTimestamp: return std::to_string(c.Int64(i));
    case ColumnType::kBool: return c.Bool(i) ? "true" : "false";
    case ColumnType::kDouble: {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "0x%016llx",
                    static_cast<unsigned long long>(std::bit_cast<uint64_t>(c.Double(i))));
      return std::string(buf);
    }
  }
  return std::nullopt;
}

// Whether this build reads GZIP pages (it needs zlib at build time).
bool GzipReadable() {
  std::string out;
  return Decompress(Codec::kGzip, "", 0, &out).code() != StatusCode::kUnimplemented;
}

#define SKIP_IF_UNREADABLE(name)                                                        \
  if (std::string_view(name).find("gzip") != std::string_view::npos && !GzipReadable()) \
  GTEST_SKIP() << "this build has no zlib to read " << name

std::unique_ptr<FileReader> OpenTestFile(const std::string& name) {
  auto file = RandomAccessFile::Open(TestdataPath(name));
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  auto reader = FileReader::Open(*file);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  return reader.ok() ? std::move(reader).value() : nullptr;
}

// ---------------------------------------------------------------------------------------------
// DuckDB-written files.

class DuckDbFileTest : public ::testing::TestWithParam<const char*> {};

TEST_P(DuckDbFileTest, SchemaMapsToLoglakeTypes) {
  auto reader = OpenTestFile(GetParam());
  ASSERT_NE(reader, nullptr);
  const std::vector<std::pair<std::string, ColumnType>> want = {
      {"s_unique", ColumnType::kString}, {"s_dict", ColumnType::kString},     {"i32", ColumnType::kInt32},
      {"i64", ColumnType::kInt64},       {"ts", ColumnType::kTimestamp},      {"d", ColumnType::kDouble},
      {"b", ColumnType::kBool},          {"ts_ms", ColumnType::kTimestamp},   {"ts_ns", ColumnType::kTimestamp},
      {"req_i32", ColumnType::kInt32}};
  ASSERT_EQ(reader->fields().size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(reader->fields()[i].name, want[i].first);
    EXPECT_EQ(reader->fields()[i].type, want[i].second) << want[i].first;
  }
  EXPECT_TRUE(reader->fields()[0].nullable);
  EXPECT_EQ(reader->num_rows(), static_cast<int64_t>(ExpectedRows().size()));
  EXPECT_EQ(reader->ColumnIndexOf("ts_ns"), 8);
  EXPECT_EQ(reader->ColumnIndexOf("nope"), -1);
}

TEST_P(DuckDbFileTest, ValuesEqualWhatDuckDbWrote) {
  SKIP_IF_UNREADABLE(GetParam());
  auto reader = OpenTestFile(GetParam());
  ASSERT_NE(reader, nullptr);
  const auto& expected = ExpectedRows();
  size_t row = 0;
  for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
    Result<ColumnBatch> batch = reader->ReadRowGroup(rg);
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    ASSERT_EQ(batch->columns.size(), 10u);
    for (size_t i = 0; i < batch->num_rows(); ++i, ++row) {
      ASSERT_LT(row, expected.size());
      for (size_t c = 0; c < batch->columns.size(); ++c) {
        ASSERT_EQ(batch->columns[c].size(), batch->num_rows());
        EXPECT_EQ(Render(batch->columns[c], i), expected[row][c])
            << GetParam() << " row " << row << " column " << batch->fields[c].name;
      }
    }
  }
  EXPECT_EQ(row, expected.size());
}

TEST_P(DuckDbFileTest, ProjectionReturnsRequestedColumnsInOrder) {
  SKIP_IF_UNREADABLE(GetParam());
  auto reader = OpenTestFile(GetParam());
  ASSERT_NE(reader, nullptr);
  Result<ColumnBatch> batch = reader->ReadRowGroup(0, {5, 0});
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ(batch->fields.size(), 2u);
  EXPECT_EQ(batch->fields[0].name, "d");
  EXPECT_EQ(batch->fields[1].name, "s_unique");
  for (size_t i = 0; i < batch->num_rows(); ++i) {
    EXPECT_EQ(Render(batch->columns[0], i), ExpectedRows()[i][5]);
    EXPECT_EQ(Render(batch->columns[1], i), ExpectedRows()[i][0]);
  }
  EXPECT_EQ(reader->ReadRowGroup(0, {1, 1}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(reader->ReadRowGroup(0, {10}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(reader->ReadRowGroup(reader->num_row_groups(), {0}).status().code(), StatusCode::kInvalidArgument);
  Result<ColumnBatch> none = reader->ReadRowGroup(0, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->columns.empty());
}

TEST_P(DuckDbFileTest, StatisticsBoundTheValues) {
  auto reader = OpenTestFile(GetParam());
  ASSERT_NE(reader, nullptr);
  const auto& expected = ExpectedRows();
  int64_t first_row = 0;
  for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
    const int64_t rows = reader->row_group(rg).num_rows;
    for (int col : {0, 2, 3, 4, 9}) {  // string, int32, int64, timestamp, required int32
      Result<std::optional<ColumnStatistics>> stats = reader->ReadStatistics(rg, col);
      ASSERT_TRUE(stats.ok()) << stats.status().ToString();
      ASSERT_TRUE(stats->has_value()) << "column " << col;
      const ColumnStatistics& s = **stats;
      int64_t nulls = 0;
      std::optional<std::string> min_s, max_s;
      std::optional<int64_t> min_i, max_i;
      for (int64_t r = first_row; r < first_row + rows; ++r) {
        const Cell& v = expected[static_cast<size_t>(r)][static_cast<size_t>(col)];
        if (!v) {
          ++nulls;
          continue;
        }
        if (col == 0) {
          if (!min_s || *v < *min_s) min_s = *v;  // std::string compares bytes as unsigned
          if (!max_s || *v > *max_s) max_s = *v;
        } else {
          const int64_t x = std::stoll(*v);
          min_i = std::min(min_i.value_or(x), x);
          max_i = std::max(max_i.value_or(x), x);
        }
      }
      EXPECT_EQ(s.null_count, nulls) << "column " << col;
      ASSERT_TRUE(s.min && s.max) << "column " << col;
      if (col == 0) {
        EXPECT_EQ(std::get<std::string>(*s.min), *min_s);
        EXPECT_EQ(std::get<std::string>(*s.max), *max_s);
      } else {
        EXPECT_EQ(std::get<int64_t>(*s.min), *min_i) << "column " << col;
        EXPECT_EQ(std::get<int64_t>(*s.max), *max_i) << "column " << col;
      }
    }
    first_row += rows;
  }
}

TEST_P(DuckDbFileTest, PagesReportTheirRowsAndMatchTheOffsetIndex) {
  SKIP_IF_UNREADABLE(GetParam());
  auto reader = OpenTestFile(GetParam());
  ASSERT_NE(reader, nullptr);
  for (int col = 0; col < reader->num_columns(); ++col) {
    Result<std::unique_ptr<ColumnChunkReader>> chunk = reader->OpenColumnChunk(0, col);
    ASSERT_TRUE(chunk.ok()) << chunk.status().ToString();
    std::vector<DataPageInfo> pages;
    Column values(reader->fields()[static_cast<size_t>(col)].type);
    bool done = false;
    while (true) {
      DataPageInfo info;
      ASSERT_TRUE((*chunk)->NextDataPage(&info, &values, &done).ok());
      if (done) break;
      EXPECT_EQ(info.ordinal, static_cast<int>(pages.size()));
      EXPECT_EQ(info.first_row_index, static_cast<int64_t>(values.size()) - info.num_rows);
      pages.push_back(info);
    }
    EXPECT_EQ(static_cast<int64_t>(values.size()), reader->row_group(0).num_rows);
    if (reader->HasOffsetIndex(0, col)) {
      Result<OffsetIndex> index = reader->ReadOffsetIndex(0, col);
      ASSERT_TRUE(index.ok()) << index.status().ToString();
      ASSERT_EQ(index->page_locations.size(), pages.size());
      for (size_t p = 0; p < pages.size(); ++p) {
        EXPECT_EQ(index->page_locations[p].offset, pages[p].offset);
        EXPECT_EQ(index->page_locations[p].first_row_index, pages[p].first_row_index);
      }
    }
    if (reader->HasColumnIndex(0, col)) {
      Result<ColumnIndex> index = reader->ReadColumnIndex(0, col);
      ASSERT_TRUE(index.ok()) << index.status().ToString();
      EXPECT_EQ(index->null_pages.size(), pages.size());
    } else {
      EXPECT_EQ(reader->ReadColumnIndex(0, col).status().code(), StatusCode::kNotFound);
    }
  }
}

TEST_P(DuckDbFileTest, BloomFiltersContainEveryValue) {
  auto reader = OpenTestFile(GetParam());
  ASSERT_NE(reader, nullptr);
  int filters = 0;
  int64_t first_row = 0;
  for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
    for (int col : {0, 1}) {
      if (!reader->HasBloomFilter(rg, col)) {
        EXPECT_EQ(reader->ReadBloomFilterBytes(rg, col).status().code(), StatusCode::kNotFound);
        continue;
      }
      ++filters;
      Result<BloomFilter> filter = reader->ReadBloomFilter(rg, col);
      ASSERT_TRUE(filter.ok()) << filter.status().ToString();
      for (int64_t r = first_row; r < first_row + reader->row_group(rg).num_rows; ++r) {
        const Cell& v = ExpectedRows()[static_cast<size_t>(r)][static_cast<size_t>(col)];
        if (v) {
          EXPECT_TRUE(filter->Check(BloomFilter::Hash(std::string_view(*v)))) << *v;
        }
      }
      int false_positives = 0;
      for (int k = 0; k < 1000; ++k) {
        false_positives += filter->Check(BloomFilter::Hash(std::string_view("absent-" + std::to_string(k))));
      }
      EXPECT_LT(false_positives, 100);
    }
    first_row += reader->row_group(rg).num_rows;
  }
  RecordProperty("bloom_filters", filters);
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, DuckDbFileTest,
                         ::testing::Values("duckdb_snappy_v1.parquet", "duckdb_zstd_v2.parquet",
                                           "duckdb_uncompressed_v1.parquet", "duckdb_gzip_v2.parquet"));

TEST(DuckDbRowGroupsTest, SeveralRowGroupsReadInOrder) {
  auto reader = OpenTestFile("duckdb_row_groups.parquet");
  ASSERT_NE(reader, nullptr);
  ASSERT_GE(reader->num_row_groups(), 3);
  EXPECT_EQ(reader->num_rows(), 5000);
  int64_t i = 0;
  for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
    Result<ColumnBatch> batch = reader->ReadRowGroup(rg, {0, 1, 2});
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    const Column& id = batch->columns[0];
    const Column& big = batch->columns[1];
    const Column& name = batch->columns[2];
    for (size_t r = 0; r < batch->num_rows(); ++r, ++i) {
      ASSERT_EQ(id.Int32(r), i);
      ASSERT_EQ(big.Int64(r), i * 1000000007 - 1099511627776);
      if (i % 10 == 3) {
        ASSERT_TRUE(name.IsNull(r));
      } else {
        ASSERT_EQ(name.String(r), "n" + std::to_string(i));
      }
    }
    Result<std::optional<ColumnStatistics>> stats = reader->ReadStatistics(rg, 0);
    ASSERT_TRUE(stats.ok() && stats->has_value());
    EXPECT_EQ(std::get<int64_t>(*(*stats)->min), i - static_cast<int64_t>(batch->num_rows()));
    EXPECT_EQ(std::get<int64_t>(*(*stats)->max), i - 1);
  }
  EXPECT_EQ(i, 5000);
}

TEST(DuckDbUnsupportedTest, UnsupportedTypesNameTheColumn) {
  for (const auto& [file, column] : std::map<std::string, std::string>{{"duckdb_date.parquet", "'day'"},
                                                                       {"duckdb_list.parquet", "'list'"}}) {
    auto source = RandomAccessFile::Open(TestdataPath(file));
    ASSERT_TRUE(source.ok());
    Result<std::unique_ptr<FileReader>> reader = FileReader::Open(*source);
    ASSERT_FALSE(reader.ok()) << file;
    EXPECT_EQ(reader.status().code(), StatusCode::kUnimplemented);
    EXPECT_NE(reader.status().message().find(column), std::string::npos) << reader.status().message();
    EXPECT_NE(reader.status().message().find(file), std::string::npos) << reader.status().message();
    // The raw footer still reads, for `loglake inspect`.
    EXPECT_TRUE(ReadFileMetaData(*InputSource::FromFile(*source)).ok());
  }
}

// ---------------------------------------------------------------------------------------------
// Damaged DuckDB files.

// Opens `bytes` and reads everything a query could; returns the first error.
Status ReadEverything(const std::string& bytes, const ReaderOptions& options = {}) {
  ASSIGN_OR_RETURN(auto reader, FileReader::Open(InputSource::FromBuffer(bytes, "damaged.parquet"), options));
  for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
    ASSIGN_OR_RETURN(ColumnBatch batch, reader->ReadRowGroup(rg));
    for (const Column& c : batch.columns) {
      if (static_cast<int64_t>(c.size()) != reader->row_group(rg).num_rows) return Status::Internal("row count");
    }
    for (int col = 0; col < reader->num_columns(); ++col) {
      RETURN_IF_ERROR(reader->ReadStatistics(rg, col).status());
      if (reader->HasColumnIndex(rg, col)) RETURN_IF_ERROR(reader->ReadColumnIndex(rg, col).status());
      if (reader->HasOffsetIndex(rg, col)) RETURN_IF_ERROR(reader->ReadOffsetIndex(rg, col).status());
      if (reader->HasBloomFilter(rg, col)) RETURN_IF_ERROR(reader->ReadBloomFilter(rg, col).status());
    }
  }
  return Status::OK();
}

TEST(DamagedFileTest, IntactFilesReadEverything) {
  for (const char* name : {"duckdb_snappy_v1.parquet", "duckdb_zstd_v2.parquet", "duckdb_gzip_v2.parquet",
                           "duckdb_uncompressed_v1.parquet", "duckdb_row_groups.parquet"}) {
    if (std::string_view(name).find("gzip") != std::string_view::npos && !GzipReadable()) continue;
    const Status st = ReadEverything(ReadTestFile(name));
    EXPECT_TRUE(st.ok()) << name << ": " << st.ToString();
  }
}

TEST(DamagedFileTest, EveryTruncationIsAnError) {
  for (const char* name : {"duckdb_zstd_v2.parquet", "duckdb_snappy_v1.parquet"}) {
    const std::string bytes = ReadTestFile(name);
    for (size_t len = 0; len < bytes.size(); len += (len < 64 || len > bytes.size() - 2048) ? 1 : 97) {
      const Status st = ReadEverything(bytes.substr(0, len));
      ASSERT_FALSE(st.ok()) << name << " truncated to " << len;
      EXPECT_NE(st.message().find("damaged.parquet"), std::string::npos) << st.message();
    }
  }
}

TEST(DamagedFileTest, FlippedBytesNeverCrash) {
  // Every footer byte inverted (in one file also with only its low bit flipped), and a sample of
  // the pages, in a compressed and an uncompressed file. The fuzzer goes further.
  struct Plan {
    const char* name;
    bool whole_footer;
    size_t page_stride;
  };
  for (const Plan& plan : {Plan{"duckdb_zstd_v2.parquet", true, 11}, Plan{"duckdb_uncompressed_v1.parquet", false, 101}}) {
    const std::string bytes = ReadTestFile(plan.name);
    const size_t footer_start = bytes.size() - 8 - LoadLE<uint32_t>(bytes.data() + bytes.size() - 8);
    int errors = 0;
    const auto flip = [&](size_t i, int mask) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      const Status st = ReadEverything(bad);
      if (st.ok()) return;
      ++errors;
      EXPECT_NE(st.message().find("damaged.parquet"), std::string::npos) << st.ToString();
      EXPECT_NE(st.code(), StatusCode::kInternal) << st.ToString();
    };
    for (size_t i = 0; i < footer_start; i += plan.page_stride) flip(i, 0xFF);
    for (size_t i = footer_start; i < bytes.size(); ++i) {
      flip(i, 0xFF);
      if (plan.whole_footer) flip(i, 0x01);
    }
    EXPECT_GT(errors, 0) << plan.name;
  }
}

TEST(DamagedFileTest, EncryptedFooterIsUnimplemented) {
  std::string bytes = ReadTestFile("duckdb_zstd_v2.parquet");
  bytes.replace(bytes.size() - 4, 4, "PARE");
  EXPECT_EQ(ReadEverything(bytes).code(), StatusCode::kUnimplemented);
}

TEST(DamagedFileTest, NotParquetAtAll) {
  EXPECT_EQ(ReadEverything("").code(), StatusCode::kCorruption);
  EXPECT_EQ(ReadEverything("PAR1PAR1").code(), StatusCode::kCorruption);
  EXPECT_EQ(ReadEverything(std::string(100, 'x')).code(), StatusCode::kCorruption);
  std::string huge_footer = "PAR1" + std::string(8, '\0') + "\xff\xff\xff\x7f" + "PAR1";
  EXPECT_EQ(ReadEverything(huge_footer).code(), StatusCode::kCorruption);
}

// ---------------------------------------------------------------------------------------------
// Files assembled page by page, for layouts DuckDB does not produce and for precise damage.

std::string Header(const PageHeader& h) { return SerializeToString(h); }

std::string DataPageV1(int32_t num_values, Encoding encoding, const std::string& body) {
  PageHeader h;
  h.type = PageType::DATA_PAGE;
  h.uncompressed_page_size = static_cast<int32_t>(body.size());
  h.compressed_page_size = static_cast<int32_t>(body.size());
  h.data_page_header = DataPageHeader{num_values, encoding, Encoding::RLE, Encoding::RLE, std::nullopt};
  return Header(h) + body;
}

std::string DataPageV2(int32_t num_values, int32_t num_nulls, Encoding encoding, const std::string& levels,
                       const std::string& values) {
  PageHeader h;
  h.type = PageType::DATA_PAGE_V2;
  h.uncompressed_page_size = static_cast<int32_t>(levels.size() + values.size());
  h.compressed_page_size = h.uncompressed_page_size;
  DataPageHeaderV2 v2;
  v2.num_values = num_values;
  v2.num_nulls = num_nulls;
  v2.num_rows = num_values;
  v2.encoding = encoding;
  v2.definition_levels_byte_length = static_cast<int32_t>(levels.size());
  v2.is_compressed = false;
  h.data_page_header_v2 = v2;
  return Header(h) + levels + values;
}

std::string DictionaryPage(int32_t num_values, const std::string& body) {
  PageHeader h;
  h.type = PageType::DICTIONARY_PAGE;
  h.uncompressed_page_size = static_cast<int32_t>(body.size());
  h.compressed_page_size = static_cast<int32_t>(body.size());
  h.dictionary_page_header = DictionaryPageHeader{num_values, Encoding::PLAIN, std::nullopt};
  return Header(h) + body;
}

std::string Levels(const std::vector<uint8_t>& defs) {
  std::string out;
  AppendLengthPrefixedRleHybrid(defs.data(), defs.size(), 1, &out);
  return out;
}

std::string PlainInts(const std::vector<int32_t>& v) {
  std::string out;
  AppendPlainInt32(v.data(), v.size(), &out);
  return out;
}

SchemaElement Leaf(const std::string& name, Type type, FieldRepetitionType rep,
                   std::optional<LogicalType> logical = std::nullopt) {
  SchemaElement e;
  e.name = name;
  e.type = type;
  e.repetition_type = rep;
  e.logical_type = logical;
  return e;
}

struct TestChunk {
  SchemaElement leaf;
  std::string pages;  // every page, header and body
};

// One row group of `rows` rows; `trailer` (page indexes, bloom filters) follows the chunks, and
// `edit` may alter the metadata before it is written.
std::string BuildFile(const std::vector<TestChunk>& chunks, int64_t rows,
                      const std::function<void(FileMetaData*)>& edit = nullptr, const std::string& trailer = "") {
  std::string file = "PAR1";
  FileMetaData md;
  md.version = 1;
  md.num_rows = rows;
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(chunks.size());
  md.schema.push_back(root);
  RowGroup rg;
  rg.num_rows = rows;
  for (const TestChunk& c : chunks) {
    md.schema.push_back(c.leaf);
    ColumnChunk cc;
    ColumnMetaData meta;
    meta.type = *c.leaf.type;
    meta.encodings = {Encoding::PLAIN};
    meta.path_in_schema = {c.leaf.name};
    meta.codec = CompressionCodec::UNCOMPRESSED;
    meta.num_values = rows;
    meta.total_uncompressed_size = static_cast<int64_t>(c.pages.size());
    meta.total_compressed_size = static_cast<int64_t>(c.pages.size());
    meta.data_page_offset = static_cast<int64_t>(file.size());
    cc.file_offset = meta.data_page_offset;
    cc.meta_data = meta;
    rg.columns.push_back(cc);
    rg.total_byte_size += meta.total_compressed_size;
    file += c.pages;
  }
  md.row_groups.push_back(rg);
  file += trailer;
  if (edit) edit(&md);
  const std::string footer = SerializeToString(md);
  file += footer;
  const uint32_t len = static_cast<uint32_t>(footer.size());
  file.append(reinterpret_cast<const char*>(&len), 4);
  file += "PAR1";
  return file;
}

Result<ColumnBatch> ReadOnlyRowGroup(const std::string& file, const ReaderOptions& options = {}) {
  ASSIGN_OR_RETURN(auto reader, FileReader::Open(InputSource::FromBuffer(file, "built.parquet"), options));
  return reader->ReadRowGroup(0);
}

TEST(BuiltFileTest, RleBooleansWithNullsInV1AndV2Pages) {
  const std::vector<uint8_t> defs = {1, 0, 1, 1, 0, 1, 1, 1, 1, 1};
  std::vector<uint8_t> bits = {1, 0, 0, 1, 1, 1, 1, 0};  // the 8 non-null values
  std::string rle;
  AppendLengthPrefixedRleHybrid(bits.data(), bits.size(), 1, &rle);
  std::string v2_levels;
  AppendRleHybrid(defs.data(), defs.size(), 1, &v2_levels);
  const std::string pages = DataPageV1(10, Encoding::RLE, Levels(defs) + rle) +
                            DataPageV2(10, 2, Encoding::RLE, v2_levels, rle);
  const std::string file = BuildFile({{Leaf("flag", Type::BOOLEAN, FieldRepetitionType::OPTIONAL), pages}}, 20);
  Result<ColumnBatch> batch = ReadOnlyRowGroup(file);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  const Column& c = batch->columns[0];
  ASSERT_EQ(c.size(), 20u);
  for (size_t half = 0; half < 2; ++half) {
    size_t v = 0;
    for (size_t i = 0; i < 10; ++i) {
      const size_t row = half * 10 + i;
      if (defs[i] == 0) {
        EXPECT_TRUE(c.IsNull(row)) << row;
      } else {
        EXPECT_EQ(c.Bool(row), bits[v++] != 0) << row;
      }
    }
  }
  EXPECT_EQ(c.null_count(), 4u);
}

TEST(BuiltFileTest, DictionaryPagesAndV2EncodingsDecode) {
  // Strings: a dictionary, then an RLE_DICTIONARY v1 page and a DELTA_BYTE_ARRAY v2 page.
  std::string dict;
  for (const char* s : {"alpha", "beta", "", "日本"}) AppendPlainByteArray(s, &dict);
  const std::vector<uint32_t> idx = {3, 0, 1, 2, 3};
  std::string indices;
  AppendDictionaryIndices(idx.data(), idx.size(), 2, &indices);
  const std::vector<std::string_view> tail = {"prefix-a", "prefix-ab", "prefix-b", "x", "x"};
  std::string delta;
  AppendDeltaByteArray(tail.data(), tail.size(), &delta);
  const std::string strings = DictionaryPage(4, dict) + DataPageV1(5, Encoding::RLE_DICTIONARY, indices) +
                              DataPageV2(5, 0, Encoding::DELTA_BYTE_ARRAY, "", delta);
  // int64: BYTE_STREAM_SPLIT then DELTA_BINARY_PACKED; timestamps in NANOS.
  const std::vector<int64_t> nanos = {-1, -1000, -1001, 0, 999, INT64_MIN, INT64_MAX, 1234567890123, 5, 6};
  std::string bss;
  {
    std::string plain;
    AppendPlainInt64(nanos.data(), 5, &plain);
    for (size_t b = 0; b < 8; ++b) {
      for (size_t k = 0; k < 5; ++k) bss.push_back(plain[k * 8 + b]);
    }
  }
  std::string dbp;
  AppendDeltaBinaryPacked(nanos.data() + 5, 5, &dbp);
  const std::string times = DataPageV1(5, Encoding::BYTE_STREAM_SPLIT, bss) +
                            DataPageV1(5, Encoding::DELTA_BINARY_PACKED, dbp);
  const std::string file = BuildFile(
      {{Leaf("s", Type::BYTE_ARRAY, FieldRepetitionType::REQUIRED, LogicalType::String()), strings},
       {Leaf("t", Type::INT64, FieldRepetitionType::REQUIRED, LogicalType::Timestamp(true, TimeUnit::NANOS)), times}},
      10);
  Result<ColumnBatch> batch = ReadOnlyRowGroup(file);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  const std::vector<std::string> want_s = {"日本", "alpha", "beta", "", "日本",
                                           "prefix-a", "prefix-ab", "prefix-b", "x", "x"};
  for (size_t i = 0; i < want_s.size(); ++i) EXPECT_EQ(batch->columns[0].String(i), want_s[i]) << i;
  const std::vector<int64_t> want_t = {-1, -1, -2, 0, 0, INT64_MIN / 1000 - 1, INT64_MAX / 1000, 1234567890, 0, 0};
  for (size_t i = 0; i < want_t.size(); ++i) EXPECT_EQ(batch->columns[1].Timestamp(i), want_t[i]) << i;
}

TEST(BuiltFileTest, CompressedPagesV1AndV2) {
  // In a v1 page levels and values are compressed together; in a v2 page only the values are.
  const std::vector<uint8_t> defs = {1, 1, 0, 1};
  const std::string values = PlainInts({10, 20, 30});
  std::string v1_body;
  ASSERT_TRUE(Compress(Codec::kSnappy, Levels(defs) + values, &v1_body).ok());
  PageHeader v1;
  v1.type = PageType::DATA_PAGE;
  v1.uncompressed_page_size = static_cast<int32_t>((Levels(defs) + values).size());
  v1.compressed_page_size = static_cast<int32_t>(v1_body.size());
  v1.data_page_header = DataPageHeader{4, Encoding::PLAIN, Encoding::RLE, Encoding::RLE, std::nullopt};

  std::string v2_levels;
  AppendRleHybrid(defs.data(), defs.size(), 1, &v2_levels);
  std::string v2_values;
  ASSERT_TRUE(Compress(Codec::kSnappy, values, &v2_values).ok());
  PageHeader v2;
  v2.type = PageType::DATA_PAGE_V2;
  v2.uncompressed_page_size = static_cast<int32_t>(v2_levels.size() + values.size());
  v2.compressed_page_size = static_cast<int32_t>(v2_levels.size() + v2_values.size());
  DataPageHeaderV2 h;
  h.num_values = h.num_rows = 4;
  h.num_nulls = 1;
  h.encoding = Encoding::PLAIN;
  h.definition_levels_byte_length = static_cast<int32_t>(v2_levels.size());
  v2.data_page_header_v2 = h;

  const std::string pages = Header(v1) + v1_body + Header(v2) + v2_levels + v2_values;
  const std::string file = BuildFile({{Leaf("n", Type::INT32, FieldRepetitionType::OPTIONAL), pages}}, 8,
                                     [](FileMetaData* md) {
                                       md->row_groups[0].columns[0].meta_data->codec = CompressionCodec::SNAPPY;
                                     });
  Result<ColumnBatch> batch = ReadOnlyRowGroup(file);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  const Column& c = batch->columns[0];
  for (size_t half : {0, 4}) {
    EXPECT_EQ(c.Int32(half + 0), 10);
    EXPECT_EQ(c.Int32(half + 1), 20);
    EXPECT_TRUE(c.IsNull(half + 2));
    EXPECT_EQ(c.Int32(half + 3), 30);
  }
}

TEST(BuiltFileTest, MillisecondTimestampsAndNarrowIntegers) {
  std::string plain_ms;
  const std::vector<int64_t> ms = {-1, 1700000000123};
  AppendPlainInt64(ms.data(), ms.size(), &plain_ms);
  std::string plain_i16;
  const std::vector<int32_t> small = {-32768, 32767};
  AppendPlainInt32(small.data(), small.size(), &plain_i16);
  const std::string file = BuildFile(
      {{Leaf("t", Type::INT64, FieldRepetitionType::REQUIRED, LogicalType::Timestamp(false, TimeUnit::MILLIS)),
        DataPageV1(2, Encoding::PLAIN, plain_ms)},
       {Leaf("i", Type::INT32, FieldRepetitionType::REQUIRED, LogicalType::Integer(16, true)),
        DataPageV1(2, Encoding::PLAIN, plain_i16)}},
      2);
  Result<ColumnBatch> batch = ReadOnlyRowGroup(file);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(batch->fields[0].type, ColumnType::kTimestamp);
  EXPECT_EQ(batch->columns[0].Timestamp(0), -1000);
  EXPECT_EQ(batch->columns[0].Timestamp(1), 1700000000123000);
  EXPECT_EQ(batch->columns[1].Int32(0), -32768);
}

TEST(BuiltFileTest, UnknownPageTypesAndFieldsAreSkipped) {
  // An INDEX_PAGE (ignored by readers) before the data page, and a header carrying a field id
  // from the future.
  PageHeader index;
  index.type = PageType::INDEX_PAGE;
  index.uncompressed_page_size = 3;
  index.compressed_page_size = 3;
  std::string header = Header(index);
  header.pop_back();                                   // reopen the struct...
  header += std::string("\x05\x28\x02\x00", 4);        // ...add field 20 (i32 = 1), close it
  std::string values;
  const std::vector<int32_t> v = {7, 8};
  AppendPlainInt32(v.data(), v.size(), &values);
  const std::string pages = header + "abc" + DataPageV1(2, Encoding::PLAIN, values);
  const std::string file = BuildFile({{Leaf("i", Type::INT32, FieldRepetitionType::REQUIRED), pages}}, 2);
  Result<ColumnBatch> batch = ReadOnlyRowGroup(file);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(batch->columns[0].Int32(1), 8);
}

TEST(BuiltFileTest, PageIndexIsReadAndChecked) {
  // Two data pages of 2 and 3 rows, then their ColumnIndex and OffsetIndex.
  const std::string page0 = DataPageV1(2, Encoding::PLAIN, PlainInts({5, 1}));
  const std::string page1 = DataPageV1(3, Encoding::PLAIN, PlainInts({9, 7, 8}));
  const int64_t chunk_end = 4 + static_cast<int64_t>(page0.size() + page1.size());
  ColumnIndex ci;
  ci.null_pages = {false, false};
  ci.min_values = {PlainInts({1}), PlainInts({7})};
  ci.max_values = {PlainInts({5}), PlainInts({9})};
  ci.boundary_order = BoundaryOrder::ASCENDING;
  ci.null_counts = std::vector<int64_t>{0, 0};
  OffsetIndex oi;
  oi.page_locations = {{4, static_cast<int32_t>(page0.size()), 0},
                       {4 + static_cast<int64_t>(page0.size()), static_cast<int32_t>(page1.size()), 2}};
  const std::string ci_bytes = SerializeToString(ci);
  const auto build = [&](const OffsetIndex& offsets) {
    const std::string oi_bytes = SerializeToString(offsets);
    return BuildFile({{Leaf("n", Type::INT32, FieldRepetitionType::REQUIRED), page0 + page1}}, 5,
                     [&](FileMetaData* md) {
                       ColumnChunk& c = md->row_groups[0].columns[0];
                       c.column_index_offset = chunk_end;
                       c.column_index_length = static_cast<int32_t>(ci_bytes.size());
                       c.offset_index_offset = chunk_end + static_cast<int64_t>(ci_bytes.size());
                       c.offset_index_length = static_cast<int32_t>(oi_bytes.size());
                     },
                     ci_bytes + oi_bytes);
  };
  auto reader = FileReader::Open(InputSource::FromBuffer(build(oi), "indexed.parquet"));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ASSERT_TRUE((*reader)->HasColumnIndex(0, 0));
  Result<ColumnIndex> got_ci = (*reader)->ReadColumnIndex(0, 0);
  ASSERT_TRUE(got_ci.ok()) << got_ci.status().ToString();
  EXPECT_EQ(*got_ci, ci);
  Result<OffsetIndex> got_oi = (*reader)->ReadOffsetIndex(0, 0);
  ASSERT_TRUE(got_oi.ok()) << got_oi.status().ToString();
  EXPECT_EQ(*got_oi, oi);

  // Skipping the first page via the page API lands on the second page's rows.
  Result<std::unique_ptr<ColumnChunkReader>> chunk = (*reader)->OpenColumnChunk(0, 0);
  ASSERT_TRUE(chunk.ok());
  DataPageInfo info;
  bool done = false;
  ASSERT_TRUE((*chunk)->NextDataPage(&info, nullptr, &done).ok());
  EXPECT_EQ(info.offset, oi.page_locations[0].offset);
  Column values(ColumnType::kInt32);
  ASSERT_TRUE((*chunk)->NextDataPage(&info, &values, &done).ok());
  EXPECT_EQ(info.first_row_index, 2);
  EXPECT_EQ(info.offset, oi.page_locations[1].offset);
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values.Int32(0), 9);
  ASSERT_TRUE((*chunk)->NextDataPage(&info, &values, &done).ok());
  EXPECT_TRUE(done);

  // Entries out of row order or outside the chunk are Corruption.
  for (int variant = 0; variant < 3; ++variant) {
    OffsetIndex bad = oi;
    if (variant == 0) bad.page_locations[1].first_row_index = 0;
    if (variant == 1) bad.page_locations[1].offset = chunk_end;
    if (variant == 2) bad.page_locations[0].first_row_index = 1;
    auto r = FileReader::Open(InputSource::FromBuffer(build(bad), "indexed.parquet"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ((*r)->ReadOffsetIndex(0, 0).status().code(), StatusCode::kCorruption) << variant;
  }
}

struct Damage {
  const char* what;
  std::function<std::string()> file;
  StatusCode code;
  const char* message;  // a fragment the error must contain
};

TEST(BuiltFileTest, DamageIsReportedPrecisely) {
  const SchemaElement req = Leaf("n", Type::INT32, FieldRepetitionType::REQUIRED);
  const SchemaElement opt = Leaf("n", Type::INT32, FieldRepetitionType::OPTIONAL);
  const std::vector<Damage> cases = {
      {"dictionary index out of range",
       [&] {
         const std::vector<uint32_t> idx = {0, 5};
         std::string indices;
         AppendDictionaryIndices(idx.data(), idx.size(), 3, &indices);
         return BuildFile({{req, DictionaryPage(2, PlainInts({1, 2})) +
                                     DataPageV1(2, Encoding::RLE_DICTIONARY, indices)}},
                          2);
       },
       StatusCode::kCorruption, "dictionary index 5"},
      {"dictionary page missing",
       [&] {
         const std::vector<uint32_t> idx = {0};
         std::string indices;
         AppendDictionaryIndices(idx.data(), idx.size(), 1, &indices);
         return BuildFile({{req, DataPageV1(1, Encoding::RLE_DICTIONARY, indices)}}, 1);
       },
       StatusCode::kCorruption, "without a dictionary page"},
      {"dictionary claims more values than its page holds",
       [&] { return BuildFile({{req, DictionaryPage(1000000, PlainInts({1})) + DataPageV1(1, Encoding::PLAIN, PlainInts({1}))}}, 1); },
       StatusCode::kCorruption, "dictionary claims 1000000 values"},
      {"page holds fewer values than the chunk",
       [&] { return BuildFile({{req, DataPageV1(2, Encoding::PLAIN, PlainInts({1, 2}))}}, 3); },
       StatusCode::kCorruption, "ends after 2 of the 3 values"},
      {"page claims more values than the chunk",
       [&] { return BuildFile({{req, DataPageV1(1000000, Encoding::PLAIN, PlainInts({1, 2}))}}, 2); },
       StatusCode::kCorruption, "claims 1000000 values"},
      {"values shorter than the levels say",
       [&] { return BuildFile({{opt, DataPageV1(3, Encoding::PLAIN, Levels({1, 1, 1}) + PlainInts({1, 2}))}}, 3); },
       StatusCode::kCorruption, "column 'n'"},
      {"v2 null count disagrees with the levels",
       [&] {
         std::string levels;
         const std::vector<uint8_t> defs = {1, 0, 1};
         AppendRleHybrid(defs.data(), defs.size(), 1, &levels);
         return BuildFile({{opt, DataPageV2(3, 0, Encoding::PLAIN, levels, PlainInts({1, 2}))}}, 3);
       },
       StatusCode::kCorruption, "nulls"},
      {"footer row count disagrees with the row groups",
       [&] { return BuildFile({{req, DataPageV1(1, Encoding::PLAIN, PlainInts({1}))}}, 1, [](FileMetaData* md) { md->num_rows = 2; }); },
       StatusCode::kCorruption, "row groups hold 1"},
      {"chunk beyond the end of the file",
       [&] {
         return BuildFile({{req, DataPageV1(1, Encoding::PLAIN, PlainInts({1}))}}, 1, [](FileMetaData* md) {
           md->row_groups[0].columns[0].meta_data->data_page_offset = 1 << 30;
         });
       },
       StatusCode::kCorruption, "outside the data region"},
      {"chunk type differs from the schema",
       [&] {
         return BuildFile({{req, DataPageV1(1, Encoding::PLAIN, PlainInts({1}))}}, 1, [](FileMetaData* md) {
           md->row_groups[0].columns[0].meta_data->type = Type::INT64;
         });
       },
       StatusCode::kCorruption, "differs from the schema"},
      {"too many rows for the reader",
       [&] {
         return BuildFile({{req, DataPageV1(1, Encoding::PLAIN, PlainInts({1}))}}, 1, [](FileMetaData* md) {
           md->num_rows = md->row_groups[0].num_rows = int64_t{1} << 40;
           md->row_groups[0].columns[0].meta_data->num_values = int64_t{1} << 40;
         });
       },
       StatusCode::kResourceExhausted, "rows"},
      {"repeated column",
       [&] { return BuildFile({{Leaf("r", Type::INT32, FieldRepetitionType::REPEATED), ""}}, 0); },
       StatusCode::kUnimplemented, "'r' is REPEATED"},
      {"nested group",
       [&] {
         return BuildFile({{req, DataPageV1(1, Encoding::PLAIN, PlainInts({1}))}}, 1, [](FileMetaData* md) {
           md->schema[1].num_children = 1;
         });
       },
       StatusCode::kUnimplemented, "nested group"},
      {"unsupported codec",
       [&] {
         return BuildFile({{req, DataPageV1(1, Encoding::PLAIN, PlainInts({1}))}}, 1, [](FileMetaData* md) {
           md->row_groups[0].columns[0].meta_data->codec = CompressionCodec::LZO;
         });
       },
       StatusCode::kUnimplemented, "column 'n'"},
      {"unsupported value encoding",
       [&] { return BuildFile({{req, DataPageV1(1, Encoding::DELTA_BYTE_ARRAY, PlainInts({1}))}}, 1); },
       StatusCode::kUnimplemented, "DELTA_BYTE_ARRAY"},
      {"page larger than the chunk",
       [&] {
         std::string page = DataPageV1(1, Encoding::PLAIN, PlainInts({1}));
         return BuildFile({{req, page}}, 1, [](FileMetaData* md) {
           md->row_groups[0].columns[0].meta_data->total_compressed_size -= 2;
         });
       },
       StatusCode::kCorruption, "runs past the end of the column chunk"},
  };
  for (const Damage& d : cases) {
    const Status st = ReadOnlyRowGroup(d.file()).status();
    EXPECT_EQ(st.code(), d.code) << d.what << ": " << st.ToString();
    EXPECT_NE(st.message().find(d.message), std::string::npos) << d.what << ": " << st.ToString();
    EXPECT_NE(st.message().find("built.parquet"), std::string::npos) << d.what << ": " << st.ToString();
  }
}

TEST(BuiltFileTest, NoLoopOrHugeAllocationFromAllNullPages) {
  // 2^20 nulls in a few bytes are legitimate and decode; a row count above the reader's limit is
  // refused before anything is allocated.
  const std::vector<uint8_t> defs(1 << 20, 0);
  const std::string file = BuildFile(
      {{Leaf("n", Type::INT32, FieldRepetitionType::OPTIONAL), DataPageV1(1 << 20, Encoding::PLAIN, Levels(defs))}},
      1 << 20);
  ReaderOptions small;
  small.max_row_group_rows = 1000;
  EXPECT_EQ(ReadOnlyRowGroup(file, small).status().code(), StatusCode::kResourceExhausted);
  Result<ColumnBatch> batch = ReadOnlyRowGroup(file);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(batch->columns[0].null_count(), size_t{1} << 20);
}

// ---------------------------------------------------------------------------------------------
// Files written by loglake's own writer: every value back, and the page index and bloom filters
// consistent with the pages.

TEST(LoglakeWriterRoundTripTest, EveryValuePageIndexAndBloomFilter) {
  const std::vector<Field> schema = {{"s", ColumnType::kString, true},   {"i", ColumnType::kInt32, false},
                                     {"l", ColumnType::kInt64, true},    {"d", ColumnType::kDouble, true},
                                     {"b", ColumnType::kBool, true},     {"t", ColumnType::kTimestamp, false}};
  ColumnBatch batch(schema);
  const int kRows = 7000;
  for (int r = 0; r < kRows; ++r) {
    if (r % 7 == 0) {
      batch.columns[0].AppendNull();
    } else {
      batch.columns[0].AppendString("id-" + std::to_string(r % 500) + (r % 3 ? "" : "-é"));
    }
    batch.columns[1].AppendInt32(r % 2 ? INT32_MIN + r : INT32_MAX - r);
    if (r % 5 == 0) {
      batch.columns[2].AppendNull();
    } else {
      batch.columns[2].AppendInt64(int64_t{r} * 1000000007LL * (r % 2 ? -1 : 1));
    }
    if (r % 11 == 0) {
      batch.columns[3].AppendNull();
    } else {
      batch.columns[3].AppendDouble(r % 13 == 0 ? -0.0 : r / 7.0);
    }
    if (r % 3 == 0) {
      batch.columns[4].AppendNull();
    } else {
      batch.columns[4].AppendBool(r % 4 == 0);
    }
    batch.columns[5].AppendTimestamp(-86400000000LL + int64_t{r} * 1234567);
  }
  const std::string path = testing_util::FreshTempDir("reader_roundtrip") + "/rt.parquet";
  {
    auto file = WritableFile::Create(path);
    ASSERT_TRUE(file.ok());
    WriterOptions options;
    options.codec = Codec::kZstd;
    options.row_group_rows = 3000;
    options.page_rows = 1000;
    options.bloom_columns = {"s"};
    auto writer = FileWriter::Create(file->get(), schema, options);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)->Write(batch).ok());
    ASSERT_TRUE((*writer)->Close().ok());
    ASSERT_TRUE((*file)->Close().ok());
  }
  auto source = RandomAccessFile::Open(path);
  ASSERT_TRUE(source.ok());
  auto reader = FileReader::Open(*source);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ASSERT_EQ((*reader)->fields().size(), schema.size());
  for (size_t c = 0; c < schema.size(); ++c) {
    EXPECT_EQ((*reader)->fields()[c].name, schema[c].name);
    EXPECT_EQ((*reader)->fields()[c].type, schema[c].type);
    EXPECT_EQ((*reader)->fields()[c].nullable, schema[c].nullable);
  }
  ASSERT_EQ((*reader)->num_rows(), kRows);
  ASSERT_GE((*reader)->num_row_groups(), 3);
  size_t row = 0;
  for (int rg = 0; rg < (*reader)->num_row_groups(); ++rg) {
    Result<ColumnBatch> got = (*reader)->ReadRowGroup(rg);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    for (size_t i = 0; i < got->num_rows(); ++i, ++row) {
      for (size_t c = 0; c < schema.size(); ++c) {
        ASSERT_EQ(Render(got->columns[c], i), Render(batch.columns[c], row)) << "row " << row << " column " << c;
      }
    }
    for (int col = 0; col < (*reader)->num_columns(); ++col) {
      // The offset index lists exactly the pages the chunk holds.
      ASSERT_TRUE((*reader)->HasOffsetIndex(rg, col));
      Result<OffsetIndex> oi = (*reader)->ReadOffsetIndex(rg, col);
      ASSERT_TRUE(oi.ok()) << oi.status().ToString();
      Result<ColumnIndex> ci = (*reader)->ReadColumnIndex(rg, col);
      ASSERT_TRUE(ci.ok()) << ci.status().ToString();
      EXPECT_EQ(ci->null_pages.size(), oi->page_locations.size());
      auto chunk = (*reader)->OpenColumnChunk(rg, col);
      ASSERT_TRUE(chunk.ok());
      size_t pages = 0;
      bool done = false;
      DataPageInfo info;
      while ((*chunk)->NextDataPage(&info, nullptr, &done).ok() && !done) {
        ASSERT_LT(pages, oi->page_locations.size());
        EXPECT_EQ(info.offset, oi->page_locations[pages].offset);
        EXPECT_EQ(info.first_row_index, oi->page_locations[pages].first_row_index);
        ++pages;
      }
      EXPECT_TRUE(done);
      EXPECT_EQ(pages, oi->page_locations.size());
      Result<std::optional<ColumnStatistics>> stats = (*reader)->ReadStatistics(rg, col);
      ASSERT_TRUE(stats.ok() && stats->has_value()) << stats.status().ToString();
    }
    Result<BloomFilter> bloom = (*reader)->ReadBloomFilter(rg, 0);
    ASSERT_TRUE(bloom.ok()) << bloom.status().ToString();
    EXPECT_TRUE(bloom->Check(BloomFilter::Hash(std::string_view("id-1"))));
    EXPECT_FALSE((*reader)->HasBloomFilter(rg, 1));
  }
  EXPECT_EQ(row, static_cast<size_t>(kRows));
}

TEST(StatisticsTest, LegacyStringBoundsAreIgnoredAndDoubleZerosNormalized) {
  ColumnDescriptor s;
  s.name = "s";
  s.physical_type = Type::BYTE_ARRAY;
  s.field.type = ColumnType::kString;
  Statistics legacy;
  legacy.min = "a";
  legacy.max = "\xff";
  legacy.null_count = 2;
  Result<ColumnStatistics> st = DecodeStatistics(legacy, s);
  ASSERT_TRUE(st.ok());
  EXPECT_FALSE(st->min.has_value());
  EXPECT_EQ(st->null_count, 2);

  ColumnDescriptor d;
  d.name = "d";
  d.physical_type = Type::DOUBLE;
  d.field.type = ColumnType::kDouble;
  Statistics zeros;
  const double pos = 0.0, neg = -0.0, nan = std::nan("");
  zeros.min_value = std::string(reinterpret_cast<const char*>(&pos), 8);
  zeros.max_value = std::string(reinterpret_cast<const char*>(&neg), 8);
  st = DecodeStatistics(zeros, d);
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(std::signbit(std::get<double>(*st->min)));
  EXPECT_FALSE(std::signbit(std::get<double>(*st->max)));
  zeros.max_value = std::string(reinterpret_cast<const char*>(&nan), 8);
  st = DecodeStatistics(zeros, d);
  ASSERT_TRUE(st.ok());
  EXPECT_FALSE(st->min.has_value());
  EXPECT_FALSE(st->max.has_value());

  zeros.max_value = "short";
  EXPECT_EQ(DecodeStatistics(zeros, d).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace loglake::parquet
