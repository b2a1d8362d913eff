#include "gen/traffic_clock.h"

#include <algorithm>
#include <cmath>

#include "gen/random.h"

namespace loglake::gen {
namespace {

// A bell around `center_hour` with width `width_hours`, on the 24-hour circle.
double Bump(double hour, double center_hour, double width_hours) {
  double d = std::fabs(hour - center_hour);
  d = std::min(d, 24.0 - d);
  return std::exp(-0.5 * (d / width_hours) * (d / width_hours));
}

}  // namespace

double TrafficClock::DailyShape(int minute_of_day) {
  const double hour = minute_of_day / 60.0;
  const double rate = 0.06 + 0.80 * Bump(hour, 14.5, 4.5) + 0.30 * Bump(hour, 1.0, 2.5);
  return std::min(rate, 1.0);
}

double TrafficClock::WeekdayFactor(int weekday) {
  switch (weekday) {
    case 0: return 0.64;  // Sunday
    case 6: return 0.71;  // Saturday
    case 1: return 1.04;  // Monday catch-up
    default: return 1.0;
  }
}

TrafficClock::TrafficClock(int64_t start_day, int64_t days, uint64_t lines, uint64_t seed)
    : start_micros_(start_day * kMicrosPerDay),
      end_micros_((start_day + days) * kMicrosPerDay),
      bins_(days * 1440),
      lines_(static_cast<double>(std::max<uint64_t>(lines, 1))) {
  for (int m = 0; m < 1440; ++m) minute_shape_[static_cast<size_t>(m)] = DailyShape(m);
  double day_shape = 0;
  for (double w : minute_shape_) day_shape += w;
  Rng rng(seed ^ 0x7a11c10c4ULL);
  day_factor_.resize(static_cast<size_t>(days));
  for (int64_t d = 0; d < days; ++d) {
    // 1970-01-01 was a Thursday (weekday 4).
    const int weekday = static_cast<int>((((start_day + d) % 7) + 7 + 4) % 7);
    const double noise = 1.0 + 0.08 * (2.0 * rng.Uniform() - 1.0);
    day_factor_[static_cast<size_t>(d)] = WeekdayFactor(weekday) * noise;
    total_weight_ += day_shape * day_factor_[static_cast<size_t>(d)];
  }
}

int64_t TrafficClock::TimeOf(uint64_t i, double u) {
  const double q = (static_cast<double>(i) + u) / lines_ * total_weight_;
  double w = BinWeight(bin_);
  while (weight_before_ + w <= q && bin_ + 1 < bins_) {
    weight_before_ += w;
    ++bin_;
    w = BinWeight(bin_);
  }
  const double frac = std::clamp((q - weight_before_) / w, 0.0, 1.0);
  const int64_t offset = static_cast<int64_t>(frac * static_cast<double>(kMicrosPerMinute));
  const int64_t t = start_micros_ + bin_ * kMicrosPerMinute + std::min(offset, kMicrosPerMinute - 1);
  return std::clamp(t, start_micros_, end_micros_ - 1);
}

}  // namespace loglake::gen
