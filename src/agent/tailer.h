// Tailer: the input side of the agent — which files to read, where to start, and what to read
// next, through rotation, truncation, deletion and restarts.
//
// Each Poll() optionally scans the globs (new files, renamed or vanished ones) and then reads every
// open file as far as it goes, handing complete lines to a LineEmitter. A file is known by its
// FileIdentity (device + inode + fingerprint), never by its name:
//   - rename+create rotation: the renamed file is still open; it is read to its end and closed once
//     it is out of the globs and quiet for rotate_wait; the new file under the old name starts at 0;
//   - copytruncate, truncate-and-rewrite: a file shorter than what was read, or whose first bytes
//     changed, is read again from 0 (as a new source). If the rotated copy is in the globs it is
//     recognised by its fingerprint and read from where the original was when it was truncated,
//     so lines written between the last read and the truncation are not lost;
//   - deletion: like rotation (an open file can still be read);
//   - restarts: Resume() takes the checkpoint; a file is resumed at its acknowledged offset when
//     its identity matches, under its name or — rotated while the agent was down — under another
//     name in the same folder; an inode reused by a new file has another fingerprint and starts at 0.
// A partial last line waits for its newline; it is sent as it is after partial_line_timeout, or
// once its file is rotated away and quiet. Over-long lines go to the dead-letter file.
// Single-threaded: one thread calls everything.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/ack_ledger.h"
#include "agent/checkpoint.h"
#include "agent/dead_letter.h"
#include "agent/file_identity.h"
#include "agent/line_splitter.h"

namespace loglake::agent {

struct InputConfig {
  std::string name;                // checkpoint key; the table's name unless set
  std::string table;
  std::vector<std::string> paths;  // paths or globs
};

struct TailOptions {
  size_t max_line_bytes = 1u << 20;             // setting max_line_bytes
  size_t read_chunk_bytes = 1u << 20;           // setting read_chunk_bytes (raised above max_line_bytes)
  int64_t partial_line_timeout_micros = 5'000'000;  // setting partial_line_timeout_ms
  int64_t rotate_wait_micros = 5'000'000;       // setting rotate_wait_ms
  bool read_from_end = false;                   // setting read_from = "end": new files found at the first start
};

// Where lines go. Line() may block while the shipper is behind: that is the backpressure that
// keeps the agent from reading ahead of an unreachable server.
class LineEmitter {
 public:
  virtual ~LineEmitter() = default;
  virtual void Line(size_t input, std::string_view line) = 0;
  // Every line of the source up to end_offset has been passed to Line().
  virtual void Progress(size_t input, uint64_t source_id, uint64_t end_offset) = 0;
};

using AgentLogger = std::function<void(std::string_view level, const std::string& message)>;

struct TailCounters {
  uint64_t lines = 0;
  uint64_t bytes = 0;
  uint64_t over_long_lines = 0;
  uint64_t partial_lines_sent = 0;
  uint64_t truncations = 0;
  uint64_t rotations_closed = 0;
};

class Tailer {
 public:
  Tailer(std::vector<InputConfig> inputs, TailOptions options, AckLedger* ledger, DeadLetterFile* dead_letters,
         AgentLogger log);
  ~Tailer();
  Tailer(const Tailer&) = delete;
  Tailer& operator=(const Tailer&) = delete;

  // The checkpoint to resume from; call before the first Poll().
  void Resume(std::vector<CheckpointEntry> entries);
  // scan: look at the globs (always done on the first call). final: read every file to its end
  // (SIGTERM), ignoring the per-poll read budget.
  void Poll(bool scan, bool final, int64_t now_micros, LineEmitter& emitter);
  // Folders to watch (the literal folders of the globs).
  std::vector<std::string> WatchDirectories() const;
  // Microseconds until a partial line or a rotated file needs a look without any event, or -1.
  int64_t MicrosUntilTimer(int64_t now_micros) const;
  // True when the last Poll() left bytes unread for its per-file budget: poll again at once.
  bool backlog() const { return backlog_; }
  const TailCounters& counters() const { return counters_; }
  size_t open_files() const { return sources_.size(); }

 private:
  struct Source;
  struct PendingCopy;
  struct TruncatedFile;

  void Scan(int64_t now_micros);
  void OpenMatch(size_t input, const std::string& path, const struct stat& st, int64_t now_micros);
  void ResumeRotatedWhileDown(int64_t now_micros);
  void ResolvePendingCopies(int64_t now_micros);
  Source* AddSource(size_t input, const std::string& path, int fd, const FileIdentity& identity, uint64_t offset,
                    bool in_glob, int64_t now_micros);
  void ReadSource(Source& s, bool final, int64_t now_micros, LineEmitter& emitter);
  void Restart(Source& s, int64_t now_micros, const std::string& why);
  bool KnownInode(size_t input, dev_t device, ino_t inode) const;

  std::vector<InputConfig> inputs_;
  TailOptions options_;
  AckLedger* ledger_;
  DeadLetterFile* dead_letters_;
  AgentLogger log_;
  std::vector<CheckpointEntry> resume_;
  bool first_scan_done_ = false;
  uint64_t next_id_ = 1;
  std::vector<std::unique_ptr<Source>> sources_;
  std::vector<std::unique_ptr<PendingCopy>> pending_copies_;
  std::vector<TruncatedFile> truncated_;
  std::vector<std::string> unreadable_;  // paths that could not be opened (reported once)
  std::string chunk_;
  TailCounters counters_;
  bool backlog_ = false;
};

}  // namespace loglake::agent
