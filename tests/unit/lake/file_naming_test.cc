#include "lake/file_naming.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <set>
#include <thread>
#include <vector>

namespace loglake::lake {
namespace {

TEST(FileNamingTest, FormatHasEveryPart) {
  // 2024-03-09T12:34:56.789Z
  int64_t micros = 1709987696789000;
  EXPECT_EQ(FormatFileName("part", micros, 0x0123456789abcdefULL, 7, "parquet"),
            "part-20240309T123456Z-0123456789abcdef-000007.parquet");
  // Before 1970 the second is floored, not truncated toward zero.
  EXPECT_EQ(FormatFileName("e", -1, 1, 1234567, "ndjson"),
            "e-19691231T235959Z-0000000000000001-1234567.ndjson");
}

TEST(FileNamingTest, UniqueNamesMatchThePatternAndNeverRepeat) {
  const std::regex pattern("part-\\d{8}T\\d{6}Z-[0-9a-f]{16}-\\d{6,}\\.parquet");
  std::set<std::string> names;
  for (int i = 0; i < 1000; ++i) {
    std::string n = UniqueFileName("part", "parquet");
    EXPECT_TRUE(std::regex_match(n, pattern)) << n;
    EXPECT_TRUE(names.insert(n).second) << n;
  }
  // All names of one process share its random value.
  std::string hex = names.begin()->substr(22, 16);
  char expected[17];
  std::snprintf(expected, sizeof(expected), "%016llx", static_cast<unsigned long long>(ProcessRandom()));
  EXPECT_EQ(hex, expected);
}

TEST(FileNamingTest, ConcurrentThreadsNeverCollide) {
  std::vector<std::vector<std::string>> per_thread(4);
  std::vector<std::thread> threads;
  for (auto& out : per_thread) {
    threads.emplace_back([&out] {
      for (int i = 0; i < 500; ++i) out.push_back(UniqueFileName("part", "parquet"));
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (auto& v : per_thread) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), 2000u);
}

TEST(FileNamingTest, ForkedChildDrawsANewRandomValue) {
  uint64_t parent = ProcessRandom();
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    uint64_t child = ProcessRandom();
    ssize_t n = ::write(fds[1], &child, sizeof(child));
    ::_exit(n == sizeof(child) ? 0 : 1);
  }
  uint64_t child = 0;
  ASSERT_EQ(::read(fds[0], &child, sizeof(child)), static_cast<ssize_t>(sizeof(child)));
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(fds[0]);
  ::close(fds[1]);
  EXPECT_NE(child, parent);
  EXPECT_EQ(ProcessRandom(), parent);
}

TEST(FileNamingTest, TempNamesAreHidden) {
  EXPECT_EQ(TempFileName("part-x.parquet"), ".part-x.parquet.tmp");
  EXPECT_TRUE(IsHiddenName(TempFileName("a")));
  EXPECT_TRUE(IsHiddenName("_errors"));
  EXPECT_FALSE(IsHiddenName("part-x.parquet"));
  EXPECT_FALSE(IsHiddenName(""));
}

}  // namespace
}  // namespace loglake::lake
