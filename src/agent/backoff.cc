#include "agent/backoff.h"

#include <algorithm>

namespace loglake::agent {

int64_t Backoff::NextDelayMicros(int64_t retry_after_micros) {
  int64_t ceiling = std::max<int64_t>(1, options_.initial_micros);
  for (int i = 0; i < attempt_ && ceiling < options_.max_micros; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, std::max<int64_t>(1, options_.max_micros));
  ++attempt_;
  const int64_t floor = ceiling / 2;
  std::uniform_int_distribution<int64_t> pick(floor, ceiling);
  return std::max(pick(random_), retry_after_micros);
}

}  // namespace loglake::agent
