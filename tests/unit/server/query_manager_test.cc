// QueryManager: states, the queue bound, FIFO order, concurrency, cancel, expiry, shutdown, the
// range limit, refusals (and the rate limit of unauthenticated ones' audit lines) and the counters
// of /metrics, with a fake runner where timing matters and the real engine otherwise.
#include "server/query_manager.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "query_test_lake.h"
#include "test_util.h"

namespace loglake::server {
namespace {

using querytest::Bind;

// A runner that blocks each query until released (or cancelled), recording the order it started.
class GateRunner {
 public:
  QueryManager::Runner Runner() {
    return [this](const query::QueryPlan& plan, const query::QueryOptions& options) -> Result<query::QueryResult> {
      {
        std::unique_lock<std::mutex> lock(mu_);
        started_.push_back(plan.limit.value_or(-1));
        ++running_;
        max_running_ = std::max(max_running_, running_);
        changed_.notify_all();
      }
      std::unique_lock<std::mutex> lock(mu_);
      while (!open_ && !options.cancel->load()) changed_.wait_for(lock, std::chrono::milliseconds(2));
      --running_;
      if (options.cancel->load()) return Status::Cancelled("cancelled");
      query::QueryResult r;
      r.stats.rows_returned = 7;
      return r;
    };
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
  }
  // Waits until `n` queries have started.
  void AwaitStarted(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    ASSERT_TRUE(changed_.wait_for(lock, std::chrono::seconds(10), [&] { return started_.size() >= n; }));
  }
  std::vector<int64_t> started() {
    std::lock_guard<std::mutex> lock(mu_);
    return started_;
  }
  int max_running() {
    std::lock_guard<std::mutex> lock(mu_);
    return max_running_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool open_ = false;
  int running_ = 0;
  int max_running_ = 0;
  std::vector<int64_t> started_;
};

// The plan's LIMIT tags it, so the fake runner can tell queries apart.
QuerySubmission Tagged(int64_t tag) {
  QuerySubmission s;
  s.sql = "SELECT uuid FROM access_log LIMIT " + std::to_string(tag);
  s.plan = Bind(s.sql);
  s.principal = "tester";
  return s;
}

QuerySnapshot AwaitFinal(QueryManager& m, const std::string& id) {
  for (int i = 0; i < 5000; ++i) {
    std::optional<QuerySnapshot> q = m.Get(id);
    if (!q) {
      ADD_FAILURE() << "query " << id << " disappeared";
      return {};
    }
    if (IsFinal(q->state) && q->finished_micros != 0) return *q;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ADD_FAILURE() << "query " << id << " did not finish";
  return {};
}

// Audit callbacks, counted per id.
struct Finished {
  std::mutex mu;
  std::vector<QuerySnapshot> all;
  std::function<void(const QuerySnapshot&)> Callback() {
    return [this](const QuerySnapshot& q) {
      std::lock_guard<std::mutex> lock(mu);
      all.push_back(q);
    };
  }
  size_t Count(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu);
    return static_cast<size_t>(std::count_if(all.begin(), all.end(), [&](const QuerySnapshot& q) { return q.id == id; }));
  }
  std::vector<QuerySnapshot> Refused() {
    std::lock_guard<std::mutex> lock(mu);
    std::vector<QuerySnapshot> out;
    for (const QuerySnapshot& q : all) {
      if (q.state == QueryState::kRefused) out.push_back(q);
    }
    return out;
  }
};

// A worker leaves `running` a moment after the query's finish is published.
QueryCounters AwaitIdle(QueryManager& m) {
  for (int i = 0; i < 5000; ++i) {
    const QueryCounters c = m.Counters();
    if (c.running_now == 0 && c.queued_now == 0) return c;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ADD_FAILURE() << "the workers did not become idle";
  return m.Counters();
}

// The _count line of the duration histogram.
std::string DurationCount(const QueryManager& m) {
  std::string text;
  m.duration().AppendPrometheus("d", "", &text);
  const size_t at = text.find("d_count ");
  return at == std::string::npos ? "" : text.substr(at + 8, text.find('\n', at) - at - 8);
}

TEST(QueryManager, RunsARealQueryToSucceeded) {
  const std::string lake = testing_util::FreshTempDir("qm-real");
  querytest::WriteTestLake(lake, 3, 30);
  Finished finished;
  QueryManager m(lake, QuerySettings{}, finished.Callback());
  QuerySubmission s;
  s.sql = "SELECT count(*) FROM access_log WHERE tenant_id = 'acme'";
  s.plan = Bind(s.sql);
  s.params_json = "[]";
  Result<std::string> id = m.Submit(std::move(s));
  ASSERT_TRUE(id.ok());
  const QuerySnapshot q = AwaitFinal(m, *id);
  ASSERT_EQ(q.state, QueryState::kSucceeded) << q.error.ToString();
  ASSERT_NE(q.result, nullptr);
  ASSERT_EQ(q.result->num_rows(), 1u);
  EXPECT_EQ(q.result->columns[0].Int64(0), 30);  // 10 of every 30 rows a day, 3 days
  EXPECT_EQ(q.stats.rows_returned, 1u);
  EXPECT_GT(q.stats.bytes_scanned, 0u);
  EXPECT_LE(q.submitted_micros, q.started_micros);
  EXPECT_LT(q.started_micros, q.finished_micros);
  // The worker audits the finish just after publishing it, and is idle after that.
  const QueryCounters c = AwaitIdle(m);
  EXPECT_EQ(finished.Count(*id), 1u);
  EXPECT_EQ(c.submitted, 1u);
  EXPECT_EQ(c.succeeded, 1u);
  EXPECT_EQ(c.failed + c.cancelled + c.refused + c.expired, 0u);
  EXPECT_EQ(c.bytes_scanned, q.stats.bytes_scanned);
  EXPECT_EQ(c.rows_returned, 1u);
  EXPECT_EQ(DurationCount(m), "1");
}

TEST(QueryManager, QueuesFifoBeyondMaxConcurrentAndRefusesPastMaxQueued) {
  QuerySettings settings;
  settings.max_concurrent = 2;
  settings.max_queued = 3;
  GateRunner gate;  // outlives the manager, whose workers call it
  std::atomic<int64_t> now{1'000'000'000};
  QueryManager m("/nonexistent", settings);
  // Every reading is later than the last, so started_micros orders the queries as the workers
  // took them (the runner's own record can interleave: two workers start at once).
  m.SetClockForTesting([&] { return now += 1000; });
  m.SetRunnerForTesting(gate.Runner());
  std::vector<std::string> ids;
  for (int tag = 1; tag <= 2; ++tag) ids.push_back(*m.Submit(Tagged(tag)));
  gate.AwaitStarted(2);
  for (int tag = 3; tag <= 5; ++tag) ids.push_back(*m.Submit(Tagged(tag)));
  EXPECT_EQ(m.queued(), 3u);
  EXPECT_EQ(m.Get(ids[0])->state, QueryState::kRunning);
  EXPECT_EQ(m.Get(ids[2])->state, QueryState::kQueued);
  EXPECT_EQ(m.Get(ids[2])->started_micros, 0);
  Result<std::string> refused = m.Submit(Tagged(6));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(refused.status().message().find("max_queued"), std::string::npos);

  gate.Open();
  std::vector<int64_t> started;
  for (const std::string& id : ids) {
    const QuerySnapshot q = AwaitFinal(m, id);
    EXPECT_EQ(q.state, QueryState::kSucceeded);
    started.push_back(q.started_micros);
  }
  EXPECT_EQ(gate.max_running(), 2);
  const std::vector<int64_t> order = gate.started();
  ASSERT_EQ(order.size(), 5u);
  EXPECT_EQ(std::set<int64_t>(order.begin(), order.begin() + 2), (std::set<int64_t>{1, 2}));
  EXPECT_EQ(std::set<int64_t>(order.begin() + 2, order.end()), (std::set<int64_t>{3, 4, 5}));
  // FIFO: the queued ones were taken in the order they came, after the first two.
  EXPECT_LT(std::max(started[0], started[1]), started[2]);
  EXPECT_LT(started[2], started[3]);
  EXPECT_LT(started[3], started[4]);
}

TEST(QueryManager, MaxQueuedZeroStillRunsWhatAnIdleWorkerTakes) {
  QuerySettings settings;
  settings.max_concurrent = 1;
  settings.max_queued = 0;
  GateRunner gate;
  QueryManager m("/nonexistent", settings);
  m.SetRunnerForTesting(gate.Runner());
  Result<std::string> first = m.Submit(Tagged(1));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  gate.AwaitStarted(1);
  EXPECT_EQ(m.Submit(Tagged(2)).status().code(), StatusCode::kResourceExhausted);  // the worker is busy
  gate.Open();
  EXPECT_EQ(AwaitFinal(m, *first).state, QueryState::kSucceeded);
  for (int i = 0; i < 1000 && m.Submit(Tagged(3)).status().code() == StatusCode::kResourceExhausted; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the worker is between queries
  }
  gate.AwaitStarted(2);
}

TEST(QueryManager, CancelQueuedAndRunning) {
  QuerySettings settings;
  settings.max_concurrent = 1;
  Finished finished;
  GateRunner gate;
  QueryManager m("/nonexistent", settings, finished.Callback());
  m.SetRunnerForTesting(gate.Runner());
  const std::string running = *m.Submit(Tagged(1));
  gate.AwaitStarted(1);
  const std::string queued = *m.Submit(Tagged(2));

  std::optional<QuerySnapshot> q = m.Cancel(queued);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->state, QueryState::kCancelled);
  EXPECT_EQ(finished.Count(queued), 1u);
  EXPECT_EQ(m.queued(), 0u);

  q = m.Cancel(running);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->state, QueryState::kCancelled);  // at once, though the engine stops a little later
  const QuerySnapshot done = AwaitFinal(m, running);
  EXPECT_EQ(done.state, QueryState::kCancelled);
  EXPECT_EQ(done.error.code(), StatusCode::kCancelled);
  // The worker audits the finish just after publishing it, and is idle after that.
  const QueryCounters c = AwaitIdle(m);
  EXPECT_EQ(finished.Count(running), 1u);
  EXPECT_EQ(gate.started(), (std::vector<int64_t>{1}));  // the queued one never ran

  // Cancelling a finished query changes nothing; an unknown id is nullopt.
  EXPECT_EQ(m.Cancel(running)->state, QueryState::kCancelled);
  EXPECT_EQ(finished.Count(running), 1u);
  EXPECT_FALSE(m.Cancel("no-such-id"));
  // Each counted once, whether cancelled queued or running; only the one that ran has a duration.
  EXPECT_EQ(c.submitted, 2u);
  EXPECT_EQ(c.cancelled, 2u);
  EXPECT_EQ(c.succeeded + c.failed, 0u);
  EXPECT_EQ(DurationCount(m), "1");
}

TEST(QueryManager, FinishedQueriesExpireAfterTheTtlButRunningOnesDoNot) {
  QuerySettings settings;
  settings.max_concurrent = 1;
  settings.result_ttl_seconds = 60;
  std::atomic<int64_t> now{1'000'000'000};
  GateRunner gate;
  QueryManager m("/nonexistent", settings);
  m.SetClockForTesting([&] { return now.load(); });
  m.SetRunnerForTesting(gate.Runner());
  const std::string first = *m.Submit(Tagged(1));
  gate.AwaitStarted(1);
  now += 3600 * kMicrosPerSecond;  // running for an hour: still there
  ASSERT_TRUE(m.Get(first));
  gate.Open();
  const QuerySnapshot done = AwaitFinal(m, first);
  EXPECT_EQ(done.state, QueryState::kSucceeded);
  now += 59 * kMicrosPerSecond;
  EXPECT_TRUE(m.Get(first));
  EXPECT_EQ(m.Counters().expired, 0u);
  now += 1 * kMicrosPerSecond;
  EXPECT_FALSE(m.Get(first));
  EXPECT_FALSE(m.Cancel(first));
  EXPECT_EQ(m.Counters().expired, 1u);
}

TEST(QueryManager, KeepsAtMostMaxKeptResultsDroppingTheOldestFinished) {
  QuerySettings settings;
  settings.max_concurrent = 1;
  settings.max_kept_results = 2;
  std::atomic<int64_t> now{1'000'000'000};
  QueryManager m("/nonexistent", settings);
  m.SetClockForTesting([&] { return now += 1000; });  // every reading is later than the last
  m.SetRunnerForTesting([](const query::QueryPlan&, const query::QueryOptions&) -> Result<query::QueryResult> {
    return query::QueryResult{};
  });
  std::vector<std::string> ids;
  for (int tag = 1; tag <= 3; ++tag) {
    ids.push_back(*m.Submit(Tagged(tag)));
    AwaitFinal(m, ids.back());
  }
  EXPECT_FALSE(m.Get(ids[0]));
  EXPECT_TRUE(m.Get(ids[1]));
  EXPECT_TRUE(m.Get(ids[2]));
  EXPECT_EQ(m.Counters().expired, 1u);
}

TEST(QueryManager, CountersFollowQueuedRunningAndFinalStates) {
  QuerySettings settings;
  settings.max_concurrent = 1;
  GateRunner gate;
  QueryManager m("/nonexistent", settings);
  m.SetRunnerForTesting(gate.Runner());
  const QueryCounters zero = m.Counters();
  EXPECT_EQ(zero.submitted + zero.queued_now + zero.running_now + zero.succeeded, 0u);
  const std::string first = *m.Submit(Tagged(1));
  gate.AwaitStarted(1);
  const std::string second = *m.Submit(Tagged(2));
  const std::string third = *m.Submit(Tagged(3));
  QueryCounters c = m.Counters();
  EXPECT_EQ(c.submitted, 3u);
  EXPECT_EQ(c.running_now, 1u);
  EXPECT_EQ(c.queued_now, 2u);
  ASSERT_TRUE(m.Cancel(third));
  c = m.Counters();
  EXPECT_EQ(c.queued_now, 1u);
  EXPECT_EQ(c.cancelled, 1u);
  gate.Open();
  EXPECT_EQ(AwaitFinal(m, first).state, QueryState::kSucceeded);
  EXPECT_EQ(AwaitFinal(m, second).state, QueryState::kSucceeded);
  c = AwaitIdle(m);
  EXPECT_EQ(c.submitted, 3u);
  EXPECT_EQ(c.succeeded, 2u);
  EXPECT_EQ(c.cancelled, 1u);
  EXPECT_EQ(c.failed, 0u);
  EXPECT_EQ(c.rows_returned, 14u);  // the gate's 7 rows each
  EXPECT_EQ(DurationCount(m), "2");
}

TEST(QueryManager, RefusalsArePassedOnAndUnauthenticatedOnesAreRateLimited) {
  QuerySettings settings;
  settings.audit_unauthenticated_per_minute = 2;
  std::atomic<int64_t> now{1'000'000'000};
  Finished finished;
  QueryManager m("/nonexistent", settings, finished.Callback());
  m.SetClockForTesting([&] { return now.load(); });
  auto refusal = [](std::string principal, int status, std::string code) {
    QueryRefusal r;
    r.principal = std::move(principal);
    r.sql = "SELECT secret_guess FROM access_log";
    r.params_json = "[1]";
    r.remote = "10.0.0.7";
    r.http_status = status;
    r.code = std::move(code);
    r.message = "no";
    return r;
  };
  // A caller with a token: every refusal, with the request's SQL and parameters.
  for (int i = 0; i < 5; ++i) m.Refuse(refusal("alice", 429, "too_many_queries"));
  std::vector<QuerySnapshot> lines = finished.Refused();
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0].principal, "alice");
  EXPECT_EQ(lines[0].sql, "SELECT secret_guess FROM access_log");
  EXPECT_EQ(lines[0].params_json, "[1]");
  EXPECT_EQ(lines[0].remote, "10.0.0.7");
  EXPECT_EQ(lines[0].http_status, 429);
  EXPECT_EQ(lines[0].refusal_code, "too_many_queries");
  EXPECT_EQ(lines[0].error.message(), "no");
  EXPECT_TRUE(lines[0].id.empty());
  EXPECT_EQ(lines[0].finished_micros, now.load());

  // Without a valid token: 2 a minute, without the text; the rest only counted.
  for (int i = 0; i < 5; ++i) m.Refuse(refusal("", 401, "unauthorized"));
  lines = finished.Refused();
  ASSERT_EQ(lines.size(), 7u);
  for (size_t i = 5; i < 7; ++i) {
    EXPECT_EQ(lines[i].principal, "");
    EXPECT_EQ(lines[i].sql, "");
    EXPECT_EQ(lines[i].params_json, "");
    EXPECT_EQ(lines[i].remote, "10.0.0.7");
    EXPECT_EQ(lines[i].http_status, 401);
  }
  QueryCounters c = m.Counters();
  EXPECT_EQ(c.refused, 10u);
  EXPECT_EQ(c.audit_suppressed, 3u);
  EXPECT_EQ(c.submitted, 0u);

  // A minute later: first the sum of what was left out, then the new one.
  now += 59 * kMicrosPerSecond;
  m.Refuse(refusal("", 401, "unauthorized"));
  EXPECT_EQ(finished.Refused().size(), 7u);  // still the same minute, still over
  now += 1 * kMicrosPerSecond;
  m.Refuse(refusal("", 401, "unauthorized"));
  lines = finished.Refused();
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines[7].principal, "");
  EXPECT_EQ(lines[7].refusal_code, "unauthorized");
  EXPECT_NE(lines[7].error.message().find("4 more submissions without a valid token"), std::string::npos)
      << lines[7].error.message();
  EXPECT_NE(lines[7].error.message().find("audit_unauthenticated_per_minute = 2"), std::string::npos);
  EXPECT_EQ(lines[8].sql, "");
  EXPECT_EQ(m.Counters().audit_suppressed, 4u);

  // The second of this minute, a named token's (never limited), two over the limit; Shutdown
  // writes their sum.
  m.Refuse(refusal("", 401, "unauthorized"));
  m.Refuse(refusal("bob", 403, "forbidden"));
  m.Refuse(refusal("", 401, "unauthorized"));
  m.Refuse(refusal("", 401, "unauthorized"));
  lines = finished.Refused();
  ASSERT_EQ(lines.size(), 11u);
  EXPECT_EQ(lines[10].principal, "bob");
  EXPECT_EQ(lines[10].sql, "SELECT secret_guess FROM access_log");
  m.Shutdown();
  lines = finished.Refused();
  ASSERT_EQ(lines.size(), 12u);
  EXPECT_NE(lines[11].error.message().find("2 more submissions"), std::string::npos) << lines[11].error.message();
  c = m.Counters();
  EXPECT_EQ(c.refused, 16u);
  EXPECT_EQ(c.audit_suppressed, 6u);
}

TEST(QueryManager, AuditUnauthenticatedPerMinuteZeroWritesOnlyTheSums) {
  QuerySettings settings;
  settings.audit_unauthenticated_per_minute = 0;
  Finished finished;
  QueryManager m("/nonexistent", settings, finished.Callback());
  QueryRefusal r;
  r.http_status = 401;
  r.code = "unauthorized";
  for (int i = 0; i < 3; ++i) m.Refuse(r);
  EXPECT_TRUE(finished.Refused().empty());
  m.Shutdown();
  ASSERT_EQ(finished.Refused().size(), 1u);
  EXPECT_NE(finished.Refused()[0].error.message().find("3 more"), std::string::npos);
}

TEST(QueryManager, ShutdownCancelsRunningAndQueuedAndRefusesNewOnes) {
  QuerySettings settings;
  settings.max_concurrent = 1;
  Finished finished;
  GateRunner gate;
  auto m = std::make_unique<QueryManager>("/nonexistent", settings, finished.Callback());
  m->SetRunnerForTesting(gate.Runner());
  const std::string running = *m->Submit(Tagged(1));
  gate.AwaitStarted(1);
  const std::string queued = *m->Submit(Tagged(2));
  m->Shutdown();
  EXPECT_EQ(m->Get(running)->state, QueryState::kCancelled);
  EXPECT_EQ(m->Get(queued)->state, QueryState::kCancelled);
  EXPECT_EQ(finished.Count(running), 1u);
  EXPECT_EQ(finished.Count(queued), 1u);
  EXPECT_EQ(m->Submit(Tagged(3)).status().code(), StatusCode::kCancelled);
  m.reset();  // a second Shutdown (the destructor's) is harmless
}

TEST(QueryManager, EngineErrorsAndLimitsMakeItFailed) {
  const std::string lake = testing_util::FreshTempDir("qm-limits");
  querytest::WriteTestLake(lake, 3, 30);
  QuerySettings settings;
  settings.max_bytes_scanned = 100;
  QueryManager m(lake, settings);
  QuerySubmission s;
  s.sql = "SELECT * FROM access_log WHERE time >= TIMESTAMP '2024-05-01 00:00:00' AND time < TIMESTAMP '2024-05-02 00:00:00'";
  s.plan = Bind(s.sql);
  QuerySnapshot q = AwaitFinal(m, *m.Submit(std::move(s)));
  EXPECT_EQ(q.state, QueryState::kFailed);
  EXPECT_EQ(q.error.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(q.error.message().find("max_bytes_scanned"), std::string::npos) << q.error.ToString();
}

TEST(QueryManager, RangeLimitCountsTheWrittenRangeAndTheDaysThatExist) {
  const std::string lake = testing_util::FreshTempDir("qm-range");
  querytest::WriteTestLake(lake, 5, 3);
  QuerySettings settings;
  settings.max_range_days = 3;  // a range of 3 days in any zone touches up to 4 UTC partitions
  QueryManager m(lake, settings);
  auto run = [&](const std::string& sql) {
    QuerySubmission s;
    s.sql = sql;
    s.plan = Bind(sql);
    return AwaitFinal(m, *m.Submit(std::move(s)));
  };
  // 3 days in UTC+9 cover 4 UTC day partitions: allowed.
  QuerySnapshot q = run("SELECT count(*) FROM access_log WHERE time >= TIMESTAMP '2024-05-01 15:00:00' "
                        "AND time < TIMESTAMP '2024-05-04 15:00:00'");
  EXPECT_EQ(q.state, QueryState::kSucceeded) << q.error.ToString();
  // 40 days written, though only 5 exist: refused before reading, naming the setting.
  q = run("SELECT count(*) FROM access_log WHERE time >= TIMESTAMP '2024-05-01 00:00:00' "
          "AND time < TIMESTAMP '2024-06-10 00:00:00'");
  EXPECT_EQ(q.state, QueryState::kFailed);
  EXPECT_NE(q.error.message().find("covers 40 days"), std::string::npos) << q.error.ToString();
  EXPECT_NE(q.error.message().find("max_range_days"), std::string::npos);
  EXPECT_EQ(q.stats.bytes_scanned, 0u);
  // No time predicate: the 5 partitions that exist are more than 4.
  q = run("SELECT count(*) FROM access_log");
  EXPECT_EQ(q.state, QueryState::kFailed);
  EXPECT_NE(q.error.message().find("5 days of data"), std::string::npos) << q.error.ToString();
  // An open-ended range that selects 4 existing partitions passes.
  q = run("SELECT count(*) FROM access_log WHERE time >= TIMESTAMP '2024-05-02 00:00:00'");
  EXPECT_EQ(q.state, QueryState::kSucceeded) << q.error.ToString();
}

TEST(QueryManager, EngineOptionsCarryTheSettings) {
  QuerySettings settings;
  settings.max_concurrent = 2;
  settings.timeout_seconds = 7.5;
  settings.max_bytes_scanned = 123;
  settings.max_range_days = 31;
  settings.max_result_rows = 99;
  settings.threads = 3;
  QueryManager m("/nonexistent", settings);
  const query::QueryOptions o = m.EngineOptions(false);
  EXPECT_FALSE(o.dedup);
  EXPECT_EQ(o.threads, 3);
  EXPECT_EQ(o.limits.timeout_ms, 7500);
  settings.timeout_seconds = 0.0001;
  EXPECT_EQ(QueryManager("/nonexistent", settings).EngineOptions(true).limits.timeout_ms, 1);
  EXPECT_EQ(o.limits.max_bytes_scanned, 123u);
  EXPECT_EQ(o.limits.max_days, 32);
  EXPECT_EQ(o.limits.max_result_rows, 99u);
}

}  // namespace
}  // namespace loglake::server
