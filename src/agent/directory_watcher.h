// DirectoryWatcher: wakes the tailer when something happens in the folders it tails.
//
// inotify is only a hint that shortens the wait; the truth is always a scan (glob + stat) and a
// read of every open file. So a lost event cannot lose data: with inotify unavailable (another
// file system, no more watches) the tailer polls every poll_interval, and an IN_Q_OVERFLOW (the
// kernel dropped events) simply asks for a full rescan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace loglake::agent {

struct WatchEvents {
  bool modified = false;  // some file was written
  bool rescan = false;    // files appeared, moved or vanished, or events were lost: scan the globs
};

// Folds a buffer of inotify events, as read(2) returns them, into `events`, and counts the
// IN_Q_OVERFLOW ones in *overflows. Apart from Wait so that tests can feed it what the kernel
// rarely produces. A truncated last event is ignored.
void FoldInotifyEvents(const char* buffer, size_t size, WatchEvents* events, uint64_t* overflows);

class DirectoryWatcher {
 public:
  DirectoryWatcher();
  ~DirectoryWatcher();
  DirectoryWatcher(const DirectoryWatcher&) = delete;
  DirectoryWatcher& operator=(const DirectoryWatcher&) = delete;

  // Watches `dir` (its entries' creation, writes, renames, deletion). False if inotify cannot
  // (the caller then relies on polling for that folder).
  bool Watch(const std::string& dir);
  // Waits up to timeout_micros for events and returns them (nothing on timeout).
  WatchEvents Wait(int64_t timeout_micros);
  bool active() const { return fd_ >= 0; }
  uint64_t overflows() const { return overflows_; }

 private:
  int fd_ = -1;
  std::vector<std::string> watched_;
  uint64_t overflows_ = 0;
};

}  // namespace loglake::agent
