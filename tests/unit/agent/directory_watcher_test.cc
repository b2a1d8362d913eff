#include "agent/directory_watcher.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>

#include "test_util.h"

namespace loglake::agent {
namespace {

TEST(DirectoryWatcherTest, CreationAsksForARescanAndWritesWakeTheTailer) {
  const std::string dir = testing_util::FreshTempDir("agent-watcher");
  DirectoryWatcher watcher;
  ASSERT_TRUE(watcher.active()) << "inotify is not available here";
  ASSERT_TRUE(watcher.Watch(dir));
  EXPECT_TRUE(watcher.Watch(dir));  // twice is once

  WatchEvents nothing = watcher.Wait(10'000);
  EXPECT_FALSE(nothing.rescan);
  EXPECT_FALSE(nothing.modified);

  { std::ofstream(dir + "/app.log") << "{}\n"; }
  WatchEvents created = watcher.Wait(1'000'000);
  EXPECT_TRUE(created.rescan);

  { std::ofstream(dir + "/app.log", std::ios::app) << "{}\n"; }
  WatchEvents written = watcher.Wait(1'000'000);
  EXPECT_TRUE(written.modified);
  EXPECT_FALSE(written.rescan);

  ASSERT_EQ(std::rename((dir + "/app.log").c_str(), (dir + "/app.log.1").c_str()), 0);
  EXPECT_TRUE(watcher.Wait(1'000'000).rescan);
}

// One event as the kernel lays it out: the header, then the name padded with NULs to `len`.
void AppendEvent(std::string* buffer, int wd, uint32_t mask, const std::string& name = "") {
  inotify_event e{};
  e.wd = wd;
  e.mask = mask;
  e.len = name.empty() ? 0 : static_cast<uint32_t>((name.size() + 1 + 15) / 16 * 16);
  buffer->append(reinterpret_cast<const char*>(&e), sizeof e);
  std::string padded = name;
  padded.resize(e.len, '\0');
  buffer->append(padded);
}

TEST(DirectoryWatcherTest, AQueueOverflowAsksForARescanAndIsCounted) {
  // What read(2) returns once the kernel's queue was full: the events that fit, then one
  // IN_Q_OVERFLOW (wd -1, no name). The creations that did not fit are lost: only a scan finds them.
  std::string buffer;
  AppendEvent(&buffer, 1, IN_MODIFY, "app.log");
  AppendEvent(&buffer, 1, IN_MODIFY, "other.log");
  std::string only_writes = buffer;
  AppendEvent(&buffer, -1, IN_Q_OVERFLOW);

  WatchEvents writes;
  uint64_t overflows = 0;
  FoldInotifyEvents(only_writes.data(), only_writes.size(), &writes, &overflows);
  EXPECT_TRUE(writes.modified);
  EXPECT_FALSE(writes.rescan);
  EXPECT_EQ(overflows, 0u);

  WatchEvents lost;
  FoldInotifyEvents(buffer.data(), buffer.size(), &lost, &overflows);
  EXPECT_TRUE(lost.modified);
  EXPECT_TRUE(lost.rescan);
  EXPECT_EQ(overflows, 1u);

  // Unaligned (the header is copied out, not cast in place) and with a truncated tail: the whole
  // events are read, the torn one is ignored.
  std::string shifted = "x" + buffer + std::string(5, '\0');
  WatchEvents again;
  FoldInotifyEvents(shifted.data() + 1, shifted.size() - 1, &again, &overflows);
  EXPECT_TRUE(again.rescan);
  EXPECT_EQ(overflows, 2u);
}

TEST(DirectoryWatcherTest, EveryKindOfEventMapsToWhatTheTailerMustDo) {
  const struct {
    uint32_t mask;
    bool rescan;
    bool modified;
  } cases[] = {{IN_CREATE, true, false},    {IN_MOVED_FROM, true, false},  {IN_MOVED_TO, true, false},
               {IN_DELETE, true, false},    {IN_IGNORED, true, false},     {IN_MODIFY, false, true},
               {IN_CLOSE_WRITE, false, true}, {IN_ATTRIB, false, true},    {IN_Q_OVERFLOW, true, false},
               {IN_OPEN, false, false}};
  for (const auto& c : cases) {
    std::string buffer;
    AppendEvent(&buffer, 1, c.mask, "a-rather-long-file-name.log");
    WatchEvents events;
    uint64_t overflows = 0;
    FoldInotifyEvents(buffer.data(), buffer.size(), &events, &overflows);
    EXPECT_EQ(events.rescan, c.rescan) << "mask " << c.mask;
    EXPECT_EQ(events.modified, c.modified) << "mask " << c.mask;
    EXPECT_EQ(overflows, c.mask == IN_Q_OVERFLOW ? 1u : 0u) << "mask " << c.mask;
  }
}

// A real overflow, without touching the machine-wide limit: more events than
// /proc/sys/fs/inotify/max_queued_events while the watcher does not read (as while the agent
// sleeps between passes). Writes alternate between two files, since the kernel merges an event
// identical to the last one queued.
TEST(DirectoryWatcherTest, ARealQueueOverflowIsReportedAsARescan) {
  std::ifstream limit_file("/proc/sys/fs/inotify/max_queued_events");
  uint64_t limit = 0;
  ASSERT_TRUE(limit_file >> limit) << "cannot read /proc/sys/fs/inotify/max_queued_events";
  const std::string dir = testing_util::FreshTempDir("agent-watcher-overflow");
  // Created before the watch: a creation event would ask for a rescan by itself.
  const int a = ::open((dir + "/noise-a.tmp").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const int b = ::open((dir + "/noise-b.tmp").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  ASSERT_GE(a, 0);
  ASSERT_GE(b, 0);
  DirectoryWatcher watcher;
  ASSERT_TRUE(watcher.active());
  ASSERT_TRUE(watcher.Watch(dir));
  for (uint64_t i = 0; i < limit + 100; ++i) ASSERT_EQ(::write(i % 2 == 0 ? a : b, "x", 1), 1);
  ::close(a);
  ::close(b);
  // Created after the queue filled: its IN_CREATE is lost, only the overflow tells of it.
  { std::ofstream(dir + "/late.log") << "{}\n"; }

  WatchEvents events = watcher.Wait(1'000'000);
  EXPECT_TRUE(events.rescan);
  EXPECT_TRUE(events.modified);
  EXPECT_EQ(watcher.overflows(), 1u);
  // The queue is usable again afterwards.
  { std::ofstream(dir + "/later.log") << "{}\n"; }
  EXPECT_TRUE(watcher.Wait(1'000'000).rescan);
  EXPECT_EQ(watcher.overflows(), 1u);
}

TEST(DirectoryWatcherTest, AFolderThatCannotBeWatchedIsRefused) {
  DirectoryWatcher watcher;
  EXPECT_FALSE(watcher.Watch("/no/such/folder/for/loglake"));
}

}  // namespace
}  // namespace loglake::agent
