#include "gen/timestamp_writer.h"

#include <algorithm>

#include "common/time.h"

namespace loglake::gen {
namespace {

constexpr int64_t kSecondsPerDay = 86'400;

// Floor division: instants before 1970 belong to the day before.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void TwoDigits(int v, char* out) {
  out[0] = static_cast<char>('0' + v / 10);
  out[1] = static_cast<char>('0' + v % 10);
}

}  // namespace

void TimestampWriter::FormatDay(int64_t day) {
  const CivilDate date = CivilFromDays(day);
  TwoDigits(date.year / 100, date_);
  TwoDigits(date.year % 100, date_ + 2);
  date_[4] = '-';
  TwoDigits(date.month, date_ + 5);
  date_[7] = '-';
  TwoDigits(date.day, date_ + 8);
  date_[10] = 'T';
  cached_day_ = day;
}

char* TimestampWriter::Write(int64_t micros, char* out) {
  const int64_t seconds = FloorDiv(micros, kMicrosPerSecond);
  int frac = static_cast<int>(micros - seconds * kMicrosPerSecond);
  const int64_t day = FloorDiv(seconds, kSecondsPerDay);
  if (day != cached_day_) FormatDay(day);
  const int sod = static_cast<int>(seconds - day * kSecondsPerDay);
  std::copy(date_, date_ + 11, out);
  TwoDigits(sod / 3600, out + 11);
  out[13] = ':';
  TwoDigits(sod / 60 % 60, out + 14);
  out[16] = ':';
  TwoDigits(sod % 60, out + 17);
  out[19] = '.';
  for (int i = 25; i >= 20; --i) {
    out[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  out[26] = 'Z';
  return out + kTimestampLength;
}

char* TimestampWriter::WriteSeconds(int64_t micros, char* out) {
  Write(micros, out);
  out[19] = 'Z';
  return out + 20;
}

}  // namespace loglake::gen
