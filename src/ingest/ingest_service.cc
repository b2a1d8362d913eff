#include "ingest/ingest_service.h"

#include <algorithm>
#include <chrono>

#include "common/time.h"
#include "ingest/record_batch.h"

namespace loglake::ingest {

struct IngestService::Table {
  std::string name;
  lake::TableDef def;
  std::unique_ptr<TableStream> stream;
  LakeFlushSink* sink = nullptr;  // owned by stream

  std::mutex checkers_mu;
  std::vector<std::unique_ptr<RecordChecker>> idle_checkers;

  LatencyHistogram flush_latency;
  LatencyHistogram ingest_latency;
  mutable std::mutex metrics_mu;
  TableIngestMetrics metrics;  // counters; WAL figures are filled in by Metrics()
};

IngestService::IngestService(IngestOptions options) : options_(std::move(options)) {}

Result<std::unique_ptr<IngestService>> IngestService::Open(IngestOptions options,
                                                           std::vector<TableIngestOptions> tables) {
  if (tables.empty()) return Status::InvalidArgument("the ingest service needs at least one table");
  std::unique_ptr<IngestService> service(new IngestService(std::move(options)));
  const IngestOptions& o = service->options_;
  ASSIGN_OR_RETURN(service->events_, EventLog::Open(o.lake_dir));
  for (TableIngestOptions& t : tables) {
    RETURN_IF_ERROR(lake::ValidateTableDef(t.table));
    const std::string name = t.table.name;
    if (service->tables_.count(name)) return Status::InvalidArgument("table '" + name + "' is defined twice");
    auto table = std::make_unique<Table>();
    table->name = name;
    table->def = t.table;
    lake::ConverterOptions converter = o.converter;
    converter.max_record_bytes = o.max_record_bytes;
    auto sink = std::make_unique<LakeFlushSink>(o.lake_dir, t.table, converter, service->events_.get());
    table->sink = sink.get();
    WalOptions wal{o.wal_dir + "/" + name, o.wal_segment_bytes, o.wal_max_bytes};
    ASSIGN_OR_RETURN(table->stream, TableStream::Open(std::move(wal), t.stream, std::move(sink), NowMicros()));
    service->tables_.emplace(name, std::move(table));
  }
  return service;
}

IngestService::~IngestService() {
  {
    std::lock_guard<std::mutex> lock(flusher_mu_);
    stopping_ = true;
  }
  flusher_cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
}

IngestService::Table* IngestService::Find(std::string_view name) const {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second.get();
}

bool IngestService::HasTable(std::string_view table) const { return Find(table) != nullptr; }

std::vector<std::string> IngestService::TableNames() const {
  std::vector<std::string> names;
  for (const auto& [name, table] : tables_) names.push_back(name);
  return names;
}

Result<IngestAnswer> IngestService::Ingest(std::string_view table_name, std::string_view body,
                                           std::string_view source) {
  Table* table = Find(table_name);
  if (table == nullptr) {
    std::string known;
    for (const auto& [name, t] : tables_) known += (known.empty() ? "" : ", ") + name;
    return Status::NotFound("table '" + std::string(table_name) + "' is not defined (tables: " + known + ")");
  }
  if (body.size() > options_.max_body_bytes) {
    return Status::ResourceExhausted("request body is " + std::to_string(body.size()) + " bytes; the limit is " +
                                     std::to_string(options_.max_body_bytes) + " (max_body_bytes)");
  }
  const auto started = std::chrono::steady_clock::now();
  std::unique_ptr<RecordChecker> checker;
  {
    std::lock_guard<std::mutex> lock(table->checkers_mu);
    if (!table->idle_checkers.empty()) {
      checker = std::move(table->idle_checkers.back());
      table->idle_checkers.pop_back();
    }
  }
  if (checker == nullptr) checker = std::make_unique<RecordChecker>(table->def, options_.max_record_bytes);
  IngestAnswer answer;
  answer.check = checker->Check(body, options_.max_reported_problems);
  {
    std::lock_guard<std::mutex> lock(table->checkers_mu);
    table->idle_checkers.push_back(std::move(checker));
  }
  if (answer.check.accepted + answer.check.rejected == 0) {
    return Status::InvalidArgument("the request body holds no records (send NDJSON, concatenated JSON objects or a JSON array)");
  }
  const int64_t now = NowMicros();
  const std::string payload = EncodeRecordBatch(RecordBatch{now, source, body});
  ASSIGN_OR_RETURN(answer.lsn, table->stream->Append(payload, now));
  table->ingest_latency.Record(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  std::lock_guard<std::mutex> lock(table->metrics_mu);
  ++table->metrics.requests;
  table->metrics.records_accepted += answer.check.accepted;
  table->metrics.records_rejected += answer.check.rejected;
  table->metrics.bytes_accepted += body.size();
  return answer;
}

Status IngestService::FlushTable(Table& table) {
  const auto started = std::chrono::steady_clock::now();
  const uint64_t flushes_before = table.stream->status().flushes;
  Status st = table.stream->Flush();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const bool flushed = table.stream->status().flushes != flushes_before;
  if (flushed) table.flush_latency.Record(seconds);
  if (options_.on_flush && (flushed || !st.ok())) {
    options_.on_flush(table.name, flushed ? table.sink->last_report() : FlushReport{}, seconds, st);
  }
  std::lock_guard<std::mutex> lock(table.metrics_mu);
  if (!st.ok()) {
    ++table.metrics.flush_failures;
    table.metrics.last_flush_error = st.ToString();
    return st;
  }
  const FlushReport& report = table.sink->last_report();
  table.metrics.flushes = table.stream->status().flushes;
  table.metrics.files_published += report.files;
  table.metrics.records_published += report.records_written;
  return st;
}

void IngestService::StartFlusher() {
  if (flusher_.joinable()) return;
  flusher_ = std::thread([this] { FlusherLoop(); });
}

void IngestService::FlusherLoop() {
  std::unique_lock<std::mutex> lock(flusher_mu_);
  while (!stopping_) {
    flusher_cv_.wait_for(lock, std::chrono::microseconds(options_.flush_check_micros));
    if (stopping_) break;
    lock.unlock();
    const int64_t now = NowMicros();
    for (auto& [name, table] : tables_) {
      // A failed flush is retried at the next look; its records stay safe in the WAL.
      if (table->stream->FlushDue(now)) (void)FlushTable(*table);
    }
    lock.lock();
  }
}

Status IngestService::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(flusher_mu_);
    stopping_ = true;
  }
  flusher_cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  Status first;
  for (auto& [name, table] : tables_) {
    Status st = FlushTable(*table);
    if (!st.ok() && first.ok()) first = st.WithContext("flushing table '" + name + "'");
  }
  return first;
}

std::map<std::string, TableLatencies> IngestService::Latencies() const {
  std::map<std::string, TableLatencies> out;
  for (const auto& [name, table] : tables_) {
    out.emplace(name, TableLatencies{&table->flush_latency, &table->stream->wal().sync_latency(), &table->ingest_latency});
  }
  return out;
}

std::map<std::string, TableIngestMetrics> IngestService::Metrics() const {
  std::map<std::string, TableIngestMetrics> out;
  for (const auto& [name, table] : tables_) {
    TableIngestMetrics m;
    {
      std::lock_guard<std::mutex> lock(table->metrics_mu);
      m = table->metrics;
    }
    const StreamStatus status = table->stream->status();
    m.wal_bytes = status.wal_bytes;
    m.buffered_bytes = status.buffered_bytes;
    m.replayed_flushes = status.replayed_flushes;
    if (status.oldest_buffered_micros != 0) {
      m.buffer_age_seconds = static_cast<double>(std::max<int64_t>(0, NowMicros() - status.oldest_buffered_micros)) / 1e6;
    }
    out.emplace(name, std::move(m));
  }
  return out;
}

}  // namespace loglake::ingest
