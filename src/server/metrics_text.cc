#include "server/metrics_text.h"

#include <fmt/format.h>

namespace loglake::server {
namespace {

void Family(std::string* out, const char* name, const char* type, const char* help) {
  *out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void AppendQueryMetrics(const QueryManager& queries, std::string* out) {
  const QueryCounters c = queries.Counters();
  Family(out, "loglake_queries_submitted_total", "counter", "Query API submissions queued (refused ones are not).");
  *out += fmt::format("loglake_queries_submitted_total {}\n", c.submitted);
  Family(out, "loglake_queries_total", "counter",
         "Query API submissions by final state: succeeded, failed, cancelled, or refused before queueing.");
  const std::pair<const char*, uint64_t> states[] = {
      {"succeeded", c.succeeded}, {"failed", c.failed}, {"cancelled", c.cancelled}, {"refused", c.refused}};
  for (const auto& [state, n] : states) *out += fmt::format("loglake_queries_total{{state=\"{}\"}} {}\n", state, n);
  Family(out, "loglake_queries_queued", "gauge", "Queries waiting for a free worker.");
  *out += fmt::format("loglake_queries_queued {}\n", c.queued_now);
  Family(out, "loglake_queries_running", "gauge", "Queries running (a cancelled one until its engine stops).");
  *out += fmt::format("loglake_queries_running {}\n", c.running_now);
  Family(out, "loglake_query_results_expired_total", "counter",
         "Finished queries forgotten (result_ttl_seconds or max_kept_results).");
  *out += fmt::format("loglake_query_results_expired_total {}\n", c.expired);
  Family(out, "loglake_query_bytes_scanned_total", "counter", "Compressed bytes read by finished queries (any final state).");
  *out += fmt::format("loglake_query_bytes_scanned_total {}\n", c.bytes_scanned);
  Family(out, "loglake_query_rows_returned_total", "counter", "Result rows of succeeded queries.");
  *out += fmt::format("loglake_query_rows_returned_total {}\n", c.rows_returned);
  Family(out, "loglake_query_audit_suppressed_total", "counter",
         "Refused submissions without a valid token not written one by one to the audit log "
         "(audit_unauthenticated_per_minute).");
  *out += fmt::format("loglake_query_audit_suppressed_total {}\n", c.audit_suppressed);
  Family(out, "loglake_query_duration_seconds", "histogram", "Run time of queries, from start to finish (queueing excluded).");
  queries.duration().AppendPrometheus("loglake_query_duration_seconds", "", out);
}

}  // namespace

std::string RenderMetrics(const ingest::IngestService& ingest, const std::map<int, uint64_t>& responses_by_code,
                          const QueryManager* queries) {
  const std::map<std::string, ingest::TableIngestMetrics> tables = ingest.Metrics();
  std::string out;
  struct Counter {
    const char* name;
    const char* type;
    const char* help;
    uint64_t ingest::TableIngestMetrics::*field;
  };
  static const Counter kCounters[] = {
      {"loglake_ingest_requests_total", "counter", "Ingest requests stored.", &ingest::TableIngestMetrics::requests},
      {"loglake_ingest_records_accepted_total", "counter", "Records accepted for the table.",
       &ingest::TableIngestMetrics::records_accepted},
      {"loglake_ingest_records_rejected_total", "counter", "Records stored in _errors/ with their reason.",
       &ingest::TableIngestMetrics::records_rejected},
      {"loglake_ingest_bytes_accepted_total", "counter", "Decoded request body bytes stored in the WAL.",
       &ingest::TableIngestMetrics::bytes_accepted},
      {"loglake_flushes_total", "counter", "Completed flushes into the lake.", &ingest::TableIngestMetrics::flushes},
      {"loglake_flush_failures_total", "counter", "Flushes that failed (retried; records stay in the WAL).",
       &ingest::TableIngestMetrics::flush_failures},
      {"loglake_files_published_total", "counter", "Lake files published.", &ingest::TableIngestMetrics::files_published},
      {"loglake_records_published_total", "counter", "Rows written to published lake files.",
       &ingest::TableIngestMetrics::records_published},
      {"loglake_wal_bytes", "gauge", "Bytes of WAL segments on disk.", &ingest::TableIngestMetrics::wal_bytes},
      {"loglake_buffered_bytes", "gauge", "WAL bytes not yet flushed into the lake.",
       &ingest::TableIngestMetrics::buffered_bytes},
  };
  for (const Counter& c : kCounters) {
    Family(&out, c.name, c.type, c.help);
    for (const auto& [table, m] : tables) out += fmt::format("{}{{table=\"{}\"}} {}\n", c.name, table, m.*(c.field));
  }
  const std::map<std::string, ingest::TableLatencies> latencies = ingest.Latencies();
  Family(&out, "loglake_flush_duration_seconds", "histogram", "Flushes into the lake: WAL read, Parquet, publish, checkpoint.");
  for (const auto& [table, l] : latencies) l.flush->AppendPrometheus("loglake_flush_duration_seconds", "table=\"" + table + "\"", &out);
  Family(&out, "loglake_wal_sync_duration_seconds", "histogram", "WAL group writes with their fdatasync.");
  for (const auto& [table, l] : latencies) l.wal_sync->AppendPrometheus("loglake_wal_sync_duration_seconds", "table=\"" + table + "\"", &out);
  Family(&out, "loglake_ingest_duration_seconds", "histogram",
         "Ingest requests from a decoded body to its durable acknowledgement (judging + WAL).");
  for (const auto& [table, l] : latencies) l.ingest->AppendPrometheus("loglake_ingest_duration_seconds", "table=\"" + table + "\"", &out);
  Family(&out, "loglake_buffer_age_seconds", "gauge", "Age of the oldest record not yet in lake files (0: none).");
  for (const auto& [table, m] : tables) out += fmt::format("loglake_buffer_age_seconds{{table=\"{}\"}} {:.3f}\n", table, m.buffer_age_seconds);
  Family(&out, "loglake_http_responses_total", "counter", "HTTP responses by status code.");
  for (const auto& [code, n] : responses_by_code) out += fmt::format("loglake_http_responses_total{{code=\"{}\"}} {}\n", code, n);
  if (queries != nullptr) AppendQueryMetrics(*queries, &out);
  return out;
}

}  // namespace loglake::server
