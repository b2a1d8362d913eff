// Small test lakes written the way the converter lays them out: one Parquet file of one day in
// <lake>/<table>/<partition>/<name>, with the table's bloom filters and schema metadata. Shared by
// the scan, engine and query API tests, which differ only in their tables and rows.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/column.h"
#include "common/file.h"
#include "common/time.h"
#include "lake/partition.h"
#include "lake/table.h"
#include "parquet/writer.h"

namespace loglake::testing_util {

// The writer options of a lake file of `t`, with row groups and pages of the given sizes (small
// ones give every pruning layer something to do).
inline parquet::WriterOptions LakeWriterOptions(const lake::TableDef& t, uint64_t row_group_rows, uint64_t page_rows) {
  parquet::WriterOptions o;
  o.row_group_rows = row_group_rows;
  o.page_rows = page_rows;
  o.bloom_columns = t.bloom_columns;
  o.key_value_metadata = lake::FileMetadataFor(t);
  return o;
}

// Appends row `row`'s value of the column named `column` to `out`.
using AppendCell = std::function<void(const std::string& column, size_t row, Column* out)>;

// Writes `num_rows` rows of `t` as <lake>/<t.name>/<partition of `day`>/<name>; `append` gives
// every cell. Returns the file's path; a failure is a test failure.
inline std::string WriteDayFile(const std::string& lake, const lake::TableDef& t, const CivilDate& day,
                                const std::string& name, size_t num_rows, const parquet::WriterOptions& options,
                                const AppendCell& append) {
  const std::string dir = lake + "/" + t.name + "/" + lake::PartitionPath(t.layout, day);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/" + name;
  auto file = WritableFile::Create(path);
  if (!file.ok()) {
    ADD_FAILURE() << file.status().ToString();
    return path;
  }
  auto writer = parquet::FileWriter::Create(file->get(), t.columns, options);
  if (!writer.ok()) {
    ADD_FAILURE() << writer.status().ToString();
    return path;
  }
  ColumnBatch batch(t.columns);
  for (size_t r = 0; r < num_rows; ++r) {
    for (size_t c = 0; c < t.columns.size(); ++c) append(t.columns[c].name, r, &batch.columns[c]);
  }
  const Status written = (*writer)->Write(batch);
  EXPECT_TRUE(written.ok()) << written.ToString();
  const Status closed = (*writer)->Close();
  EXPECT_TRUE(closed.ok()) << closed.ToString();
  const Status file_closed = (*file)->Close();
  EXPECT_TRUE(file_closed.ok()) << file_closed.ToString();
  return path;
}

// One record of the built-in access_log; the columns not named here are NULL.
struct AccessLogRow {
  std::string uuid;
  int64_t time = 0;
  std::string tenant;
  int32_t status = 200;
  std::optional<std::string> path;
};

// Writes access_log rows, all of one UTC day (the first row's), as
// <lake>/access_log/yyyy/MM/dd/<name>, in row groups of 500 rows and pages of 100.
inline std::string WriteAccessLogDay(const std::string& lake, const std::string& name,
                                     const std::vector<AccessLogRow>& rows) {
  const lake::TableDef t = lake::AccessLogTable();
  return WriteDayFile(lake, t, CivilDateFromMicros(rows.at(0).time), name, rows.size(), LakeWriterOptions(t, 500, 100),
                      [&rows](const std::string& column, size_t i, Column* out) {
                        const AccessLogRow& r = rows[i];
                        if (column == "uuid") {
                          out->AppendString(r.uuid);
                        } else if (column == "time") {
                          out->AppendTimestamp(r.time);
                        } else if (column == "status") {
                          out->AppendInt32(r.status);
                        } else if (column == "tenant_id") {
                          out->AppendString(r.tenant);
                        } else if (column == "path" && r.path) {
                          out->AppendString(*r.path);
                        } else {
                          out->AppendNull();
                        }
                      });
}

}  // namespace loglake::testing_util
