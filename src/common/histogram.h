// A latency histogram for /metrics: fixed buckets (Prometheus `le` bounds, in seconds), counts
// updated with relaxed atomics so recording costs a few nanoseconds on any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace loglake {

class LatencyHistogram {
 public:
  // Upper bounds in seconds, from 100 µs to 5 minutes (queries run that long); anything slower
  // counts only in +Inf.
  static constexpr std::array<double, 15> kBounds = {0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,    0.25,   1.0,   10.0,   30.0,  60.0, 300.0};

  void Record(double seconds) {
    for (size_t i = 0; i < kBounds.size(); ++i) {
      if (seconds <= kBounds[i]) {
        buckets_[i].fetch_add(1, std::memory_order_relaxed);
        break;
      }
    }
    count_.fetch_add(1, std::memory_order_relaxed);
    sum_micros_.fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
  }

  // Appends the Prometheus text of the histogram `name` with `labels` (e.g. `table="t"`, or "").
  void AppendPrometheus(const std::string& name, const std::string& labels, std::string* out) const {
    const std::string sep = labels.empty() ? "" : ",";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBounds.size(); ++i) {
      cumulative += buckets_[i].load(std::memory_order_relaxed);
      *out += name + "_bucket{" + labels + sep + "le=\"" + FormatBound(kBounds[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    const uint64_t count = count_.load(std::memory_order_relaxed);
    *out += name + "_bucket{" + labels + sep + "le=\"+Inf\"} " + std::to_string(count) + "\n";
    const std::string braces = labels.empty() ? "" : "{" + labels + "}";
    *out += name + "_sum" + braces + " " + std::to_string(sum_micros_.load(std::memory_order_relaxed) / 1e6) + "\n";
    *out += name + "_count" + braces + " " + std::to_string(count) + "\n";
  }

 private:
  static std::string FormatBound(double b) {
    std::string s = std::to_string(b);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
  }
  std::array<std::atomic<uint64_t>, kBounds.size()> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_micros_{0};
};

}  // namespace loglake
