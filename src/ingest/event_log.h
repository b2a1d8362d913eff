// The object-created events of the lake: one NDJSON line per published data file, appended to
// <lake>/_events/object_created.ndjson for the subscribers (warehouse loader, alerts, jobs) of a
// later issue:
//   {"event":"object_created","table":"access_log","key":"access_log/2024/05/01/part-….parquet",
//    "partition":"2024/05/01","rows":N,"bytes":B,"min_time":"…Z","max_time":"…Z",
//    "wal_id":"…","wal_from":LSN,"published_at":"…Z"}
// An append is durable (written and fdatasync'd) before the flush that published the files is
// checkpointed, so no published file goes without its event. A flush replayed after a crash
// appends its events again: subscribers see each file at least once and deduplicate by key.
// `_events` starts with '_', so engines reading the lake skip it.
// Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace loglake::ingest {

struct ObjectCreated {
  std::string table;
  std::string key;        // path relative to the lake
  std::string partition;  // "2024/05/01" (or "dt=2024-05-01")
  uint64_t rows = 0;
  uint64_t bytes = 0;
  std::optional<int64_t> min_time_micros;
  std::optional<int64_t> max_time_micros;
  std::string wal_id;
  uint64_t wal_from = 0;
  int64_t published_micros = 0;
};

// The event's NDJSON line (with its trailing line feed).
std::string FormatObjectCreated(const ObjectCreated& event);

class EventLog {
 public:
  // Opens (creating) <lake>/_events/object_created.ndjson for appending.
  static Result<std::unique_ptr<EventLog>> Open(const std::string& lake_dir);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  Status Append(const std::vector<ObjectCreated>& events);
  const std::string& path() const { return path_; }

 private:
  EventLog(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  std::mutex mu_;
  int fd_;
  std::string path_;
};

}  // namespace loglake::ingest
