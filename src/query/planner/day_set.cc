#include "query/planner/day_set.h"

#include <algorithm>

#include "common/time.h"

namespace loglake::query {

int64_t MinPartitionDay() { return DaysFromCivil(0, 1, 1); }
int64_t MaxPartitionDay() { return DaysFromCivil(9999, 12, 31); }

DaySet DaySet::All() { return Range(MinPartitionDay(), MaxPartitionDay()); }

DaySet DaySet::Range(int64_t first, int64_t last) {
  DaySet s;
  first = std::max(first, MinPartitionDay());
  last = std::min(last, MaxPartitionDay());
  if (first <= last) s.intervals_.push_back({first, last});
  return s;
}

DaySet DaySet::Intersect(const DaySet& other) const {
  DaySet out;
  size_t i = 0, j = 0;
  while (i < intervals_.size() && j < other.intervals_.size()) {
    const DayInterval& a = intervals_[i];
    const DayInterval& b = other.intervals_[j];
    const int64_t first = std::max(a.first, b.first);
    const int64_t last = std::min(a.last, b.last);
    if (first <= last) out.intervals_.push_back({first, last});
    if (a.last < b.last) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

DaySet DaySet::Union(const DaySet& other) const {
  std::vector<DayInterval> all = intervals_;
  all.insert(all.end(), other.intervals_.begin(), other.intervals_.end());
  std::sort(all.begin(), all.end(), [](const DayInterval& a, const DayInterval& b) { return a.first < b.first; });
  DaySet out;
  for (const DayInterval& d : all) {
    // Adjacent intervals merge too: [1,2] and [3,4] are the days 1..4.
    if (!out.intervals_.empty() && d.first <= out.intervals_.back().last + 1) {
      out.intervals_.back().last = std::max(out.intervals_.back().last, d.last);
    } else {
      out.intervals_.push_back(d);
    }
  }
  return out;
}

bool DaySet::IsAll() const {
  return intervals_.size() == 1 && intervals_[0].first == MinPartitionDay() &&
         intervals_[0].last == MaxPartitionDay();
}

uint64_t DaySet::Count() const {
  uint64_t n = 0;
  for (const DayInterval& d : intervals_) n += static_cast<uint64_t>(d.last - d.first + 1);
  return n;
}

bool DaySet::Contains(int64_t day) const {
  for (const DayInterval& d : intervals_) {
    if (day >= d.first && day <= d.last) return true;
  }
  return false;
}

std::string DaySet::ToString() const {
  if (empty()) return "no day";
  if (IsAll()) return "all days";
  std::string s;
  for (const DayInterval& d : intervals_) {
    if (!s.empty()) s += ", ";
    s += FormatDate(CivilFromDays(d.first));
    if (d.last != d.first) s += ".." + FormatDate(CivilFromDays(d.last));
  }
  return s;
}

bool DaySet::operator==(const DaySet& other) const {
  if (intervals_.size() != other.intervals_.size()) return false;
  for (size_t i = 0; i < intervals_.size(); ++i) {
    if (intervals_[i].first != other.intervals_[i].first || intervals_[i].last != other.intervals_[i].last) {
      return false;
    }
  }
  return true;
}

}  // namespace loglake::query
