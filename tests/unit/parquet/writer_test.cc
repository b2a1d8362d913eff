// Tests for FileWriter: files are written to disk, then taken apart with the footer deserializer
// and this subsystem's own decoders (a minimal independent page reader below), and every value,
// statistic, page-index entry and bloom filter is checked against the input.
//
// WriterTest.Sample also leaves files and an expected.json in $LOGLAKE_TEST_TMP/parquet-writer-*
// for testdata/check_with_duckdb.mjs, which checks that DuckDB reads them identically.

#include "parquet/writer.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/file.h"
#include "parquet/bloom_filter.h"
#include "parquet/compression.h"
#include "parquet/encoding/bit_util.h"
#include "parquet/encoding/delta_binary_packed.h"
#include "parquet/encoding/delta_byte_array.h"
#include "parquet/encoding/plain.h"
#include "parquet/encoding/rle_hybrid.h"
#include "parquet/metadata.h"
#include "parquet/reader.h"
#include "test_util.h"

namespace loglake::parquet {
namespace {

// ---------------------------------------------------------------------------------------------
// Sample data

std::vector<Field> SampleSchema() {
  return {
      {"uuid", ColumnType::kString, false},     {"time", ColumnType::kTimestamp, false},
      {"tenant_id", ColumnType::kString, true}, {"path", ColumnType::kString, true},
      {"status", ColumnType::kInt32, false},    {"i32", ColumnType::kInt32, true},
      {"bytes_sent", ColumnType::kInt64, true}, {"duration_ms", ColumnType::kDouble, true},
      {"ok", ColumnType::kBool, true},          {"big", ColumnType::kString, true},
  };
}

// Rows [first, first + n) of a deterministic access-log-like table with nulls, empty strings,
// unicode, 100 KB strings and the extremes of every type.
ColumnBatch SampleBatch(size_t first, size_t n) {
  ColumnBatch b(SampleSchema());
  const char* tenants[] = {"acme", "globex", "initech", "umbrella", ""};
  const char* paths[] = {"/",        "/api/v1/users", "/api/v1/orders", "/ünïcødé/日本語",
                         "/emoji/🎉", "/a\"quote\\"};
  for (size_t r = first; r < first + n; ++r) {
    const uint64_t h = r * 0x9E3779B97F4A7C15ull;
    char uuid[40];
    std::snprintf(uuid, sizeof(uuid), "%08llx-%04llx-4%03llx-a%03llx-%012llx", (unsigned long long)(h >> 32),
                  (unsigned long long)(h >> 16 & 0xffff), (unsigned long long)(h >> 4 & 0xfff),
                  (unsigned long long)(h >> 8 & 0xfff), (unsigned long long)(r * 7919));
    b.columns[0].AppendString(uuid);
    b.columns[1].AppendTimestamp(1700000000000000 + static_cast<int64_t>(r) * 1234567 -
                                 (r == 1000 ? 1800000000000000 : 0));
    if (r % 11 == 0) {
      b.columns[2].AppendNull();
    } else {
      b.columns[2].AppendString(tenants[r % 5]);
    }
    if (r % 13 == 0) {
      b.columns[3].AppendNull();
    } else {
      b.columns[3].AppendString(std::string(paths[r % 6]) + (r % 3 == 0 ? "/" + std::to_string(r % 50) : ""));
    }
    b.columns[4].AppendInt32(r % 10 == 0 ? 500 : (r % 7 == 0 ? 404 : 200));
    if (r % 9 == 0) {
      b.columns[5].AppendNull();
    } else if (r % 100 == 1) {
      b.columns[5].AppendInt32(std::numeric_limits<int32_t>::min());
    } else if (r % 100 == 2) {
      b.columns[5].AppendInt32(std::numeric_limits<int32_t>::max());
    } else {
      b.columns[5].AppendInt32(static_cast<int32_t>(h >> 40) - (1 << 23));
    }
    if (r % 17 == 0) {
      b.columns[6].AppendNull();
    } else if (r == 5) {
      b.columns[6].AppendInt64(std::numeric_limits<int64_t>::min());
    } else if (r == 6) {
      b.columns[6].AppendInt64(std::numeric_limits<int64_t>::max());
    } else {
      b.columns[6].AppendInt64(static_cast<int64_t>(h % 100000) - 50);
    }
    const double doubles[] = {0.0, -0.0, 1e308, -1e-308, 5e-324, std::numeric_limits<double>::infinity()};
    if (r % 19 == 0) {
      b.columns[7].AppendNull();
    } else if (r % 97 < 6) {
      b.columns[7].AppendDouble(doubles[r % 97]);
    } else {
      b.columns[7].AppendDouble(static_cast<double>(h % 1000000) / 1000.0);
    }
    if (r % 4 == 0) {
      b.columns[8].AppendNull();
    } else {
      b.columns[8].AppendBool(r % 3 == 0);
    }
    if (r % 2 == 0) {
      b.columns[9].AppendNull();
    } else if (r % 1001 == 1) {
      b.columns[9].AppendString(std::string(100000, static_cast<char>('a' + r % 26)));
    } else {
      b.columns[9].AppendString(r % 7 == 0 ? "" : "v" + std::to_string(r % 300));
    }
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// A minimal page reader built on the footer deserializer and the decoders.

struct ParsedFile {
  std::string bytes;
  FileMetaData md;
};

ParsedFile Parse(const std::string& path) {
  ParsedFile f;
  EXPECT_TRUE(ReadFileToString(path, &f.bytes).ok());
  EXPECT_GE(f.bytes.size(), 12u);
  EXPECT_EQ(f.bytes.substr(0, 4), "PAR1");
  EXPECT_EQ(f.bytes.substr(f.bytes.size() - 4), "PAR1");
  const uint32_t footer_len = LoadLE<uint32_t>(f.bytes.data() + f.bytes.size() - 8);
  EXPECT_LE(footer_len, f.bytes.size() - 12);
  size_t consumed = 0;
  Status st = DeserializeFrom(std::string_view(f.bytes).substr(f.bytes.size() - 8 - footer_len, footer_len),
                              &f.md, &consumed);
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(consumed, footer_len);
  return f;
}

ColumnType TypeOf(const SchemaElement& e) {
  switch (*e.type) {
    case Type::BYTE_ARRAY: return ColumnType::kString;
    case Type::INT32: return ColumnType::kInt32;
    case Type::INT64:
      return e.logical_type && e.logical_type->kind == LogicalType::Kind::TIMESTAMP ? ColumnType::kTimestamp
                                                                                    : ColumnType::kInt64;
    case Type::DOUBLE: return ColumnType::kDouble;
    default: return ColumnType::kBool;
  }
}

// Decodes `n` PLAIN values of `type` from `in`, appending them to `out`.
void AppendPlainValues(std::string_view in, size_t n, ColumnType type, Column* out) {
  switch (type) {
    case ColumnType::kString: {
      std::vector<std::string_view> v(n);
      ASSERT_TRUE(DecodePlainByteArray(in, n, v.data()).ok());
      for (auto s : v) out->AppendString(s);
      break;
    }
    case ColumnType::kInt32: {
      std::vector<int32_t> v(n);
      ASSERT_TRUE(DecodePlainInt32(in, n, v.data()).ok());
      for (auto x : v) out->AppendInt32(x);
      break;
    }
    case ColumnType::kInt64:
    case ColumnType::kTimestamp: {
      std::vector<int64_t> v(n);
      ASSERT_TRUE(DecodePlainInt64(in, n, v.data()).ok());
      for (auto x : v) out->AppendInt64(x);
      break;
    }
    case ColumnType::kDouble: {
      std::vector<double> v(n);
      ASSERT_TRUE(DecodePlainDouble(in, n, v.data()).ok());
      for (auto x : v) out->AppendDouble(x);
      break;
    }
    case ColumnType::kBool: {
      std::vector<uint8_t> v(n);
      ASSERT_TRUE(DecodePlainBoolean(in, n, v.data()).ok());
      for (auto x : v) out->AppendBool(x != 0);
      break;
    }
  }
}

struct ChunkPages {
  int dictionary_pages = 0;
  std::map<Encoding, int> data_pages;
  std::vector<int64_t> page_offsets;  // of data pages
};

// Reads column chunk `c` of row group `g`, appending its values to *out.
ChunkPages ReadChunk(const ParsedFile& f, size_t g, size_t c, Column* out) {
  ChunkPages pages;
  const ColumnMetaData& md = *f.md.row_groups[g].columns[c].meta_data;
  const SchemaElement& leaf = f.md.schema[c + 1];
  const ColumnType type = TypeOf(leaf);
  const bool optional = *leaf.repetition_type == FieldRepetitionType::OPTIONAL;
  const Codec codec = *FromThrift(md.codec);
  uint64_t pos = md.dictionary_page_offset ? *md.dictionary_page_offset : md.data_page_offset;
  const uint64_t end = pos + md.total_compressed_size;
  EXPECT_LE(end, f.bytes.size());
  Column dict(type);
  int64_t values = 0;
  std::string page;
  while (pos < end) {
    PageHeader h;
    size_t hlen = 0;
    Status st = DeserializeFrom(std::string_view(f.bytes).substr(pos), &h, &hlen);
    EXPECT_TRUE(st.ok()) << st.ToString();
    if (!st.ok()) return pages;
    const std::string_view compressed = std::string_view(f.bytes).substr(pos + hlen, h.compressed_page_size);
    st = Decompress(codec, compressed, h.uncompressed_page_size, &page);
    EXPECT_TRUE(st.ok()) << st.ToString();
    if (h.type == PageType::DICTIONARY_PAGE) {
      ++pages.dictionary_pages;
      EXPECT_EQ(h.dictionary_page_header->encoding, Encoding::PLAIN);
      AppendPlainValues(page, h.dictionary_page_header->num_values, type, &dict);
    } else {
      EXPECT_EQ(h.type, PageType::DATA_PAGE);
      pages.page_offsets.push_back(static_cast<int64_t>(pos));
      const DataPageHeader& dp = *h.data_page_header;
      ++pages.data_pages[dp.encoding];
      const size_t n = dp.num_values;
      std::vector<uint8_t> levels(n, 1);
      size_t level_bytes = 0;
      if (optional) {
        EXPECT_TRUE(DecodeLengthPrefixedRleHybrid(page, 1, n, levels.data(), &level_bytes).ok());
      }
      size_t non_null = 0;
      for (uint8_t l : levels) non_null += l;
      const std::string_view data = std::string_view(page).substr(level_bytes);
      Column vals(type);
      if (dp.encoding == Encoding::RLE_DICTIONARY) {
        std::vector<uint32_t> idx(non_null);
        EXPECT_TRUE(DecodeDictionaryIndices(data, non_null, idx.data()).ok());
        for (uint32_t i : idx) {
          EXPECT_LT(i, dict.size());
          if (i < dict.size()) vals.AppendFrom(dict, i);
        }
      } else if (dp.encoding == Encoding::DELTA_LENGTH_BYTE_ARRAY) {
        // The strings of a chunk stored uncompressed (WriterOptions::delta_encodings).
        EXPECT_EQ(type, ColumnType::kString);
        std::vector<std::string_view> v(non_null);
        EXPECT_TRUE(DecodeDeltaLengthByteArray(data, non_null, v.data()).ok());
        for (std::string_view x : v) vals.AppendString(x);
      } else if (dp.encoding == Encoding::DELTA_BYTE_ARRAY) {
        // Strings sharing prefixes, in a chunk stored uncompressed (WriterOptions::delta_encodings).
        EXPECT_EQ(type, ColumnType::kString);
        std::vector<std::string_view> v(non_null);
        std::string arena;
        EXPECT_TRUE(DecodeDeltaByteArray(data, non_null, &arena, v.data()).ok());
        for (std::string_view x : v) vals.AppendString(x);
      } else if (dp.encoding == Encoding::DELTA_BINARY_PACKED) {
        // The fallback of integer and timestamp columns (WriterOptions::delta_encodings).
        if (type == ColumnType::kInt32) {
          std::vector<int32_t> v(non_null);
          EXPECT_TRUE(DecodeDeltaBinaryPacked(data, non_null, v.data()).ok());
          for (int32_t x : v) vals.AppendInt32(x);
        } else {
          EXPECT_TRUE(type == ColumnType::kInt64 || type == ColumnType::kTimestamp);
          std::vector<int64_t> v(non_null);
          EXPECT_TRUE(DecodeDeltaBinaryPacked(data, non_null, v.data()).ok());
          for (int64_t x : v) vals.AppendInt64(x);
        }
      } else {
        EXPECT_EQ(dp.encoding, Encoding::PLAIN);
        AppendPlainValues(data, non_null, type, &vals);
      }
      size_t k = 0;
      for (size_t i = 0; i < n; ++i) {
        if (levels[i]) {
          out->AppendFrom(vals, k++);
        } else {
          out->AppendNull();
        }
      }
      values += static_cast<int64_t>(n);
    }
    pos += hlen + h.compressed_page_size;
  }
  EXPECT_EQ(pos, end);
  EXPECT_EQ(values, md.num_values);
  return pages;
}

bool SameValue(const Column& a, size_t i, const Column& b, size_t j) {
  if (a.IsNull(i) || b.IsNull(j)) return a.IsNull(i) == b.IsNull(j);
  switch (a.type()) {
    case ColumnType::kString: return a.String(i) == b.String(j);
    case ColumnType::kInt32: return a.Int32(i) == b.Int32(j);
    case ColumnType::kInt64:
    case ColumnType::kTimestamp: return a.Int64(i) == b.Int64(j);
    case ColumnType::kDouble:
      return std::bit_cast<uint64_t>(a.Double(i)) == std::bit_cast<uint64_t>(b.Double(j));
    case ColumnType::kBool: return a.Bool(i) == b.Bool(j);
  }
  return false;
}

// Reads the whole file back into a batch.
ColumnBatch ReadAll(const ParsedFile& f) {
  std::vector<Field> fields;
  for (size_t c = 1; c < f.md.schema.size(); ++c) {
    const SchemaElement& e = f.md.schema[c];
    fields.push_back({e.name, TypeOf(e), *e.repetition_type == FieldRepetitionType::OPTIONAL});
  }
  ColumnBatch out(fields);
  for (size_t g = 0; g < f.md.row_groups.size(); ++g) {
    for (size_t c = 0; c < fields.size(); ++c) ReadChunk(f, g, c, &out.columns[c]);
  }
  return out;
}

void ExpectSameRows(const ColumnBatch& want, const ColumnBatch& got) {
  ASSERT_EQ(got.columns.size(), want.columns.size());
  for (size_t c = 0; c < want.columns.size(); ++c) {
    ASSERT_EQ(got.columns[c].size(), want.columns[c].size()) << want.fields[c].name;
    for (size_t r = 0; r < want.num_rows(); ++r) {
      ASSERT_TRUE(SameValue(want.columns[c], r, got.columns[c], r)) << want.fields[c].name << " row " << r;
    }
  }
}

// Writes `batches` as one file at `path`; `dictionary_sizes` (if given) receives the writer's
// FileWriter::dictionary_sizes() after Close.
std::string WriteFile(const std::string& path, const std::vector<ColumnBatch>& batches, WriterOptions options,
                      std::vector<Field> schema = SampleSchema(), std::vector<uint32_t>* dictionary_sizes = nullptr) {
  auto file = WritableFile::Create(path);
  EXPECT_TRUE(file.ok());
  auto writer = FileWriter::Create(file->get(), schema, options);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  for (const auto& b : batches) {
    Status st = (*writer)->Write(b);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  Status st = (*writer)->Close();
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE((*file)->Close().ok());
  if (dictionary_sizes != nullptr) *dictionary_sizes = (*writer)->dictionary_sizes();
  return path;
}

ColumnBatch Concat(const std::vector<ColumnBatch>& batches) {
  ColumnBatch all(batches[0].fields);
  for (const auto& b : batches) {
    for (size_t c = 0; c < b.columns.size(); ++c) {
      for (size_t r = 0; r < b.num_rows(); ++r) all.columns[c].AppendFrom(b.columns[c], r);
    }
  }
  return all;
}

// Reads the file with the subsystem's FileReader (an independent decoding path from ReadAll()).
ColumnBatch ReadWithFileReader(const std::string& path) {
  auto file = RandomAccessFile::Open(path);
  EXPECT_TRUE(file.ok());
  auto reader = FileReader::Open(*file);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  ColumnBatch all((*reader)->fields());
  for (int g = 0; g < (*reader)->num_row_groups(); ++g) {
    auto batch = (*reader)->ReadRowGroup(g);
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok()) break;
    for (size_t c = 0; c < all.columns.size(); ++c) {
      for (size_t r = 0; r < batch->num_rows(); ++r) all.columns[c].AppendFrom(batch->columns[c], r);
    }
  }
  return all;
}

// Exact bounds of column `c` over rows [begin, end) (strings unsigned bytewise, doubles without NaN).
std::pair<std::string, std::string> Bounds(const Column& col, size_t begin, size_t end) {
  std::string lo, hi;
  bool any = false;
  for (size_t r = begin; r < end; ++r) {
    if (col.IsNull(r)) continue;
    std::string v;
    auto less = [&](const std::string& a, const std::string& b) {
      switch (col.type()) {
        case ColumnType::kString: return a < b;
        case ColumnType::kInt32: return LoadLE<int32_t>(a.data()) < LoadLE<int32_t>(b.data());
        case ColumnType::kDouble: return LoadLE<double>(a.data()) < LoadLE<double>(b.data());
        case ColumnType::kBool: return a < b;
        default: return LoadLE<int64_t>(a.data()) < LoadLE<int64_t>(b.data());
      }
    };
    switch (col.type()) {
      case ColumnType::kString: v = std::string(col.String(r)); break;
      case ColumnType::kInt32: AppendLE(&v, col.Int32(r)); break;
      case ColumnType::kDouble:
        if (std::isnan(col.Double(r))) continue;
        AppendLE(&v, col.Double(r));
        break;
      case ColumnType::kBool: v.push_back(col.Bool(r) ? 1 : 0); break;
      default: AppendLE(&v, col.Int64(r)); break;
    }
    if (!any || less(v, lo)) lo = v;
    if (!any || less(hi, v)) hi = v;
    any = true;
  }
  if (col.type() == ColumnType::kDouble && any) {
    // Zero bounds are written as -0.0 (min) and +0.0 (max).
    if (LoadLE<double>(lo.data()) == 0) {
      lo.clear();
      AppendLE(&lo, -0.0);
    }
    if (LoadLE<double>(hi.data()) == 0) {
      hi.clear();
      AppendLE(&hi, 0.0);
    }
  }
  return {lo, hi};
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char ch : s) {
    if (ch == '"' || ch == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(ch));
    } else if (ch < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", ch);
      out += buf;
    } else {
      out.push_back(static_cast<char>(ch));
    }
  }
  return out + "\"";
}

// expected.json in the format of testdata/expected.json: strings, decimal integers, doubles as
// IEEE bits in hex, booleans, nulls.
void WriteExpectedJson(const ColumnBatch& b, const std::string& path) {
  std::ofstream out(path);
  out << "{\"columns\": [";
  for (size_t c = 0; c < b.fields.size(); ++c) out << (c ? ", " : "") << JsonString(b.fields[c].name);
  out << "],\n \"rows\": [\n";
  for (size_t r = 0; r < b.num_rows(); ++r) {
    out << (r ? ",\n[" : "[");
    for (size_t c = 0; c < b.columns.size(); ++c) {
      const Column& col = b.columns[c];
      if (c) out << ",";
      if (col.IsNull(r)) {
        out << "null";
        continue;
      }
      switch (col.type()) {
        case ColumnType::kString: out << JsonString(col.String(r)); break;
        case ColumnType::kInt32: out << '"' << col.Int32(r) << '"'; break;
        case ColumnType::kInt64:
        case ColumnType::kTimestamp: out << '"' << col.Int64(r) << '"'; break;
        case ColumnType::kDouble: {
          char buf[32];
          std::snprintf(buf, sizeof(buf), "\"0x%016llx\"",
                        static_cast<unsigned long long>(std::bit_cast<uint64_t>(col.Double(r))));
          out << buf;
          break;
        }
        case ColumnType::kBool: out << (col.Bool(r) ? "true" : "false"); break;
      }
    }
    out << "]";
  }
  out << "\n]}\n";
}

// ---------------------------------------------------------------------------------------------

TEST(WriterTest, Sample) {
  const std::string dir = testing_util::FreshTempDir("parquet-writer");
  std::vector<ColumnBatch> batches = {SampleBatch(0, 3000), SampleBatch(3000, 1), SampleBatch(3001, 2999)};
  const ColumnBatch all = Concat(batches);
  WriteExpectedJson(all, dir + "/expected.json");
  for (Codec codec : {Codec::kSnappy, Codec::kZstd, Codec::kUncompressed}) {
    SCOPED_TRACE(CodecToString(codec));
    WriterOptions options;
    options.codec = codec;
    options.min_compression_saving = 0;  // every chunk in the file's codec (checked below)
    options.row_group_rows = 2500;
    options.page_rows = 700;
    options.page_bytes = 4096;  // small pages: several per chunk, also cut by bytes
    options.bloom_columns = {"uuid", "tenant_id", "status", "bytes_sent"};
    options.key_value_metadata = {{"loglake.schema", "{\"table\":\"t\"}"}, {"writer", "test"}};
    options.created_by = "loglake version 0.1.0";
    const std::string path =
        WriteFile(dir + "/sample_" + CodecToString(codec) + ".parquet", batches, options);
    const ParsedFile f = Parse(path);
    ExpectSameRows(all, ReadAll(f));
    ExpectSameRows(all, ReadWithFileReader(path));

    // Footer.
    EXPECT_EQ(f.md.num_rows, 6000);
    EXPECT_EQ(f.md.created_by, "loglake version 0.1.0");
    ASSERT_TRUE(f.md.key_value_metadata.has_value());
    EXPECT_EQ((*f.md.key_value_metadata)[0].key, "loglake.schema");
    EXPECT_EQ((*f.md.key_value_metadata)[0].value, "{\"table\":\"t\"}");
    ASSERT_TRUE(f.md.column_orders.has_value());
    EXPECT_EQ(f.md.column_orders->size(), 10u);
    ASSERT_EQ(f.md.row_groups.size(), 3u);  // 2500 + 2500 + 1000
    EXPECT_EQ(f.md.row_groups[0].num_rows, 2500);
    EXPECT_EQ(f.md.row_groups[2].num_rows, 1000);

    // Schema.
    ASSERT_EQ(f.md.schema.size(), 11u);
    EXPECT_EQ(f.md.schema[0].num_children, 10);
    const SchemaElement& uuid = f.md.schema[1];
    EXPECT_EQ(uuid.type, Type::BYTE_ARRAY);
    EXPECT_EQ(uuid.repetition_type, FieldRepetitionType::REQUIRED);
    EXPECT_EQ(uuid.converted_type, ConvertedType::UTF8);
    EXPECT_EQ(uuid.logical_type, LogicalType::String());
    const SchemaElement& time = f.md.schema[2];
    EXPECT_EQ(time.type, Type::INT64);
    EXPECT_EQ(time.converted_type, ConvertedType::TIMESTAMP_MICROS);
    EXPECT_EQ(time.logical_type, LogicalType::Timestamp(true, TimeUnit::MICROS));
    EXPECT_EQ(f.md.schema[3].repetition_type, FieldRepetitionType::OPTIONAL);
    EXPECT_EQ(f.md.schema[5].logical_type, LogicalType::Integer(32, true));
    EXPECT_EQ(f.md.schema[7].logical_type, LogicalType::Integer(64, true));
    EXPECT_EQ(f.md.schema[8].type, Type::DOUBLE);
    EXPECT_FALSE(f.md.schema[8].logical_type.has_value());
    EXPECT_EQ(f.md.schema[9].type, Type::BOOLEAN);

    for (size_t g = 0; g < f.md.row_groups.size(); ++g) {
      const RowGroup& rg = f.md.row_groups[g];
      const size_t first_row = g * 2500;
      int64_t compressed = 0;
      for (size_t c = 0; c < rg.columns.size(); ++c) {
        SCOPED_TRACE(f.md.schema[c + 1].name);
        const ColumnChunk& chunk = rg.columns[c];
        const ColumnMetaData& md = *chunk.meta_data;
        compressed += md.total_compressed_size;
        EXPECT_EQ(md.codec, ToThrift(codec));
        EXPECT_EQ(md.path_in_schema, std::vector<std::string>{f.md.schema[c + 1].name});
        EXPECT_EQ(md.num_values, rg.num_rows);
        // Statistics match the data exactly (no string here is longer than the truncation limit
        // except in "big", checked separately).
        const Column& col = all.columns[c];
        ASSERT_TRUE(md.statistics.has_value());
        int64_t nulls = 0;
        for (size_t r = first_row; r < first_row + rg.num_rows; ++r) nulls += col.IsNull(r);
        EXPECT_EQ(md.statistics->null_count, nulls);
        if (c != 9) {
          auto [lo, hi] = Bounds(col, first_row, first_row + rg.num_rows);
          EXPECT_EQ(md.statistics->min_value, lo);
          EXPECT_EQ(md.statistics->max_value, hi);
        }
        EXPECT_FALSE(md.statistics->min.has_value());

        // Page index: one entry per data page, offsets pointing at the pages.
        ASSERT_TRUE(chunk.offset_index_offset && chunk.column_index_offset);
        OffsetIndex oi;
        ASSERT_TRUE(
            DeserializeFrom(
                std::string_view(f.bytes).substr(*chunk.offset_index_offset, *chunk.offset_index_length), &oi)
                .ok());
        ColumnIndex ci;
        ASSERT_TRUE(
            DeserializeFrom(
                std::string_view(f.bytes).substr(*chunk.column_index_offset, *chunk.column_index_length), &ci)
                .ok());
        Column ignored(col.type());
        const ChunkPages pages = ReadChunk(f, g, c, &ignored);
        ASSERT_EQ(oi.page_locations.size(), pages.page_offsets.size());
        ASSERT_EQ(ci.min_values.size(), oi.page_locations.size());
        for (size_t p = 0; p < oi.page_locations.size(); ++p) {
          const PageLocation& loc = oi.page_locations[p];
          EXPECT_EQ(loc.offset, pages.page_offsets[p]);
          const size_t begin = first_row + loc.first_row_index;
          const size_t end = p + 1 < oi.page_locations.size()
                                 ? first_row + oi.page_locations[p + 1].first_row_index
                                 : first_row + rg.num_rows;
          // Pages end at page_rows, except the first one of a chunk trying a dictionary (the
          // sample deciding its encoding), which ends at page_bytes.
          if (p == 0) {
            EXPECT_EQ(loc.first_row_index, 0);
          } else {
            EXPECT_LE(end - begin, 700u);
          }
          if (c == 8) {
            EXPECT_LE(end - begin, 700u) << "booleans try no dictionary";
          }
          int64_t page_nulls = 0;
          for (size_t r = begin; r < end; ++r) page_nulls += col.IsNull(r);
          EXPECT_EQ((*ci.null_counts)[p], page_nulls);
          EXPECT_EQ(ci.null_pages[p], page_nulls == static_cast<int64_t>(end - begin));
          if (c != 9 && !ci.null_pages[p]) {
            auto [lo, hi] = Bounds(col, begin, end);
            EXPECT_EQ(ci.min_values[p], lo) << "page " << p;
            EXPECT_EQ(ci.max_values[p], hi) << "page " << p;
          }
        }
        // Time ascends, except for one early timestamp in the second page of the first row group.
        if (c == 1) {
          EXPECT_EQ(ci.boundary_order, g == 0 ? BoundaryOrder::UNORDERED : BoundaryOrder::ASCENDING);
        }
        if (c == 4) {
          EXPECT_EQ(ci.boundary_order, BoundaryOrder::ASCENDING) << "equal bounds on every page";
        }

        // Bloom filters: present exactly for the bloom columns, and every value is in them.
        const std::set<std::string> blooms = {"uuid", "tenant_id", "status", "bytes_sent"};
        EXPECT_EQ(md.bloom_filter_offset.has_value(), blooms.count(f.md.schema[c + 1].name) == 1);
        if (md.bloom_filter_offset) {
          const std::string_view stored =
              std::string_view(f.bytes).substr(*md.bloom_filter_offset, *md.bloom_filter_length);
          BloomFilterHeader bh;
          size_t hlen = 0;
          ASSERT_TRUE(DeserializeFrom(stored, &bh, &hlen).ok());
          ASSERT_EQ(stored.size(), hlen + bh.num_bytes);
          auto filter = BloomFilter::FromBitset(stored.substr(hlen));
          ASSERT_TRUE(filter.ok());
          int misses = 0;
          for (size_t r = first_row; r < first_row + rg.num_rows; ++r) {
            if (col.IsNull(r)) continue;
            uint64_t h = 0;
            switch (col.type()) {
              case ColumnType::kString: h = BloomFilter::Hash(col.String(r)); break;
              case ColumnType::kInt32: h = BloomFilter::Hash(col.Int32(r)); break;
              default: h = BloomFilter::Hash(col.Int64(r)); break;
            }
            misses += !filter->Check(h);
          }
          EXPECT_EQ(misses, 0);
          int false_positives = 0;
          for (int i = 0; i < 1000; ++i) {
            false_positives += filter->Check(BloomFilter::Hash("absent-" + std::to_string(i)));
          }
          EXPECT_LT(false_positives, 50);
        }
      }
      EXPECT_EQ(rg.total_compressed_size, compressed);
    }
  }
}

TEST(WriterTest, EncodingChoices) {
  const std::string dir = testing_util::FreshTempDir("parquet-writer-enc");
  const ColumnBatch b = SampleBatch(0, 5000);
  WriterOptions options;
  const ParsedFile f = Parse(WriteFile(dir + "/enc.parquet", {b}, options));
  ExpectSameRows(b, ReadAll(f));
  std::map<std::string, const ColumnMetaData*> md;
  for (size_t c = 0; c < 10; ++c) md[f.md.schema[c + 1].name] = &*f.md.row_groups[0].columns[c].meta_data;
  auto has = [](const ColumnMetaData* m, Encoding e) {
    return std::find(m->encodings.begin(), m->encodings.end(), e) != m->encodings.end();
  };
  // Unique ids and µs timestamps: a dictionary would be larger than PLAIN.
  EXPECT_FALSE(md["uuid"]->dictionary_page_offset.has_value());
  EXPECT_FALSE(has(md["uuid"], Encoding::RLE_DICTIONARY));
  EXPECT_FALSE(has(md["time"], Encoding::RLE_DICTIONARY));
  EXPECT_FALSE(has(md["uuid"], Encoding::RLE)) << "REQUIRED columns have no levels";
  // Repetitive columns keep their dictionary, and report an exact distinct count.
  for (const char* name : {"tenant_id", "path", "status", "big"}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(md[name]->dictionary_page_offset.has_value());
    EXPECT_TRUE(has(md[name], Encoding::RLE_DICTIONARY));
    EXPECT_EQ(md[name]->encoding_stats->size(), 2u);
  }
  EXPECT_EQ(md["tenant_id"]->statistics->distinct_count, 5);
  EXPECT_EQ(md["status"]->statistics->distinct_count, 3);
  EXPECT_TRUE(has(md["tenant_id"], Encoding::RLE));
  // The chunk starts with its dictionary page.
  EXPECT_EQ(*md["status"]->dictionary_page_offset, f.md.row_groups[0].columns[4].file_offset);
  EXPECT_LT(*md["status"]->dictionary_page_offset, md["status"]->data_page_offset);
  // Booleans are always PLAIN.
  EXPECT_FALSE(md["ok"]->dictionary_page_offset.has_value());
  // 100 KB strings are cut in the statistics, which say so.
  const Statistics& big = *md["big"]->statistics;
  EXPECT_LE(big.min_value->size(), kMaxStatBytes);
  EXPECT_LE(big.max_value->size(), kMaxStatBytes);
  EXPECT_EQ(big.min_value, "") << "the empty string is the smallest";
  EXPECT_EQ(big.is_min_value_exact, true);
  EXPECT_EQ(big.max_value, "v99");
}

// A chunk whose first page holds only nulls keeps the codec: those levels say nothing about the
// values that follow (here compressible ones, which a raw chunk would store at full size).
TEST(WriterTest, AFirstPageOfNullsDecidesNoCodec) {
  const std::string dir = testing_util::FreshTempDir("parquet-writer-null-page");
  std::vector<Field> schema = {{"id", ColumnType::kInt64, false}, {"s", ColumnType::kString, true}};
  ColumnBatch b(schema);
  for (int r = 0; r < 30000; ++r) {
    b.columns[0].AppendInt64(r);
    if (r < 25000) {
      b.columns[1].AppendNull();
    } else {
      b.columns[1].AppendString("/api/v1/orders/" + std::to_string(1000000 + r));
    }
  }
  WriterOptions options;
  options.page_rows = 20000;
  const std::string path = dir + "/nulls.parquet";
  const ParsedFile f = Parse(WriteFile(path, {b}, options, schema));
  ExpectSameRows(b, ReadAll(f));
  const ColumnMetaData& s_md = *f.md.row_groups[0].columns[1].meta_data;
  EXPECT_EQ(s_md.codec, ToThrift(Codec::kSnappy));
  EXPECT_LT(s_md.total_compressed_size, s_md.total_uncompressed_size);
}

// A file reports its dictionaries' sizes, and a writer given them as hints writes the very same
// bytes (hints size hash tables, nothing else).
TEST(WriterTest, DictionaryHintsChangeNoByte) {
  const std::string dir = testing_util::FreshTempDir("parquet-writer-hints");
  const ColumnBatch b = SampleBatch(0, 6000);
  WriterOptions options;
  options.row_group_rows = 2500;
  std::vector<uint32_t> sizes;
  const std::string first = WriteFile(dir + "/first.parquet", {b}, options, SampleSchema(), &sizes);
  ASSERT_EQ(sizes.size(), 10u);
  const ParsedFile f = Parse(first);
  std::map<std::string, uint32_t> by_name;
  for (size_t c = 0; c < sizes.size(); ++c) by_name[f.md.schema[c + 1].name] = sizes[c];
  EXPECT_EQ(by_name["uuid"], 0u) << "ids leave their dictionary";
  EXPECT_EQ(by_name["ok"], 0u) << "booleans have none";
  EXPECT_EQ(by_name["tenant_id"], 5u);
  EXPECT_EQ(by_name["status"], 3u);
  options.dictionary_hints = sizes;
  options.dictionary_hints[0] = 100000;  // even a wrong hint changes nothing but memory
  const std::string second = WriteFile(dir + "/second.parquet", {b}, options);
  std::string a_bytes, b_bytes;
  ASSERT_TRUE(ReadFileToString(first, &a_bytes).ok());
  ASSERT_TRUE(ReadFileToString(second, &b_bytes).ok());
  EXPECT_TRUE(a_bytes == b_bytes);
}

// Integers that leave the dictionary go DELTA_BINARY_PACKED, and the dictionary is weighed
// against that form: 4096 distinct byte counts make a dictionary (32 KB + 12-bit indices) far
// smaller than PLAIN (64 bits a value) but larger than their deltas (15 bits); a few status codes
// keep theirs.
TEST(WriterTest, IntegersWeighTheirDictionaryAgainstDeltas) {
  const std::string dir = testing_util::FreshTempDir("parquet-writer-delta");
  std::vector<Field> schema = {{"bytes", ColumnType::kInt64, false},
                               {"status", ColumnType::kInt32, true},
                               {"time", ColumnType::kTimestamp, false}};
  ColumnBatch b(schema);
  std::mt19937_64 rng(7);
  int64_t t = -86'400'000'000;  // before 1970: deltas, not values, must be small
  for (int r = 0; r < 50000; ++r) {
    b.columns[0].AppendInt64(static_cast<int64_t>(rng() % 4096) * 3);
    if (r % 50 == 0) {
      b.columns[1].AppendNull();
    } else {
      b.columns[1].AppendInt32(r % 7 == 0 ? 404 : 200);
    }
    t += static_cast<int64_t>(rng() % 2'000'000) - 100'000;  // mostly forward, sometimes back
    b.columns[2].AppendTimestamp(t);
  }
  const std::string path = dir + "/delta.parquet";
  const ParsedFile f = Parse(WriteFile(path, {b}, WriterOptions(), schema));
  ExpectSameRows(b, ReadAll(f));
  ExpectSameRows(b, ReadWithFileReader(path));
  auto encodings = [&](size_t c) { return f.md.row_groups[0].columns[c].meta_data->encodings; };
  EXPECT_EQ(encodings(0), std::vector<Encoding>{Encoding::DELTA_BINARY_PACKED});
  EXPECT_EQ(encodings(1), (std::vector<Encoding>{Encoding::PLAIN, Encoding::RLE_DICTIONARY, Encoding::RLE}));
  EXPECT_EQ(encodings(2), std::vector<Encoding>{Encoding::DELTA_BINARY_PACKED});
  // Delta-packed values barely compress: those chunks skip the codec.
  EXPECT_EQ(f.md.row_groups[0].columns[2].meta_data->codec, ToThrift(Codec::kUncompressed));
  EXPECT_LT(f.md.row_groups[0].columns[2].meta_data->total_compressed_size, 50000 * 3);

  // With delta_encodings off, the same columns are PLAIN (the dictionary against PLAIN).
  WriterOptions plain;
  plain.delta_encodings = false;
  const ParsedFile g = Parse(WriteFile(dir + "/plain.parquet", {b}, plain, schema));
  ExpectSameRows(b, ReadAll(g));
  const auto& bytes_md = *g.md.row_groups[0].columns[0].meta_data;
  EXPECT_TRUE(bytes_md.dictionary_page_offset.has_value());
  EXPECT_EQ(g.md.row_groups[0].columns[2].meta_data->encodings, std::vector<Encoding>{Encoding::PLAIN});
}

// A column whose first values are all distinct is taken PLAIN early (without filling a dictionary
// over the whole sample), yet its first page still ends where a dictionary sample would: at
// page_bytes of values, not at page_rows; later pages are cut at page_rows.
TEST(WriterTest, EarlyPlainDecisionForDistinctValues) {
  const std::string dir = testing_util::FreshTempDir("parquet-writer-early");
  std::vector<Field> schema = {{"id", ColumnType::kString, true}, {"t", ColumnType::kInt64, false},
                               {"k", ColumnType::kString, false}};
  ColumnBatch b(schema);
  constexpr int kRows = 150000;
  for (int r = 0; r < kRows; ++r) {
    if (r % 50 == 3) {
      b.columns[0].AppendNull();
    } else {
      b.columns[0].AppendString("id-" + std::to_string(int64_t{1000003} * r % 99999989));
    }
    b.columns[1].AppendInt64(int64_t{1'700'000'000'000'000} + 997 * r);
    b.columns[2].AppendString("key-" + std::to_string(r % 5000));  // 61% distinct in the first 8192
  }
  WriterOptions options;
  options.page_rows = 10000;
  options.bloom_columns = {"id"};
  const std::string path = WriteFile(dir + "/early.parquet", {b}, options, schema);
  const ParsedFile f = Parse(path);
  ExpectSameRows(b, ReadAll(f));
  ExpectSameRows(b, ReadWithFileReader(path));
  for (size_t c = 0; c < 3; ++c) {
    const ColumnChunk& chunk = f.md.row_groups[0].columns[c];
    const ColumnMetaData& md = *chunk.meta_data;
    SCOPED_TRACE(md.path_in_schema[0]);
    OffsetIndex oi;
    ASSERT_TRUE(chunk.offset_index_offset.has_value());
    ASSERT_TRUE(
        DeserializeFrom(std::string_view(f.bytes).substr(*chunk.offset_index_offset, *chunk.offset_index_length),
                        &oi)
            .ok());
    if (c < 2) {
      EXPECT_FALSE(md.dictionary_page_offset.has_value());
      // The sample ends at the row that brings its PLAIN values to 1 MiB.
      int64_t sample_rows = 0;
      for (uint64_t bytes = 0; bytes < (1u << 20); ++sample_rows) {
        if (c == 1) {
          bytes += 8;
        } else if (!b.columns[0].IsNull(static_cast<size_t>(sample_rows))) {
          bytes += 4 + b.columns[0].String(static_cast<size_t>(sample_rows)).size();
        }
      }
      ASSERT_GE(oi.page_locations.size(), 2u);
      EXPECT_EQ(oi.page_locations[1].first_row_index, sample_rows);
      for (size_t p = 2; p < oi.page_locations.size(); ++p) {
        EXPECT_EQ(oi.page_locations[p].first_row_index - oi.page_locations[p - 1].first_row_index, 10000);
      }
    } else {
      EXPECT_TRUE(md.dictionary_page_offset.has_value());
      EXPECT_EQ(md.statistics->distinct_count, 5000);
      // The sample page (the dictionary decision) is not cut at page_rows either.
      ASSERT_GE(oi.page_locations.size(), 2u);
      EXPECT_GT(oi.page_locations[1].first_row_index, 10000);
    }
  }
  // Values appended PLAIN after the early decision are all in the bloom filter.
  const ColumnMetaData& id = *f.md.row_groups[0].columns[0].meta_data;
  ASSERT_TRUE(id.bloom_filter_offset.has_value());
  auto filter_bytes = std::string_view(f.bytes).substr(*id.bloom_filter_offset, *id.bloom_filter_length);
  BloomFilterHeader bh;
  size_t hlen;
  ASSERT_TRUE(DeserializeFrom(filter_bytes, &bh, &hlen).ok());
  auto filter = BloomFilter::FromBitset(filter_bytes.substr(hlen));
  ASSERT_TRUE(filter.ok());
  for (int r = 0; r < kRows; ++r) {
    if (r % 50 == 3) continue;
    ASSERT_TRUE(filter->Check(BloomFilter::Hash(b.columns[0].String(r)))) << r;
  }
}

// Random hex ids written PLAIN barely shrink under Snappy: such a chunk is stored UNCOMPRESSED
// (every page of it) when the codec saves less than min_compression_saving of its first page;
// dictionary chunks and compressible PLAIN chunks keep the codec, and each row group decides afresh.
TEST(WriterTest, CodecPerChunk) {
  const std::string dir = testing_util::FreshTempDir("parquet-writer-codec");
  std::vector<Field> schema = {{"uuid", ColumnType::kString, false},
                               {"tenant", ColumnType::kString, true},
                               {"suffixed", ColumnType::kString, false},
                               {"mixed", ColumnType::kString, true},
                               {"seq", ColumnType::kString, false}};
  constexpr size_t kGroupRows = 8000;
  std::mt19937_64 rng(7);
  ColumnBatch b(schema);
  auto hex = [&rng](size_t n) {
    std::string s;
    while (s.size() < n) s += "0123456789abcdef"[rng() % 16];
    return s;
  };
  for (size_t r = 0; r < 2 * kGroupRows; ++r) {
    b.columns[0].AppendString(hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12));
    b.columns[1].AppendString("tenant-" + std::to_string(r % 17));
    // Distinct and compressible, but sharing no prefix with the value before.
    const std::string suffixed = hex(6) + "/orders/details/with/a/long/common/suffix";
    b.columns[2].AppendString(suffixed);
    // Random ids in the first row group, compressible distinct values in the second.
    if (r % 10 == 0) {
      b.columns[3].AppendNull();
    } else {
      b.columns[3].AppendString(r < kGroupRows ? hex(24) : suffixed);
    }
    b.columns[4].AppendString("/api/v1/orders/" + std::to_string(1000000 + r));  // distinct, shared prefixes
  }
  auto write = [&](double min_saving, const std::string& name) {
    WriterOptions options;
    options.row_group_rows = kGroupRows;
    options.page_bytes = 64 << 10;  // several pages per chunk
    options.page_rows = 1000;
    options.bloom_columns = {"uuid"};
    options.min_compression_saving = min_saving;
    const std::string path = WriteFile(dir + "/" + name, {b}, options, schema);
    ParsedFile f = Parse(path);
    ExpectSameRows(b, ReadAll(f));  // decompresses each page with its chunk's codec
    ExpectSameRows(b, ReadWithFileReader(path));
    return f;
  };
  auto codec_of = [](const ParsedFile& f, size_t g, size_t c) { return f.md.row_groups[g].columns[c].meta_data->codec; };
  const CompressionCodec kSnappy = ToThrift(Codec::kSnappy);
  const CompressionCodec kNone = ToThrift(Codec::kUncompressed);

  const ParsedFile f = write(0.125, "default.parquet");
  ASSERT_EQ(f.md.row_groups.size(), 2u);
  for (size_t g = 0; g < 2; ++g) {
    SCOPED_TRACE(g);
    const ColumnMetaData& uuid = *f.md.row_groups[g].columns[0].meta_data;
    EXPECT_FALSE(uuid.dictionary_page_offset.has_value());
    EXPECT_EQ(uuid.codec, kNone);
    EXPECT_EQ(uuid.total_compressed_size, uuid.total_uncompressed_size);
    Column values(ColumnType::kString);
    EXPECT_GE(ReadChunk(f, g, 0, &values).page_offsets.size(), 2u) << "every page of the chunk is raw";
    EXPECT_TRUE(f.md.row_groups[g].columns[1].meta_data->dictionary_page_offset.has_value());
    EXPECT_EQ(codec_of(f, g, 1), kSnappy) << "a dictionary chunk keeps the codec";
    EXPECT_FALSE(f.md.row_groups[g].columns[2].meta_data->dictionary_page_offset.has_value());
    EXPECT_EQ(codec_of(f, g, 2), kSnappy) << "a compressible PLAIN chunk keeps the codec";
    // Values that share prefixes with the one before are front-coded, raw: smaller than Snappy
    // makes them, and nothing to decompress.
    const ColumnMetaData& seq = *f.md.row_groups[g].columns[4].meta_data;
    EXPECT_FALSE(seq.dictionary_page_offset.has_value());
    EXPECT_EQ(seq.codec, kNone);
    EXPECT_EQ(seq.encodings, std::vector<Encoding>{Encoding::DELTA_BYTE_ARRAY});
  }
  EXPECT_EQ(codec_of(f, 0, 3), kNone);
  EXPECT_EQ(codec_of(f, 1, 3), kSnappy) << "each row group decides afresh";

  // 0 turns the policy off: every chunk in the file's codec.
  const ParsedFile all_snappy = write(0, "off.parquet");
  for (const RowGroup& rg : all_snappy.md.row_groups) {
    for (const ColumnChunk& chunk : rg.columns) EXPECT_EQ(chunk.meta_data->codec, kSnappy);
  }
  // A raw chunk drops PLAIN's length prefixes (DELTA_LENGTH_BYTE_ARRAY): the 36-byte ids then
  // take less room raw than Snappy made of their PLAIN form, which keeps its prefixes.
  const ColumnMetaData& raw_ids = *f.md.row_groups[0].columns[0].meta_data;
  const ColumnMetaData& snappy_ids = *all_snappy.md.row_groups[0].columns[0].meta_data;
  EXPECT_EQ(raw_ids.encodings, std::vector<Encoding>{Encoding::DELTA_LENGTH_BYTE_ARRAY});
  EXPECT_EQ(snappy_ids.encodings, std::vector<Encoding>{Encoding::PLAIN});
  EXPECT_LT(raw_ids.total_compressed_size, snappy_ids.total_compressed_size);
  EXPECT_LT(snappy_ids.total_compressed_size, snappy_ids.total_uncompressed_size) << "Snappy shrinks PLAIN ids a little";
  EXPECT_EQ(all_snappy.md.row_groups[0].columns[2].meta_data->encodings, std::vector<Encoding>{Encoding::PLAIN});
  EXPECT_EQ(all_snappy.md.row_groups[0].columns[4].meta_data->encodings, std::vector<Encoding>{Encoding::PLAIN});
  EXPECT_LT(f.md.row_groups[0].columns[4].meta_data->total_compressed_size,
            all_snappy.md.row_groups[0].columns[4].meta_data->total_compressed_size)
      << "front coding beats Snappy on values sharing prefixes";
  EXPECT_EQ(f.md.row_groups[0].columns[3].meta_data->encodings,
            (std::vector<Encoding>{Encoding::DELTA_LENGTH_BYTE_ARRAY, Encoding::RLE}))
      << "nullable: levels, then the lengths and bytes of the values present";

  // 1: no codec saves all of a page, so every PLAIN chunk is raw; dictionary chunks are not.
  const ParsedFile all_raw = write(1, "all.parquet");
  for (size_t g = 0; g < 2; ++g) {
    EXPECT_EQ(codec_of(all_raw, g, 0), kNone);
    EXPECT_EQ(codec_of(all_raw, g, 1), kSnappy);
    EXPECT_EQ(codec_of(all_raw, g, 2), kNone);
    EXPECT_EQ(codec_of(all_raw, g, 3), kNone);
    EXPECT_EQ(codec_of(all_raw, g, 4), kNone);
  }

  // Out of range is refused.
  auto file = WritableFile::Create(dir + "/bad.parquet");
  ASSERT_TRUE(file.ok());
  for (double bad : {-0.1, 1.5, std::numeric_limits<double>::quiet_NaN()}) {
    WriterOptions options;
    options.min_compression_saving = bad;
    EXPECT_EQ(FileWriter::Create(file->get(), schema, options).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(WriterTest, DictionaryFallbackMidChunk) {
  const std::string dir = testing_util::FreshTempDir("parquet-writer-fallback");
  std::vector<Field> schema = {{"s", ColumnType::kString, true}, {"n", ColumnType::kInt64, false}};
  ColumnBatch b(schema);
  for (int r = 0; r < 20000; ++r) {
    // Repetitive at first (the dictionary pays off), then ever new values until it overflows.
    if (r % 100 == 7) {
      b.columns[0].AppendNull();
    } else {
      b.columns[0].AppendString(r < 5000 ? "k" + std::to_string(r % 10)
                                         : "unique-value-" + std::to_string(r));
    }
    b.columns[1].AppendInt64(r < 5000 ? r % 3 : r);
  }
  WriterOptions options;
  options.page_rows = 1000;
  options.page_bytes = 8192;  // the first page (the encoding sample) ends before the limit is hit
  options.dictionary_bytes_limit = 4096;
  options.bloom_columns = {"s", "n"};
  const ParsedFile f = Parse(WriteFile(dir + "/fallback.parquet", {b}, options, schema));
  ExpectSameRows(b, ReadAll(f));
  ExpectSameRows(b, ReadWithFileReader(dir + "/fallback.parquet"));
  for (size_t c = 0; c < 2; ++c) {
    const ColumnMetaData& md = *f.md.row_groups[0].columns[c].meta_data;
    SCOPED_TRACE(md.path_in_schema[0]);
    EXPECT_TRUE(md.dictionary_page_offset.has_value());
    std::map<Encoding, int> counts;
    for (const auto& s : *md.encoding_stats) {
      if (s.page_type == PageType::DATA_PAGE) counts[s.encoding] += s.count;
    }
    // Strings fall back to PLAIN, integers to DELTA_BINARY_PACKED.
    const Encoding fallback = c == 0 ? Encoding::PLAIN : Encoding::DELTA_BINARY_PACKED;
    EXPECT_GT(counts[Encoding::RLE_DICTIONARY], 0);
    EXPECT_GT(counts[fallback], 0);
    EXPECT_FALSE(md.statistics->distinct_count.has_value());
    Column ignored(c == 0 ? ColumnType::kString : ColumnType::kInt64);
    const ChunkPages pages = ReadChunk(f, 0, 0 + c, &ignored);
    EXPECT_EQ(pages.data_pages.at(Encoding::RLE_DICTIONARY), counts[Encoding::RLE_DICTIONARY]);
    EXPECT_EQ(pages.data_pages.at(fallback), counts[fallback]);
    // The dictionary stays close to its limit.
    const int64_t dict_size = md.data_page_offset - *md.dictionary_page_offset;
    EXPECT_LT(dict_size, 4096 + 200);
    // The bloom filter covers values from both the dictionary and the PLAIN pages.
    auto filter_bytes = std::string_view(f.bytes).substr(*md.bloom_filter_offset, *md.bloom_filter_length);
    BloomFilterHeader bh;
    size_t hlen;
    ASSERT_TRUE(DeserializeFrom(filter_bytes, &bh, &hlen).ok());
    auto filter = BloomFilter::FromBitset(filter_bytes.substr(hlen));
    ASSERT_TRUE(filter.ok());
    for (int r = 0; r < 20000; r += 7) {
      if (c == 0 && r % 100 == 7) continue;
      const uint64_t h =
          c == 0 ? BloomFilter::Hash(b.columns[0].String(r)) : BloomFilter::Hash(b.columns[1].Int64(r));
      EXPECT_TRUE(filter->Check(h)) << r;
    }
  }
}

TEST(WriterTest, AllNullColumnAndEmptyFile) {
  const std::string dir = testing_util::FreshTempDir("parquet-writer-nulls");
  std::vector<Field> schema = {{"s", ColumnType::kString, true}, {"d", ColumnType::kDouble, true}};
  ColumnBatch b(schema);
  for (int r = 0; r < 1500; ++r) {
    b.columns[0].AppendNull();
    if (r < 1000) {
      b.columns[1].AppendNull();
    } else {
      b.columns[1].AppendDouble(std::numeric_limits<double>::quiet_NaN());
    }
  }
  WriterOptions options;
  options.page_rows = 1000;
  options.bloom_columns = {"s"};
  const ParsedFile f = Parse(WriteFile(dir + "/nulls.parquet", {b}, options, schema));
  ExpectSameRows(b, ReadAll(f));
  ExpectSameRows(b, ReadWithFileReader(dir + "/nulls.parquet"));
  const ColumnChunk& s = f.md.row_groups[0].columns[0];
  EXPECT_EQ(s.meta_data->statistics->null_count, 1500);
  EXPECT_FALSE(s.meta_data->statistics->min_value.has_value());
  EXPECT_FALSE(s.meta_data->dictionary_page_offset.has_value());
  ColumnIndex ci;
  ASSERT_TRUE(
      DeserializeFrom(std::string_view(f.bytes).substr(*s.column_index_offset, *s.column_index_length), &ci)
          .ok());
  EXPECT_EQ(ci.null_pages, (std::vector<bool>{true, true}));
  // A page of only NaNs has NaN bounds in the page index; the chunk statistics have none.
  const ColumnChunk& d = f.md.row_groups[0].columns[1];
  EXPECT_FALSE(d.meta_data->statistics->min_value.has_value());
  ASSERT_TRUE(
      DeserializeFrom(std::string_view(f.bytes).substr(*d.column_index_offset, *d.column_index_length), &ci)
          .ok());
  EXPECT_EQ(ci.null_pages, (std::vector<bool>{true, false}));
  EXPECT_TRUE(std::isnan(LoadLE<double>(ci.min_values[1].data())));
  EXPECT_EQ(ci.boundary_order, BoundaryOrder::UNORDERED);

  // No rows at all: a valid file with no row groups.
  const ParsedFile empty = Parse(WriteFile(dir + "/empty.parquet", {}, WriterOptions(), schema));
  EXPECT_EQ(empty.md.num_rows, 0);
  EXPECT_TRUE(empty.md.row_groups.empty());
  EXPECT_EQ(empty.md.schema.size(), 3u);
}

TEST(WriterTest, RowGroupsCutByBytesAndBufferedBytes) {
  const std::string dir = testing_util::FreshTempDir("parquet-writer-bytes");
  auto file = WritableFile::Create(dir + "/bytes.parquet");
  ASSERT_TRUE(file.ok());
  WriterOptions options;
  options.row_group_bytes = 200 << 10;
  auto writer = FileWriter::Create(file->get(), SampleSchema(), options);
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ((*writer)->buffered_bytes(), 0u);
  std::vector<ColumnBatch> batches;
  uint64_t peak = 0;
  for (int i = 0; i < 10; ++i) {
    batches.push_back(SampleBatch(i * 1000, 1000));
    ASSERT_TRUE((*writer)->Write(batches.back()).ok());
    peak = std::max(peak, (*writer)->buffered_bytes());
  }
  EXPECT_EQ((*writer)->rows_written(), 10000u);
  // Cut when the buffered size reaches the limit, checked every few thousand rows.
  EXPECT_LT(peak, 2 * options.row_group_bytes);
  ASSERT_TRUE((*writer)->Close().ok());
  ASSERT_TRUE((*file)->Close().ok());
  const ParsedFile f = Parse(dir + "/bytes.parquet");
  EXPECT_GT(f.md.row_groups.size(), 2u);
  for (const RowGroup& rg : f.md.row_groups) {
    EXPECT_LT(rg.total_byte_size, static_cast<int64_t>(2 * options.row_group_bytes));
    EXPECT_EQ(rg.ordinal, &rg - f.md.row_groups.data());
  }
  ExpectSameRows(Concat(batches), ReadAll(f));
}

TEST(WriterTest, LargePagesAreCutByBytes) {
  const std::string dir = testing_util::FreshTempDir("parquet-writer-pages");
  std::vector<Field> schema = {{"s", ColumnType::kString, false}};
  ColumnBatch b(schema);
  for (int r = 0; r < 300; ++r) {
    b.columns[0].AppendString(std::string(10000, static_cast<char>('A' + r % 50)) + std::to_string(r));
  }
  WriterOptions options;
  options.page_bytes = 64 << 10;
  const ParsedFile f = Parse(WriteFile(dir + "/pages.parquet", {b}, options, schema));
  ExpectSameRows(b, ReadAll(f));
  Column ignored(ColumnType::kString);
  const ChunkPages pages = ReadChunk(f, 0, 0, &ignored);
  // A page ends once it reaches 64 KiB, so it holds 7 values of ~10 KB: 43 pages.
  EXPECT_EQ(pages.page_offsets.size(), (300u + 6) / 7);
}

TEST(WriterTest, RejectsBadInput) {
  const std::string dir = testing_util::FreshTempDir("parquet-writer-bad");
  auto file = WritableFile::Create(dir + "/bad.parquet");
  ASSERT_TRUE(file.ok());
  WriterOptions options;
  EXPECT_EQ(FileWriter::Create(file->get(), {}, options).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FileWriter::Create(file->get(),
                               {{"a", ColumnType::kInt32, true}, {"a", ColumnType::kString, true}}, options)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  options.bloom_columns = {"nope"};
  EXPECT_EQ(FileWriter::Create(file->get(), SampleSchema(), options).status().code(),
            StatusCode::kInvalidArgument);
  options.bloom_columns.clear();
  options.codec = Codec::kGzip;
  EXPECT_EQ(FileWriter::Create(file->get(), SampleSchema(), options).status().code(),
            StatusCode::kInvalidArgument);
  options.codec = Codec::kSnappy;

  auto writer = FileWriter::Create(file->get(), SampleSchema(), options);
  ASSERT_TRUE(writer.ok());
  ColumnBatch wrong_type = SampleBatch(0, 10);
  wrong_type.fields[4].type = ColumnType::kInt64;
  wrong_type.columns[4] = Column(ColumnType::kInt64);
  EXPECT_EQ((*writer)->Write(wrong_type).code(), StatusCode::kInvalidArgument);
  ColumnBatch wrong_name = SampleBatch(0, 10);
  wrong_name.fields[0].name = "id";
  EXPECT_EQ((*writer)->Write(wrong_name).code(), StatusCode::kInvalidArgument);
  ColumnBatch null_in_required = SampleBatch(0, 10);
  null_in_required.columns[0] = Column(ColumnType::kString);
  for (int i = 0; i < 10; ++i) null_in_required.columns[0].AppendNull();
  Status st = (*writer)->Write(null_in_required);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("uuid"), std::string::npos) << st.message();
  ColumnBatch ragged = SampleBatch(0, 10);
  ragged.columns[3].AppendNull();
  EXPECT_EQ((*writer)->Write(ragged).code(), StatusCode::kInvalidArgument);
  // Rejected batches leave the writer usable.
  ASSERT_TRUE((*writer)->Write(SampleBatch(0, 10)).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_FALSE((*writer)->Write(SampleBatch(0, 10)).ok());
  EXPECT_FALSE((*writer)->Close().ok());
  ASSERT_TRUE((*file)->Close().ok());
  EXPECT_EQ(Parse(dir + "/bad.parquet").md.num_rows, 10);

  // A non-empty file is refused: footer offsets would be wrong.
  auto used = WritableFile::Create(dir + "/used.parquet");
  ASSERT_TRUE((*used)->Append("x").ok());
  EXPECT_EQ(FileWriter::Create(used->get(), SampleSchema(), WriterOptions()).status().code(),
            StatusCode::kInvalidArgument);
}

// String statistics order bytes unsigned, whether values are compared PLAIN (every value) or
// through the dictionary (distinct values), and whichever byte decides a comparison.
TEST(WriterTest, StringBoundsAreUnsignedBytewise) {
  const std::string dir = testing_util::FreshTempDir("parquet-writer-bounds");
  std::vector<Field> schema = {{"dict", ColumnType::kString, true}, {"plain", ColumnType::kString, false}};
  const char* words[] = {"\xc3\xa9t\xc3\xa9", "zebra", "\x7f", "\xe6\x97\xa5", "", "a", "\xc3\xa9ta"};
  ColumnBatch b(schema);
  for (int r = 0; r < 3000; ++r) {
    if (r % 11 == 0) {
      b.columns[0].AppendNull();
    } else {
      b.columns[0].AppendString(words[r % 7]);
    }
    b.columns[1].AppendString(std::string(1, static_cast<char>(r * 37 % 256)) + std::to_string(r));
  }
  for (uint64_t dict_limit : {uint64_t{16}, uint64_t{4} << 20}) {
    SCOPED_TRACE(dict_limit);
    WriterOptions options;
    options.page_rows = 700;
    options.dictionary_bytes_limit = dict_limit;  // 16 bytes: both columns end up PLAIN
    const ParsedFile f = Parse(WriteFile(dir + "/bounds.parquet", {b}, options, schema));
    ExpectSameRows(b, ReadAll(f));
    for (size_t c = 0; c < 2; ++c) {
      const ColumnMetaData& md = *f.md.row_groups[0].columns[c].meta_data;
      SCOPED_TRACE(md.path_in_schema[0]);
      const auto [lo, hi] = Bounds(b.columns[c], 0, b.num_rows());
      EXPECT_EQ(md.statistics->min_value, lo);
      EXPECT_EQ(md.statistics->max_value, hi);
    }
  }
}

TEST(WriterTest, RandomTablesRoundTrip) {
  const std::string dir = testing_util::FreshTempDir("parquet-writer-random");
  std::mt19937_64 rng(20240601);
  for (int trial = 0; trial < 12; ++trial) {
    std::vector<Field> schema;
    const int ncols = 1 + static_cast<int>(rng() % 6);
    for (int c = 0; c < ncols; ++c) {
      schema.push_back({"c" + std::to_string(c), static_cast<ColumnType>(rng() % 6), rng() % 2 == 0});
    }
    const size_t rows = rng() % 5000;
    const uint64_t cardinality = 1 + rng() % 2000;
    ColumnBatch b(schema);
    for (size_t r = 0; r < rows; ++r) {
      for (int c = 0; c < ncols; ++c) {
        Column& col = b.columns[c];
        if (schema[c].nullable && rng() % 5 == 0) {
          col.AppendNull();
          continue;
        }
        const uint64_t v = rng() % cardinality * 0x9E3779B97F4A7C15ull;
        switch (schema[c].type) {
          case ColumnType::kString: col.AppendString(std::string(v % 40, static_cast<char>(v >> 56))); break;
          case ColumnType::kInt32: col.AppendInt32(static_cast<int32_t>(v)); break;
          case ColumnType::kInt64:
          case ColumnType::kTimestamp: col.AppendInt64(static_cast<int64_t>(v)); break;
          case ColumnType::kDouble: col.AppendDouble(std::bit_cast<double>(v)); break;
          case ColumnType::kBool: col.AppendBool(v & 1); break;
        }
      }
    }
    WriterOptions options;
    options.page_rows = 1 + rng() % 3000;
    options.row_group_rows = 1 + rng() % 6000;
    options.dictionary_bytes_limit = 64 + rng() % 20000;
    options.codec = static_cast<Codec>(rng() % 3);
    // Mixed codecs within a file: 1 stores every PLAIN chunk uncompressed.
    options.min_compression_saving = std::array<double, 3>{0, 0.125, 1}[rng() % 3];
    const std::string path = dir + "/random" + std::to_string(trial) + ".parquet";
    const ParsedFile f = Parse(WriteFile(path, {b}, options, schema));
    SCOPED_TRACE(trial);
    ExpectSameRows(b, ReadAll(f));
    ExpectSameRows(b, ReadWithFileReader(path));
    EXPECT_EQ(f.md.num_rows, static_cast<int64_t>(rows));
  }
}

}  // namespace
}  // namespace loglake::parquet
