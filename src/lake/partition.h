// Day partitions: where a record's file goes inside <lake>/<table>/, by the record's own UTC day.
//
// Two layouts are supported:
//   kDatePath  "yyyy/MM/dd"     2024/03/09/...   (the default; what Firehose and Athena users write)
//   kHiveDate  "dt=YYYY-MM-DD"  dt=2024-03-09/...  (Hive style; engines can discover partitions)
// PartitionPath() formats a day; ParsePartitionPath() is its exact inverse and accepts nothing else
// (no missing zero padding, no impossible dates), so listing a table directory and parsing each
// candidate is a safe way to find its partitions: `_errors`, hidden files and stray folders do not
// parse. Years outside 0000..9999 have no partition (the converter rejects such records).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"

namespace loglake::lake {

enum class PartitionLayout : uint8_t {
  kDatePath,  // yyyy/MM/dd
  kHiveDate,  // dt=YYYY-MM-DD
};

// The spelling used in schema files and docs: "yyyy/MM/dd" or "dt=YYYY-MM-DD".
const char* PartitionLayoutName(PartitionLayout layout);
// Parses the spellings above; also accepts "hive" for kHiveDate and "date" for kDatePath.
std::optional<PartitionLayout> ParsePartitionLayout(std::string_view text);

// Number of directory levels a partition path has (3 for yyyy/MM/dd, 1 for dt=...).
int PartitionDepth(PartitionLayout layout);

// The partition day of an instant: days since 1970-01-01 of its UTC calendar day (floored, so
// -1 µs is day -1). CivilFromDays() turns it into the date.
inline int64_t PartitionDay(int64_t micros) {
  return micros / kMicrosPerDay - (micros % kMicrosPerDay < 0 ? 1 : 0);
}

// True when `date` can be written as a partition (year 0..9999; month/day in range).
bool IsPartitionableDate(const CivilDate& date);

// "2024/03/09" or "dt=2024-03-09" (no leading or trailing slash). `date` must be partitionable.
std::string PartitionPath(PartitionLayout layout, const CivilDate& date);
// Writes the same text into `out` (at least kMaxPartitionPathLength bytes); returns its length.
// Allocation-free form for hot paths.
constexpr size_t kMaxPartitionPathLength = 13;
size_t FormatPartitionPath(PartitionLayout layout, const CivilDate& date, char* out);

// The day of a partition path relative to the table directory ("2024/03/09", "2024/03/09/",
// "dt=2024-03-09"); nullopt when `relative` is anything else, including impossible dates.
std::optional<CivilDate> ParsePartitionPath(PartitionLayout layout, std::string_view relative);

// A glob, relative to the table directory, matching every data file of the layout:
// "*/*/*/*.parquet" or "dt=*/*.parquet". Useful for DuckDB's read_parquet().
const char* PartitionGlob(PartitionLayout layout);

}  // namespace loglake::lake
