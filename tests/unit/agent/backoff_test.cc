#include "agent/backoff.h"

#include <gtest/gtest.h>

namespace loglake::agent {
namespace {

TEST(BackoffTest, GrowsExponentiallyWithJitterUpToTheCap) {
  Backoff backoff(BackoffOptions{100'000, 1'600'000}, 42);
  int64_t ceiling = 100'000;
  for (int attempt = 0; attempt < 12; ++attempt) {
    const int64_t d = backoff.NextDelayMicros();
    EXPECT_GE(d, ceiling / 2) << attempt;
    EXPECT_LE(d, ceiling) << attempt;
    ceiling = std::min<int64_t>(ceiling * 2, 1'600'000);
  }
}

TEST(BackoffTest, JitterSpreadsTheDelays) {
  Backoff a(BackoffOptions{1'000'000, 30'000'000}, 1);
  Backoff b(BackoffOptions{1'000'000, 30'000'000}, 2);
  int differ = 0;
  for (int i = 0; i < 5; ++i) differ += a.NextDelayMicros() != b.NextDelayMicros();
  EXPECT_GE(differ, 4);
}

TEST(BackoffTest, RetryAfterIsAMinimumAndResetStartsOver) {
  Backoff backoff(BackoffOptions{100'000, 30'000'000}, 7);
  EXPECT_EQ(backoff.NextDelayMicros(5'000'000), 5'000'000);
  backoff.NextDelayMicros();
  backoff.NextDelayMicros();
  EXPECT_EQ(backoff.attempt(), 3);
  backoff.Reset();
  EXPECT_LE(backoff.NextDelayMicros(), 100'000);
}

}  // namespace
}  // namespace loglake::agent
