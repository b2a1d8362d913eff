#include "server/metrics_text.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "lake/table.h"
#include "server/ingest_api.h"
#include "server/query_manager.h"
#include "query_test_lake.h"
#include "test_util.h"

namespace loglake::server {
namespace {

using testing_util::FreshTempDir;

std::unique_ptr<ingest::IngestService> OpenService(const std::string& root) {
  ingest::IngestOptions options;
  options.lake_dir = root + "/lake";
  options.wal_dir = root + "/wal";
  Result<std::unique_ptr<ingest::IngestService>> s =
      ingest::IngestService::Open(options, {ingest::TableIngestOptions{lake::AccessLogTable(), {}}});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

TEST(Metrics, CountsRecordsFlushesAndLatencies) {
  auto ingest = OpenService(FreshTempDir("metrics"));
  const std::string body =
      "{\"uuid\":\"a\",\"time\":\"2024-05-01T00:00:00Z\"}\n{\"uuid\":\"b\",\"time\":\"2024-05-02T00:00:00Z\"}\n{\"bad\":1}\n";
  HttpAnswer a = IngestRecords(*ingest, "access_log", "", body, "test");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.body, "{\"accepted\":2,\"rejected\":1,\"errors\":[{\"line\":3,\"reason\":\"missing time field 'time'\"}]}");
  ASSERT_TRUE(ingest->Shutdown().ok());
  const std::string text = RenderMetrics(*ingest, {{200, 1}, {503, 2}});
  for (const char* expected : {
           "loglake_ingest_records_accepted_total{table=\"access_log\"} 2\n",
           "loglake_ingest_records_rejected_total{table=\"access_log\"} 1\n",
           "loglake_files_published_total{table=\"access_log\"} 2\n",
           "loglake_records_published_total{table=\"access_log\"} 2\n",
           "loglake_flushes_total{table=\"access_log\"} 1\n",
           "loglake_flush_duration_seconds_count{table=\"access_log\"} 1\n",
           "loglake_wal_sync_duration_seconds_bucket{table=\"access_log\",le=\"+Inf\"} 2\n",  // the batch + the flush marker
           "loglake_http_responses_total{code=\"503\"} 2\n",
           "loglake_ingest_duration_seconds_count{table=\"access_log\"} 1\n",
           "loglake_buffer_age_seconds{table=\"access_log\"} 0.000\n",  // flushed at Shutdown
           "# TYPE loglake_flush_duration_seconds histogram\n",
       }) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\nin:\n" << text;
  }
}

TEST(Metrics, QueryFamiliesCountStatesBytesRowsAndDurations) {
  const std::string root = FreshTempDir("metrics-queries");
  auto ingest = OpenService(root);
  // Without a query API there are no query families.
  EXPECT_EQ(RenderMetrics(*ingest, {}).find("loglake_queries"), std::string::npos);

  QueryManager m(root + "/lake", QuerySettings{});
  m.SetRunnerForTesting([](const query::QueryPlan& plan, const query::QueryOptions&) -> Result<query::QueryResult> {
    if (plan.limit.value_or(0) == 2) return Status::ResourceExhausted("over max_bytes_scanned");
    query::QueryResult r;
    r.stats.rows_returned = 5;
    r.stats.bytes_scanned = 1000;
    return r;
  });
  auto submit = [&](int limit) {
    QuerySubmission s;
    s.sql = "SELECT uuid FROM access_log LIMIT " + std::to_string(limit);
    s.plan = querytest::Bind(s.sql);
    return *m.Submit(std::move(s));
  };
  submit(1);
  submit(1);
  submit(2);
  for (int i = 0; i < 5000; ++i) {
    const QueryCounters c = m.Counters();
    if (c.succeeded + c.failed == 3 && c.running_now == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  QueryRefusal refusal;
  refusal.principal = "alice";
  m.Refuse(refusal);
  const std::string text = RenderMetrics(*ingest, {}, &m);
  for (const char* expected : {
           "# TYPE loglake_queries_submitted_total counter\n",
           "loglake_queries_submitted_total 3\n",
           "loglake_queries_total{state=\"succeeded\"} 2\n",
           "loglake_queries_total{state=\"failed\"} 1\n",
           "loglake_queries_total{state=\"cancelled\"} 0\n",
           "loglake_queries_total{state=\"refused\"} 1\n",
           "# TYPE loglake_queries_queued gauge\n",
           "loglake_queries_queued 0\n",
           "loglake_queries_running 0\n",
           "loglake_query_results_expired_total 0\n",
           "loglake_query_bytes_scanned_total 2000\n",
           "loglake_query_rows_returned_total 10\n",
           "loglake_query_audit_suppressed_total 0\n",
           "# TYPE loglake_query_duration_seconds histogram\n",
           "loglake_query_duration_seconds_bucket{le=\"300\"} 3\n",
           "loglake_query_duration_seconds_bucket{le=\"+Inf\"} 3\n",
           "loglake_query_duration_seconds_count 3\n",
       }) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\nin:\n" << text;
  }
  ASSERT_TRUE(ingest->Shutdown().ok());
}

TEST(IngestApi, AnswersEachFailureWithItsStatus) {
  auto ingest = OpenService(FreshTempDir("ingest-api"));
  EXPECT_EQ(IngestRecords(*ingest, "nope", "", "{}", "t").status, 404);
  EXPECT_EQ(IngestRecords(*ingest, "access_log", "", "  \n", "t").status, 400);
  EXPECT_EQ(IngestRecords(*ingest, "access_log", "compress", "x", "t").status, 415);
  EXPECT_EQ(IngestRecords(*ingest, "access_log", "zstd", "not zstd", "t").status, 400);
  const std::string big(ingest->options().max_body_bytes + 1, ' ');
  EXPECT_EQ(IngestRecords(*ingest, "access_log", "", big, "t").status, 413);
  HttpAnswer unavailable = ErrorAnswer(Status::ResourceExhausted("the WAL is full"));
  EXPECT_EQ(unavailable.status, 503);
  EXPECT_TRUE(unavailable.retry_after);
  EXPECT_EQ(unavailable.body, "{\"error\":{\"code\":\"unavailable\",\"message\":\"the WAL is full\"}}");
}

}  // namespace
}  // namespace loglake::server
