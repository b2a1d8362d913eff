#include "server/config.h"

#include <toml++/toml.h>

#include <set>

#include "lake/table.h"
#include "parquet/compression.h"

namespace loglake::server {
namespace {

Status KeyError(const std::string& origin, const toml::node& node, const std::string& message) {
  return Status::InvalidArgument(origin + ":" + std::to_string(node.source().begin.line) + ": " + message);
}

// Reads key `key` of `table` into *out when present, with a type check.
template <typename T>
Status Read(const std::string& origin, const toml::table& table, const char* key, T* out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return Status::OK();
  if constexpr (std::is_same_v<T, std::string>) {
    if (!node->is_string()) return KeyError(origin, *node, std::string(key) + ": expected a string in double quotes");
    *out = node->as_string()->get();
  } else if constexpr (std::is_integral_v<T>) {
    if (!node->is_integer() || node->as_integer()->get() < 0) {
      return KeyError(origin, *node, std::string(key) + ": expected a non-negative integer");
    }
    *out = static_cast<T>(node->as_integer()->get());
  }
  return Status::OK();
}

Status CheckKeys(const std::string& origin, const toml::table& table, const std::set<std::string>& known,
                 const std::string& where) {
  for (const auto& [key, node] : table) {
    if (!known.count(std::string(key.str()))) {
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
      return KeyError(origin, node, "unknown setting '" + std::string(key.str()) + "'" + where + " (known: " + list + ")");
    }
  }
  return Status::OK();
}

}  // namespace

ServeConfig DefaultServeConfig() {
  ServeConfig config;
  config.ingest.lake_dir = "./data";
  config.ingest.wal_dir = "./data/_wal";
  config.tables.push_back(ingest::TableIngestOptions{lake::AccessLogTable(), ingest::StreamOptions{}});
  return config;
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

Status ParseListenAddress(const std::string& text, ServerOptions* options) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) {
    return Status::InvalidArgument("listen address '" + text + "' must be host:port, e.g. 127.0.0.1:8080");
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) return Status::InvalidArgument("listen address '" + text + "': bad port");
    port = port * 10 + (c - '0');
  }
  if (port > 65535) return Status::InvalidArgument("listen address '" + text + "': port out of range");
  options->host = host.empty() ? "0.0.0.0" : host;
  options->port = port;
  return Status::OK();
}

Result<ServeConfig> LoadServeConfig(const std::string& path) {
  ServeConfig config = DefaultServeConfig();
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(path + ":" + std::to_string(e.source().begin.line) + ": " +
                                   std::string(e.description()));
  }
  RETURN_IF_ERROR(CheckKeys(path, root,
                            {"lake", "wal", "listen", "threads", "max_request_bytes", "max_body_bytes",
                             "max_record_bytes", "wal_max_bytes", "wal_segment_bytes", "codec",
                             "shutdown_grace_seconds", "tables", "tokens"},
                            ""));
  RETURN_IF_ERROR(Read(path, root, "lake", &config.ingest.lake_dir));
  config.ingest.wal_dir = config.ingest.lake_dir + "/_wal";
  RETURN_IF_ERROR(Read(path, root, "wal", &config.ingest.wal_dir));
  std::string listen;
  RETURN_IF_ERROR(Read(path, root, "listen", &listen));
  if (!listen.empty()) RETURN_IF_ERROR(ParseListenAddress(listen, &config.server).WithContext(path));
  RETURN_IF_ERROR(Read(path, root, "threads", &config.server.threads));
  RETURN_IF_ERROR(Read(path, root, "max_request_bytes", &config.server.max_request_bytes));
  RETURN_IF_ERROR(Read(path, root, "max_body_bytes", &config.ingest.max_body_bytes));
  RETURN_IF_ERROR(Read(path, root, "max_record_bytes", &config.ingest.max_record_bytes));
  RETURN_IF_ERROR(Read(path, root, "wal_max_bytes", &config.ingest.wal_max_bytes));
  RETURN_IF_ERROR(Read(path, root, "wal_segment_bytes", &config.ingest.wal_segment_bytes));
  RETURN_IF_ERROR(Read(path, root, "shutdown_grace_seconds", &config.shutdown_grace_seconds));
  std::string codec;
  RETURN_IF_ERROR(Read(path, root, "codec", &codec));
  if (!codec.empty()) {
    Result<parquet::Codec> parsed = parquet::ParseCodecName(codec);
    if (!parsed.ok()) return parsed.status().WithContext(path);
    config.ingest.converter.codec = *parsed;
  }

  if (const toml::node* tables = root.get("tables")) {
    const toml::array* list = tables->as_array();
    if (list == nullptr) return KeyError(path, *tables, "tables: expected [[tables]] entries");
    config.tables.clear();
    for (const toml::node& entry : *list) {
      const toml::table* t = entry.as_table();
      if (t == nullptr) return KeyError(path, entry, "tables: each entry is a table with a name");
      RETURN_IF_ERROR(CheckKeys(path, *t, {"name", "schema", "buffer_mib", "buffer_seconds"}, " in [[tables]]"));
      std::string name, schema;
      uint64_t buffer_mib = 64, buffer_seconds = 60;
      RETURN_IF_ERROR(Read(path, *t, "name", &name));
      RETURN_IF_ERROR(Read(path, *t, "schema", &schema));
      RETURN_IF_ERROR(Read(path, *t, "buffer_mib", &buffer_mib));
      RETURN_IF_ERROR(Read(path, *t, "buffer_seconds", &buffer_seconds));
      if (name.empty()) return KeyError(path, entry, "tables: every table needs a name");
      if (buffer_mib == 0 || buffer_seconds == 0) return KeyError(path, entry, "buffer_mib and buffer_seconds must be positive");
      ASSIGN_OR_RETURN(lake::TableDef def, lake::ResolveTableDef(name, schema));
      ingest::StreamOptions stream;
      stream.buffer_bytes = buffer_mib << 20;
      stream.buffer_interval_micros = static_cast<int64_t>(buffer_seconds) * 1'000'000;
      config.tables.push_back(ingest::TableIngestOptions{std::move(def), stream});
    }
  }

  if (const toml::node* tokens = root.get("tokens")) {
    const toml::array* list = tokens->as_array();
    if (list == nullptr) return KeyError(path, *tokens, "tokens: expected [[tokens]] entries");
    for (const toml::node& entry : *list) {
      const toml::table* t = entry.as_table();
      if (t == nullptr) return KeyError(path, entry, "tokens: each entry is a table with token and scopes");
      RETURN_IF_ERROR(CheckKeys(path, *t, {"token", "scopes"}, " in [[tokens]]"));
      Token token;
      RETURN_IF_ERROR(Read(path, *t, "token", &token.token));
      if (token.token.size() < 16) return KeyError(path, entry, "token: at least 16 characters");
      if (const toml::node* scopes = t->get("scopes")) {
        const toml::array* s = scopes->as_array();
        if (s == nullptr) return KeyError(path, *scopes, "scopes: expected a list like [\"ingest\", \"query\"]");
        for (const toml::node& scope : *s) {
          if (!scope.is_string()) return KeyError(path, scope, "scopes: expected strings");
          const std::string name = scope.as_string()->get();
          if (name != "ingest" && name != "query" && name != "admin") {
            return KeyError(path, scope, "scope '" + name + "' is not one of ingest, query, admin");
          }
          token.scopes.push_back(name);
        }
      }
      config.tokens.push_back(std::move(token));
    }
  }
  return config;
}

Status ValidateServeConfig(const ServeConfig& config) {
  if (config.tables.empty()) return Status::InvalidArgument("no tables to serve");
  if (config.ingest.max_body_bytes == 0 || config.ingest.max_record_bytes == 0 || config.server.max_request_bytes == 0) {
    return Status::InvalidArgument("max_body_bytes, max_record_bytes and max_request_bytes must be positive");
  }
  if (config.tokens.empty() && !IsLoopbackHost(config.server.host)) {
    return Status::InvalidArgument("refusing to listen on " + config.server.host +
                                   " without tokens: anyone on the network could write and read the logs. "
                                   "Add [[tokens]] to the config file, or listen on 127.0.0.1");
  }
  return Status::OK();
}

}  // namespace loglake::server
