// ScanControl: the limits a running scan obeys, shared by its workers.
//
// Every byte the scan reads from storage goes through a CountingSource, which charges it here
// before reading: past max_bytes_scanned the read is refused with ResourceExhausted, so a query
// never reads more than its limit. Workers call Check() between units of work to honour the
// timeout and cancellation, and Stop() records the first error (or an early finish) so that the
// others stop too.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"
#include "parquet/input_source.h"

namespace loglake::query {

class ScanControl {
 public:
  // max_bytes 0 and timeout_ms 0 mean no limit; `cancel` may be null.
  ScanControl(uint64_t max_bytes, int64_t timeout_ms, const std::atomic<bool>* cancel);

  // Adds n bytes read; ResourceExhausted when that passes the limit.
  Status Charge(uint64_t n);
  uint64_t bytes_read() const { return bytes_.load(std::memory_order_relaxed); }

  // Cancelled / DeadlineExceeded / the error another worker stopped with / OK.
  Status Check();
  // Asks every worker to stop; `status` (when not OK) becomes the scan's error, first one wins.
  void Stop(const Status& status);
  bool stopped() const { return stopped_.load(std::memory_order_acquire); }
  Status error() const;

 private:
  const uint64_t max_bytes_;
  const std::chrono::steady_clock::time_point deadline_;
  const bool has_deadline_;
  const int64_t timeout_ms_;
  const std::atomic<bool>* cancel_;
  std::atomic<uint64_t> bytes_{0};
  std::atomic<bool> stopped_{false};
  mutable std::mutex mu_;
  Status error_;
};

// An InputSource that charges every read to a ScanControl.
class CountingSource : public parquet::InputSource {
 public:
  CountingSource(std::shared_ptr<parquet::InputSource> inner, ScanControl* control)
      : inner_(std::move(inner)), control_(control) {}
  const std::string& name() const override { return inner_->name(); }
  uint64_t size() const override { return inner_->size(); }
  Status ReadAt(uint64_t offset, size_t n, std::string* out) const override;

 private:
  std::shared_ptr<parquet::InputSource> inner_;
  ScanControl* control_;
};

}  // namespace loglake::query
