// MemoryBudget: the bytes one query's aggregation holds, summed over the scan threads, against
// QueryLimits::max_memory_bytes.
//
// Each thread's builder charges the change in its own usage after every batch (not every row), so
// the total is exact at batch boundaries and the atomic is touched once per batch. A charge that
// takes the total over the limit still counts (the memory is held) and reports the overrun: the
// caller fails the query. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>

namespace loglake::query {

class MemoryBudget {
 public:
  // `limit` in bytes; 0 = no limit.
  explicit MemoryBudget(uint64_t limit) : limit_(limit) {}
  MemoryBudget(const MemoryBudget&) = delete;
  MemoryBudget& operator=(const MemoryBudget&) = delete;

  // Moves one holder's charge from `before` to `after` bytes; false when the total then exceeds
  // the limit.
  bool Recharge(uint64_t before, uint64_t after) {
    uint64_t total;
    if (after >= before) {
      total = used_.fetch_add(after - before, std::memory_order_relaxed) + (after - before);
    } else {
      total = used_.fetch_sub(before - after, std::memory_order_relaxed) - (before - after);
    }
    return limit_ == 0 || total <= limit_;
  }

  uint64_t used() const { return used_.load(std::memory_order_relaxed); }
  uint64_t limit() const { return limit_; }

 private:
  const uint64_t limit_;
  std::atomic<uint64_t> used_{0};
};

}  // namespace loglake::query
