#include "lake/ddl.h"

#include <cctype>

#include "common/ascii.h"
#include "common/time.h"

namespace loglake::lake {
namespace {

const char* AthenaType(ColumnType type) {
  switch (type) {
    case ColumnType::kString: return "string";
    case ColumnType::kInt32: return "int";
    case ColumnType::kInt64: return "bigint";
    case ColumnType::kDouble: return "double";
    case ColumnType::kBool: return "boolean";
    case ColumnType::kTimestamp: return "timestamp";
  }
  return "string";
}

const char* TrinoType(ColumnType type) {
  switch (type) {
    case ColumnType::kString: return "varchar";
    case ColumnType::kInt32: return "integer";
    case ColumnType::kInt64: return "bigint";
    case ColumnType::kDouble: return "double";
    case ColumnType::kBool: return "boolean";
    // The Hive connector creates timestamp columns at its configured precision, milliseconds by
    // default (hive.timestamp-precision); the files hold microseconds.
    case ColumnType::kTimestamp: return "timestamp(3)";
  }
  return "varchar";
}

bool IsLocationSafe(const std::string& location) {
  size_t scheme = location.find("://");
  if (scheme == std::string::npos || scheme == 0 || scheme + 3 >= location.size()) return false;
  for (size_t i = 0; i < scheme; ++i) {
    if (!std::isalnum(static_cast<unsigned char>(location[i]))) return false;
  }
  for (char c : location) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '\'' || c == '"' || c == '\\' || c == '$' || c == '`' || c == ';') {
      return false;
    }
  }
  return true;
}

bool IsQualifierSafe(const std::string& q) {
  if (q.empty() || q.front() == '.' || q.back() == '.' || q.find("..") != std::string::npos) return false;
  for (char c : q) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return false;
  }
  return true;
}

struct Projection {
  std::string column;     // partition column name
  std::string format;     // Java date pattern of the folder value
  std::string template_;  // storage location template
  std::string from;       // lower bound of the range, formatted, or a NOW expression
};

Result<Projection> MakeProjection(const TableDef& def, const DdlOptions& options,
                                  const std::string& table_location) {
  const bool hive = def.layout == PartitionLayout::kHiveDate;
  Projection p;
  p.column = options.partition_column.empty() ? (hive ? "dt" : "datepath") : options.partition_column;
  if (!IsValidColumnName(p.column)) {
    return Status::InvalidArgument("--partition-column: '" + p.column + "' is not a valid column name");
  }
  for (const Field& f : def.columns) {
    if (AsciiLowered(f.name) == AsciiLowered(p.column)) {
      return Status::InvalidArgument("table " + def.name + " has a column named '" + f.name +
                                     "', which clashes with the partition column; choose another name with "
                                     "--partition-column");
    }
  }
  p.format = hive ? "yyyy-MM-dd" : "yyyy/MM/dd";
  p.template_ = table_location + (hive ? "dt=${" + p.column + "}/" : "${" + p.column + "}/");
  if (!options.from_date.empty()) {
    Result<CivilDate> date = ParseDate(options.from_date);
    if (!date.ok() || !IsPartitionableDate(*date)) {
      return Status::InvalidArgument("--from: '" + options.from_date + "' is not a date like 2024-01-31");
    }
    std::string path = PartitionPath(def.layout, *date);
    p.from = hive ? path.substr(3) : path;
  } else {
    // Athena accepts any NOW-relative unit; Trino only DAYS, HOURS, MINUTES and SECONDS.
    p.from = options.dialect == DdlDialect::kTrino ? "NOW-365DAYS" : "NOW-1YEARS";
  }
  return p;
}

// A partition folder of the layout, and the value of the partition column for it.
std::string ExampleFolder(const TableDef& def, int day) {
  return PartitionPath(def.layout, CivilDate{2024, 3, day});
}
std::string ExampleValue(const TableDef& def, int day) {
  std::string folder = ExampleFolder(def, day);
  return def.layout == PartitionLayout::kHiveDate ? folder.substr(3) : folder;
}

std::string Athena(const TableDef& def, const DdlOptions& options, const std::string& table_location,
                   const Projection& p) {
  const std::string name =
      options.database.empty() ? "`" + def.name + "`" : "`" + options.database + "`.`" + def.name + "`";
  std::string out;
  out += "-- Athena table over the loglake table '" + def.name + "' at " + table_location + "\n";
  out += "-- Files: " + table_location + ExampleFolder(def, 9) + "/*.parquet, one folder per UTC day of '" +
         def.time_column + "'.\n";
  out +=
      "-- Partition projection derives the day folders from the query; no crawler or MSCK REPAIR needed.\n";
  out += "-- Filter on " + p.column + " to read only some days, e.g. WHERE " + p.column + " BETWEEN '" +
         ExampleValue(def, 1) + "' AND '" + ExampleValue(def, 7) + "'.\n";
  out += "-- Widen projection.range (or run `loglake ddl --from`) to reach days before " + p.from + ".\n";
  out += "CREATE EXTERNAL TABLE IF NOT EXISTS " + name + " (\n";
  for (size_t i = 0; i < def.columns.size(); ++i) {
    const Field& f = def.columns[i];
    out += "  `" + f.name + "` " + AthenaType(f.type) + (i + 1 < def.columns.size() ? ",\n" : "\n");
  }
  out += ")\n";
  out += "PARTITIONED BY (`" + p.column + "` string)\n";
  out += "STORED AS PARQUET\n";
  out += "LOCATION '" + table_location + "'\n";
  out += "TBLPROPERTIES (\n";
  out += "  'projection.enabled'='true',\n";
  out += "  'projection." + p.column + ".type'='date',\n";
  out += "  'projection." + p.column + ".format'='" + p.format + "',\n";
  out += "  'projection." + p.column + ".range'='" + p.from + ",NOW',\n";
  out += "  'projection." + p.column + ".interval'='1',\n";
  out += "  'projection." + p.column + ".interval.unit'='DAYS',\n";
  out += "  'storage.location.template'='" + p.template_ + "'\n";
  out += ");\n";
  return out;
}

std::string Trino(const TableDef& def, const DdlOptions& options, const std::string& table_location,
                  const Projection& p) {
  // --database is "catalog.schema" or "schema"; the procedures take the schema name alone.
  const size_t dot = options.database.rfind('.');
  const std::string schema = options.database.empty()   ? "<schema>"
                             : dot == std::string::npos ? options.database
                                                        : options.database.substr(dot + 1);
  const std::string system =
      dot == std::string::npos ? "system" : options.database.substr(0, dot) + ".system";
  const std::string name = options.database.empty() ? def.name : options.database + "." + def.name;
  const std::string example_value = ExampleValue(def, 9);
  std::string out;
  out +=
      "-- Trino (Hive connector) table over the loglake table '" + def.name + "' at " + table_location + "\n";
  out += "-- Files: " + table_location + ExampleFolder(def, 9) + "/*.parquet, one folder per UTC day of '" +
         def.time_column + "'.\n";
  out += "-- Partition projection is an Athena feature; Trino's Hive connector reads the same properties\n";
  out +=
      "-- (partition_projection_*) only when the catalog file sets hive.partition-projection-enabled=true.\n";
  out += "-- Without it, remove the partition_projection_* properties and register days yourself:\n";
  if (def.layout == PartitionLayout::kHiveDate) {
    out += "--   CALL " + system + ".sync_partition_metadata('" + schema + "', '" + def.name + "', 'ADD');\n";
  } else {
    out += "--   CALL " + system + ".register_partition('" + schema + "', '" + def.name + "', ARRAY['" +
           p.column + "'], ARRAY['" + example_value + "'], '" + table_location + example_value + "/');\n";
    out += "--   (needs hive.allow-register-partition-procedure=true)\n";
  }
  out +=
      "-- Timestamps are declared timestamp(3), the connector's default precision "
      "(hive.timestamp-precision);\n";
  out += "-- with MICROSECONDS configured, declare them timestamp(6).\n";
  out += "CREATE TABLE IF NOT EXISTS " + name + " (\n";
  for (const Field& f : def.columns) {
    out += "  \"" + f.name + "\" " + TrinoType(f.type) + ",\n";
  }
  out += "  \"" + p.column + "\" varchar WITH (\n";
  out += "    partition_projection_type = 'DATE',\n";
  out += "    partition_projection_format = '" + p.format + "',\n";
  out += "    partition_projection_range = ARRAY['" + p.from + "', 'NOW'],\n";
  out += "    partition_projection_interval = 1,\n";
  out += "    partition_projection_interval_unit = 'DAYS'\n";
  out += "  )\n";
  out += ")\n";
  out += "WITH (\n";
  out += "  external_location = '" + table_location + "',\n";
  out += "  format = 'PARQUET',\n";
  out += "  partitioned_by = ARRAY['" + p.column + "'],\n";
  out += "  partition_projection_enabled = true,\n";
  out += "  partition_projection_location_template = '" + p.template_ + "'\n";
  out += ");\n";
  return out;
}

}  // namespace

Result<DdlDialect> ParseDdlDialect(const std::string& name) {
  std::string n = AsciiLowered(name);
  if (n == "athena") return DdlDialect::kAthena;
  if (n == "trino") return DdlDialect::kTrino;
  return Status::InvalidArgument("--dialect: unknown dialect '" + name + "'; use athena or trino");
}

Result<std::string> CreateTableDdl(const TableDef& def, const DdlOptions& options) {
  RETURN_IF_ERROR(ValidateTableDef(def));
  std::string root = options.location;
  while (!root.empty() && root.back() == '/') root.pop_back();
  if (!IsLocationSafe(root)) {
    return Status::InvalidArgument("--location: '" + options.location +
                                   "' is not a URL like s3://bucket/prefix (no spaces, quotes, '$' or ';')");
  }
  if (!options.database.empty() && !IsQualifierSafe(options.database)) {
    return Status::InvalidArgument("--database: '" + options.database +
                                   "' must be made of letters, digits, '_' and '.' separators");
  }
  const std::string table_location = root + "/" + def.name + "/";
  ASSIGN_OR_RETURN(Projection p, MakeProjection(def, options, table_location));
  return options.dialect == DdlDialect::kTrino ? Trino(def, options, table_location, p)
                                               : Athena(def, options, table_location, p);
}

}  // namespace loglake::lake
