// Test helpers for the converter's tests: records to feed it, and the rows of the table it wrote,
// read back through loglake's own reader.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/file.h"
#include "common/time.h"
#include "lake/file_naming.h"
#include "lake/partition.h"
#include "parquet/reader.h"
#include "test_util.h"

namespace loglake::lake {

// "prefix<n>" (built without operator+, which trips a false -Wrestrict in GCC 12).
inline std::string Id(const char* prefix, uint64_t n) { return std::string(prefix).append(std::to_string(n)); }

inline std::string Record(const std::string& uuid, const std::string& time, int status = 200,
                          const std::string& more = "") {
  return "{\"uuid\":\"" + uuid + "\",\"time\":\"" + time + "\",\"status\":" + std::to_string(status) +
         ",\"path\":\"/p/" + uuid + "\"" + more + "}";
}

inline std::string DayTime(int day_of_march, int second) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "2024-03-%02dT%02d:%02d:%02d.123456Z", day_of_march, second / 3600 % 24,
                second / 60 % 60, second % 60);
  return buf;
}

using testing_util::FilesUnder;
namespace fs = std::filesystem;

struct Row {
  std::string uuid;
  int64_t time = 0;
  std::optional<int32_t> status;
  std::optional<std::string> extra;
};

// Every row of a Parquet file, through loglake's own reader.
inline std::vector<Row> ReadRows(const std::string& path) {
  std::vector<Row> rows;
  auto file = RandomAccessFile::Open(path);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  if (!file.ok()) return rows;
  auto reader = parquet::FileReader::Open(*file);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return rows;
  const int uuid = (*reader)->ColumnIndexOf("uuid");
  const int time = (*reader)->ColumnIndexOf("time");
  const int status = (*reader)->ColumnIndexOf("status");
  const int extra = (*reader)->ColumnIndexOf("extra");
  for (int rg = 0; rg < (*reader)->num_row_groups(); ++rg) {
    auto batch = (*reader)->ReadRowGroup(rg, {uuid, time, status, extra});
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok()) return rows;
    for (size_t i = 0; i < batch->num_rows(); ++i) {
      Row r;
      r.uuid = std::string(batch->columns[0].String(i));
      r.time = batch->columns[1].Timestamp(i);
      if (!batch->columns[2].IsNull(i)) r.status = batch->columns[2].Int32(i);
      if (!batch->columns[3].IsNull(i)) r.extra = std::string(batch->columns[3].String(i));
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

// Reads every published data file of a table: checks that each row lies in the day of its folder
// and returns the rows by uuid.
inline std::map<std::string, Row> ReadTable(const std::string& table_dir, PartitionLayout layout) {
  std::map<std::string, Row> by_uuid;
  for (const std::string& rel : FilesUnder(table_dir)) {
    if (rel.rfind("_errors/", 0) == 0) continue;
    fs::path p(rel);
    EXPECT_EQ(p.extension(), ".parquet") << rel;
    EXPECT_FALSE(IsHiddenName(p.filename().string())) << "unpublished temp file: " << rel;
    auto day = ParsePartitionPath(layout, p.parent_path().string());
    EXPECT_TRUE(day.has_value()) << rel;
    if (!day) continue;
    for (Row& r : ReadRows(table_dir + "/" + rel)) {
      EXPECT_EQ(CivilDateFromMicros(r.time), *day) << r.uuid << " in " << rel;
      EXPECT_TRUE(by_uuid.emplace(r.uuid, r).second) << "duplicate row " << r.uuid;
    }
  }
  return by_uuid;
}

}  // namespace loglake::lake
