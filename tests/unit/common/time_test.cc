#include "common/time.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <limits>
#include <random>

namespace loglake {
namespace {

constexpr int64_t k20261122T013818 = 1795311498000000;  // 2026-11-22T01:38:18Z

int64_t MustParse(std::string_view text) {
  Result<int64_t> r = ParseTimestampMicros(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? *r : 0;
}

void ExpectRejected(std::string_view text, std::string_view reason) {
  Result<int64_t> r = ParseTimestampMicros(text);
  ASSERT_FALSE(r.ok()) << text << " was accepted as " << (r.ok() ? *r : 0);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find(reason), std::string::npos) << r.status().message();
}

TEST(TimeTest, ParsesUtcTimestamps) {
  EXPECT_EQ(MustParse("2026-11-22T01:38:18Z"), k20261122T013818);
  EXPECT_EQ(MustParse("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(MustParse("1900-03-01T12:00:00Z"), -2203848000000000);
  EXPECT_EQ(MustParse("0001-01-01T00:00:00Z"), -62135596800000000);
  EXPECT_EQ(MustParse("2000-02-29T23:59:59.999999Z"), 951868799999999);
}

TEST(TimeTest, AcceptsSeparatorAndZoneVariants) {
  EXPECT_EQ(MustParse("2026-11-22t01:38:18z"), k20261122T013818);
  EXPECT_EQ(MustParse("2026-11-22 01:38:18Z"), k20261122T013818);
  EXPECT_EQ(MustParse("2026-11-22T01:38:18"), k20261122T013818);  // no zone: UTC
  EXPECT_EQ(MustParse("2026-11-22T01:38:18+00:00"), k20261122T013818);
  EXPECT_EQ(MustParse("2026-11-22T01:38:18-00:00"), k20261122T013818);
  EXPECT_EQ(MustParse("2026-11-22T01:38Z"), k20261122T013818 - 18 * kMicrosPerSecond);
  EXPECT_EQ(MustParse("2026-11-22"), k20261122T013818 - (3600 + 38 * 60 + 18) * kMicrosPerSecond);
}

TEST(TimeTest, AppliesOffsets) {
  EXPECT_EQ(MustParse("2026-11-22T10:38:18+09:00"), k20261122T013818);
  EXPECT_EQ(MustParse("2026-11-22T10:38:18+0900"), k20261122T013818);
  EXPECT_EQ(MustParse("2026-11-22T10:38:18+09"), k20261122T013818);
  EXPECT_EQ(MustParse("2026-11-21T20:08:18-0530"), k20261122T013818);
  EXPECT_EQ(MustParse("2026-11-21T20:08:18-05:30"), k20261122T013818);
  // The offset moves the instant across a day (and year) boundary.
  EXPECT_EQ(MustParse("2027-01-01T08:59:59.5+09:00"), MustParse("2026-12-31T23:59:59.5Z"));
  EXPECT_EQ(MustParse("1969-12-31T20:00:00-04:00"), 0);
}

TEST(TimeTest, FractionalSecondsTruncateTowardThePast) {
  EXPECT_EQ(MustParse("2026-11-22T01:38:18.1Z"), k20261122T013818 + 100000);
  EXPECT_EQ(MustParse("2026-11-22T01:38:18,25Z"), k20261122T013818 + 250000);
  EXPECT_EQ(MustParse("2026-11-22T01:38:18.123456Z"), k20261122T013818 + 123456);
  EXPECT_EQ(MustParse("2026-11-22T01:38:18.1234567Z"), k20261122T013818 + 123456);
  EXPECT_EQ(MustParse("2026-11-22T01:38:18.123456999Z"), k20261122T013818 + 123456);
  // Before 1970 the dropped digits also move the instant toward the past, never to the next µs.
  EXPECT_EQ(MustParse("1969-12-31T23:59:59.9999999Z"), -1);
  EXPECT_EQ(MustParse("1969-12-31T23:59:59.000000999Z"), -1000000);
}

TEST(TimeTest, LeapSecondIsTheLastMicrosecondOfTheMinute) {
  EXPECT_EQ(MustParse("2016-12-31T23:59:60Z"), MustParse("2016-12-31T23:59:59.999999Z"));
  EXPECT_EQ(MustParse("2016-12-31T23:59:60.5Z"), MustParse("2016-12-31T23:59:59.999999Z"));
  EXPECT_LT(MustParse("2016-12-31T23:59:60Z"), MustParse("2017-01-01T00:00:00Z"));
}

TEST(TimeTest, ValidatesRanges) {
  ExpectRejected("2026-13-01T00:00:00Z", "month");
  ExpectRejected("2026-00-01T00:00:00Z", "month");
  ExpectRejected("2026-04-31T00:00:00Z", "day");
  ExpectRejected("2026-11-00", "day");
  ExpectRejected("2023-02-29T00:00:00Z", "day");
  EXPECT_EQ(MustParse("2024-02-29T00:00:00Z"), MustParse("2024-03-01T00:00:00Z") - kMicrosPerDay);
  ExpectRejected("1900-02-29", "day");  // divisible by 100, not by 400
  EXPECT_EQ(MustParse("2000-02-29"), MustParse("2000-03-01") - kMicrosPerDay);
  ExpectRejected("2026-11-22T24:00:00Z", "hour");
  ExpectRejected("2026-11-22T23:60:00Z", "minute");
  ExpectRejected("2026-11-22T23:59:61Z", "second");
  ExpectRejected("2026-11-22T10:00:00+24:00", "offset");
  ExpectRejected("2026-11-22T10:00:00+05:60", "offset");
}

TEST(TimeTest, RejectsMalformedText) {
  ExpectRejected("", "YYYY-MM-DD");
  ExpectRejected("2026-1-22", "YYYY-MM-DD");
  ExpectRejected("26-11-22T00:00:00Z", "YYYY-MM-DD");
  ExpectRejected("2026/11/22", "YYYY-MM-DD");
  ExpectRejected(" 2026-11-22", "YYYY-MM-DD");
  ExpectRejected("2026-11-22X01:38:18Z", "'T'");
  ExpectRejected("2026-11-22T", "hh:mm");
  ExpectRejected("2026-11-22T1:38:18Z", "hh:mm");
  ExpectRejected("2026-11-22T01:38:1Z", "seconds");
  ExpectRejected("2026-11-22T01:38:18.Z", "digits after the decimal point");
  ExpectRejected("2026-11-22T01:38:18.1234567890Z", "more than 9");
  ExpectRejected("2026-11-22T01:38:18ZZ", "unexpected characters");
  ExpectRejected("2026-11-22T01:38:18Z ", "unexpected characters");
  ExpectRejected("2026-11-22T01:38:18+9", "hh after the zone sign");
  ExpectRejected("2026-11-22T01:38:18+09:0", "mm in the zone offset");
  ExpectRejected("2026-11-22T01:38:18 UTC", "Z or a +hh:mm offset");
  ExpectRejected("1700000000", "YYYY-MM-DD");
}

TEST(TimeTest, ErrorQuotesTheTextBounded) {
  const std::string long_text = "2026-11-22T01:38:18Z" + std::string(1000, 'x');
  Result<int64_t> r = ParseTimestampMicros(long_text);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("\"2026-11-22T01:38:18Z"), std::string::npos);
  EXPECT_LT(r.status().message().size(), 200u);
}

TEST(TimeTest, SupportsYearsZeroToNineThousandNineHundredNinetyNine) {
  EXPECT_EQ(MustParse("0000-01-01T00:00:00Z"), kMinTimestampMicros);
  EXPECT_EQ(MustParse("9999-12-31T23:59:59.999999Z"), kMaxTimestampMicros);
  EXPECT_EQ(MustParse("0000-02-29"), kMinTimestampMicros + 59 * kMicrosPerDay);  // year 0 is a leap year
  ExpectRejected("0000-01-01T00:00:00+01:00", "0000..9999");
  ExpectRejected("9999-12-31T23:59:59-01:00", "0000..9999");
}

TEST(TimeTest, FormatsWithSixFractionalDigits) {
  EXPECT_EQ(FormatTimestampMicros(k20261122T013818 + 123456), "2026-11-22T01:38:18.123456Z");
  EXPECT_EQ(FormatTimestampMicros(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestampMicros(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatTimestampMicros(-2203848000000000), "1900-03-01T12:00:00.000000Z");
  EXPECT_EQ(FormatTimestampMicros(kMinTimestampMicros), "0000-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestampMicros(kMaxTimestampMicros), "9999-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatTimestampMicros(kMinTimestampMicros - 1), "-0001-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatTimestampMicros(kMaxTimestampMicros + 1), "+10000-01-01T00:00:00.000000Z");
  // The extremes of int64 do not overflow.
  EXPECT_EQ(FormatTimestampMicros(std::numeric_limits<int64_t>::max()), "+294247-01-10T04:00:54.775807Z");
  EXPECT_EQ(FormatTimestampMicros(std::numeric_limits<int64_t>::min()), "-290308-12-21T19:59:05.224192Z");
}

TEST(TimeTest, FormatAndParseRoundTripOverTheWholeRange) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> dist(kMinTimestampMicros, kMaxTimestampMicros);
  for (int i = 0; i < 100000; ++i) {
    const int64_t micros = dist(rng);
    const std::string text = FormatTimestampMicros(micros);
    Result<int64_t> back = ParseTimestampMicros(text);
    ASSERT_TRUE(back.ok()) << text;
    ASSERT_EQ(*back, micros) << text;
  }
}

TEST(TimeTest, CivilConversionsAgreeWithTimegm) {
  // libc's timegm is an independent implementation of the same calendar arithmetic.
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> days(-800000, 2900000);  // about 0160 to 9900
  for (int i = 0; i < 100000; ++i) {
    const int64_t d = days(rng);
    const CivilDate date = CivilFromDays(d);
    std::tm tm{};
    tm.tm_year = date.year - 1900;
    tm.tm_mon = date.month - 1;
    tm.tm_mday = date.day;
    ASSERT_EQ(static_cast<int64_t>(timegm(&tm)), d * 86400)
        << date.year << "-" << date.month << "-" << date.day;
    ASSERT_EQ(DaysFromCivil(date.year, date.month, date.day), d);
    ASSERT_GE(date.day, 1);
    ASSERT_LE(date.day, DaysInMonth(date.year, date.month));
  }
}

TEST(TimeTest, CivilDateFromMicrosFloorsNegativeInstants) {
  EXPECT_EQ(CivilDateFromMicros(0), (CivilDate{1970, 1, 1}));
  EXPECT_EQ(CivilDateFromMicros(-1), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(CivilDateFromMicros(-kMicrosPerDay), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(CivilDateFromMicros(-kMicrosPerDay - 1), (CivilDate{1969, 12, 30}));
  EXPECT_EQ(CivilDateFromMicros(k20261122T013818), (CivilDate{2026, 11, 22}));
  EXPECT_EQ(CivilDateFromMicros(kMinTimestampMicros), (CivilDate{0, 1, 1}));
  EXPECT_EQ(CivilDateFromMicros(kMaxTimestampMicros), (CivilDate{9999, 12, 31}));
  EXPECT_EQ(MicrosFromCivilDate({2026, 11, 22}), MustParse("2026-11-22"));
  EXPECT_EQ(MicrosFromCivilDate({1969, 12, 31}), -kMicrosPerDay);
}

TEST(TimeTest, ParsesAndFormatsDates) {
  Result<CivilDate> d = ParseDate("2026-11-22");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, (CivilDate{2026, 11, 22}));
  EXPECT_EQ(FormatDate(*d), "2026-11-22");
  EXPECT_EQ(FormatDate({5, 1, 9}), "0005-01-09");
  EXPECT_TRUE(ParseDate("2024-02-29").ok());
  EXPECT_FALSE(ParseDate("2023-02-29").ok());
  EXPECT_FALSE(ParseDate("2026-11-22T00:00:00Z").ok());
  EXPECT_FALSE(ParseDate("2026-11-2").ok());
  EXPECT_FALSE(ParseDate("2026-1a-22").ok());
  EXPECT_NE(ParseDate("2026-13-01").status().message().find("2026-13-01"), std::string::npos);
}

TEST(TimeTest, NowIsAfter2025) {
  EXPECT_GT(NowMicros(), MustParse("2025-01-01"));
  EXPECT_LT(NowMicros(), MustParse("2200-01-01"));
}

}  // namespace
}  // namespace loglake
