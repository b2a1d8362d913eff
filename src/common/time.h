// Instants and calendar dates, in UTC, as loglake stores them: int64 microseconds since
// 1970-01-01T00:00:00Z (the Parquet TIMESTAMP(isAdjustedToUTC=true, MICROS) representation).
//
// The calendar is the proleptic Gregorian one, so every int64 instant has a date, including those
// before 1970 (negative values) and before year 1. Conversions floor toward the past: the UTC day
// of -1 µs is 1969-12-31.
//
// ParseTimestampMicros is on the ingest hot path: it neither allocates nor uses locale-dependent
// or regex machinery unless it fails (the error message is then built).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace loglake {

struct CivilDate {
  int year;
  int month;  // 1..12
  int day;    // 1..31
};

inline bool operator==(const CivilDate& a, const CivilDate& b) {
  return a.year == b.year && a.month == b.month && a.day == b.day;
}

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;
// The instants that ParseTimestampMicros can produce: 0000-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999999Z. Other sources of timestamps (epoch numbers in JSON) are held to
// the same range so that every stored time has a four-digit year in its partition path.
constexpr int64_t kMinTimestampMicros = -62167219200LL * kMicrosPerSecond;
constexpr int64_t kMaxTimestampMicros = 253402300800LL * kMicrosPerSecond - 1;

// Parses an ISO-8601 / RFC 3339 timestamp:
//   YYYY-MM-DD                          midnight UTC
//   YYYY-MM-DD{T|t| }hh:mm[:ss[{.|,}f]][zone]
// where f is 1 to 9 fractional-second digits (digits beyond microseconds are truncated toward
// the past, i.e. dropped: the instant is floored to the microsecond, never rounded into the next
// one), and zone is Z, z, +hh:mm, +hhmm or +hh (or with '-'), offsets up to ±23:59. A timestamp
// without a zone is taken as UTC, as Athena/Trino (session zone UTC) and DuckDB do.
// Fields are range-checked (month 1..12, day within the month incl. leap years, hour 0..23,
// minute 0..59, second 0..60). Second 60 (a leap second) is accepted and stored as
// hh:mm:59.999999, the last representable microsecond before the next minute, so order is kept
// and the record stays on its calendar day. No leading or trailing whitespace is allowed.
Result<int64_t> ParseTimestampMicros(std::string_view text);

// "2026-11-22T01:38:18.123456Z": always six fractional digits and 'Z'. Years outside 0..9999
// (possible only for instants that loglake never produces) are written with a sign and at least
// four digits ("-0001-...", "+10000-...").
std::string FormatTimestampMicros(int64_t micros);

// The UTC calendar day containing the instant.
CivilDate CivilDateFromMicros(int64_t micros);
// Midnight UTC at the start of `date`.
int64_t MicrosFromCivilDate(const CivilDate& date);

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12, day 1..31; not validated)
// and back.
int64_t DaysFromCivil(int year, int month, int day);
CivilDate CivilFromDays(int64_t days);

bool IsLeapYear(int year);
// 28..31; 0 for a month outside 1..12.
int DaysInMonth(int year, int month);

// Parses exactly "YYYY-MM-DD" (a valid date, year 0000..9999).
Result<CivilDate> ParseDate(std::string_view yyyy_mm_dd);
// "YYYY-MM-DD".
std::string FormatDate(const CivilDate& date);

// The current wall-clock time.
int64_t NowMicros();

}  // namespace loglake
