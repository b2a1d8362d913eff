// Backoff: how long to wait before sending a batch again.
//
// Exponential (initial, ×2 each attempt, capped at max) with "equal jitter": the delay is drawn
// uniformly from [d/2, d], so that many agents cut off by the same outage do not come back in
// step, yet every wait keeps a floor. A server's Retry-After is a minimum: the delay is never
// shorter than what the server asked for.
#pragma once

#include <cstdint>
#include <random>

namespace loglake::agent {

struct BackoffOptions {
  int64_t initial_micros = 100'000;    // setting retry_initial_ms
  int64_t max_micros = 30'000'000;     // setting retry_max_ms
};

class Backoff {
 public:
  Backoff(BackoffOptions options, uint64_t seed) : options_(options), random_(seed) {}

  // The wait before the next attempt; `retry_after_micros` (0: none) is the server's minimum.
  int64_t NextDelayMicros(int64_t retry_after_micros = 0);
  // After a success: the next failure starts from the initial delay again.
  void Reset() { attempt_ = 0; }
  int attempt() const { return attempt_; }

 private:
  BackoffOptions options_;
  std::mt19937_64 random_;
  int attempt_ = 0;
};

}  // namespace loglake::agent
