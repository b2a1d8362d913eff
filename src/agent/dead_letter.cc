#include "agent/dead_letter.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/time.h"
#include "lake/json_text.h"

namespace loglake::agent {

Status DeadLetterFile::Write(const DeadLetter& letter) {
  std::string line = "{\"time\":";
  lake::AppendJsonString(&line, FormatTimestampMicros(NowMicros()));
  line += ",\"input\":";
  lake::AppendJsonString(&line, letter.input);
  line += ",\"reason\":";
  lake::AppendJsonString(&line, letter.reason);
  if (!letter.file.empty()) {
    line += ",\"file\":";
    lake::AppendJsonString(&line, letter.file);
  }
  if (letter.offset >= 0) line += ",\"offset\":" + std::to_string(letter.offset);
  line += letter.head_only ? ",\"record_head\":" : ",\"record\":";
  lake::AppendJsonString(&line, letter.record);
  line += "}\n";

  std::lock_guard<std::mutex> lock(mu_);
  // Opened per entry: dead letters are rare, and a file moved away by an operator is recreated.
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot open the dead-letter file " + path_ + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const Status s = Status::IOError("cannot write the dead-letter file " + path_ + ": " + std::strerror(errno));
      ::close(fd);
      return s;
    }
    done += static_cast<size_t>(n);
  }
  // Durable before the checkpoint moves past the record it stands for.
  ::fdatasync(fd);
  ::close(fd);
  ++written_;
  return Status::OK();
}

uint64_t DeadLetterFile::written() const {
  std::lock_guard<std::mutex> lock(mu_);
  return written_;
}

}  // namespace loglake::agent
