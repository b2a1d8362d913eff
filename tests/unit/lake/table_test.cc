#include "lake/table.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/file.h"
#include "test_util.h"

namespace loglake::lake {
namespace {

std::string ExamplePath(const std::string& name) {
  return (std::filesystem::path(__FILE__).parent_path() / "../../../examples" / name)
      .lexically_normal()
      .string();
}

// A minimal valid schema file, with `extra` lines spliced in after the header.
std::string Schema(const std::string& extra_top = "", const std::string& extra_columns = "") {
  return "name = \"events\"\n"
         "time_column = \"ts\"\n" +
         extra_top +
         "[[columns]]\n"
         "name = \"id\"\n"
         "type = \"string\"\n"
         "[[columns]]\n"
         "name = \"ts\"\n"
         "type = \"timestamp\"\n" +
         extra_columns;
}

Status ParseError(const std::string& text) {
  Result<TableDef> r = ParseTableDef(text, "s.toml");
  return r.ok() ? Status::OK() : r.status();
}

TEST(TableTest, AccessLogMatchesTheDesign) {
  TableDef def = AccessLogTable();
  ASSERT_TRUE(ValidateTableDef(def).ok()) << ValidateTableDef(def).ToString();
  EXPECT_EQ(def.name, "access_log");
  std::vector<std::pair<std::string, ColumnType>> want = {
      {"uuid", ColumnType::kString},        {"time", ColumnType::kTimestamp},
      {"tenant_id", ColumnType::kString},   {"user_id", ColumnType::kString},
      {"method", ColumnType::kString},      {"path", ColumnType::kString},
      {"query", ColumnType::kString},       {"status", ColumnType::kInt32},
      {"duration_ms", ColumnType::kDouble}, {"bytes_sent", ColumnType::kInt64},
      {"remote_ip", ColumnType::kString},   {"user_agent", ColumnType::kString},
      {"request_id", ColumnType::kString},  {"extra", ColumnType::kString}};
  ASSERT_EQ(def.columns.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(def.columns[i].name, want[i].first);
    EXPECT_EQ(def.columns[i].type, want[i].second) << want[i].first;
  }
  EXPECT_EQ(def.time_column, "time");
  EXPECT_EQ(def.dedup_key, "uuid");
  EXPECT_EQ(def.layout, PartitionLayout::kDatePath);
  EXPECT_EQ(def.bloom_columns, (std::vector<std::string>{"uuid", "user_id", "request_id"}));

  json::RecordLayout layout = LayoutFor(def);
  EXPECT_EQ(layout.fields.size(), def.columns.size());
  EXPECT_EQ(layout.time_field, 1);
  EXPECT_EQ(layout.extra_field, 13);
}

TEST(TableTest, ExampleFilesLoad) {
  Result<TableDef> access = LoadTableDef(ExamplePath("access_log.toml"));
  ASSERT_TRUE(access.ok()) << access.status().ToString();
  TableDef builtin = AccessLogTable();
  EXPECT_EQ(TableDefToToml(*access), TableDefToToml(builtin));

  Result<TableDef> checkout = LoadTableDef(ExamplePath("checkout_events.toml"));
  ASSERT_TRUE(checkout.ok()) << checkout.status().ToString();
  EXPECT_EQ(checkout->name, "checkout_events");
  EXPECT_EQ(checkout->layout, PartitionLayout::kHiveDate);
  EXPECT_EQ(checkout->extra_column, "other_fields");
  EXPECT_EQ(checkout->columns.back().name, "other_fields");
  EXPECT_EQ(checkout->columns.size(), 10u);
  EXPECT_FALSE(checkout->columns[1].nullable);  // the time column is always required
  EXPECT_FALSE(checkout->columns[0].nullable);  // nullable = false in the file
  EXPECT_TRUE(checkout->columns[2].nullable);
  EXPECT_EQ(checkout->columns[7].type, ColumnType::kBool);
}

TEST(TableTest, TomlRoundTrips) {
  for (TableDef def :
       {AccessLogTable(), *LoadTableDef(ExamplePath("checkout_events.toml")),
        *ParseTableDef(Schema("dedup_key = \"id\"\npartition = \"dt=YYYY-MM-DD\"\n"), "s.toml")}) {
    Result<TableDef> back = ParseTableDef(TableDefToToml(def), "round-trip");
    ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << TableDefToToml(def);
    EXPECT_EQ(back->name, def.name);
    EXPECT_EQ(back->time_column, def.time_column);
    EXPECT_EQ(back->dedup_key, def.dedup_key);
    EXPECT_EQ(back->layout, def.layout);
    EXPECT_EQ(back->bloom_columns, def.bloom_columns);
    EXPECT_EQ(back->extra_column, def.extra_column);
    ASSERT_EQ(back->columns.size(), def.columns.size());
    for (size_t i = 0; i < def.columns.size(); ++i) {
      EXPECT_EQ(back->columns[i].name, def.columns[i].name);
      EXPECT_EQ(back->columns[i].type, def.columns[i].type);
      EXPECT_EQ(back->columns[i].nullable, def.columns[i].nullable);
    }
  }
}

TEST(TableTest, DefaultsForAUserTable) {
  Result<TableDef> def = ParseTableDef(Schema("dedup_key = \"id\"\n"), "s.toml");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->layout, PartitionLayout::kDatePath);
  EXPECT_EQ(def->bloom_columns, std::vector<std::string>{"id"});  // the dedup key by default
  ASSERT_EQ(def->columns.size(), 3u);
  EXPECT_TRUE(def->columns[0].nullable);
  EXPECT_FALSE(def->columns[1].nullable);  // the time column is required
  EXPECT_EQ(def->columns[2].name, "extra");
  EXPECT_EQ(def->columns[2].type, ColumnType::kString);

  Result<TableDef> no_bloom = ParseTableDef(Schema("dedup_key = \"id\"\nbloom_columns = []\n"), "s.toml");
  ASSERT_TRUE(no_bloom.ok());
  EXPECT_TRUE(no_bloom->bloom_columns.empty());
}

// Each bad schema must fail with a message naming the file, the line and the key.
TEST(TableTest, BadSchemasNameTheLineAndKey) {
  struct Case {
    std::string text;
    std::string want;  // substring of the message
  };
  const std::vector<Case> cases = {
      {"name = \"events\"\ntime_column = \n", "s.toml:2:"},  // TOML syntax error
      {Schema("", "[[columns]]\nname = \"n\"\ntype = \"integr\"\n"),
       "s.toml:11: columns[2].type: unknown type 'integr'"},
      {Schema("", "[[columns]]\nname = \"n\"\n"), "s.toml:9: columns[2]: missing key 'type'"},
      {Schema("", "[[columns]]\nname = \"id\"\ntype = \"int64\"\n"),
       "s.toml:10: columns[2].name: column 'id' is declared twice"},
      {Schema("", "[[columns]]\nname = \"ID\"\ntype = \"int64\"\n"), "declared twice"},
      {Schema("", "[[columns]]\nname = \"extra\"\ntype = \"string\"\n"),
       "s.toml:10: columns[2].name: 'extra' is the name"},
      {Schema("", "[[columns]]\nname = \"bad-name\"\ntype = \"string\"\n"),
       "s.toml:10: columns[2].name: 'bad-name' is not"},
      {Schema("", "[[columns]]\nname = \"n\"\ntype = \"string\"\nsize = 3\n"),
       "s.toml:12: columns[2]: unknown key 'size'"},
      {Schema("dedup_key = \"nope\"\n"), "s.toml:3: dedup_key: 'nope' is not a declared column"},
      {Schema("partition = \"yyyy-MM-dd\"\n"), "s.toml:3: partition: unknown layout 'yyyy-MM-dd'"},
      {Schema("bloom_columns = [\"id\", \"zz\"]\n"),
       "s.toml:3: bloom_columns: 'zz' is not a declared column"},
      {Schema("bloom_columns = \"id\"\n"), "s.toml:3: bloom_columns: expected a list of strings"},
      {Schema("tiem_column = \"ts\"\n"), "s.toml:3: unknown key 'tiem_column'"},
      {Schema("extra_column = \"id\"\n"), "'id' is the name of the column that keeps unknown JSON keys"},
      {Schema("nullable = 3\n"), "s.toml:3: unknown key 'nullable'"},
      {"name = \"Events\"\ntime_column = \"ts\"\ncolumns = [{name = \"ts\", type = \"timestamp\"}]\n",
       "s.toml:1: name: 'Events' is not a valid table name"},
      {"name = \"_hidden\"\ntime_column = \"ts\"\ncolumns = [{name = \"ts\", type = \"timestamp\"}]\n",
       "s.toml:1: name: '_hidden' is not a valid table name"},
      {"name = \"e\"\ntime_column = \"id\"\ncolumns = [{name = \"id\", type = \"string\"}]\n",
       "s.toml:2: time_column: column 'id' has type string; it must be a timestamp"},
      {"name = \"e\"\ntime_column = \"ts\"\ncolumns = [{name = \"id\", type = \"string\"}]\n",
       "s.toml:2: time_column: 'ts' is not a declared column"},
      {"name = \"e\"\ncolumns = [{name = \"ts\", type = \"timestamp\"}]\n",
       "s.toml: missing key 'time_column'"},
      {"time_column = \"ts\"\ncolumns = [{name = \"ts\", type = \"timestamp\"}]\n",
       "s.toml: missing key 'name'"},
      {"name = \"e\"\ntime_column = \"ts\"\n", "s.toml: no columns declared"},
      {"name = \"e\"\ntime_column = \"ts\"\ncolumns = [{name = \"ts\", type = \"timestamp\", nullable = "
       "\"no\"}]\n",
       "s.toml:3: columns[0].nullable: expected true or false"},
      {"name = \"e\"\ntime_column = \"ts\"\ndedup_key = \"d\"\n"
       "columns = [{name = \"ts\", type = \"timestamp\"}, {name = \"d\", type = \"double\"}]\n",
       "s.toml:3: dedup_key: column 'd' has type double"},
      {"name = 5\n", "s.toml:1: name: expected a string"},
  };
  for (const Case& c : cases) {
    Status st = ParseError(c.text);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << c.text;
    EXPECT_NE(st.message().find(c.want), std::string::npos)
        << "got: " << st.message() << "\nwant: " << c.want;
  }
}

TEST(TableTest, ValidateCatchesHandBuiltMistakes) {
  TableDef def = AccessLogTable();
  def.columns.pop_back();  // no extra column
  EXPECT_NE(ValidateTableDef(def).message().find("extra_column"), std::string::npos);
  def = AccessLogTable();
  def.bloom_columns.push_back("uuid");
  EXPECT_NE(ValidateTableDef(def).message().find("listed twice"), std::string::npos);
  def = AccessLogTable();
  def.name = "";
  EXPECT_FALSE(ValidateTableDef(def).ok());
}

TEST(TableTest, NameRules) {
  EXPECT_TRUE(IsValidTableName("access_log"));
  EXPECT_TRUE(IsValidTableName("t2"));
  EXPECT_TRUE(IsValidTableName("2t"));
  EXPECT_FALSE(IsValidTableName("_t"));
  EXPECT_FALSE(IsValidTableName("T"));
  EXPECT_FALSE(IsValidTableName("a.b"));
  EXPECT_FALSE(IsValidTableName("a/b"));
  EXPECT_FALSE(IsValidTableName(""));
  EXPECT_FALSE(IsValidTableName(std::string(129, 'a')));
  EXPECT_TRUE(IsValidColumnName("userId"));
  EXPECT_TRUE(IsValidColumnName("_x"));
  EXPECT_FALSE(IsValidColumnName("1x"));
  EXPECT_FALSE(IsValidColumnName("a b"));
}

TEST(TableTest, ResolveUsesTheBuiltInOrTheSchemaFile) {
  Result<TableDef> builtin = ResolveTableDef("access_log", "");
  ASSERT_TRUE(builtin.ok());
  EXPECT_EQ(builtin->columns.size(), 14u);
  Result<TableDef> unknown = ResolveTableDef("events", "");
  EXPECT_NE(unknown.status().message().find("--schema"), std::string::npos);

  std::string dir = testing_util::FreshTempDir("table_resolve");
  ASSERT_TRUE(WriteFileAtomically(dir + "/s.toml", Schema()).ok());
  Result<TableDef> from_file = ResolveTableDef("events", dir + "/s.toml");
  ASSERT_TRUE(from_file.ok()) << from_file.status().ToString();
  EXPECT_EQ(from_file->name, "events");
  Result<TableDef> mismatch = ResolveTableDef("other", dir + "/s.toml");
  EXPECT_NE(mismatch.status().message().find("does not match"), std::string::npos);
  Result<TableDef> missing = ResolveTableDef("events", dir + "/nope.toml");
  EXPECT_NE(missing.status().message().find("nope.toml"), std::string::npos);
}

TEST(TableTest, FileMetadataCarriesSchemaAndVersion) {
  TableDef def = AccessLogTable();
  auto kv = FileMetadataFor(def);
  ASSERT_EQ(kv.size(), 2u);
  EXPECT_EQ(kv[0].first, "loglake.schema");
  Result<TableDef> back = ParseTableDef(kv[0].second, "metadata");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->columns.size(), def.columns.size());
  EXPECT_EQ(kv[1].first, "loglake.version");
  EXPECT_EQ(kv[1].second, LOGLAKE_VERSION);
}

}  // namespace
}  // namespace loglake::lake
