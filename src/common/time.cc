#include "common/time.h"

#include <chrono>

namespace loglake {
namespace {

// The value of exactly `count` ASCII digits at p, or -1 if one of them is not a digit.
inline int ReadDigits(const char* p, int count) {
  int v = 0;
  for (int i = 0; i < count; ++i) {
    unsigned d = static_cast<unsigned char>(p[i]) - '0';
    if (d > 9) return -1;
    v = v * 10 + static_cast<int>(d);
  }
  return v;
}

inline bool IsDigit(char c) {
  return static_cast<unsigned>(static_cast<unsigned char>(c) - '0') <= 9;
}

// Error path only: the text is quoted (and cut, so that a megabyte of garbage does not end up
// in every message).
Status TimestampError(std::string_view text, std::string_view why) {
  constexpr size_t kMaxQuoted = 64;
  std::string msg = "invalid timestamp \"";
  msg.append(text.substr(0, kMaxQuoted));
  if (text.size() > kMaxQuoted) msg.append("...");
  msg.append("\": ");
  msg.append(why);
  return Status::InvalidArgument(std::move(msg));
}

// Floor division/modulo by a positive divisor, without overflow for any int64 dividend.
inline void FloorDivMod(int64_t value, int64_t divisor, int64_t* quotient, int64_t* remainder) {
  int64_t q = value / divisor;
  int64_t r = value % divisor;
  if (r < 0) {
    r += divisor;
    --q;
  }
  *quotient = q;
  *remainder = r;
}

// Writes `value` (>= 0) as exactly `width` digits ending at p + width.
inline void WriteDigits(char* p, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// Appends the year as four digits, or with a sign and at least four digits outside 0..9999.
void AppendYear(std::string* out, int64_t year) {
  if (year >= 0 && year <= 9999) {
    char buf[4];
    WriteDigits(buf, year, 4);
    out->append(buf, 4);
    return;
  }
  out->push_back(year < 0 ? '-' : '+');
  uint64_t magnitude = year < 0 ? 0 - static_cast<uint64_t>(year) : static_cast<uint64_t>(year);
  char buf[24];
  int n = 0;
  while (magnitude > 0 || n < 4) {
    buf[n++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  }
  while (n > 0) out->push_back(buf[--n]);
}

}  // namespace

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// The calendar repeats every 400 years (an "era" of 146097 days). Counting years from March
// puts the leap day at the end of the counted year, so the day-of-year of a month start is a
// linear expression: (153 * month_from_march + 2) / 5.
int64_t DaysFromCivil(int year, int month, int day) {
  const int64_t y = static_cast<int64_t>(year) - (month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;                               // [0, 399]
  const int64_t month_from_march = month > 2 ? month - 3 : month + 9;      // [0, 11]
  const int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;  // [0, 365]
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  constexpr int64_t kEpochShift = 719468;  // days from 0000-03-01 to 1970-01-01
  return era * 146097 + day_of_era - kEpochShift;
}

CivilDate CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t day_of_era = z - era * 146097;  // [0, 146096]
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;  // [0, 399]
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_from_march = (5 * day_of_year + 2) / 153;  // [0, 11]
  const int day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const int month = static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{static_cast<int>(year), month, day};
}

CivilDate CivilDateFromMicros(int64_t micros) {
  int64_t days, rem;
  FloorDivMod(micros, kMicrosPerDay, &days, &rem);
  return CivilFromDays(days);
}

int64_t MicrosFromCivilDate(const CivilDate& date) {
  return DaysFromCivil(date.year, date.month, date.day) * kMicrosPerDay;
}

Result<int64_t> ParseTimestampMicros(std::string_view text) {
  const char* p = text.data();
  const size_t n = text.size();
  if (n < 10 || p[4] != '-' || p[7] != '-') return TimestampError(text, "expected YYYY-MM-DD at the start");
  const int year = ReadDigits(p, 4);
  const int month = ReadDigits(p + 5, 2);
  const int day = ReadDigits(p + 8, 2);
  if (year < 0 || month < 0 || day < 0) return TimestampError(text, "expected YYYY-MM-DD at the start");
  if (month < 1 || month > 12) return TimestampError(text, "month must be 01..12");
  if (day < 1 || day > DaysInMonth(year, month))
    return TimestampError(text, "day out of range for the month");

  int64_t seconds_of_day = 0;
  int64_t fraction_micros = 0;
  int64_t offset_seconds = 0;
  size_t i = 10;
  if (i < n) {
    const char sep = p[i];
    if (sep != 'T' && sep != 't' && sep != ' ') return TimestampError(text, "expected 'T' after the date");
    ++i;
    if (n - i < 5 || p[i + 2] != ':') return TimestampError(text, "expected hh:mm after the date");
    const int hour = ReadDigits(p + i, 2);
    const int minute = ReadDigits(p + i + 3, 2);
    if (hour < 0 || minute < 0) return TimestampError(text, "expected hh:mm after the date");
    if (hour > 23) return TimestampError(text, "hour must be 00..23");
    if (minute > 59) return TimestampError(text, "minute must be 00..59");
    i += 5;
    int second = 0;
    if (i < n && p[i] == ':') {
      second = n - i >= 3 ? ReadDigits(p + i + 1, 2) : -1;
      if (second < 0) return TimestampError(text, "expected two digits of seconds");
      if (second > 60) return TimestampError(text, "second must be 00..60");
      i += 3;
      if (i < n && (p[i] == '.' || p[i] == ',')) {
        ++i;
        size_t digits = 0;
        int64_t micros = 0;
        while (i < n && IsDigit(p[i])) {
          if (digits < 6) micros = micros * 10 + (p[i] - '0');
          ++digits;
          ++i;
        }
        if (digits == 0) return TimestampError(text, "expected digits after the decimal point");
        if (digits > 9) return TimestampError(text, "more than 9 fractional-second digits");
        for (size_t d = digits; d < 6; ++d) micros *= 10;
        fraction_micros = micros;
      }
    }
    if (second == 60) {  // leap second: the last microsecond of the minute
      second = 59;
      fraction_micros = kMicrosPerSecond - 1;
    }
    seconds_of_day = static_cast<int64_t>(hour) * 3600 + minute * 60 + second;

    if (i < n) {
      const char z = p[i];
      if (z == 'Z' || z == 'z') {
        ++i;
      } else if (z == '+' || z == '-') {
        ++i;
        const int offset_hours = n - i >= 2 ? ReadDigits(p + i, 2) : -1;
        if (offset_hours < 0) return TimestampError(text, "expected hh after the zone sign");
        i += 2;
        int offset_minutes = 0;
        if (i < n) {
          if (p[i] == ':') ++i;
          offset_minutes = n - i >= 2 ? ReadDigits(p + i, 2) : -1;
          if (offset_minutes < 0) return TimestampError(text, "expected mm in the zone offset");
          i += 2;
        }
        if (offset_hours > 23 || offset_minutes > 59) return TimestampError(text, "zone offset out of range");
        offset_seconds = (offset_hours * 3600 + offset_minutes * 60) * (z == '-' ? -1 : 1);
      } else {
        return TimestampError(text, "expected Z or a +hh:mm offset after the time");
      }
    }
    if (i != n) return TimestampError(text, "unexpected characters after the timestamp");
  }

  const int64_t seconds = DaysFromCivil(year, month, day) * 86400 + seconds_of_day - offset_seconds;
  const int64_t micros = seconds * kMicrosPerSecond + fraction_micros;
  if (micros < kMinTimestampMicros || micros > kMaxTimestampMicros) {
    return TimestampError(text, "outside the years 0000..9999 once converted to UTC");
  }
  return micros;
}

namespace {

// Appends "YYYY-MM-DD" (years beyond 4 digits or negative as AppendYear writes them).
void AppendDate(std::string* out, const CivilDate& date) {
  AppendYear(out, date.year);
  char buf[6];
  buf[0] = '-';
  WriteDigits(buf + 1, date.month, 2);
  buf[3] = '-';
  WriteDigits(buf + 4, date.day, 2);
  out->append(buf, sizeof(buf));
}

}  // namespace

std::string FormatTimestampMicros(int64_t micros) {
  int64_t days, micros_of_day;
  FloorDivMod(micros, kMicrosPerDay, &days, &micros_of_day);
  std::string out;
  out.reserve(32);
  AppendDate(&out, CivilFromDays(days));
  // "Thh:mm:ss.ffffffZ"
  char buf[17];
  buf[0] = 'T';
  const int64_t seconds_of_day = micros_of_day / kMicrosPerSecond;
  WriteDigits(buf + 1, seconds_of_day / 3600, 2);
  buf[3] = ':';
  WriteDigits(buf + 4, seconds_of_day / 60 % 60, 2);
  buf[6] = ':';
  WriteDigits(buf + 7, seconds_of_day % 60, 2);
  buf[9] = '.';
  WriteDigits(buf + 10, micros_of_day % kMicrosPerSecond, 6);
  buf[16] = 'Z';
  out.append(buf, sizeof(buf));
  return out;
}

Result<CivilDate> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return Status::InvalidArgument("invalid date \"" + std::string(text.substr(0, 64)) +
                                   "\": expected YYYY-MM-DD");
  }
  const CivilDate date{ReadDigits(text.data(), 4), ReadDigits(text.data() + 5, 2),
                       ReadDigits(text.data() + 8, 2)};
  if (date.year < 0 || date.month < 0 || date.day < 0) {
    return Status::InvalidArgument("invalid date \"" + std::string(text) + "\": expected YYYY-MM-DD");
  }
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > DaysInMonth(date.year, date.month)) {
    return Status::InvalidArgument("invalid date \"" + std::string(text) + "\": no such day");
  }
  return date;
}

std::string FormatDate(const CivilDate& date) {
  std::string out;
  out.reserve(12);
  AppendDate(&out, date);
  return out;
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace loglake
