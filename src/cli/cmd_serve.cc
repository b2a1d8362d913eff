// `loglake serve`: the ingest server (HTTP API → WAL → lake), run until SIGTERM or SIGINT.
//
// Life cycle: replay every table's WAL (records acknowledged before a crash are published or
// buffered again), listen, serve. On SIGTERM/SIGINT: /readyz turns 503, the listener closes,
// requests under way are answered, running queries are cancelled (and audited), every buffer is
// flushed into the lake, exit 0. If that takes longer than shutdown_grace_seconds the process
// exits 1 — nothing is lost: what was not flushed is in the WAL and is published at the next
// start.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "cli/commands.h"
#include "cli/json_log.h"
#include "cli/stop_signals.h"
#include "common/time.h"
#include "ingest/ingest_service.h"
#include "lake/json_text.h"
#include "server/audit_log.h"
#include "server/config.h"
#include "server/http_server.h"
#include "server/query_api.h"
#include "server/query_manager.h"

namespace loglake::cli {
namespace {

struct ServeFlags {
  std::string config;
  std::string lake;
  std::string wal;
  std::string listen;
};

void Log(std::string_view level, const std::string& message, const std::string& fields = "") {
  LogJsonLine(level, message, fields);
}
void Log(const std::string& message) { Log("info", message); }

void LogFlush(const std::string& table, const ingest::FlushReport& report, double seconds, const Status& status) {
  std::string fields = ",\"table\":";
  lake::AppendJsonString(&fields, table);
  fields += ",\"seconds\":" + std::to_string(seconds);
  if (!status.ok()) {
    fields += ",\"error\":";
    lake::AppendJsonString(&fields, status.ToString());
    Log("error", "flush failed; the records stay in the WAL and the flush is retried", fields);
    return;
  }
  fields += ",\"records\":" + std::to_string(report.records_written) +
            ",\"rejected\":" + std::to_string(report.records_rejected) + ",\"files\":" + std::to_string(report.files) +
            ",\"bytes\":" + std::to_string(report.bytes);
  Log("info", "flushed", fields);
}

Result<server::ServeConfig> BuildConfig(const ServeFlags& flags) {
  server::ServeConfig config = server::DefaultServeConfig();
  if (!flags.config.empty()) {
    ASSIGN_OR_RETURN(config, server::LoadServeConfig(flags.config));
  }
  if (!flags.lake.empty()) {
    // The WAL follows the lake unless it is set on its own.
    if (flags.wal.empty() && config.ingest.wal_dir == config.ingest.lake_dir + "/_wal") config.ingest.wal_dir = flags.lake + "/_wal";
    config.ingest.lake_dir = flags.lake;
  }
  if (!flags.wal.empty()) config.ingest.wal_dir = flags.wal;
  if (!flags.listen.empty()) RETURN_IF_ERROR(server::ParseListenAddress(flags.listen, &config.server));
  RETURN_IF_ERROR(server::ValidateServeConfig(config));
  return config;
}

int Serve(const ServeFlags& flags) {
  const sigset_t stop_signals = BlockStopSignals();

  Result<server::ServeConfig> config = BuildConfig(flags);
  if (!config.ok()) {
    std::fprintf(stderr, "loglake serve: %s\n", config.status().ToString().c_str());
    return 2;
  }
  Log("lake " + config->ingest.lake_dir + ", WAL " + config->ingest.wal_dir + "; replaying the WAL");
  config->ingest.on_flush = LogFlush;
  Result<std::unique_ptr<ingest::IngestService>> ingest =
      ingest::IngestService::Open(config->ingest, config->tables);
  if (!ingest.ok()) {
    std::fprintf(stderr, "loglake serve: %s\n", ingest.status().ToString().c_str());
    return 1;
  }
  for (const auto& [table, m] : (*ingest)->Metrics()) {
    Log("table " + table + ": " + std::to_string(m.replayed_flushes) + " flushes replayed, " +
        std::to_string(m.buffered_bytes) + " WAL bytes buffered");
  }

  // The query API: every finished query is one line of the audit log.
  const std::string audit_path =
      config->query.audit_log.empty() ? config->ingest.lake_dir + "/_audit/queries.ndjson" : config->query.audit_log;
  Result<std::unique_ptr<server::AuditLog>> audit = server::AuditLog::Open(audit_path);
  if (!audit.ok()) {
    std::fprintf(stderr, "loglake serve: %s\n", audit.status().ToString().c_str());
    return 1;
  }
  server::QueryManager queries(config->ingest.lake_dir, config->query, [&audit](const server::QuerySnapshot& q) {
    const Status recorded = (*audit)->Record(q);
    if (!recorded.ok()) Log("error", "audit log: " + recorded.ToString());
  });
  std::vector<lake::TableDef> served_tables;
  for (const ingest::TableIngestOptions& t : config->tables) served_tables.push_back(t.table);
  server::QueryApi query_api(&queries, std::move(served_tables));

  server::HttpServer http(config->server, ingest->get(), server::Authorizer(config->tokens), &query_api);
  Result<int> port = http.Bind();
  if (!port.ok()) {
    std::fprintf(stderr, "loglake serve: %s\n", port.status().ToString().c_str());
    return 1;
  }
  (*ingest)->StartFlusher();
  http.SetReady(true);
  // Scripts and tests read this line to learn the address (port 0 picks a free one).
  std::printf("loglake serve: listening on http://%s:%d\n", config->server.host.c_str(), *port);
  const std::string page_host = config->server.host == "0.0.0.0" ? "127.0.0.1" : config->server.host;
  std::printf("loglake serve: search page at http://%s:%d/\n", page_host.c_str(), *port);
  std::fflush(stdout);
  Status served;
  std::atomic<bool> serve_returned{false};
  std::thread serving([&] {
    served = http.Serve();
    serve_returned = true;
  });
  while (!http.serving() && !serve_returned) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  Log(std::string(signal_number == SIGTERM ? "SIGTERM" : "SIGINT") + ": draining (grace " +
      std::to_string(config->shutdown_grace_seconds) + " s)");
  std::atomic<bool> finished{false};
  std::thread watchdog([&] {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(config->shutdown_grace_seconds);
    while (!finished && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!finished) {
      Log("error", "grace period ran out before every buffer was flushed; the rest is safe in the WAL and is published at the next start");
      std::_Exit(1);  // the WAL holds what was not flushed
    }
  });
  http.SetReady(false);
  // Running queries are cancelled first (each still gets its audit line): waiting for the HTTP
  // connections to close can take seconds, and a query should not run on meanwhile.
  queries.Shutdown();
  http.Stop();
  serving.join();
  const Status flushed = (*ingest)->Shutdown();
  finished = true;
  watchdog.join();
  if (!flushed.ok()) {
    Log("error", "flush at shutdown failed: " + flushed.ToString() + "; the records are safe in the WAL and are published at the next start");
    return 1;
  }
  Log("every buffer flushed; exiting");
  return served.ok() ? 0 : 1;
}

}  // namespace

void RegisterServe(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("serve", "Run the ingest server: HTTP API → WAL → Parquet files in the lake");
  cmd->footer(
      "With no flags: lake ./data, WAL ./data/_wal, http://127.0.0.1:8080, the access_log table.\n"
      "API: POST /v1/tables/{table}/records (NDJSON, concatenated JSON or a JSON array; gzip or zstd),\n"
      "POST /v1/queries and the query API (GET /v1/openapi.json), GET /healthz, /readyz, /metrics. Settings: README \"Configuration\". SIGTERM drains, flushes and exits 0.\n");
  auto flags = std::make_shared<ServeFlags>();
  cmd->add_option("--config", flags->config, "TOML configuration file (every setting has a default)");
  cmd->add_option("--lake", flags->lake, "Lake directory (default ./data)");
  cmd->add_option("--wal", flags->wal, "WAL directory (default <lake>/_wal)");
  cmd->add_option("--listen", flags->listen, "Address to listen on, host:port (default 127.0.0.1:8080; port 0: any)");
  cmd->callback([flags, exit_code] { *exit_code = Serve(*flags); });
}

}  // namespace loglake::cli
