// Bloom filters probed block by block: the same answers as the whole filter, and only the header
// and the named blocks are read (and counted in bytes_scanned).
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "parquet/bloom_filter.h"
#include "parquet/bloom_probe.h"
#include "parquet/input_source.h"
#include "parquet/reader.h"
#include "scan_test_util.h"
#include "test_util.h"

namespace loglake::query {
namespace {

using namespace scantest;  // NOLINT

// A filter stored like a file stores it (some leading bytes, then header + bitset), with its
// ColumnMetaData pointing at it.
struct StoredFilter {
  std::shared_ptr<parquet::InputSource> source;
  parquet::ColumnMetaData meta;
};

StoredFilter Store(const parquet::BloomFilter& filter) {
  std::string file = "PAR1 some pages";
  StoredFilter s;
  s.meta.bloom_filter_offset = static_cast<int64_t>(file.size());
  filter.AppendTo(&file);
  s.meta.bloom_filter_length = static_cast<int32_t>(file.size() - static_cast<size_t>(*s.meta.bloom_filter_offset));
  file += "footer";
  s.source = parquet::InputSource::FromBuffer(file, "mem");
  return s;
}

TEST(BloomProbeTest, BlockAnswersEqualWholeFilterAnswers) {
  std::mt19937_64 rng(7);
  for (uint32_t bytes : {32u, 64u, 96u, 4096u, 32u * 1001u}) {
    parquet::BloomFilter filter(bytes);
    std::vector<uint64_t> inserted;
    for (uint32_t i = 0; i < bytes / 4; ++i) {
      inserted.push_back(rng());
      filter.Insert(inserted.back());
    }
    StoredFilter s = Store(filter);
    auto where = parquet::ReadBloomFilterLocation(*s.source, s.meta, s.source->size());
    ASSERT_TRUE(where.ok()) << where.status().ToString();
    EXPECT_EQ(where->num_bytes, filter.num_bytes());
    int maybe = 0;
    for (int i = 0; i < 20000; ++i) {
      const uint64_t h = i % 2 ? rng() : inserted[static_cast<size_t>(i / 2) % inserted.size()];
      const uint32_t block = where->BlockOf(h);
      ASSERT_LT(block, filter.num_bytes() / parquet::BloomFilter::kBlockBytes);
      std::string bits;
      ASSERT_TRUE(s.source->ReadAt(where->BlockOffset(block), parquet::BloomFilter::kBlockBytes, &bits).ok());
      const bool whole = filter.Check(h);
      ASSERT_EQ(parquet::BloomBlockMayContain(bits, h), whole) << "bytes " << bytes << " hash " << h;
      maybe += whole;
    }
    EXPECT_GE(maybe, 10000);  // every inserted hash is found
    EXPECT_LT(maybe, 20000);  // and absent ones are mostly ruled out
  }
}

TEST(BloomProbeTest, DamagedHeadersAreCorruption) {
  parquet::BloomFilter filter(64);
  StoredFilter s = Store(filter);
  parquet::ColumnMetaData wrong_length = s.meta;
  *wrong_length.bloom_filter_length += 32;
  EXPECT_EQ(parquet::ReadBloomFilterLocation(*s.source, wrong_length, s.source->size()).status().code(),
            StatusCode::kCorruption);
  parquet::ColumnMetaData outside = s.meta;
  outside.bloom_filter_offset = static_cast<int64_t>(s.source->size());
  EXPECT_EQ(parquet::ReadBloomFilterLocation(*s.source, outside, s.source->size()).status().code(),
            StatusCode::kCorruption);
  // The bitset must end before the limit (the footer).
  EXPECT_EQ(parquet::ReadBloomFilterLocation(*s.source, s.meta, s.source->size() - 10).status().code(),
            StatusCode::kCorruption);
  parquet::ColumnMetaData none;
  EXPECT_EQ(parquet::ReadBloomFilterLocation(*s.source, none, s.source->size()).status().code(),
            StatusCode::kNotFound);
}

// One day, one file of three row groups; `key` has a bloom filter and every row group's key range
// spans nearly all keys, so only the filters rule keys out.
class BloomScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lake_ = testing_util::FreshTempDir("scan_bloom_probe");
    path_ = WriteDayFile(lake_, t_, "a.parquet", ScrambledKeyDay());
  }

  ScanRun Run(ExprPtr filter) {
    plan_ = PlanFor(t_, std::move(filter));
    QueryOptions o;
    o.threads = 1;
    o.dedup = false;
    return RunPlan(lake_, plan_, o);
  }

  static std::vector<ExprPtr> Keys(const std::vector<std::string>& keys) {
    std::vector<ExprPtr> v;
    for (const std::string& k : keys) v.push_back(Str(k));
    return v;
  }

  // What the file's bloom filters take (headers included), row group by row group.
  std::vector<uint64_t> FilterLengths() {
    auto file = RandomAccessFile::Open(path_);
    EXPECT_TRUE(file.ok());
    auto reader = parquet::FileReader::Open(*file);
    EXPECT_TRUE(reader.ok());
    const int key = (*reader)->ColumnIndexOf("key");
    std::vector<uint64_t> lengths;
    for (int rg = 0; rg < (*reader)->num_row_groups(); ++rg) {
      lengths.push_back(static_cast<uint64_t>(*(*reader)->column_meta(rg, key).bloom_filter_length));
    }
    return lengths;
  }

  lake::TableDef t_ = TestTable();
  std::string lake_;
  std::string path_;
  QueryPlan plan_;
};

TEST_F(BloomScanTest, FewValuesReadHeaderAndOneBlockEach) {
  // The footer alone: the whole file ruled out by its time statistics.
  ScanRun footer = Run(Cmp(Col(t_, "time"), CompareOp::kGt, Ts(Micros(2024, 3, 9, 23))));
  ASSERT_TRUE(footer.status.ok()) << footer.status.ToString();
  ASSERT_EQ(footer.report.stats.files.pruned, 1u);
  const uint64_t footer_bytes = footer.report.stats.bytes_scanned;
  const std::vector<uint64_t> lengths = FilterLengths();
  ASSERT_EQ(lengths.size(), 3u);
  for (uint64_t n : lengths) ASSERT_GT(n, 64u + 32u);  // reading a block is less than the filter

  // `=`: per row group a 64-byte header probe and one 32-byte block.
  ScanRun eq = Run(Cmp(Col(t_, "key"), CompareOp::kEq, Str("k0300x")));
  ASSERT_TRUE(eq.status.ok()) << eq.status.ToString();
  EXPECT_TRUE(eq.ids.empty());
  EXPECT_EQ(eq.report.stats.row_groups_by_bloom.pruned, 3u);
  EXPECT_EQ(eq.report.stats.bytes_scanned, footer_bytes + 3 * (64 + 32));

  // 17 values (more than max_bloom_block_probes): the whole filters, header probe included.
  std::vector<std::string> many;
  for (int i = 0; i < 17; ++i) many.push_back("k0300x" + std::to_string(i));  // inside every key range
  ScanRun in = Run(In(Col(t_, "key"), Keys(many)));
  ASSERT_TRUE(in.status.ok()) << in.status.ToString();
  EXPECT_TRUE(in.ids.empty());
  EXPECT_EQ(in.report.stats.row_groups_by_bloom.pruned, 3u);
  EXPECT_EQ(in.report.stats.bytes_scanned, footer_bytes + 3 * 64 + lengths[0] + lengths[1] + lengths[2]);
}

TEST_F(BloomScanTest, BlockProbesFindEveryPresentKey) {
  // Small IN lists of present and absent keys: no false negative, whichever block each lands in.
  for (int i = 0; i < 600; i += 7) {
    char key[16];
    std::snprintf(key, sizeof(key), "k%04d", (i * 37) % 600);
    ScanRun r = Run(In(Col(t_, "key"), Keys({"nope" + std::to_string(i), key, "zz" + std::to_string(i)})));
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_EQ(r.ids, std::vector<int64_t>{i}) << key;
    EXPECT_LE(r.report.stats.row_groups_by_bloom.pruned, 2u);
  }
}

}  // namespace
}  // namespace loglake::query
