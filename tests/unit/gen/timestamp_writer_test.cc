#include "gen/timestamp_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "common/time.h"

namespace loglake::gen {
namespace {

std::string Format(TimestampWriter& w, int64_t micros) {
  char buf[kTimestampLength];
  return std::string(buf, w.Write(micros, buf));
}

TEST(TimestampWriterTest, WritesMicrosecondTimestamps) {
  TimestampWriter w;
  EXPECT_EQ(Format(w, 0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(Format(w, -1), "1969-12-31T23:59:59.999999Z");
  const int64_t t = (DaysFromCivil(2024, 5, 1) * 86400 + 13 * 3600 + 4 * 60 + 5) * kMicrosPerSecond + 123'456;
  EXPECT_EQ(Format(w, t), "2024-05-01T13:04:05.123456Z");
  char buf[kTimestampLength];
  EXPECT_EQ(std::string(buf, w.WriteSeconds(t, buf)), "2024-05-01T13:04:05Z");
  EXPECT_EQ(Format(w, kMinTimestampMicros), "0000-01-01T00:00:00.000000Z");
  EXPECT_EQ(Format(w, kMaxTimestampMicros), "9999-12-31T23:59:59.999999Z");
}

TEST(TimestampWriterTest, CachedDayFollowsDayChanges) {
  TimestampWriter w;
  const int64_t base = DaysFromCivil(2024, 12, 31) * kMicrosPerDay;
  EXPECT_EQ(Format(w, base + kMicrosPerDay - 1), "2024-12-31T23:59:59.999999Z");
  EXPECT_EQ(Format(w, base + kMicrosPerDay), "2025-01-01T00:00:00.000000Z");
  EXPECT_EQ(Format(w, base), "2024-12-31T00:00:00.000000Z");
}

// Agrees with the project's reference formatter everywhere, pre-1970 and leap days included.
TEST(TimestampWriterTest, AgreesWithCommonFormatter) {
  TimestampWriter w;
  for (int64_t micros = -5'000 * kMicrosPerDay; micros < 25'000 * kMicrosPerDay;
       micros += 86'399'999'937LL /* drifts through every time of day */) {
    ASSERT_EQ(Format(w, micros), FormatTimestampMicros(micros));
  }
}

}  // namespace
}  // namespace loglake::gen
