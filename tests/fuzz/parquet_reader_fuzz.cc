// libFuzzer target: any byte string, opened as a Parquet file, must give a value or an error from
// every reader call, never a crash, a sanitizer report, a hang or an out-of-memory.
#include <cstddef>
#include <cstdint>
#include <string>

#include "parquet/reader.h"

namespace {

using loglake::parquet::BloomFilter;
using loglake::parquet::ColumnChunkReader;
using loglake::parquet::DataPageInfo;
using loglake::parquet::FileReader;
using loglake::parquet::InputSource;
using loglake::parquet::ReaderOptions;

void ReadEverything(const FileReader& reader) {
  for (int rg = 0; rg < reader.num_row_groups(); ++rg) {
    (void)reader.ReadRowGroup(rg);
    for (int col = 0; col < reader.num_columns(); ++col) {
      (void)reader.ReadStatistics(rg, col);
      (void)reader.ReadColumnIndex(rg, col);
      (void)reader.ReadOffsetIndex(rg, col);
      auto filter = reader.ReadBloomFilter(rg, col);
      if (filter.ok()) (void)filter->Check(BloomFilter::Hash(std::string_view("probe")));
      // The page-skipping path: headers only, bodies never decompressed.
      auto chunk = reader.OpenColumnChunk(rg, col);
      if (!chunk.ok()) continue;
      bool done = false;
      DataPageInfo info;
      while ((*chunk)->NextDataPage(&info, nullptr, &done).ok() && !done) {
      }
      // A needle's path: a few positions, the dictionary decoded only as far as they need.
      auto ranges = reader.OpenColumnChunk(rg, col);
      if (ranges.ok()) {
        loglake::Column out(reader.fields()[static_cast<size_t>(col)].type);
        (void)(*ranges)->ReadRanges({{0, 1}, {7, 9}, {300, 301}}, &out);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ReaderOptions options;
  // Legitimate files may hold huge all-null row groups in a few bytes; keep decoded sizes within
  // what the fuzzer's memory limit allows.
  options.max_row_group_rows = 1 << 20;
  auto reader = FileReader::Open(
      InputSource::FromBuffer(std::string(reinterpret_cast<const char*>(data), size), "fuzz.parquet"), options);
  if (reader.ok()) ReadEverything(**reader);
  return 0;
}
