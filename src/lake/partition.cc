#include "lake/partition.h"

namespace loglake::lake {
namespace {

// Writes `value` as exactly `width` decimal digits.
char* PutDigits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

// Reads exactly `width` decimal digits at text[pos]; -1 if any is not a digit.
int GetDigits(std::string_view text, size_t pos, int width) {
  int value = 0;
  for (int i = 0; i < width; ++i) {
    char c = text[pos + static_cast<size_t>(i)];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

const char* PartitionLayoutName(PartitionLayout layout) {
  return layout == PartitionLayout::kHiveDate ? "dt=YYYY-MM-DD" : "yyyy/MM/dd";
}

std::optional<PartitionLayout> ParsePartitionLayout(std::string_view text) {
  if (text == "yyyy/MM/dd" || text == "date") return PartitionLayout::kDatePath;
  if (text == "dt=YYYY-MM-DD" || text == "dt=yyyy-MM-dd" || text == "hive") return PartitionLayout::kHiveDate;
  return std::nullopt;
}

int PartitionDepth(PartitionLayout layout) { return layout == PartitionLayout::kHiveDate ? 1 : 3; }

bool IsPartitionableDate(const CivilDate& date) {
  return date.year >= 0 && date.year <= 9999 && date.month >= 1 && date.month <= 12 && date.day >= 1 &&
         date.day <= DaysInMonth(date.year, date.month);
}

size_t FormatPartitionPath(PartitionLayout layout, const CivilDate& date, char* out) {
  char* p = out;
  const bool hive = layout == PartitionLayout::kHiveDate;
  const char sep = hive ? '-' : '/';
  if (hive) {
    *p++ = 'd';
    *p++ = 't';
    *p++ = '=';
  }
  p = PutDigits(p, date.year, 4);
  *p++ = sep;
  p = PutDigits(p, date.month, 2);
  *p++ = sep;
  p = PutDigits(p, date.day, 2);
  return static_cast<size_t>(p - out);
}

std::string PartitionPath(PartitionLayout layout, const CivilDate& date) {
  char buf[kMaxPartitionPathLength];
  size_t n = FormatPartitionPath(layout, date, buf);
  return std::string(buf, n);
}

std::optional<CivilDate> ParsePartitionPath(PartitionLayout layout, std::string_view relative) {
  if (!relative.empty() && relative.back() == '/') relative.remove_suffix(1);
  const bool hive = layout == PartitionLayout::kHiveDate;
  if (hive) {
    if (relative.substr(0, 3) != "dt=") return std::nullopt;
    relative.remove_prefix(3);
  }
  const char sep = hive ? '-' : '/';
  if (relative.size() != 10 || relative[4] != sep || relative[7] != sep) return std::nullopt;
  CivilDate date{GetDigits(relative, 0, 4), GetDigits(relative, 5, 2), GetDigits(relative, 8, 2)};
  if (date.year < 0 || date.month < 0 || date.day < 0 || !IsPartitionableDate(date)) return std::nullopt;
  return date;
}

const char* PartitionGlob(PartitionLayout layout) {
  return layout == PartitionLayout::kHiveDate ? "dt=*/*.parquet" : "*/*/*/*.parquet";
}

}  // namespace loglake::lake
