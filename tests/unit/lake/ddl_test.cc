#include "lake/ddl.h"

#include <gtest/gtest.h>

namespace loglake::lake {
namespace {

std::string Ddl(const TableDef& def, DdlOptions options) {
  Result<std::string> r = CreateTableDdl(def, options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : "";
}

// The statement without its leading comment lines.
std::string Statement(const std::string& ddl) {
  std::string out;
  size_t pos = 0;
  while (pos < ddl.size()) {
    size_t end = ddl.find('\n', pos);
    std::string line = ddl.substr(pos, end - pos + 1);
    if (line.rfind("--", 0) != 0) out += line;
    pos = end + 1;
  }
  return out;
}

TEST(DdlTest, AthenaAccessLogWithProjection) {
  DdlOptions options;
  options.location = "s3://my-bucket/lake/";
  EXPECT_EQ(Statement(Ddl(AccessLogTable(), options)),
            "CREATE EXTERNAL TABLE IF NOT EXISTS `access_log` (\n"
            "  `uuid` string,\n"
            "  `time` timestamp,\n"
            "  `tenant_id` string,\n"
            "  `user_id` string,\n"
            "  `method` string,\n"
            "  `path` string,\n"
            "  `query` string,\n"
            "  `status` int,\n"
            "  `duration_ms` double,\n"
            "  `bytes_sent` bigint,\n"
            "  `remote_ip` string,\n"
            "  `user_agent` string,\n"
            "  `request_id` string,\n"
            "  `extra` string\n"
            ")\n"
            "PARTITIONED BY (`datepath` string)\n"
            "STORED AS PARQUET\n"
            "LOCATION 's3://my-bucket/lake/access_log/'\n"
            "TBLPROPERTIES (\n"
            "  'projection.enabled'='true',\n"
            "  'projection.datepath.type'='date',\n"
            "  'projection.datepath.format'='yyyy/MM/dd',\n"
            "  'projection.datepath.range'='NOW-1YEARS,NOW',\n"
            "  'projection.datepath.interval'='1',\n"
            "  'projection.datepath.interval.unit'='DAYS',\n"
            "  'storage.location.template'='s3://my-bucket/lake/access_log/${datepath}/'\n"
            ");\n");
}

TEST(DdlTest, TrinoAccessLogWithProjection) {
  DdlOptions options;
  options.dialect = DdlDialect::kTrino;
  options.location = "s3://my-bucket/lake";
  options.database = "hive.logs";
  options.from_date = "2024-01-31";
  std::string ddl = Ddl(AccessLogTable(), options);
  EXPECT_NE(ddl.find("hive.partition-projection-enabled=true"), std::string::npos);
  EXPECT_NE(ddl.find("CALL hive.system.register_partition('logs', 'access_log', ARRAY['datepath'], "
                     "ARRAY['2024/03/09'], 's3://my-bucket/lake/access_log/2024/03/09/')"),
            std::string::npos);
  EXPECT_EQ(Statement(ddl),
            "CREATE TABLE IF NOT EXISTS hive.logs.access_log (\n"
            "  \"uuid\" varchar,\n"
            "  \"time\" timestamp(3),\n"
            "  \"tenant_id\" varchar,\n"
            "  \"user_id\" varchar,\n"
            "  \"method\" varchar,\n"
            "  \"path\" varchar,\n"
            "  \"query\" varchar,\n"
            "  \"status\" integer,\n"
            "  \"duration_ms\" double,\n"
            "  \"bytes_sent\" bigint,\n"
            "  \"remote_ip\" varchar,\n"
            "  \"user_agent\" varchar,\n"
            "  \"request_id\" varchar,\n"
            "  \"extra\" varchar,\n"
            "  \"datepath\" varchar WITH (\n"
            "    partition_projection_type = 'DATE',\n"
            "    partition_projection_format = 'yyyy/MM/dd',\n"
            "    partition_projection_range = ARRAY['2024/01/31', 'NOW'],\n"
            "    partition_projection_interval = 1,\n"
            "    partition_projection_interval_unit = 'DAYS'\n"
            "  )\n"
            ")\n"
            "WITH (\n"
            "  external_location = 's3://my-bucket/lake/access_log/',\n"
            "  format = 'PARQUET',\n"
            "  partitioned_by = ARRAY['datepath'],\n"
            "  partition_projection_enabled = true,\n"
            "  partition_projection_location_template = 's3://my-bucket/lake/access_log/${datepath}/'\n"
            ");\n");
}

TableDef HiveTable() {
  TableDef def;
  def.name = "events";
  def.columns = {{"id", ColumnType::kInt64},
                 {"ts", ColumnType::kTimestamp},
                 {"ok", ColumnType::kBool},
                 {"extra", ColumnType::kString}};
  def.time_column = "ts";
  def.layout = PartitionLayout::kHiveDate;
  return def;
}

TEST(DdlTest, HiveLayoutUsesDt) {
  DdlOptions options;
  options.location = "s3://b/p";
  options.from_date = "2023-12-01";
  std::string athena_full = Ddl(HiveTable(), options);
  EXPECT_NE(athena_full.find("WHERE dt BETWEEN '2024-03-01' AND '2024-03-07'"), std::string::npos);
  std::string athena = Statement(athena_full);
  EXPECT_NE(athena.find("  `id` bigint,\n  `ts` timestamp,\n  `ok` boolean,\n"), std::string::npos);
  EXPECT_NE(athena.find("PARTITIONED BY (`dt` string)"), std::string::npos);
  EXPECT_NE(athena.find("'projection.dt.format'='yyyy-MM-dd'"), std::string::npos);
  EXPECT_NE(athena.find("'projection.dt.range'='2023-12-01,NOW'"), std::string::npos);
  EXPECT_NE(athena.find("'storage.location.template'='s3://b/p/events/dt=${dt}/'"), std::string::npos);

  options.dialect = DdlDialect::kTrino;
  options.from_date = "";
  std::string trino = Ddl(HiveTable(), options);
  EXPECT_NE(trino.find("CALL system.sync_partition_metadata('<schema>', 'events', 'ADD')"),
            std::string::npos);
  options.database = "logs";
  EXPECT_NE(Ddl(HiveTable(), options).find("CALL system.sync_partition_metadata('logs', 'events', 'ADD')"),
            std::string::npos);
  EXPECT_NE(trino.find("partition_projection_range = ARRAY['NOW-365DAYS', 'NOW']"), std::string::npos);
  EXPECT_NE(trino.find("partition_projection_location_template = 's3://b/p/events/dt=${dt}/'"),
            std::string::npos);
  EXPECT_NE(trino.find("\"ok\" boolean,"), std::string::npos);
}

TEST(DdlTest, RejectsWhatCannotBeWrittenSafely) {
  DdlOptions options;
  for (const char* bad : {"", "bucket/prefix", "s3://", "s3://b/it's", "s3://b/a b", "s3://b/${x}", "://b"}) {
    options.location = bad;
    EXPECT_EQ(CreateTableDdl(AccessLogTable(), options).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  options.location = "s3://b";
  options.from_date = "2024-02-30";
  EXPECT_NE(CreateTableDdl(AccessLogTable(), options).status().message().find("--from"), std::string::npos);
  options.from_date = "";
  options.database = "db;drop";
  EXPECT_NE(CreateTableDdl(AccessLogTable(), options).status().message().find("--database"),
            std::string::npos);
  options.database = "";
  TableDef def = AccessLogTable();
  def.columns.insert(def.columns.begin(), Field{"DatePath", ColumnType::kString});
  EXPECT_NE(CreateTableDdl(def, options).status().message().find("--partition-column"), std::string::npos);
  options.partition_column = "day";
  EXPECT_TRUE(CreateTableDdl(def, options).ok());
  EXPECT_EQ(ParseDdlDialect("Trino").value(), DdlDialect::kTrino);
  EXPECT_FALSE(ParseDdlDialect("spark").ok());
}

}  // namespace
}  // namespace loglake::lake
