// TrafficClock: spreads the lines of a generated log over its days the way real traffic falls.
//
// Request rate follows a daily curve (a trough in the early UTC morning, a broad afternoon peak, a
// smaller evening one), weekends are quieter and each day gets a little random variation. Line i
// of n gets the time at quantile (i + u) / n of that rate over [start, start + days), so times come
// out non-decreasing in i, like a log written as requests complete. Deterministic for a seed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/time.h"

namespace loglake::gen {

constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;

class TrafficClock {
 public:
  // `start_day`: days since 1970-01-01; `days` >= 1; `lines` >= 1 lines will be timed.
  TrafficClock(int64_t start_day, int64_t days, uint64_t lines, uint64_t seed);

  // Microseconds since the epoch for line `i` (calls must not decrease i), with u in [0, 1)
  // placing it inside its share. Always in [start, end).
  int64_t TimeOf(uint64_t i, double u);

  int64_t start_micros() const { return start_micros_; }
  int64_t end_micros() const { return end_micros_; }

  // Relative request rate at minute-of-day m (UTC), in (0, 1].
  static double DailyShape(int minute_of_day);
  // Relative volume of a day by its weekday (0 = Sunday).
  static double WeekdayFactor(int weekday);

 private:
  double BinWeight(int64_t bin) const {
    return minute_shape_[static_cast<size_t>(bin % 1440)] * day_factor_[static_cast<size_t>(bin / 1440)];
  }

  int64_t start_micros_;
  int64_t end_micros_;
  int64_t bins_;
  double lines_;
  double total_weight_ = 0;
  std::array<double, 1440> minute_shape_;
  std::vector<double> day_factor_;
  // Walk state: the bin holding the last quantile and the weight of the bins before it.
  int64_t bin_ = 0;
  double weight_before_ = 0;
};

}  // namespace loglake::gen
