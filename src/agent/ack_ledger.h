// AckLedger: per source file, how far the server has acknowledged it — the truth checkpoints are
// made of — and how far it was read, for the lag figures.
//
// The tailer registers each file it opens and reports reads; the shipper reports acknowledged
// batches. A file that was rotated away and read to its end is closed: its entry stays (so a
// crash before the last acknowledgement resumes it) until the acknowledgements reach its end,
// then it leaves the checkpoint. A file found truncated is retired at once: its old bytes are
// gone, and the same file goes on as a new source from offset 0.
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "agent/batch.h"
#include "agent/checkpoint.h"
#include "agent/file_identity.h"

namespace loglake::agent {

struct SourceStatus {
  std::string input;
  std::string path;
  uint64_t acknowledged = 0;
  uint64_t read = 0;
  uint64_t size = 0;  // at the last read
};

class AckLedger {
 public:
  void Register(uint64_t id, const std::string& input, const std::string& path, const FileIdentity& identity,
                uint64_t acknowledged);
  void UpdatePath(uint64_t id, const std::string& path);
  void UpdateIdentity(uint64_t id, const FileIdentity& identity);
  void NoteRead(uint64_t id, uint64_t read, uint64_t size);
  void Acknowledge(const std::vector<SourceProgress>& progress);
  // The file will not be read again; its entry goes once acknowledged up to `final_offset`.
  void Close(uint64_t id, uint64_t final_offset);
  void Retire(uint64_t id);

  // Checkpoint entries of every file still tracked.
  std::vector<CheckpointEntry> Snapshot() const;
  std::vector<SourceStatus> Status() const;
  // Changes since the last TakeDirty() (acknowledgements, new or dropped files).
  bool TakeDirty();

 private:
  struct Entry {
    CheckpointEntry checkpoint;
    uint64_t read = 0;
    uint64_t size = 0;
    bool closed = false;
    uint64_t final_offset = 0;
  };
  void DropIfDone(std::map<uint64_t, Entry>::iterator it);

  mutable std::mutex mu_;
  std::map<uint64_t, Entry> entries_;
  bool dirty_ = false;
};

}  // namespace loglake::agent
