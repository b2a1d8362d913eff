// Where a table's data is: resolving a table's definition, and listing its day partitions and
// their data files, touching only the directories partition projection allows.
//
// Layout: <lake>/<table>/<partition>/<file>.parquet with the table's PartitionLayout. Names that
// start with '.' or '_' (temp files, `_errors`) are never listed as data, and directories whose
// names are not partition paths are ignored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "lake/table.h"
#include "query/planner/day_set.h"

namespace loglake::query {

using lake::TableDirectory;

// The definition of table `name` for a query over `lake_dir`:
//   access_log without a schema file → lake::AccessLogTable();
//   with `schema_path`                → that file (lake::ResolveTableDef checks the name);
//   any other table                   → the `loglake.schema` metadata of one of its data files.
// NotFound naming the table when its directory does not exist.
Result<lake::TableDef> ResolveQueryTable(const std::string& lake_dir, std::string_view name,
                                         const std::string& schema_path);

// How a day listing went, for statistics and EXPLAIN.
struct DayListing {
  std::vector<int64_t> days;       // the days in `wanted` whose directory exists, ascending
  uint64_t directories_read = 0;   // directories listed or probed to find them
  bool walked = false;             // the table's partition levels were walked (unbounded set)
};

// Finds the existing day partitions of `table_dir` inside `wanted`. A small set (at most
// kProbeDayLimit days) is probed day by day; a larger one is found by walking the partition
// levels (years, then months, then days for yyyy/MM/dd), skipping every level outside `wanted`.
inline constexpr uint64_t kProbeDayLimit = 1000;
Result<DayListing> ListDays(const std::string& table_dir, lake::PartitionLayout layout, const DaySet& wanted);

// The data files of one day partition: visible regular files ending in ".parquet", as full
// paths sorted by name (the (file path, row) order dedup keeps first occurrences in).
Result<std::vector<std::string>> ListDayFiles(const std::string& table_dir, lake::PartitionLayout layout,
                                              int64_t day);

}  // namespace loglake::query
