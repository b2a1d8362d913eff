// CREATE TABLE statements that let Athena or Trino query a loglake table in object storage.
//
// The lake directory is meant to be copied (or written) to `location`, so a table's files live at
// <location>/<table>/<partition>/*.parquet. The statement declares the table's columns, a string
// partition column over the day folders and partition projection, so that the engine derives the
// folders of the days a query asks for instead of listing the bucket or keeping a partition list:
//   yyyy/MM/dd     column `datepath`, projection format 'yyyy/MM/dd', values like '2024/03/09'
//   dt=YYYY-MM-DD  column `dt`, projection format 'yyyy-MM-dd', values like '2024-03-09'
// Athena: CREATE EXTERNAL TABLE ... PARTITIONED BY ... STORED AS PARQUET ... TBLPROPERTIES
// ('projection.*', 'storage.location.template'). Trino (Hive connector): CREATE TABLE ... WITH
// (external_location, format = 'PARQUET', partitioned_by, partition_projection_*), which Trino
// honours when its catalog sets hive.partition-projection-enabled=true; the output says so, and
// how to register partitions without projection.
#pragma once

#include <string>

#include "common/status.h"
#include "lake/table.h"

namespace loglake::lake {

enum class DdlDialect { kAthena, kTrino };

struct DdlOptions {
  DdlDialect dialect = DdlDialect::kAthena;
  // Root of the lake in object storage, e.g. "s3://bucket/prefix" (no quotes, spaces or '$').
  std::string location;
  // Optional qualifier: "db" for Athena, "catalog.schema" or "schema" for Trino.
  std::string database;
  // First day of the projection range, "YYYY-MM-DD"; empty means one year before today.
  std::string from_date;
  // Name of the partition column; empty means "datepath" (yyyy/MM/dd) or "dt" (Hive layout).
  std::string partition_column;
};

// "athena" or "trino".
Result<DdlDialect> ParseDdlDialect(const std::string& name);

// The statement, ending with ";\n", preceded by SQL comments explaining how to use it.
// InvalidArgument when the location or a name cannot be written safely into SQL, when from_date
// is not a date, or when a column clashes with the partition column.
Result<std::string> CreateTableDdl(const TableDef& def, const DdlOptions& options);

}  // namespace loglake::lake
