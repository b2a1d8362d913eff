// LakeFlushSink: a flush's records into the lake, through the same Converter as `loglake
// convert`, under names derived from the flush's WAL range:
//   part-<wal id>-<from LSN, 20 digits>-<seq>.parquet   and   errors-<wal id>-<from LSN>-<seq>.ndjson
// The Converter's output is a function of its input alone, so a flush replayed after a crash
// writes the same files under the same names, and publishing (rename) replaces rather than adds.
// Once the files are published, their object-created events go to the event log (if given),
// durably, before Publish() returns — that is, before the flush is checkpointed.
#pragma once

#include <string>

#include "ingest/event_log.h"
#include "ingest/table_stream.h"
#include "lake/converter.h"
#include "lake/table.h"

namespace loglake::ingest {

// What the sink published in its last Publish() (for metrics and logs).
struct FlushReport {
  uint64_t records_written = 0;
  uint64_t records_rejected = 0;
  uint64_t files = 0;
  uint64_t bytes = 0;
};

class LakeFlushSink : public FlushSink {
 public:
  LakeFlushSink(std::string lake_dir, lake::TableDef table, lake::ConverterOptions options,
                EventLog* events = nullptr)
      : lake_dir_(std::move(lake_dir)), table_(std::move(table)), options_(std::move(options)), events_(events) {}

  Status Publish(const FlushRange& range, const EntryReader& entries) override;
  const FlushReport& last_report() const { return report_; }

 private:
  std::string lake_dir_;
  lake::TableDef table_;
  lake::ConverterOptions options_;
  EventLog* events_;
  FlushReport report_;
};

}  // namespace loglake::ingest
