#include "server/config.h"

#include <set>

#include "common/toml_settings.h"
#include "lake/table.h"
#include "parquet/compression.h"

namespace loglake::server {

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
  ASSIGN_OR_RETURN(toml::table root, ParseTomlFile(path));
  RETURN_IF_ERROR(CheckSettingKeys(path, root,
                            {"lake", "wal", "listen", "threads", "max_request_bytes", "max_body_bytes",
                             "max_record_bytes", "wal_max_bytes", "wal_segment_bytes", "codec", "min_compression_saving",
                             "shutdown_grace_seconds", "tables", "tokens", "query"},
                            ""));
  RETURN_IF_ERROR(ReadSetting(path, root, "lake", &config.ingest.lake_dir));
  config.ingest.wal_dir = config.ingest.lake_dir + "/_wal";
  RETURN_IF_ERROR(ReadSetting(path, root, "wal", &config.ingest.wal_dir));
  std::string listen;
  RETURN_IF_ERROR(ReadSetting(path, root, "listen", &listen));
  if (!listen.empty()) RETURN_IF_ERROR(ParseListenAddress(listen, &config.server).WithContext(path));
  RETURN_IF_ERROR(ReadSetting(path, root, "threads", &config.server.threads));
  RETURN_IF_ERROR(ReadSetting(path, root, "max_request_bytes", &config.server.max_request_bytes));
  RETURN_IF_ERROR(ReadSetting(path, root, "max_body_bytes", &config.ingest.max_body_bytes));
  RETURN_IF_ERROR(ReadSetting(path, root, "max_record_bytes", &config.ingest.max_record_bytes));
  RETURN_IF_ERROR(ReadSetting(path, root, "wal_max_bytes", &config.ingest.wal_max_bytes));
  RETURN_IF_ERROR(ReadSetting(path, root, "wal_segment_bytes", &config.ingest.wal_segment_bytes));
  RETURN_IF_ERROR(ReadSetting(path, root, "shutdown_grace_seconds", &config.shutdown_grace_seconds));
  std::string codec;
  RETURN_IF_ERROR(ReadSetting(path, root, "codec", &codec));
  if (!codec.empty()) {
    Result<parquet::Codec> parsed = parquet::ParseCodecName(codec);
    if (!parsed.ok()) return parsed.status().WithContext(path);
    config.ingest.converter.codec = *parsed;
  }
  double& min_saving = config.ingest.converter.min_compression_saving;
  RETURN_IF_ERROR(ReadSetting(path, root, "min_compression_saving", &min_saving));
  if (min_saving > 1) return SettingError(path, *root.get("min_compression_saving"), "min_compression_saving: a fraction from 0 to 1");

  if (const toml::node* tables = root.get("tables")) {
    const toml::array* list = tables->as_array();
    if (list == nullptr) return SettingError(path, *tables, "tables: expected [[tables]] entries");
    config.tables.clear();
    for (const toml::node& entry : *list) {
      const toml::table* t = entry.as_table();
      if (t == nullptr) return SettingError(path, entry, "tables: each entry is a table with a name");
      RETURN_IF_ERROR(CheckSettingKeys(path, *t, {"name", "schema", "buffer_mib", "buffer_seconds"}, " in [[tables]]"));
      std::string name, schema;
      uint64_t buffer_mib = 64, buffer_seconds = 60;
      RETURN_IF_ERROR(ReadSetting(path, *t, "name", &name));
      RETURN_IF_ERROR(ReadSetting(path, *t, "schema", &schema));
      RETURN_IF_ERROR(ReadSetting(path, *t, "buffer_mib", &buffer_mib));
      RETURN_IF_ERROR(ReadSetting(path, *t, "buffer_seconds", &buffer_seconds));
      if (name.empty()) return SettingError(path, entry, "tables: every table needs a name");
      if (buffer_mib == 0 || buffer_seconds == 0) return SettingError(path, entry, "buffer_mib and buffer_seconds must be positive");
      ASSIGN_OR_RETURN(lake::TableDef def, lake::ResolveTableDef(name, schema));
      ingest::StreamOptions stream;
      stream.buffer_bytes = buffer_mib << 20;
      stream.buffer_interval_micros = static_cast<int64_t>(buffer_seconds) * 1'000'000;
      config.tables.push_back(ingest::TableIngestOptions{std::move(def), stream});
    }
  }

  if (const toml::node* tokens = root.get("tokens")) {
    const toml::array* list = tokens->as_array();
    if (list == nullptr) return SettingError(path, *tokens, "tokens: expected [[tokens]] entries");
    std::set<std::string> token_names, secrets;
    for (const toml::node& entry : *list) {
      const toml::table* t = entry.as_table();
      if (t == nullptr) return SettingError(path, entry, "tokens: each entry is a table with token and scopes");
      RETURN_IF_ERROR(CheckSettingKeys(path, *t, {"token", "scopes", "name", "tenants"}, " in [[tokens]]"));
      Token token;
      RETURN_IF_ERROR(ReadSetting(path, *t, "token", &token.token));
      RETURN_IF_ERROR(ReadSetting(path, *t, "name", &token.name));
      if (const toml::node* tenants = t->get("tenants")) {
        const toml::array* names = tenants->as_array();
        if (names == nullptr || names->empty()) {
          return SettingError(path, *tenants, "tenants: expected a non-empty list like [\"t1\", \"t2\"] (leave it out for all tenants)");
        }
        for (const toml::node& tenant : *names) {
          if (!tenant.is_string()) return SettingError(path, tenant, "tenants: expected strings");
          token.tenants.push_back(tenant.as_string()->get());
        }
      }
      if (token.token.size() < 16) return SettingError(path, entry, "token: at least 16 characters");
      if (!secrets.insert(token.token).second) return SettingError(path, entry, "token: the same secret is given twice");
      if (!token.name.empty() && !token_names.insert(token.name).second) {
        return SettingError(path, entry, "name '" + token.name + "' is given to two tokens; names tell callers apart in the audit log");
      }
      if (const toml::node* scopes = t->get("scopes")) {
        const toml::array* s = scopes->as_array();
        if (s == nullptr) return SettingError(path, *scopes, "scopes: expected a list like [\"ingest\", \"query\"]");
        for (const toml::node& scope : *s) {
          if (!scope.is_string()) return SettingError(path, scope, "scopes: expected strings");
          const std::string name = scope.as_string()->get();
          if (name != "ingest" && name != "query" && name != "admin") {
            return SettingError(path, scope, "scope '" + name + "' is not one of ingest, query, admin");
          }
          token.scopes.push_back(name);
        }
      }
      config.tokens.push_back(std::move(token));
    }
  }
  if (const toml::node* query = root.get("query")) {
    const toml::table* q = query->as_table();
    if (q == nullptr) return SettingError(path, *query, "query: expected a [query] section");
    RETURN_IF_ERROR(CheckSettingKeys(path, *q,
                              {"max_concurrent", "max_queued", "result_ttl_seconds", "max_kept_results", "timeout_seconds",
                               "max_bytes_scanned", "max_range_days", "max_result_rows", "max_memory_bytes",
                               "threads", "audit_log", "audit_unauthenticated_per_minute"},
                              " in [query]"));
    QuerySettings& s = config.query;
    RETURN_IF_ERROR(ReadSetting(path, *q, "max_concurrent", &s.max_concurrent));
    RETURN_IF_ERROR(ReadSetting(path, *q, "max_queued", &s.max_queued));
    RETURN_IF_ERROR(ReadSetting(path, *q, "result_ttl_seconds", &s.result_ttl_seconds));
    RETURN_IF_ERROR(ReadSetting(path, *q, "max_kept_results", &s.max_kept_results));
    RETURN_IF_ERROR(ReadSetting(path, *q, "timeout_seconds", &s.timeout_seconds));
    RETURN_IF_ERROR(ReadSetting(path, *q, "max_bytes_scanned", &s.max_bytes_scanned));
    RETURN_IF_ERROR(ReadSetting(path, *q, "max_range_days", &s.max_range_days));
    RETURN_IF_ERROR(ReadSetting(path, *q, "max_result_rows", &s.max_result_rows));
    RETURN_IF_ERROR(ReadSetting(path, *q, "max_memory_bytes", &s.max_memory_bytes));
    RETURN_IF_ERROR(ReadSetting(path, *q, "threads", &s.threads));
    RETURN_IF_ERROR(ReadSetting(path, *q, "audit_log", &s.audit_log));
    RETURN_IF_ERROR(ReadSetting(path, *q, "audit_unauthenticated_per_minute", &s.audit_unauthenticated_per_minute));
  }
  return config;
}

Status ValidateServeConfig(const ServeConfig& config) {
  if (config.tables.empty()) return Status::InvalidArgument("no tables to serve");
  if (config.ingest.max_body_bytes == 0 || config.ingest.max_record_bytes == 0 || config.server.max_request_bytes == 0) {
    return Status::InvalidArgument("max_body_bytes, max_record_bytes and max_request_bytes must be positive");
  }
  if (config.query.max_concurrent <= 0 || config.query.max_concurrent > 256 || config.query.result_ttl_seconds <= 0) {
    return Status::InvalidArgument("[query] max_concurrent must be 1 to 256 and result_ttl_seconds positive");
  }
  if (config.tokens.empty() && !IsLoopbackHost(config.server.host)) {
    return Status::InvalidArgument("refusing to listen on " + config.server.host +
                                   " without tokens: anyone on the network could write and read the logs. "
                                   "Add [[tokens]] to the config file, or listen on 127.0.0.1");
  }
  return Status::OK();
}

}  // namespace loglake::server
