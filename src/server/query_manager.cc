#include "server/query_manager.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "common/time.h"
#include "query/execution/table_source.h"
#include "query/scan_estimate.h"

namespace loglake::server {

struct QueryManager::Entry {
  std::string id;
  QuerySubmission submission;
  QueryState state = QueryState::kQueued;
  int64_t submitted_micros = 0;
  int64_t started_micros = 0;
  int64_t finished_micros = 0;
  query::QueryStats stats;
  Status error;
  std::shared_ptr<const query::QueryResult> result;
  std::atomic<bool> cancel{false};
};

namespace {

// 128 bits from the system's random source as hex: unlike a seeded generator's output, other ids
// tell nothing about the next one.
std::string NewQueryId() {
  std::random_device random;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int word = 0; word < 4; ++word) {
    const uint32_t v = random();
    for (int shift = 28; shift >= 0; shift -= 4) id += kHex[(v >> shift) & 0xf];
  }
  return id;
}

// A range of N days in any time zone touches up to N + 1 UTC day partitions.
uint64_t PartitionLimit(int64_t max_range_days) { return static_cast<uint64_t>(max_range_days) + 1; }

// Refuses, before anything is read, a query covering more than max_range_days: by its time
// range when that is bounded on both sides, else by the day partitions that exist inside it.
Status CheckRange(const std::string& lake_dir, const query::QueryPlan& plan, int64_t max_range_days) {
  if (max_range_days <= 0) return Status::OK();
  const uint64_t limit = PartitionLimit(max_range_days);
  const query::DaySet days = query::ProjectedDays(plan);
  if (days.empty()) return Status::OK();
  const int64_t first = days.intervals().front().first;
  const int64_t last = days.intervals().back().last;
  const std::string allowed = "a query may cover at most " + std::to_string(max_range_days) + " days (max_range_days)";
  if (first != query::MinPartitionDay() && last != query::MaxPartitionDay()) {
    if (days.Count() <= limit) return Status::OK();
    return Status::ResourceExhausted("the time range of the query covers " + std::to_string(days.Count()) + " days (" +
                                     FormatDate(CivilFromDays(first)) + " to " + FormatDate(CivilFromDays(last)) +
                                     "); " + allowed + ": narrow the range");
  }
  ASSIGN_OR_RETURN(query::DayListing listing,
                   query::ListDays(query::TableDirectory(lake_dir, plan.table.name), plan.table.layout, days));
  if (listing.days.size() <= limit) return Status::OK();
  return Status::ResourceExhausted("the query would read " + std::to_string(listing.days.size()) + " days of data (" +
                                   FormatDate(CivilFromDays(listing.days.front())) + " to " +
                                   FormatDate(CivilFromDays(listing.days.back())) + "); " + allowed +
                                   ": add a time range with a start and an end");
}

}  // namespace

const char* QueryStateName(QueryState state) {
  switch (state) {
    case QueryState::kQueued: return "QUEUED";
    case QueryState::kRunning: return "RUNNING";
    case QueryState::kSucceeded: return "SUCCEEDED";
    case QueryState::kFailed: return "FAILED";
    case QueryState::kCancelled: return "CANCELLED";
    case QueryState::kRefused: return "REFUSED";
  }
  return "UNKNOWN";
}

bool IsFinal(QueryState state) {
  return state == QueryState::kSucceeded || state == QueryState::kFailed || state == QueryState::kCancelled ||
         state == QueryState::kRefused;
}

QueryManager::QueryManager(std::string lake_dir, QuerySettings settings,
                           std::function<void(const QuerySnapshot&)> on_finish)
    : lake_dir_(std::move(lake_dir)), settings_(std::move(settings)), on_finish_(std::move(on_finish)) {
  const int workers = std::max(1, settings_.max_concurrent);
  for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { Work(); });
}

QueryManager::~QueryManager() { Shutdown(); }

int64_t QueryManager::Now() const { return clock_ ? clock_() : NowMicros(); }

void QueryManager::SetClockForTesting(std::function<int64_t()> now) {
  std::lock_guard<std::mutex> lock(mu_);
  clock_ = std::move(now);
}

void QueryManager::SetRunnerForTesting(Runner runner) {
  std::lock_guard<std::mutex> lock(mu_);
  runner_ = std::move(runner);
}

query::QueryOptions QueryManager::EngineOptions(bool dedup) const {
  query::QueryOptions options;
  options.dedup = dedup;
  options.threads = settings_.threads;
  if (options.threads <= 0) {
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    options.threads = std::max(1, cores / std::max(1, settings_.max_concurrent));
  }
  options.limits.max_days = settings_.max_range_days > 0 ? static_cast<int64_t>(PartitionLimit(settings_.max_range_days)) : 0;
  options.limits.max_bytes_scanned = settings_.max_bytes_scanned;
  // A positive timeout never rounds down to 0, which would mean none.
  options.limits.timeout_ms =
      settings_.timeout_seconds > 0 ? std::max<int64_t>(1, std::llround(settings_.timeout_seconds * 1000)) : 0;
  options.limits.max_result_rows = settings_.max_result_rows;
  options.limits.max_memory_bytes = settings_.max_memory_bytes;
  return options;
}

size_t QueryManager::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

Result<std::string> QueryManager::Submit(QuerySubmission submission) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) return Status::Cancelled("the server is shutting down; send the query again later");
  ExpireLocked(Now());
  // Queued entries that idle workers are about to take are not waiting.
  const size_t idle = workers_.size() - static_cast<size_t>(std::min<int>(running_, static_cast<int>(workers_.size())));
  if (queue_.size() >= settings_.max_queued + idle) {
    return Status::ResourceExhausted(std::to_string(queue_.size()) + " queries are already waiting (max_queued = " +
                                     std::to_string(settings_.max_queued) + "); send the query again later");
  }
  auto entry = std::make_unique<Entry>();
  entry->id = NewQueryId();
  entry->submission = std::move(submission);
  entry->submitted_micros = Now();
  Entry* raw = entry.get();
  entries_.emplace(entry->id, std::move(entry));
  queue_.push_back(raw);
  ++counters_.submitted;
  work_.notify_one();
  return raw->id;
}

void QueryManager::Refuse(QueryRefusal refusal) {
  std::optional<QuerySnapshot> summary;
  std::optional<QuerySnapshot> line;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++counters_.refused;
    const int64_t now = Now();
    const bool unauthenticated = refusal.principal.empty();
    bool write = true;
    if (unauthenticated) {
      if (!unauthenticated_window_start_ || now - *unauthenticated_window_start_ >= 60 * kMicrosPerSecond) {
        summary = TakeSuppressedLocked(now);
        unauthenticated_window_start_ = now;
        unauthenticated_in_window_ = 0;
      }
      write = unauthenticated_in_window_ < settings_.audit_unauthenticated_per_minute;
      if (write) {
        ++unauthenticated_in_window_;
        // Anyone's text: only what the server decided is kept, so a line stays small.
        refusal.sql.clear();
        refusal.params_json.clear();
      } else {
        if (unauthenticated_left_out_ == 0) left_out_since_ = now;
        ++unauthenticated_left_out_;
        ++counters_.audit_suppressed;
      }
    }
    if (write) {
      QuerySnapshot s;
      s.state = QueryState::kRefused;
      s.sql = std::move(refusal.sql);
      s.params_json = std::move(refusal.params_json);
      s.principal = std::move(refusal.principal);
      s.remote = std::move(refusal.remote);
      s.submitted_micros = now;
      s.finished_micros = now;
      s.http_status = refusal.http_status;
      s.refusal_code = std::move(refusal.code);
      // The code of the Status is not what the client was told; http_status and refusal_code are.
      s.error = Status::InvalidArgument(std::move(refusal.message));
      line = std::move(s);
    }
  }
  if (on_finish_) {
    if (summary) on_finish_(*summary);
    if (line) on_finish_(*line);
  }
}

std::optional<QuerySnapshot> QueryManager::TakeSuppressedLocked(int64_t now) {
  if (unauthenticated_left_out_ == 0) return std::nullopt;
  QuerySnapshot s;
  s.state = QueryState::kRefused;
  s.submitted_micros = left_out_since_;
  s.finished_micros = now;
  s.http_status = 401;
  s.refusal_code = "unauthorized";
  s.error = Status::InvalidArgument(std::to_string(unauthenticated_left_out_) + " more submissions without a valid token since " +
                                    FormatTimestampMicros(left_out_since_) + " are not written one by one (audit_unauthenticated_per_minute = " +
                                    std::to_string(settings_.audit_unauthenticated_per_minute) + ")");
  unauthenticated_left_out_ = 0;
  return s;
}

QueryCounters QueryManager::Counters() const {
  std::lock_guard<std::mutex> lock(mu_);
  QueryCounters c = counters_;
  c.queued_now = queue_.size();
  c.running_now = static_cast<uint64_t>(std::max(0, running_));
  return c;
}

void QueryManager::CountFinishLocked(const Entry& e) {
  switch (e.state) {
    case QueryState::kSucceeded: ++counters_.succeeded; break;
    case QueryState::kFailed: ++counters_.failed; break;
    case QueryState::kCancelled: ++counters_.cancelled; break;
    default: break;
  }
  counters_.bytes_scanned += e.stats.bytes_scanned;
  if (e.state == QueryState::kSucceeded) counters_.rows_returned += e.stats.rows_returned;
  if (e.started_micros != 0) {
    duration_.Record(static_cast<double>(e.finished_micros - e.started_micros) / kMicrosPerSecond);
  }
}

std::optional<QuerySnapshot> QueryManager::Get(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = Now();
  ExpireLocked(now);
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  return SnapshotLocked(*it->second, now);
}

std::optional<QuerySnapshot> QueryManager::Cancel(const std::string& id) {
  std::optional<QuerySnapshot> finished;
  std::optional<QuerySnapshot> answer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const int64_t now = Now();
    ExpireLocked(now);
    auto it = entries_.find(id);
    if (it == entries_.end()) return std::nullopt;
    Entry& e = *it->second;
    if (e.state == QueryState::kQueued) {
      queue_.erase(std::find(queue_.begin(), queue_.end(), &e));
      e.state = QueryState::kCancelled;
      e.error = Status::Cancelled("cancelled before it started");
      e.finished_micros = now;
      CountFinishLocked(e);
      finished = SnapshotLocked(e, now);
    } else if (e.state == QueryState::kRunning) {
      // The worker records the finish (and audits it) when the engine stops.
      e.cancel = true;
      e.state = QueryState::kCancelled;
      e.error = Status::Cancelled("cancelled while running");
    }
    answer = SnapshotLocked(e, now);
  }
  if (finished && on_finish_) on_finish_(*finished);
  return answer;
}

void QueryManager::Shutdown() {
  std::vector<QuerySnapshot> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    const int64_t now = Now();
    if (std::optional<QuerySnapshot> summary = TakeSuppressedLocked(now)) dropped.push_back(std::move(*summary));
    for (Entry* e : queue_) {
      e->state = QueryState::kCancelled;
      e->error = Status::Cancelled("the server shut down before the query started");
      e->finished_micros = now;
      CountFinishLocked(*e);
      dropped.push_back(SnapshotLocked(*e, now));
    }
    queue_.clear();
    for (auto& [id, e] : entries_) {
      if (e->state == QueryState::kRunning) {
        e->cancel = true;
        e->state = QueryState::kCancelled;
        e->error = Status::Cancelled("the server shut down while the query ran");
      }
    }
    work_.notify_all();
  }
  if (on_finish_) {
    for (const QuerySnapshot& s : dropped) on_finish_(s);
  }
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers.swap(workers_);
  }
  for (std::thread& t : workers) t.join();
}

void QueryManager::ExpireLocked(int64_t now) {
  const int64_t ttl = settings_.result_ttl_seconds * kMicrosPerSecond;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry& e = *it->second;
    // A cancelled query still running has finished_micros 0 and is kept until its worker is done.
    if (e.finished_micros != 0 && now - e.finished_micros >= ttl) {
      it = entries_.erase(it);
      ++counters_.expired;
    } else {
      ++it;
    }
  }
  if (settings_.max_kept_results == 0 || entries_.size() <= settings_.max_kept_results) return;
  std::vector<std::pair<int64_t, std::string>> finished;
  for (const auto& [id, e] : entries_) {
    if (e->finished_micros != 0) finished.emplace_back(e->finished_micros, id);
  }
  if (finished.size() <= settings_.max_kept_results) return;
  const size_t excess = finished.size() - settings_.max_kept_results;
  std::nth_element(finished.begin(), finished.begin() + static_cast<std::ptrdiff_t>(excess - 1), finished.end());
  for (size_t i = 0; i < excess; ++i) entries_.erase(finished[i].second);
  counters_.expired += excess;
}

QuerySnapshot QueryManager::SnapshotLocked(const Entry& e, int64_t now) const {
  QuerySnapshot s;
  s.id = e.id;
  s.state = e.state;
  s.sql = e.submission.sql;
  s.params_json = e.submission.params_json;
  s.principal = e.submission.principal;
  s.owner = e.submission.owner;
  s.remote = e.submission.remote;
  s.submitted_micros = e.submitted_micros;
  s.started_micros = e.started_micros;
  s.finished_micros = e.finished_micros;
  const int64_t end = e.finished_micros != 0 ? e.finished_micros : now;
  s.elapsed_seconds = static_cast<double>(std::max<int64_t>(0, end - e.submitted_micros)) / kMicrosPerSecond;
  s.stats = e.stats;
  s.error = e.error;
  s.result = e.result;
  return s;
}

void QueryManager::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Entry* e = queue_.front();
    queue_.pop_front();
    e->state = QueryState::kRunning;
    e->started_micros = Now();
    ++running_;
    lock.unlock();
    Run(e);
    lock.lock();
    --running_;
  }
}

void QueryManager::Run(Entry* e) {
  // The entry cannot expire while it runs (finished_micros is 0), so it is used without the lock
  // for what only this thread writes: the plan, and the result until it is published below.
  const QuerySubmission& sub = e->submission;
  query::QueryOptions options = EngineOptions(sub.dedup);
  options.cancel = &e->cancel;
  Result<query::QueryResult> result = [&]() -> Result<query::QueryResult> {
    if (runner_) return runner_(sub.plan, options);
    RETURN_IF_ERROR(CheckRange(lake_dir_, sub.plan, settings_.max_range_days));
    return query::ExecutePlan(lake_dir_, sub.plan, options);
  }();
  QuerySnapshot finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const int64_t now = Now();
    e->finished_micros = std::max<int64_t>(now, e->started_micros + 1);
    if (e->state == QueryState::kCancelled) {
      // Cancelled while running: whatever the engine returned, the answer is CANCELLED.
      if (result.ok()) e->stats = result->stats;
    } else if (result.ok()) {
      e->stats = result->stats;
      e->state = QueryState::kSucceeded;
      e->result = std::make_shared<const query::QueryResult>(std::move(*result));
    } else {
      e->state = result.status().code() == StatusCode::kCancelled ? QueryState::kCancelled : QueryState::kFailed;
      e->error = result.status();
      // The engine names its own option; a server's user can only change timeout_seconds.
      if (e->error.code() == StatusCode::kDeadlineExceeded) {
        char limit[32];
        std::snprintf(limit, sizeof(limit), "%g", settings_.timeout_seconds);
        e->error = Status::DeadlineExceeded(std::string("the query ran longer than the limit of ") + limit +
                                            " s (timeout_seconds); narrow the time range or the filter");
      }
    }
    CountFinishLocked(*e);
    finished = SnapshotLocked(*e, now);
  }
  if (on_finish_) on_finish_(finished);
}

}  // namespace loglake::server
