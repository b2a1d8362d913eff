#include "server/audit_log.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "common/file.h"
#include "common/time.h"
#include "lake/json_text.h"
#include "server/query_api.h"

namespace loglake::server {

namespace {

// A JSON string, or null for "" (what the line does not know).
void AppendStringOrNull(std::string* line, const std::string& text) {
  if (text.empty()) {
    *line += "null";
  } else {
    lake::AppendJsonString(line, text);
  }
}

}  // namespace

std::string AuditLine(const QuerySnapshot& q, int64_t now_micros) {
  std::string line = "{\"time\":";
  lake::AppendJsonString(&line, FormatTimestampMicros(now_micros));
  line += ",\"id\":";
  AppendStringOrNull(&line, q.id);
  line += ",\"token\":";
  AppendStringOrNull(&line, q.principal);
  line += ",\"remote\":";
  AppendStringOrNull(&line, q.remote);
  line += ",\"sql\":";
  AppendStringOrNull(&line, q.sql);
  line += ",\"params\":";
  line += q.params_json.empty() ? "null" : q.params_json;
  line += ",\"state\":";
  lake::AppendJsonString(&line, QueryStateName(q.state));
  line += ",\"http_status\":" + std::to_string(q.http_status);
  line += ",\"code\":";
  if (!q.refusal_code.empty()) {
    lake::AppendJsonString(&line, q.refusal_code);
  } else if (!q.error.ok()) {
    lake::AppendJsonString(&line, FailureCode(q.error));
  } else {
    line += "null";
  }
  line += ",\"rows\":" + std::to_string(q.stats.rows_returned);
  line += ",\"bytes_scanned\":" + std::to_string(q.stats.bytes_scanned);
  char elapsed[32];
  std::snprintf(elapsed, sizeof(elapsed), "%.6f", q.elapsed_seconds);
  line += ",\"elapsed_seconds\":";
  line += elapsed;
  line += ",\"error\":";
  if (q.error.ok()) {
    line += "null";
  } else {
    lake::AppendJsonString(&line, q.error.message());
  }
  line += "}";
  return line;
}

Result<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) RETURN_IF_ERROR(CreateDirectories(path.substr(0, slash)));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) return Status::IOError("cannot open the audit log " + path + ": " + std::strerror(errno));
  return std::unique_ptr<AuditLog>(new AuditLog(fd, path));
}

AuditLog::~AuditLog() { ::close(fd_); }

Status AuditLog::Record(const QuerySnapshot& query) {
  const std::string line = AuditLine(query, NowMicros()) + "\n";
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError("cannot write the audit log " + path_ + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  return Status::OK();
}

}  // namespace loglake::server
