// QueryManager: the queries of the query API, from submission to expiry.
//
// A bounded number of queries run at once (max_concurrent worker threads); the rest wait in a
// FIFO queue of at most max_queued entries (more is refused, so a client backs off instead of
// piling up work). States:
//
//   QUEUED ──> RUNNING ──> SUCCEEDED | FAILED | CANCELLED
//      └───────────────────────────────────────^ (cancelled while queued)
//
// Cancel() of a running query sets the query's cancel flag (QueryOptions::cancel), which the
// engine checks between batches; the state reads CANCELLED from that moment. A finished query —
// its state, statistics and result rows — is kept for result_ttl_seconds after it finished and
// then forgotten (Get returns nothing: "unknown or expired"), and at most max_kept_results
// finished queries are kept (the oldest finished goes first), which bounds the memory results
// hold. Expiry is checked lazily on every call, so no timer thread is needed.
//
// Every query that finishes (in any final state) is passed once to the on_finish callback — the
// audit log — from the thread that finished it, with no lock held. So is every submission the
// query API refused before queueing it (Refuse(): bad request, token, tenant binding, full queue),
// as a REFUSED snapshot; refusals of callers without a valid token are rate limited there
// (audit_unauthenticated_per_minute), so that unauthenticated requests cannot fill the disk.
//
// Counters() and duration() are the query side of /metrics (server/metrics_text.h).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/histogram.h"
#include "common/status.h"
#include "query/engine.h"
#include "query/plan.h"

namespace loglake::server {

// The [query] settings of the configuration (README "Configuration").
struct QuerySettings {
  int max_concurrent = 2;              // queries running at once
  uint64_t max_queued = 64;            // queries waiting for a free worker; one more is refused (429)
  int64_t result_ttl_seconds = 3600;   // a finished query and its rows are kept this long
  uint64_t max_kept_results = 1000;    // ... but at most this many: beyond, the oldest goes first
  double timeout_seconds = 300;        // run time of one query (fractions allowed); 0 = none
  uint64_t max_bytes_scanned = uint64_t{100} << 30;  // compressed bytes one query may read; 0 = none
  int64_t max_range_days = 31;         // days one query may cover; 0 = none
  uint64_t max_result_rows = 100'000;  // rows one result may hold; 0 = none
  uint64_t max_memory_bytes = uint64_t{1} << 30;     // aggregation memory of one query; 0 = none
  int threads = 0;                     // threads of one query; 0 = cores / max_concurrent
  std::string audit_log;               // NDJSON audit file; empty = <lake>/_audit/queries.ndjson
  // Audit lines of refused submissions without a valid token (no token, an unknown one), per
  // minute; the rest are counted, and summed up in one line a minute at most. 0 = only the sums.
  uint64_t audit_unauthenticated_per_minute = 60;
};

// kRefused is never a state of a queued query: it marks the snapshot Refuse() passes to on_finish.
enum class QueryState : uint8_t { kQueued, kRunning, kSucceeded, kFailed, kCancelled, kRefused };
// "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "REFUSED".
const char* QueryStateName(QueryState state);
bool IsFinal(QueryState state);

// What the manager runs: a plan already bound (and restricted to the caller's tenants), plus what
// the status and the audit log report about it.
struct QuerySubmission {
  query::QueryPlan plan;
  std::string sql;
  std::string params_json;  // the parameters as the client sent them (JSON), for the audit log
  bool dedup = true;
  std::string principal;    // who submitted it (Token::DisplayName, or "anonymous")
  // The secret of the token that submitted it ("" without tokens): who may see the query. Kept in
  // memory only, never logged or answered.
  std::string owner;
  std::string remote;       // the client's address, for the audit log ("" when not known)
};

// A submission the query API refused before queueing it.
struct QueryRefusal {
  // Token::DisplayName or "anonymous"; "" when the caller has no valid token (unauthenticated:
  // rate limited, and the request's SQL and parameters are not kept, see Refuse()).
  std::string principal;
  std::string sql;          // "" when the body held no SQL
  std::string params_json;  // "" when the body held no parameters
  std::string remote;
  int http_status = 400;    // the answer
  std::string code;         // the answer's error code, e.g. "too_many_queries"
  std::string message;      // ... and its message
};

// What /metrics shows of the queries (README "Query API", Metrics). Counters only grow.
struct QueryCounters {
  uint64_t submitted = 0;  // queued (accepted) submissions
  uint64_t succeeded = 0;  // final states
  uint64_t failed = 0;
  uint64_t cancelled = 0;
  uint64_t refused = 0;    // refused before queueing (Refuse)
  uint64_t expired = 0;    // finished queries forgotten (result_ttl_seconds, max_kept_results)
  uint64_t audit_suppressed = 0;  // refusals without a valid token left out of the audit log
  uint64_t bytes_scanned = 0;     // by every finished query, including failed and cancelled ones
  uint64_t rows_returned = 0;     // by succeeded queries
  uint64_t queued_now = 0;        // gauges
  uint64_t running_now = 0;
};

// A consistent copy of one query's state.
struct QuerySnapshot {
  std::string id;
  QueryState state = QueryState::kQueued;
  std::string sql;
  std::string params_json;
  std::string principal;
  std::string owner;           // QuerySubmission::owner
  std::string remote;          // QuerySubmission::remote
  int64_t submitted_micros = 0;
  int64_t started_micros = 0;   // 0 while queued (and when cancelled before starting)
  int64_t finished_micros = 0;  // 0 until final
  double elapsed_seconds = 0;   // from submission to finish (or to now while not final)
  query::QueryStats stats;
  Status error;                 // FAILED: why; CANCELLED: Cancelled; REFUSED: the answer's message
  int http_status = 200;        // what the submission was answered: 200 unless REFUSED
  std::string refusal_code;     // REFUSED: the answer's error code
  // SUCCEEDED only: the result (shared, immutable).
  std::shared_ptr<const query::QueryResult> result;
};

class QueryManager {
 public:
  // Starts the worker threads. `lake_dir` is the lake queries read.
  QueryManager(std::string lake_dir, QuerySettings settings,
               std::function<void(const QuerySnapshot&)> on_finish = nullptr);
  // Shutdown() if not done.
  ~QueryManager();
  QueryManager(const QueryManager&) = delete;
  QueryManager& operator=(const QueryManager&) = delete;

  // Queues the query; returns its id. ResourceExhausted when max_queued queries already wait,
  // Cancelled after Shutdown().
  Result<std::string> Submit(QuerySubmission submission);
  // nullopt for an unknown or expired id.
  std::optional<QuerySnapshot> Get(const std::string& id);
  // Cancels a queued or running query; a final one is left as it is. nullopt for an unknown id.
  std::optional<QuerySnapshot> Cancel(const std::string& id);
  // Cancels every queued and running query, waits for the workers to stop. Idempotent.
  void Shutdown();
  // Counts a submission refused before queueing and passes it to on_finish as a REFUSED snapshot
  // (no id, nothing scanned). One without a valid token (principal "") is passed with its SQL
  // and parameters dropped — they are anyone's text — and only while fewer than
  // audit_unauthenticated_per_minute were passed in the current minute; beyond that it is only
  // counted, and the first such refusal of a later minute (or Shutdown) passes one summary
  // snapshot saying how many were left out.
  void Refuse(QueryRefusal refusal);
  QueryCounters Counters() const;
  // Run time (start to finish) of every query that started.
  const LatencyHistogram& duration() const { return duration_; }

  const QuerySettings& settings() const { return settings_; }
  const std::string& lake_dir() const { return lake_dir_; }
  // The engine options a query runs with (limits from the settings).
  query::QueryOptions EngineOptions(bool dedup) const;
  size_t queued() const;

  // For tests: the clock expiry compares against (microseconds; NowMicros by default).
  void SetClockForTesting(std::function<int64_t()> now);
  // For tests: what runs a plan instead of the range check and query::ExecutePlan over the
  // lake. Set before the first Submit.
  using Runner = std::function<Result<query::QueryResult>(const query::QueryPlan&, const query::QueryOptions&)>;
  void SetRunnerForTesting(Runner runner);

 private:
  struct Entry;
  void Work();
  void Run(Entry* entry);
  void ExpireLocked(int64_t now);
  // Counts the final state `entry` just reached.
  void CountFinishLocked(const Entry& entry);
  // The summary snapshot of the unauthenticated refusals left out of the audit log since the last
  // one, if any (and starts counting anew).
  std::optional<QuerySnapshot> TakeSuppressedLocked(int64_t now);
  QuerySnapshot SnapshotLocked(const Entry& entry, int64_t now) const;
  int64_t Now() const;

  const std::string lake_dir_;
  const QuerySettings settings_;
  const std::function<void(const QuerySnapshot&)> on_finish_;
  std::function<int64_t()> clock_;
  Runner runner_;

  mutable std::mutex mu_;
  std::condition_variable work_;
  std::map<std::string, std::unique_ptr<Entry>> entries_;
  std::deque<Entry*> queue_;
  int running_ = 0;  // workers running a query
  bool stopping_ = false;
  std::vector<std::thread> workers_;
  QueryCounters counters_;  // queued_now and running_now are filled in by Counters()
  LatencyHistogram duration_;
  // The rate limit of unauthenticated refusals' audit lines: the current minute's start, lines
  // passed in it, and refusals left out since the last summary (and since when).
  std::optional<int64_t> unauthenticated_window_start_;
  uint64_t unauthenticated_in_window_ = 0;
  uint64_t unauthenticated_left_out_ = 0;
  int64_t left_out_since_ = 0;
};

}  // namespace loglake::server
