// DaySet: a set of partition days (days since 1970-01-01, lake::PartitionDay) as sorted,
// disjoint, closed intervals. Partition projection computes one from a query's predicates and the
// scan lists only the day directories inside it.
//
// Every set lives inside the days a partition can have (0000-01-01 .. 9999-12-31): All() is that
// whole range, and Range() clips to it, so a set's size is always finite and small enough to count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace loglake::query {

// The first and last day a partition path can name (years 0000..9999).
int64_t MinPartitionDay();
int64_t MaxPartitionDay();

struct DayInterval {
  int64_t first = 0;
  int64_t last = 0;  // inclusive
};

class DaySet {
 public:
  DaySet() = default;  // empty
  static DaySet All();
  static DaySet None() { return DaySet(); }
  // [first, last] clipped to the partition days; empty when first > last.
  static DaySet Range(int64_t first, int64_t last);
  static DaySet Single(int64_t day) { return Range(day, day); }

  DaySet Intersect(const DaySet& other) const;
  DaySet Union(const DaySet& other) const;

  bool empty() const { return intervals_.empty(); }
  bool IsAll() const;
  uint64_t Count() const;
  bool Contains(int64_t day) const;
  const std::vector<DayInterval>& intervals() const { return intervals_; }

  // "all days", "no day", or "2024-03-01..2024-03-05, 2024-04-01".
  std::string ToString() const;

  bool operator==(const DaySet& other) const;

 private:
  std::vector<DayInterval> intervals_;
};

}  // namespace loglake::query
