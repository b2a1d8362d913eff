#include "agent/directory_watcher.h"

#include <gtest/gtest.h>

#include <cstdio>
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

TEST(DirectoryWatcherTest, AFolderThatCannotBeWatchedIsRefused) {
  DirectoryWatcher watcher;
  EXPECT_FALSE(watcher.Watch("/no/such/folder/for/loglake"));
}

}  // namespace
}  // namespace loglake::agent
