// Write-ahead log: the durability point of ingest. A request is acknowledged only after its
// batch is an entry of this log on disk (written and fdatasync'd); from then on a crash, kill -9
// or restart may delay the records but never lose them, because start-up replays the log.
//
// Contract:
// - Append() returns an entry's LSN only once the entry and everything before it are durable.
//   Concurrent Append() calls share writes and fsyncs (group commit): one caller at a time
//   writes every entry queued so far and syncs once for all of them.
// - An Append() that fails (disk full, I/O error, the log's byte limit) leaves nothing of its
//   entry visible to Read() and leaves the log usable: the tail is cut back to the last durable
//   entry and writing continues in a fresh segment. ENOSPC and the byte limit are
//   ResourceExhausted (the server answers 503 and the client retries); other failures IOError.
// - Open() recovers: a partial or damaged tail of the newest segment (a write that a crash cut
//   short, never acknowledged) is detected by checksum, reported in recovery() and cut off.
//   Damage anywhere else is Corruption naming the file and offset: it was acknowledged data.
// - LSNs only grow, also across restarts and after RemoveBefore(): the newest segment is never
//   removed, and its name carries the LSN where it starts. id() is a random name created with
//   the directory, so LSNs of two different logs (a wiped WAL directory) never look alike.
// - Thread-safe. Read() may run while others Append(); it sees the entries durable when it began.
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
#include <vector>

#include "common/histogram.h"
#include "common/status.h"
#include "ingest/wal_format.h"

namespace loglake::ingest {

struct WalOptions {
  std::string dir;
  // A segment is closed and a new one started once it holds this many bytes; only whole
  // segments are removed, so this is also the granularity at which disk space comes back.
  uint64_t segment_bytes = 64ull << 20;
  // Bytes the log may occupy on disk (setting wal.max_bytes); Append() past it fails with
  // ResourceExhausted until RemoveBefore() frees segments.
  uint64_t max_bytes = 4ull << 30;
};

// What Open() found.
struct WalRecovery {
  size_t segments = 0;
  uint64_t discarded_tail_bytes = 0;  // cut from the newest segment: never acknowledged
  std::string discarded_reason;       // "" or e.g. "checksum mismatch at <file> offset N"
};

class Wal {
 public:
  static Result<std::unique_ptr<Wal>> Open(WalOptions options);
  ~Wal();
  Wal(const Wal&) = delete;
  Wal& operator=(const Wal&) = delete;

  // Appends one entry; returns its LSN once it is durable. Payloads up to kMaxEntryPayloadBytes.
  Result<Lsn> Append(EntryType type, std::string_view payload);

  // Calls fn(lsn, entry) for every durable entry from `from` (an entry's LSN, or start()/end())
  // on, in order. Stops at the first error fn returns and returns it.
  Status Read(Lsn from, const std::function<Status(Lsn, const EntryView&)>& fn) const;
  // The same for the entries in [from, to); `to` is an entry boundary no later than end().
  Status Read(Lsn from, Lsn to, const std::function<Status(Lsn, const EntryView&)>& fn) const;

  // Deletes the segments whose entries all lie before `lsn`, once the layer above no longer
  // needs them (their records are in published lake files). The newest segment always stays.
  Status RemoveBefore(Lsn lsn);

  const std::string& id() const { return id_; }
  Lsn start() const;           // LSN of the oldest entry kept
  Lsn end() const;             // LSN just after the newest durable entry
  uint64_t bytes_on_disk() const;
  size_t segment_count() const;
  const WalRecovery& recovery() const { return recovery_; }
  // fdatasync calls made for appends so far: fewer than appends when group commit shares them.
  uint64_t sync_count() const { return syncs_.load(std::memory_order_relaxed); }
  // How long each group write + fdatasync took.
  const LatencyHistogram& sync_latency() const { return sync_latency_; }
  const std::string& dir() const { return options_.dir; }

 private:
  struct Ticket;
  struct Segment {
    std::string path;
    uint64_t file_bytes = 0;  // header included
  };

  explicit Wal(WalOptions options) : options_(std::move(options)) {}
  Status Recover();
  Status RecoverNewestSegment(Lsn first, Segment* segment);
  Status StartSegment(Lsn first);  // mu_ not needed: called by Open or by the one writer
  // Writes `bytes` (entries from durable_end_) to the active segment and syncs it.
  Status WriteAndSync(const std::string& bytes);
  // After a failed write: cut the active segment back to durable_end_ and roll to a new one.
  void RepairAfterFailure();
  // Appends are written by whichever waiting caller finds no write under way (mu_ held on entry).
  void LeadWrites(std::unique_lock<std::mutex>& lock);

  WalOptions options_;
  std::string id_;
  WalRecovery recovery_;

  mutable std::mutex mu_;
  std::condition_variable written_;
  std::map<Lsn, Segment> segments_;  // by first LSN; the last one is active
  int active_fd_ = -1;
  Lsn durable_end_ = 0;
  Lsn next_lsn_ = 0;                 // durable_end_ + bytes queued in pending_
  std::string pending_;              // encoded entries not yet written
  std::vector<std::shared_ptr<Ticket>> pending_tickets_;
  bool writing_ = false;
  bool needs_repair_ = false;        // a failed write left the active segment to be rolled
  uint64_t bytes_on_disk_ = 0;
  std::atomic<uint64_t> syncs_{0};
  LatencyHistogram sync_latency_;
};

}  // namespace loglake::ingest
