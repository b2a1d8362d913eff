// The query audit log: who ran which query, with which parameters, and what it read.
//
// NDJSON, one line per finished query (any final state), appended with O_APPEND so that each
// line is written by one write(2) and lines of concurrent queries never interleave:
//   {"time":"2026-11-22T10:00:00.000000Z","id":"…","token":"support-tokyo","sql":"SELECT …",
//    "params":[…],"state":"SUCCEEDED","rows":12,"bytes_scanned":123456,"elapsed_seconds":0.25,
//    "error":null}
// "token" is the token's configured name, else a short hash of it — never the secret. "params"
// is the JSON the client sent. The file is not fsynced per line: it is a record for people, and
// a crash loses at most the last lines the kernel had not written.
#pragma once

#include <mutex>
#include <string>

#include "common/status.h"
#include "server/query_manager.h"

namespace loglake::server {

class AuditLog {
 public:
  // Opens (creating it and its directory) `path` for appending.
  static Result<std::unique_ptr<AuditLog>> Open(const std::string& path);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends the line of a finished query; an error is returned (and the query is not affected).
  Status Record(const QuerySnapshot& query);
  const std::string& path() const { return path_; }

 private:
  AuditLog(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

// The line Record writes (without the newline); exposed for tests.
std::string AuditLine(const QuerySnapshot& query, int64_t now_micros);

}  // namespace loglake::server
