#include "query/execution/table_source.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "common/time.h"
#include "lake/file_naming.h"
#include "lake/partition.h"
#include "parquet/reader.h"

namespace loglake::query {
namespace {

namespace fs = std::filesystem;

bool IsDirectory(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

// Names of the visible entries of `dir` (directories when `dirs`, else regular files).
Result<std::vector<std::string>> ListNames(const std::string& dir, bool dirs) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return Status::IOError(dir + ": cannot list the directory: " + ec.message());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return Status::IOError(dir + ": cannot list the directory: " + ec.message());
    const std::string name = it->path().filename().string();
    if (lake::IsHiddenName(name)) continue;
    std::error_code type_ec;
    const bool is_dir = it->is_directory(type_ec);
    const bool is_file = it->is_regular_file(type_ec);
    if (dirs ? is_dir : is_file) names.push_back(name);
  }
  if (ec) return Status::IOError(dir + ": cannot list the directory: " + ec.message());
  std::sort(names.begin(), names.end());
  return names;
}

bool IsDigits(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool Overlaps(const DaySet& wanted, int64_t first, int64_t last) {
  return !wanted.Intersect(DaySet::Range(first, last)).empty();
}

Result<std::string> FindAnyDataFile(const std::string& dir) {
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec);
  if (ec) return Status::IOError(dir + ": cannot list the directory: " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Status::IOError(dir + ": cannot list the directory: " + ec.message());
    const std::string name = it->path().filename().string();
    if (lake::IsHiddenName(name)) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && name.size() > 8 && name.ends_with(".parquet")) return it->path().string();
  }
  return Status::NotFound("no data file");
}

}  // namespace

Result<lake::TableDef> ResolveQueryTable(const std::string& lake_dir, std::string_view name,
                                         const std::string& schema_path) {
  if (!lake::IsValidTableName(name)) {
    return Status::NotFound("table '" + std::string(name) + "' does not exist (table names are [a-z0-9_])");
  }
  const std::string dir = TableDirectory(lake_dir, name);
  if (!IsDirectory(dir)) {
    return Status::NotFound("table '" + std::string(name) + "' does not exist: no directory " + dir);
  }
  if (name == "access_log" || !schema_path.empty()) return lake::ResolveTableDef(std::string(name), schema_path);
  Result<std::string> file = FindAnyDataFile(dir);
  if (!file.ok()) {
    if (file.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("table '" + std::string(name) + "' has no data files to read its schema from; pass "
                              "its schema file");
    }
    return file.status();
  }
  ASSIGN_OR_RETURN(std::shared_ptr<RandomAccessFile> f, RandomAccessFile::Open(*file));
  ASSIGN_OR_RETURN(std::unique_ptr<parquet::FileReader> reader, parquet::FileReader::Open(f));
  const auto& kv = reader->metadata().key_value_metadata;
  if (kv) {
    for (const parquet::KeyValue& entry : *kv) {
      if (entry.key == lake::kSchemaMetadataKey && entry.value) {
        ASSIGN_OR_RETURN(lake::TableDef def, lake::ParseTableDef(*entry.value, *file + " (" +
                                                                                   lake::kSchemaMetadataKey + ")"));
        def.name = std::string(name);
        return def;
      }
    }
  }
  return Status::NotFound(*file + ": has no '" + std::string(lake::kSchemaMetadataKey) +
                          "' metadata; pass the schema file of table '" + std::string(name) + "'");
}

Result<DayListing> ListDays(const std::string& table_dir, lake::PartitionLayout layout, const DaySet& wanted) {
  DayListing out;
  if (wanted.empty()) return out;
  if (wanted.Count() <= kProbeDayLimit) {
    for (const DayInterval& iv : wanted.intervals()) {
      for (int64_t d = iv.first; d <= iv.last; ++d) {
        ++out.directories_read;
        if (IsDirectory(table_dir + "/" + lake::PartitionPath(layout, CivilFromDays(d)))) out.days.push_back(d);
      }
    }
    return out;
  }
  out.walked = true;
  if (layout == lake::PartitionLayout::kHiveDate) {
    ++out.directories_read;
    ASSIGN_OR_RETURN(std::vector<std::string> names, ListNames(table_dir, true));
    for (const std::string& n : names) {
      std::optional<CivilDate> date = lake::ParsePartitionPath(layout, n);
      if (!date) continue;
      const int64_t d = DaysFromCivil(date->year, date->month, date->day);
      if (wanted.Contains(d)) out.days.push_back(d);
    }
    std::sort(out.days.begin(), out.days.end());
    return out;
  }
  ++out.directories_read;
  ASSIGN_OR_RETURN(std::vector<std::string> years, ListNames(table_dir, true));
  for (const std::string& y : years) {
    if (!IsDigits(y, 4)) continue;
    const int year = ToInt(y);
    if (!Overlaps(wanted, DaysFromCivil(year, 1, 1), DaysFromCivil(year, 12, 31))) continue;
    ++out.directories_read;
    ASSIGN_OR_RETURN(std::vector<std::string> months, ListNames(table_dir + "/" + y, true));
    for (const std::string& m : months) {
      if (!IsDigits(m, 2)) continue;
      const int month = ToInt(m);
      if (month < 1 || month > 12) continue;
      if (!Overlaps(wanted, DaysFromCivil(year, month, 1), DaysFromCivil(year, month, DaysInMonth(year, month)))) {
        continue;
      }
      ++out.directories_read;
      ASSIGN_OR_RETURN(std::vector<std::string> days, ListNames(table_dir + "/" + y + "/" + m, true));
      for (const std::string& dd : days) {
        std::optional<CivilDate> date = lake::ParsePartitionPath(layout, y + "/" + m + "/" + dd);
        if (!date) continue;
        const int64_t d = DaysFromCivil(date->year, date->month, date->day);
        if (wanted.Contains(d)) out.days.push_back(d);
      }
    }
  }
  return out;
}

Result<std::vector<std::string>> ListDayFiles(const std::string& table_dir, lake::PartitionLayout layout,
                                              int64_t day) {
  const std::string dir = table_dir + "/" + lake::PartitionPath(layout, CivilFromDays(day));
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListNames(dir, false));
  std::vector<std::string> paths;
  for (const std::string& n : names) {
    if (n.size() > 8 && n.ends_with(".parquet")) paths.push_back(dir + "/" + n);
  }
  return paths;
}

}  // namespace loglake::query
