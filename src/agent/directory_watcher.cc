#include "agent/directory_watcher.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace loglake::agent {

void FoldInotifyEvents(const char* buffer, size_t size, WatchEvents* events, uint64_t* overflows) {
  for (size_t at = 0; at + sizeof(inotify_event) <= size;) {
    inotify_event e;
    std::memcpy(&e, buffer + at, sizeof e);  // the buffer need not be aligned
    if (e.mask & IN_Q_OVERFLOW) {
      // The kernel dropped events (max_queued_events): whatever was created or moved meanwhile is
      // known only to a scan.
      ++*overflows;
      events->rescan = true;
    }
    if (e.mask & (IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_IGNORED)) events->rescan = true;
    if (e.mask & (IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB)) events->modified = true;
    at += sizeof(inotify_event) + e.len;
  }
}

DirectoryWatcher::DirectoryWatcher() { fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC); }

DirectoryWatcher::~DirectoryWatcher() {
  if (fd_ >= 0) ::close(fd_);
}

bool DirectoryWatcher::Watch(const std::string& dir) {
  if (fd_ < 0) return false;
  if (std::find(watched_.begin(), watched_.end(), dir) != watched_.end()) return true;
  const int wd = ::inotify_add_watch(fd_, dir.c_str(),
                                     IN_MODIFY | IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_CLOSE_WRITE |
                                         IN_ATTRIB);
  if (wd < 0) return false;
  watched_.push_back(dir);
  return true;
}

WatchEvents DirectoryWatcher::Wait(int64_t timeout_micros) {
  WatchEvents events;
  if (timeout_micros < 0) timeout_micros = 0;
  if (fd_ < 0) {
    std::this_thread::sleep_for(std::chrono::microseconds(timeout_micros));
    return events;
  }
  pollfd p{fd_, POLLIN, 0};
  const int ready = ::poll(&p, 1, static_cast<int>((timeout_micros + 999) / 1000));
  if (ready <= 0) return events;
  alignas(inotify_event) char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n <= 0) break;  // EAGAIN: drained
    FoldInotifyEvents(buffer, static_cast<size_t>(n), &events, &overflows_);
  }
  return events;
}

}  // namespace loglake::agent
