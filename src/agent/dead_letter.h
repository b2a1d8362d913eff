// DeadLetterFile: what the agent could not deliver, kept locally with the reason — never dropped
// silently. One JSON object per line (NDJSON), appended and flushed at once:
//   {"time": ..., "input": ..., "reason": ..., "file": ..., "offset": ..., "record": ...}
// Kinds of entries: a line over max_line_bytes (its first bytes as "record_head", the file and
// offset where the whole line still is), a record the server rejected (the record and the
// server's reason), a batch the server refused as a whole (400/415: every record, one per line).
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "common/status.h"

namespace loglake::agent {

struct DeadLetter {
  std::string input;
  std::string reason;
  std::string file;         // empty: not known (records of a batch mix files)
  int64_t offset = -1;      // -1: not known
  std::string_view record;  // the record, or the head of an over-long line
  bool head_only = false;   // `record` is only the first bytes of a longer line
};

class DeadLetterFile {
 public:
  explicit DeadLetterFile(std::string path) : path_(std::move(path)) {}
  Status Write(const DeadLetter& letter);
  const std::string& path() const { return path_; }
  uint64_t written() const;

 private:
  std::string path_;
  mutable std::mutex mu_;
  uint64_t written_ = 0;
};

}  // namespace loglake::agent
