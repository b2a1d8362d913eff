// Table definitions: what a table's records look like and how its files are laid out.
//
// A table, like a Glue table, declares typed columns, the time column that places each record in
// a day partition (the record's own time, so a record and its duplicates land in the same day),
// an optional dedup key, the partition layout and the columns that get bloom filters. JSON keys
// that are not columns are kept, as one JSON object string, in the `extra` column (its name can be
// changed with extra_column): nothing the application logged is lost.
//
// `columns` is the physical schema of every Parquet file of the table, in order; the extra column
// is always its last entry. Definitions come from AccessLogTable() (built in), from a TOML schema
// file (LoadTableDef, format in docs/tables.md) or from code; ValidateTableDef() checks any of them.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/column.h"
#include "common/status.h"
#include "json/record_parser.h"
#include "lake/partition.h"

namespace loglake::lake {

inline constexpr const char kDefaultExtraColumn[] = "extra";
// Parquet key-value metadata keys written into every data file.
inline constexpr const char kSchemaMetadataKey[] = "loglake.schema";    // TableDefToToml() text
inline constexpr const char kVersionMetadataKey[] = "loglake.version";  // the writer's version

struct TableDef {
  std::string name;
  std::vector<Field> columns;  // ends with the extra column
  std::string time_column;     // a kTimestamp column
  std::string dedup_key;       // empty: the table has no dedup key
  PartitionLayout layout = PartitionLayout::kDatePath;
  std::vector<std::string> bloom_columns;
  std::string extra_column = kDefaultExtraColumn;

  // Index of the column named `name` in `columns`, or -1.
  int ColumnIndex(std::string_view column) const;
};

// The built-in `access_log` table of DESIGN.md.
TableDef AccessLogTable();

// Table names: 1..128 characters of [a-z0-9_], not starting with '_' (names starting with '_' or
// '.' are hidden from readers). Column names: 1..128 characters of [A-Za-z0-9_], not starting with
// a digit; names must be unique ignoring case, because Athena, Hive and Trino fold case.
bool IsValidTableName(std::string_view name);
bool IsValidColumnName(std::string_view name);

// Checks every rule above plus: the time column exists and is a timestamp; the dedup key, if any,
// is a string/int32/int64/timestamp column; bloom columns exist, are not bool and are listed
// once; the extra column is the last column and a string. The message names the offending key.
Status ValidateTableDef(const TableDef& def);

// Reads a TOML schema file (see docs/tables.md). Errors name the file, the line and the key.
Result<TableDef> LoadTableDef(const std::string& path);
// Same, from text; `origin` names the source in error messages.
Result<TableDef> ParseTableDef(std::string_view toml_text, const std::string& origin);
// The definition as schema-file TOML text; ParseTableDef(TableDefToToml(d)) gives d back.
std::string TableDefToToml(const TableDef& def);

// `access_log` without a schema file gives AccessLogTable(); with a schema file, the file's
// table, whose name must equal `name` when `name` is not empty. Any other name without a schema
// file is InvalidArgument telling the user to pass one.
Result<TableDef> ResolveTableDef(const std::string& name, const std::string& schema_path);

// The record parser's view of the table: every column, the time column, the extra column.
json::RecordLayout LayoutFor(const TableDef& def);

// <lake>/<table>: where a table's files, `_errors/` and partitions are.
std::string TableDirectory(const std::string& lake_dir, std::string_view table);

// Parquet key-value metadata for the table's files: kSchemaMetadataKey and kVersionMetadataKey.
std::vector<std::pair<std::string, std::string>> FileMetadataFor(const TableDef& def);

}  // namespace loglake::lake
