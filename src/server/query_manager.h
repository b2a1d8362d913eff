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
// audit log — from the thread that finished it, with no lock held.
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
};

enum class QueryState : uint8_t { kQueued, kRunning, kSucceeded, kFailed, kCancelled };
// "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED".
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
};

// A consistent copy of one query's state.
struct QuerySnapshot {
  std::string id;
  QueryState state = QueryState::kQueued;
  std::string sql;
  std::string params_json;
  std::string principal;
  std::string owner;           // QuerySubmission::owner
  int64_t submitted_micros = 0;
  int64_t started_micros = 0;   // 0 while queued (and when cancelled before starting)
  int64_t finished_micros = 0;  // 0 until final
  double elapsed_seconds = 0;   // from submission to finish (or to now while not final)
  query::QueryStats stats;
  Status error;                 // FAILED: why; CANCELLED: Cancelled
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
};

}  // namespace loglake::server
