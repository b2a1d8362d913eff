#include "query/execution/scan_control.h"

namespace loglake::query {

ScanControl::ScanControl(uint64_t max_bytes, int64_t timeout_ms, const std::atomic<bool>* cancel)
    : max_bytes_(max_bytes),
      deadline_(std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms > 0 ? timeout_ms : 0)),
      has_deadline_(timeout_ms > 0),
      timeout_ms_(timeout_ms),
      cancel_(cancel) {}

Status ScanControl::Charge(uint64_t n) {
  const uint64_t total = bytes_.fetch_add(n, std::memory_order_relaxed) + n;
  if (max_bytes_ > 0 && total > max_bytes_) {
    bytes_.fetch_sub(n, std::memory_order_relaxed);  // the read does not happen
    return Status::ResourceExhausted("the query would read more than " + std::to_string(max_bytes_) +
                                     " bytes (limit: max_bytes_scanned = " + std::to_string(max_bytes_) +
                                     "); narrow the time range, add a selective filter, or raise the limit");
  }
  return Status::OK();
}

Status ScanControl::Check() {
  if (cancel_ != nullptr && cancel_->load(std::memory_order_relaxed)) {
    return Status::Cancelled("the query was cancelled");
  }
  if (has_deadline_ && std::chrono::steady_clock::now() > deadline_) {
    return Status::DeadlineExceeded("the query ran longer than " + std::to_string(timeout_ms_) +
                                    " ms (limit: timeout_ms); narrow the time range or raise the limit");
  }
  if (stopped()) return error();
  return Status::OK();
}

void ScanControl::Stop(const Status& status) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!status.ok() && error_.ok()) error_ = status;
  stopped_.store(true, std::memory_order_release);
}

Status ScanControl::error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

Status CountingSource::ReadAt(uint64_t offset, size_t n, std::string* out) const {
  RETURN_IF_ERROR(control_->Charge(n));
  return inner_->ReadAt(offset, n, out);
}

}  // namespace loglake::query
