// TableStream: one table's delivery stream — its WAL, the buffer policy, and flushes into the
// lake that a crash can interrupt anywhere and replay can finish without losing or doubling
// anything (docs/ingest.md).
//
// The WAL itself is the buffer: records appended since the last flush are the WAL entries after
// the published checkpoint. A flush:
//   1. appends a marker entry to the WAL; the flush covers exactly the entries in
//      [checkpoint, marker LSN) — records appended concurrently land after the marker;
//   2. hands those entries to the FlushSink, which publishes the lake files;
//   3. writes the checkpoint (the LSN after the marker) atomically to <wal dir>/PUBLISHED;
//   4. removes the WAL segments wholly before the checkpoint.
// Open() replays: each marker found after the checkpoint is a flush that may not have
// completed, so it is done again over the same range (the sink is idempotent), and records after
// the last marker stay buffered. A flush whose sink failed is retried over the same range.
//
// Thread-safe: Append() from any number of threads (they share WAL fsyncs); Flush() serializes
// flushes.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ingest/wal.h"

namespace loglake::ingest {

// The entries of one flush: [from, to) of the WAL of `wal_id`.
struct FlushRange {
  std::string wal_id;
  Lsn from = 0;
  Lsn to = 0;
};

using EntryVisitor = std::function<Status(Lsn, std::string_view payload)>;
// Calls the visitor for each kRecords entry of the range, in LSN order.
using EntryReader = std::function<Status(const EntryVisitor&)>;

// Turns a flush's records into published lake files.
// Contract: a pure function of (range, entries) — the same call after a crash, whether or not
// the first call finished, leaves the lake exactly as one complete call would (same names,
// same contents, published atomically).
class FlushSink {
 public:
  virtual ~FlushSink() = default;
  virtual Status Publish(const FlushRange& range, const EntryReader& entries) = 0;
};

struct StreamOptions {
  // Buffer hints, like Firehose's: flush once the buffered entries reach buffer_bytes or the
  // oldest is buffer_interval_micros old, whichever comes first.
  uint64_t buffer_bytes = 64ull << 20;
  int64_t buffer_interval_micros = 60'000'000;
};

struct StreamStatus {
  Lsn published_to = 0;           // the checkpoint
  uint64_t buffered_bytes = 0;    // WAL bytes after it
  uint64_t flushes = 0;           // completed since Open (replayed ones included)
  uint64_t replayed_flushes = 0;  // flushes Open() finished from markers in the WAL
  uint64_t wal_bytes = 0;
  int64_t oldest_buffered_micros = 0;  // arrival of the oldest buffered entry; 0: none
  WalRecovery recovery;
};

class TableStream {
 public:
  // Opens (creating) the WAL in wal.dir and replays it through `sink`.
  static Result<std::unique_ptr<TableStream>> Open(WalOptions wal, StreamOptions options,
                                                   std::unique_ptr<FlushSink> sink, int64_t now_micros);
  TableStream(const TableStream&) = delete;
  TableStream& operator=(const TableStream&) = delete;

  // Appends one kRecords payload; returns once it is durable.
  Result<Lsn> Append(std::string_view payload, int64_t now_micros);

  // Whether a buffer hint is reached at `now_micros`.
  bool FlushDue(int64_t now_micros) const;
  // Flushes every entry appended before the call (nothing to do: OK).
  Status Flush();

  StreamStatus status() const;
  const Wal& wal() const { return *wal_; }

 private:
  TableStream(std::unique_ptr<Wal> wal, StreamOptions options, std::unique_ptr<FlushSink> sink)
      : wal_(std::move(wal)), options_(options), sink_(std::move(sink)) {}
  Status Replay(int64_t now_micros);
  // Steps 2-4 for [from, marker); `after_marker` is the new checkpoint.
  Status Complete(Lsn from, Lsn marker, Lsn after_marker);
  Status WriteCheckpoint(Lsn lsn);
  std::string CheckpointPath() const;

  std::unique_ptr<Wal> wal_;
  StreamOptions options_;
  std::unique_ptr<FlushSink> sink_;

  std::mutex flush_mu_;  // one flush at a time
  // A flush whose marker is in the WAL but which has not completed: retried as it is.
  struct PendingFlush {
    Lsn from, marker, after_marker;
  };
  std::optional<PendingFlush> pending_;  // guarded by flush_mu_

  std::atomic<Lsn> published_to_{0};
  // When the oldest buffered entry arrived (0: nothing buffered), for the interval hint.
  mutable std::atomic<int64_t> oldest_micros_{0};
  std::atomic<uint64_t> flushes_{0};
  uint64_t replayed_flushes_ = 0;
};

}  // namespace loglake::ingest
