#include "lake/table.h"

#include <toml++/toml.h>

#include <cctype>
#include <cstdio>
#include <optional>

#include "common/ascii.h"
#include "common/file.h"

namespace loglake::lake {
namespace {

constexpr size_t kMaxNameLength = 128;
constexpr uint64_t kMaxSchemaFileBytes = 1 << 20;
constexpr const char kTypeList[] = "string, int32, int64, double, bool, timestamp";

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// Where ValidateTableDef found a problem, so that LoadTableDef can point at the line:
// a top-level key, or (when column >= 0) an entry of `columns`.
struct Issue {
  std::string key;
  int column = -1;
};

Status Invalid(Issue* where, std::string key, int column, std::string message) {
  if (where != nullptr) *where = Issue{key, column};
  return Status::InvalidArgument(std::move(message));
}

Status Validate(const TableDef& def, Issue* where) {
  if (def.name.empty()) return Invalid(where, "name", -1, "name: the table has no name");
  if (!IsValidTableName(def.name)) {
    return Invalid(
        where, "name", -1,
        "name: " + Quoted(def.name) +
            " is not a valid table name (use 1-128 characters of a-z, 0-9 and _, not starting with _)");
  }
  if (def.columns.size() < 2) {
    return Invalid(where, "columns", -1, "columns: the table declares no columns");
  }
  for (size_t i = 0; i < def.columns.size(); ++i) {
    const Field& f = def.columns[i];
    const int ci = static_cast<int>(i);
    const std::string key = "columns[" + std::to_string(i) + "].name";
    if (!IsValidColumnName(f.name)) {
      return Invalid(where, key, ci,
                     key + ": " + Quoted(f.name) +
                         " is not a valid column name (use 1-128 characters of A-Z, a-z, 0-9 and _, not "
                         "starting with a digit)");
    }
    for (size_t j = 0; j < i; ++j) {
      if (AsciiLowered(def.columns[j].name) == AsciiLowered(f.name)) {
        if (i + 1 == def.columns.size() && f.name == def.extra_column) {
          // The clash is with the implied extra column: point at the user's column.
          const std::string user_key = "columns[" + std::to_string(j) + "].name";
          return Invalid(where, user_key, static_cast<int>(j),
                         user_key + ": " + Quoted(def.columns[j].name) +
                             " is the name of the column that keeps unknown JSON keys; rename this column "
                             "or set extra_column to another name");
        }
        return Invalid(where, key, ci,
                       key + ": column " + Quoted(f.name) +
                           " is declared twice (names are compared ignoring case, as Athena and Trino do)");
      }
    }
  }
  const Field& last = def.columns.back();
  if (last.name != def.extra_column || last.type != ColumnType::kString) {
    return Invalid(where, "extra_column", -1,
                   "extra_column: the last column must be the string column " + Quoted(def.extra_column) +
                       " that keeps unknown JSON keys");
  }
  if (def.time_column.empty()) return Invalid(where, "time_column", -1, "time_column: missing");
  int t = def.ColumnIndex(def.time_column);
  if (t < 0 || def.time_column == def.extra_column) {
    return Invalid(where, "time_column", -1,
                   "time_column: " + Quoted(def.time_column) + " is not a declared column");
  }
  if (def.columns[static_cast<size_t>(t)].type != ColumnType::kTimestamp) {
    return Invalid(where, "time_column", -1,
                   "time_column: column " + Quoted(def.time_column) + " has type " +
                       ColumnTypeName(def.columns[static_cast<size_t>(t)].type) + "; it must be a timestamp");
  }
  if (!def.dedup_key.empty()) {
    int d = def.ColumnIndex(def.dedup_key);
    if (d < 0 || def.dedup_key == def.extra_column) {
      return Invalid(where, "dedup_key", -1,
                     "dedup_key: " + Quoted(def.dedup_key) + " is not a declared column");
    }
    ColumnType type = def.columns[static_cast<size_t>(d)].type;
    if (type == ColumnType::kDouble || type == ColumnType::kBool) {
      return Invalid(where, "dedup_key", -1,
                     "dedup_key: column " + Quoted(def.dedup_key) + " has type " + ColumnTypeName(type) +
                         "; a dedup key must be a string, int32, int64 or timestamp column");
    }
  }
  for (size_t i = 0; i < def.bloom_columns.size(); ++i) {
    const std::string& b = def.bloom_columns[i];
    int c = def.ColumnIndex(b);
    if (c < 0) {
      return Invalid(where, "bloom_columns", -1, "bloom_columns: " + Quoted(b) + " is not a declared column");
    }
    if (def.columns[static_cast<size_t>(c)].type == ColumnType::kBool) {
      return Invalid(where, "bloom_columns", -1,
                     "bloom_columns: " + Quoted(b) + " is a bool column; a bloom filter cannot help there");
    }
    for (size_t j = 0; j < i; ++j) {
      if (def.bloom_columns[j] == b) {
        return Invalid(where, "bloom_columns", -1, "bloom_columns: " + Quoted(b) + " is listed twice");
      }
    }
  }
  return Status::OK();
}

// TOML basic string with the escapes TOML requires.
std::string TomlString(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += '"';
  return out;
}

// ---- TOML reading ---------------------------------------------------------------------------

class TomlReader {
 public:
  explicit TomlReader(const std::string& origin) : origin_(origin) {}

  Status Error(const toml::node& node, const std::string& message) const {
    return Error(node.source().begin.line, message);
  }
  Status Error(uint32_t line, const std::string& message) const {
    if (line == 0) return Status::InvalidArgument(origin_ + ": " + message);
    return Status::InvalidArgument(origin_ + ":" + std::to_string(line) + ": " + message);
  }

  Result<std::string> String(const toml::node& node, const std::string& key) const {
    const toml::value<std::string>* v = node.as_string();
    if (v == nullptr) return Error(node, key + ": expected a string in double quotes");
    return v->get();
  }

  Result<std::vector<std::string>> StringList(const toml::node& node, const std::string& key) const {
    const toml::array* arr = node.as_array();
    if (arr == nullptr) return Error(node, key + ": expected a list of strings, like [\"a\", \"b\"]");
    std::vector<std::string> out;
    for (size_t i = 0; i < arr->size(); ++i) {
      ASSIGN_OR_RETURN(std::string s, String(*arr->get(i), key + "[" + std::to_string(i) + "]"));
      out.push_back(std::move(s));
    }
    return out;
  }

  Result<Field> ColumnField(const toml::node& node, size_t index) const {
    const std::string where = "columns[" + std::to_string(index) + "]";
    const toml::table* t = node.as_table();
    if (t == nullptr) {
      return Error(node, where + ": expected a table like { name = \"uuid\", type = \"string\" }");
    }
    Field field;
    bool has_name = false;
    bool has_type = false;
    for (auto&& [k, v] : *t) {
      const std::string key = std::string(k.str());
      if (key == "name") {
        ASSIGN_OR_RETURN(field.name, String(v, where + ".name"));
        has_name = true;
      } else if (key == "type") {
        ASSIGN_OR_RETURN(std::string type, String(v, where + ".type"));
        std::optional<ColumnType> parsed = ParseColumnType(type);
        if (!parsed) {
          return Error(v, where + ".type: unknown type " + Quoted(type) + "; use one of " + kTypeList);
        }
        field.type = *parsed;
        has_type = true;
      } else if (key == "nullable") {
        const toml::value<bool>* b = v.as_boolean();
        if (b == nullptr) return Error(v, where + ".nullable: expected true or false");
        field.nullable = b->get();
      } else {
        return Error(k.source().begin.line,
                     where + ": unknown key " + Quoted(key) + " (a column has name, type and nullable)");
      }
    }
    if (!has_name) return Error(node, where + ": missing key 'name'");
    if (!has_type) return Error(node, where + ": missing key 'type' (one of " + kTypeList + ")");
    return field;
  }

 private:
  const std::string& origin_;
};

uint32_t LineOf(const toml::table& root, const Issue& issue) {
  const toml::node* node = root.get(issue.key.substr(0, issue.key.find('[')));
  if (issue.column >= 0) {
    const toml::array* columns = root.get_as<toml::array>("columns");
    if (columns != nullptr && static_cast<size_t>(issue.column) < columns->size()) {
      node = columns->get(static_cast<size_t>(issue.column));
      if (const toml::table* t = node->as_table(); t != nullptr && t->get("name") != nullptr) {
        node = t->get("name");
      }
    }
  }
  return node == nullptr ? 0 : node->source().begin.line;
}

}  // namespace

int TableDef::ColumnIndex(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  return -1;
}

TableDef AccessLogTable() {
  TableDef def;
  def.name = "access_log";
  def.columns = {
      {"uuid", ColumnType::kString},        {"time", ColumnType::kTimestamp, false},
      {"tenant_id", ColumnType::kString},   {"user_id", ColumnType::kString},
      {"method", ColumnType::kString},      {"path", ColumnType::kString},
      {"query", ColumnType::kString},       {"status", ColumnType::kInt32},
      {"duration_ms", ColumnType::kDouble}, {"bytes_sent", ColumnType::kInt64},
      {"remote_ip", ColumnType::kString},   {"user_agent", ColumnType::kString},
      {"request_id", ColumnType::kString},  {kDefaultExtraColumn, ColumnType::kString},
  };
  def.time_column = "time";
  def.dedup_key = "uuid";
  def.layout = PartitionLayout::kDatePath;
  def.bloom_columns = {"uuid", "user_id", "request_id"};
  return def;
}

bool IsValidTableName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength || name[0] == '_') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool IsValidColumnName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

Status ValidateTableDef(const TableDef& def) { return Validate(def, nullptr); }

Result<TableDef> ParseTableDef(std::string_view toml_text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(origin + ":" + std::to_string(e.source().begin.line) + ": " +
                                   std::string(e.description()));
  }
  TomlReader reader(origin);
  TableDef def;
  bool has_columns = false;
  bool has_bloom = false;
  for (auto&& [k, v] : root) {
    const std::string key = std::string(k.str());
    if (key == "name") {
      ASSIGN_OR_RETURN(def.name, reader.String(v, key));
    } else if (key == "time_column") {
      ASSIGN_OR_RETURN(def.time_column, reader.String(v, key));
    } else if (key == "dedup_key") {
      ASSIGN_OR_RETURN(def.dedup_key, reader.String(v, key));
    } else if (key == "extra_column") {
      ASSIGN_OR_RETURN(def.extra_column, reader.String(v, key));
    } else if (key == "partition") {
      ASSIGN_OR_RETURN(std::string layout, reader.String(v, key));
      std::optional<PartitionLayout> parsed = ParsePartitionLayout(layout);
      if (!parsed) {
        return reader.Error(v, "partition: unknown layout " + Quoted(layout) +
                                   "; use \"yyyy/MM/dd\" (default) or \"dt=YYYY-MM-DD\" (Hive style)");
      }
      def.layout = *parsed;
    } else if (key == "bloom_columns") {
      ASSIGN_OR_RETURN(def.bloom_columns, reader.StringList(v, key));
      has_bloom = true;
    } else if (key == "columns") {
      const toml::array* arr = v.as_array();
      if (arr == nullptr) {
        return reader.Error(v,
                            "columns: expected [[columns]] tables or a list of { name = ..., type = ... }");
      }
      for (size_t i = 0; i < arr->size(); ++i) {
        ASSIGN_OR_RETURN(Field field, reader.ColumnField(*arr->get(i), i));
        def.columns.push_back(std::move(field));
      }
      has_columns = true;
    } else {
      return reader.Error(
          k.source().begin.line,
          "unknown key " + Quoted(key) +
              " (known keys: name, columns, time_column, dedup_key, partition, bloom_columns, "
              "extra_column)");
    }
  }
  if (def.name.empty()) return reader.Error(0, "missing key 'name' (the table name)");
  if (!has_columns || def.columns.empty()) {
    return reader.Error(0, "no columns declared; add [[columns]] tables with name and type");
  }
  if (def.time_column.empty()) {
    return reader.Error(0, "missing key 'time_column' (the timestamp column that picks each record's day)");
  }
  if (!IsValidColumnName(def.extra_column)) {
    return reader.Error(root.get("extra_column")->source().begin.line,
                        "extra_column: " + Quoted(def.extra_column) + " is not a valid column name");
  }
  if (!has_bloom && !def.dedup_key.empty()) def.bloom_columns = {def.dedup_key};
  // Every record has a time (the parser rejects those without), so its column is required.
  for (Field& f : def.columns) {
    if (f.name == def.time_column) f.nullable = false;
  }
  def.columns.push_back(Field{def.extra_column, ColumnType::kString, true});
  Issue issue;
  Status st = Validate(def, &issue);
  if (!st.ok()) return reader.Error(LineOf(root, issue), st.message());
  return def;
}

Result<TableDef> LoadTableDef(const std::string& path) {
  Result<std::shared_ptr<RandomAccessFile>> file = RandomAccessFile::Open(path);
  if (!file.ok()) return file.status().WithContext("cannot read schema file");
  if ((*file)->size() > kMaxSchemaFileBytes) {
    return Status::InvalidArgument(path + ": a schema file is at most 1 MiB; is this the right file?");
  }
  std::string text;
  Status st = (*file)->ReadAt(0, (*file)->size(), &text);
  if (!st.ok()) return st.WithContext("cannot read schema file");
  return ParseTableDef(text, path);
}

std::string TableDefToToml(const TableDef& def) {
  std::string out = "# loglake table definition\n";
  out += "name = " + TomlString(def.name) + "\n";
  out += "time_column = " + TomlString(def.time_column) + "\n";
  if (!def.dedup_key.empty()) out += "dedup_key = " + TomlString(def.dedup_key) + "\n";
  out += "partition = " + TomlString(PartitionLayoutName(def.layout)) + "\n";
  out += "bloom_columns = [";
  for (size_t i = 0; i < def.bloom_columns.size(); ++i) {
    if (i > 0) out += ", ";
    out += TomlString(def.bloom_columns[i]);
  }
  out += "]\n";
  out += "extra_column = " + TomlString(def.extra_column) + "\n";
  // The extra column is implied by extra_column; every other column is listed in order.
  size_t n = def.columns.size();
  if (n > 0 && def.columns.back().name == def.extra_column) --n;
  for (size_t i = 0; i < n; ++i) {
    const Field& f = def.columns[i];
    out += "\n[[columns]]\nname = " + TomlString(f.name) + "\ntype = " + TomlString(ColumnTypeName(f.type)) +
           "\n";
    if (!f.nullable && f.name != def.time_column) out += "nullable = false\n";
  }
  return out;
}

Result<TableDef> ResolveTableDef(const std::string& name, const std::string& schema_path) {
  if (schema_path.empty()) {
    if (name == "access_log") return AccessLogTable();
    if (name.empty()) return Status::InvalidArgument("no table given: pass --table NAME (and --schema FILE)");
    return Status::InvalidArgument("table " + Quoted(name) +
                                   " has no built-in definition; pass --schema FILE (see docs/tables.md)");
  }
  ASSIGN_OR_RETURN(TableDef def, LoadTableDef(schema_path));
  if (!name.empty() && def.name != name) {
    return Status::InvalidArgument("--table " + name + " does not match the table " + Quoted(def.name) +
                                   " defined in " + schema_path);
  }
  return def;
}

json::RecordLayout LayoutFor(const TableDef& def) {
  json::RecordLayout layout;
  layout.fields = def.columns;
  layout.time_field = def.ColumnIndex(def.time_column);
  layout.extra_field = def.ColumnIndex(def.extra_column);
  return layout;
}

std::vector<std::pair<std::string, std::string>> FileMetadataFor(const TableDef& def) {
  return {{kSchemaMetadataKey, TableDefToToml(def)}, {kVersionMetadataKey, LOGLAKE_VERSION}};
}

std::string TableDirectory(const std::string& lake_dir, std::string_view table) {
  return lake_dir + "/" + std::string(table);
}

}  // namespace loglake::lake
