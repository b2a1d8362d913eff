// The configuration of `loglake serve`: a TOML file (README "Configuration" lists every setting
// with its default), overridden by command-line flags. With no file and no flags the embedded
// default runs: lake ./data, WAL ./data/_wal, 127.0.0.1:8080, the access_log table.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/ingest_service.h"
#include "server/auth.h"
#include "server/http_server.h"
#include "server/query_manager.h"

namespace loglake::server {

struct ServeConfig {
  ingest::IngestOptions ingest;                 // lake, wal, limits, codec
  std::vector<ingest::TableIngestOptions> tables;
  ServerOptions server;                          // listen address, threads, request limit
  std::vector<Token> tokens;
  QuerySettings query;                           // the [query] section: the query API's limits
  int shutdown_grace_seconds = 30;
};

// The embedded default.
ServeConfig DefaultServeConfig();
// Reads a config file over the defaults; errors name the file, line and key.
Result<ServeConfig> LoadServeConfig(const std::string& path);
// "host:port" (IPv4 or a name; "[v6]:port") into the server options.
Status ParseListenAddress(const std::string& text, ServerOptions* options);
// Checks the whole: tables, limits, and that a server without tokens listens on loopback only.
Status ValidateServeConfig(const ServeConfig& config);
bool IsLoopbackHost(const std::string& host);

}  // namespace loglake::server
