#include "ingest/event_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "common/file.h"
#include "common/time.h"
#include "lake/json_text.h"

namespace loglake::ingest {

std::string FormatObjectCreated(const ObjectCreated& e) {
  std::string out = "{\"event\":\"object_created\",\"table\":";
  lake::AppendJsonString(&out, e.table);
  out += ",\"key\":";
  lake::AppendJsonString(&out, e.key);
  out += ",\"partition\":";
  lake::AppendJsonString(&out, e.partition);
  out += ",\"rows\":" + std::to_string(e.rows) + ",\"bytes\":" + std::to_string(e.bytes);
  const auto time = [&](const char* name, const std::optional<int64_t>& micros) {
    out += ",\"";
    out += name;
    out += "\":";
    if (micros) {
      lake::AppendJsonString(&out, FormatTimestampMicros(*micros));
    } else {
      out += "null";
    }
  };
  time("min_time", e.min_time_micros);
  time("max_time", e.max_time_micros);
  out += ",\"wal_id\":";
  lake::AppendJsonString(&out, e.wal_id);
  out += ",\"wal_from\":" + std::to_string(e.wal_from) + ",\"published_at\":";
  lake::AppendJsonString(&out, FormatTimestampMicros(e.published_micros));
  out += "}\n";
  return out;
}

Result<std::unique_ptr<EventLog>> EventLog::Open(const std::string& lake_dir) {
  const std::string dir = lake_dir + "/_events";
  RETURN_IF_ERROR(CreateDirectories(dir));
  const std::string path = dir + "/object_created.ndjson";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  RETURN_IF_ERROR(SyncDirectory(dir));
  return std::unique_ptr<EventLog>(new EventLog(fd, path));
}

EventLog::~EventLog() { ::close(fd_); }

Status EventLog::Append(const std::vector<ObjectCreated>& events) {
  if (events.empty()) return Status::OK();
  std::string lines;
  for (const ObjectCreated& e : events) lines += FormatObjectCreated(e);
  std::lock_guard<std::mutex> lock(mu_);
  const off_t before = ::lseek(fd_, 0, SEEK_END);
  std::string_view rest = lines;
  while (!rest.empty()) {
    const ssize_t n = ::write(fd_, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      // Never leave half a line for a reader to trip over: cut back to where this append began.
      if (before >= 0) {
        const int cut = ::ftruncate(fd_, before);
        (void)cut;
      }
      return Status::IOError("cannot append to " + path_ + ": " + std::strerror(err));
    }
    rest.remove_prefix(static_cast<size_t>(n));
  }
  if (::fdatasync(fd_) != 0) return Status::IOError("cannot fsync " + path_ + ": " + std::strerror(errno));
  return Status::OK();
}

}  // namespace loglake::ingest
