#include "gen/traffic_clock.h"

#include <gtest/gtest.h>

#include <vector>

#include "gen/random.h"

namespace loglake::gen {
namespace {

TEST(TrafficClockTest, TimesAreNonDecreasingAndInsideTheRange) {
  const int64_t start_day = 19844;  // 2024-05-01
  const uint64_t n = 100'000;
  TrafficClock clock(start_day, 3, n, 7);
  Rng rng(1);
  int64_t last = INT64_MIN;
  std::vector<uint64_t> per_day(3);
  for (uint64_t i = 0; i < n; ++i) {
    const int64_t t = clock.TimeOf(i, rng.Uniform());
    ASSERT_GE(t, last);
    ASSERT_GE(t, start_day * kMicrosPerDay);
    ASSERT_LT(t, (start_day + 3) * kMicrosPerDay);
    ++per_day[static_cast<size_t>(t / kMicrosPerDay - start_day)];
    last = t;
  }
  // Every day gets a share near a third (weekday factors and the per-day noise are within ±40%).
  for (uint64_t c : per_day) {
    EXPECT_GT(c, n / 5);
    EXPECT_LT(c, n / 2);
  }
}

TEST(TrafficClockTest, AfternoonIsBusierThanEarlyMorning) {
  EXPECT_GT(TrafficClock::DailyShape(14 * 60), 3 * TrafficClock::DailyShape(6 * 60));
  const int64_t start_day = 19844;
  const uint64_t n = 200'000;
  TrafficClock clock(start_day, 1, n, 3);
  uint64_t afternoon = 0;
  uint64_t early = 0;
  for (uint64_t i = 0; i < n; ++i) {
    const int64_t hour = (clock.TimeOf(i, 0.5) / kMicrosPerSecond / 3600) % 24;
    if (hour == 14) ++afternoon;
    if (hour == 6) ++early;
  }
  EXPECT_GT(afternoon, 3 * early);
}

TEST(TrafficClockTest, WeekendsAreQuieter) {
  EXPECT_LT(TrafficClock::WeekdayFactor(0), TrafficClock::WeekdayFactor(3));
  EXPECT_LT(TrafficClock::WeekdayFactor(6), TrafficClock::WeekdayFactor(3));
}

TEST(TrafficClockTest, DatesBefore1970Work) {
  TrafficClock clock(-3, 2, 10, 1);
  for (uint64_t i = 0; i < 10; ++i) {
    const int64_t t = clock.TimeOf(i, 0.99);
    EXPECT_GE(t, -3 * kMicrosPerDay);
    EXPECT_LT(t, -1 * kMicrosPerDay);
  }
}

}  // namespace
}  // namespace loglake::gen
