// `loglake ddl`: prints the CREATE TABLE statement for Athena or Trino over a lake in S3.
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "lake/ddl.h"
#include "lake/table.h"

namespace loglake::cli {
namespace {

struct DdlFlags {
  std::string table;
  std::string schema;
  std::string location;
  std::string dialect = "athena";
  std::string database;
  std::string from;
  std::string partition_column;
};

int RunDdl(const DdlFlags& flags) {
  Result<lake::TableDef> def = lake::ResolveTableDef(flags.table, flags.schema);
  if (!def.ok()) {
    std::cerr << "loglake ddl: " << def.status().message() << "\n";
    return 2;
  }
  Result<lake::DdlDialect> dialect = lake::ParseDdlDialect(flags.dialect);
  if (!dialect.ok()) {
    std::cerr << "loglake ddl: " << dialect.status().message() << "\n";
    return 2;
  }
  lake::DdlOptions options;
  options.dialect = *dialect;
  options.location = flags.location;
  options.database = flags.database;
  options.from_date = flags.from;
  options.partition_column = flags.partition_column;
  Result<std::string> ddl = lake::CreateTableDdl(*def, options);
  if (!ddl.ok()) {
    std::cerr << "loglake ddl: " << ddl.status().message() << "\n";
    return 2;
  }
  std::cout << *ddl;
  std::cout.flush();
  return std::cout.good() ? 0 : 1;
}

}  // namespace

void RegisterDdl(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "ddl", "Print the Athena or Trino CREATE TABLE statement (with partition projection) for a table");
  cmd->footer(
      "The lake directory is expected under --location, so a table's files are at\n"
      "<location>/<table>/yyyy/MM/dd/*.parquet (or dt=YYYY-MM-DD/ for Hive-layout tables).\n"
      "Example: loglake ddl --table access_log --location s3://my-bucket/lake\n");
  auto flags = std::make_shared<DdlFlags>();
  cmd->add_option("--table", flags->table, "Table name; access_log is built in, other tables need --schema")
      ->required();
  cmd->add_option("--schema", flags->schema, "TOML schema file defining the table (see docs/tables.md)");
  cmd->add_option("--location", flags->location,
                  "URL of the lake root in object storage, e.g. s3://bucket/prefix; the table is "
                  "<location>/<table>/")
      ->required();
  cmd->add_option("--dialect", flags->dialect,
                  "athena: CREATE EXTERNAL TABLE with TBLPROPERTIES projection.*; trino: Hive connector "
                  "CREATE TABLE with partition_projection_* properties")
      ->capture_default_str();
  cmd->add_option("--database", flags->database,
                  "Qualify the table name: database for Athena, catalog.schema or schema for Trino");
  cmd->add_option("--from", flags->from,
                  "First day (YYYY-MM-DD) of the projected partition range; default: one year before now "
                  "(NOW-1YEARS for Athena, NOW-365DAYS for Trino)");
  cmd->add_option(
      "--partition-column", flags->partition_column,
      "Name of the partition column (default: datepath for yyyy/MM/dd tables, dt for Hive layout)");
  cmd->callback([flags, exit_code]() { *exit_code = RunDdl(*flags); });
}

}  // namespace loglake::cli
