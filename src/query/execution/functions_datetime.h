// Calendar arithmetic and formatting on UTC microsecond timestamps, as Trino does it with the
// session zone UTC. Shared by the datetime functions, interval arithmetic and casts; exposed
// for tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace loglake::query {

enum class DateUnit : uint8_t { kMillisecond, kSecond, kMinute, kHour, kDay, kWeek, kMonth, kQuarter, kYear };

// "second", "minute", ... (case-insensitive, as Trino accepts them); nullopt otherwise.
std::optional<DateUnit> ParseDateUnit(std::string_view name);

// `micros` plus `months` calendar months; the day of month is clamped to the last day of the
// target month (Jan 31 + 1 month = Feb 28/29), the time of day is kept. False on overflow.
bool AddMonthsToMicros(int64_t micros, int64_t months, int64_t* out);

// date_trunc: the start of the unit containing `micros` (weeks start on Monday).
int64_t TruncateMicros(DateUnit unit, int64_t micros);

// date_add: `micros` plus `amount` units. False on overflow.
bool AddUnitsToMicros(DateUnit unit, int64_t amount, int64_t micros, int64_t* out);

// date_diff: whole units from `from` to `to` (negative when to < from); months, quarters and
// years count complete calendar months like Joda-Time (Jan 31 → Feb 28 is one month).
int64_t DiffMicros(DateUnit unit, int64_t from, int64_t to);

// date_format with MySQL specifiers. Supported: %a %b %c %D %d %e %f %H %h %I %i %j %k %l %M %m
// %p %r %S %s %T %v %W %x %Y %y %%; any other character after '%' is written as is. Trino
// rejects %U %u %V %w %X, and so do we (InvalidArgument).
Status ValidateDateFormat(std::string_view format);
void AppendDateFormat(int64_t micros, std::string_view format, std::string* out);

// "2024-05-01T12:34:56.123456": Trino's to_iso8601 of a timestamp(6).
void AppendIso8601(int64_t micros, std::string* out);
// "2024-05-01 12:34:56.123456": Trino's CAST(timestamp(6) AS varchar).
void AppendSqlTimestamp(int64_t micros, std::string* out);

// Floor division helpers for negative instants.
inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
inline int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

}  // namespace loglake::query
