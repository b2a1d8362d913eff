// IngestService: the delivery stream of `loglake serve` for all its tables — request bodies in,
// acknowledged only once durable, flushed into the lake by the buffer hints, drained at shutdown.
//
// Per table: a TableStream (WAL + replayable flushes, ingest/table_stream.h) whose sink is the
// lake Converter (ingest/lake_sink.h) announcing each published file in the lake's event log
// (ingest/event_log.h), and a pool of RecordCheckers that judge each body with the
// flush's own rules so the answer can count accepted and rejected records.
//
// Open() replays every table's WAL before returning: records acknowledged before a crash are
// published (or buffered again) before the server takes new ones.
// Thread-safe: Ingest() from any number of request threads; one background flusher thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/histogram.h"
#include "common/status.h"
#include "ingest/event_log.h"
#include "ingest/lake_sink.h"
#include "ingest/record_check.h"
#include "ingest/table_stream.h"
#include "lake/converter.h"
#include "lake/table.h"

namespace loglake::ingest {

struct TableIngestOptions {
  lake::TableDef table;
  StreamOptions stream;  // buffer hints
};

struct IngestOptions {
  std::string lake_dir = "./data";
  std::string wal_dir = "./data/_wal";
  size_t max_body_bytes = 16u << 20;    // a request body, decoded (setting max_body_bytes)
  size_t max_record_bytes = 1u << 20;   // one record (setting max_record_bytes)
  uint64_t wal_max_bytes = 4ull << 30;  // per table (setting wal_max_bytes)
  uint64_t wal_segment_bytes = 64ull << 20;
  size_t max_reported_problems = 10;    // rejection reasons returned per request
  int64_t flush_check_micros = 200'000; // how often the flusher looks at the buffer hints
  lake::ConverterOptions converter;     // codec, row groups, ...
  // Called after every flush attempt that had records (success or failure), e.g. to log it.
  std::function<void(const std::string& table, const FlushReport& report, double seconds, const Status& status)>
      on_flush;
};

struct IngestAnswer {
  RecordCheck check;
  Lsn lsn = 0;
};

// Counters of one table, for /metrics.
struct TableIngestMetrics {
  uint64_t requests = 0;
  uint64_t records_accepted = 0;
  uint64_t records_rejected = 0;
  uint64_t bytes_accepted = 0;  // decoded body bytes stored in the WAL
  uint64_t flushes = 0;
  uint64_t flush_failures = 0;
  uint64_t replayed_flushes = 0;  // flushes finished at start-up from markers in the WAL
  double buffer_age_seconds = 0;  // age of the oldest record not yet in lake files
  uint64_t files_published = 0;
  uint64_t records_published = 0;
  uint64_t wal_bytes = 0;
  uint64_t buffered_bytes = 0;
  std::string last_flush_error;
};

// Latency histograms of one table, for /metrics.
struct TableLatencies {
  const LatencyHistogram* flush = nullptr;       // whole flushes: WAL read, Parquet, publish, checkpoint
  const LatencyHistogram* wal_sync = nullptr;    // WAL group write + fdatasync
  const LatencyHistogram* ingest = nullptr;      // a request body judged and durably stored
};

class IngestService {
 public:
  static Result<std::unique_ptr<IngestService>> Open(IngestOptions options, std::vector<TableIngestOptions> tables);
  ~IngestService();  // stops the flusher; call Shutdown() first to flush
  IngestService(const IngestService&) = delete;
  IngestService& operator=(const IngestService&) = delete;

  // Judges and durably stores one request's decoded body. NotFound for an unknown table,
  // InvalidArgument for a body without records, ResourceExhausted when the WAL is full or the
  // disk is (answer 503 and let the client retry), IOError otherwise.
  Result<IngestAnswer> Ingest(std::string_view table, std::string_view body, std::string_view source);

  // Starts the background thread that flushes tables whose buffer hints are reached.
  void StartFlusher();
  // Stops the flusher and flushes every table; the first error, if any (the rest still tried).
  Status Shutdown();

  bool HasTable(std::string_view table) const;
  std::vector<std::string> TableNames() const;
  std::map<std::string, TableIngestMetrics> Metrics() const;
  // Valid while the service lives.
  std::map<std::string, TableLatencies> Latencies() const;
  const IngestOptions& options() const { return options_; }

 private:
  struct Table;
  explicit IngestService(IngestOptions options);
  Table* Find(std::string_view name) const;
  Status FlushTable(Table& table);
  void FlusherLoop();

  IngestOptions options_;
  std::unique_ptr<EventLog> events_;
  std::map<std::string, std::unique_ptr<Table>, std::less<>> tables_;
  std::mutex flusher_mu_;
  std::condition_variable flusher_cv_;
  bool stopping_ = false;
  std::thread flusher_;
};

}  // namespace loglake::ingest
