// The query audit log: every submission of the query API — who sent which query with which
// parameters, what became of it and what it read (README "Query API", Audit log).
//
// NDJSON, one line per finished query (any final state) and per refused submission, appended
// with O_APPEND so that each line is written by one write(2) and lines of concurrent queries
// never interleave:
//   {"time":"2026-11-22T10:00:00.000000Z","id":"…","token":"support-tokyo","remote":"10.0.0.7",
//    "sql":"SELECT …","params":[…],"state":"SUCCEEDED","http_status":200,"code":null,"rows":12,
//    "bytes_scanned":123456,"elapsed_seconds":0.25,"error":null}
// "token" is the token's configured name, else a short hash of it — never the secret — and null
// for a caller without a valid token. "params" is the JSON the client sent. "state" REFUSED: the
// submission was answered "http_status" with error "code" and message "error" and never queued
// ("id" null, nothing read). "code" of a query that did not succeed is its error code. What is
// not known is null. The file is not fsynced per line: it is a record for people, and a crash
// loses at most the last lines the kernel had not written.
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

  // Appends the line of a finished query or a refused submission; an error is returned (and the
  // query is not affected).
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
