// The query API handlers without HTTP: request parsing and parameter typing, synchronous query
// errors, paging, visibility, tenant-bound tokens (the restriction no SQL escapes), the estimate,
// the table list, and the audit of refused submissions.
#include "server/query_api.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <filesystem>
#include <set>
#include <thread>

#include "query/tenant_filter.h"
#include "query_test_lake.h"
#include "test_util.h"

namespace loglake::server {
namespace {

using querytest::Json;

Token MakeToken(std::string name, std::vector<std::string> scopes, std::vector<std::string> tenants = {}) {
  Token t;
  t.token = name + "-secret-0123456789";
  t.name = std::move(name);
  t.scopes = std::move(scopes);
  t.tenants = std::move(tenants);
  return t;
}

// A lake of 4 days × 30 rows (tenants acme/globex/initech in turn) and an API over it.
class QueryApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lake_ = testing_util::FreshTempDir("query-api");
    querytest::WriteTestLake(lake_, 4, 30);
    lake::TableDef no_tenant = lake::AccessLogTable();
    no_tenant.name = "metrics";
    no_tenant.columns.erase(no_tenant.columns.begin() + no_tenant.ColumnIndex("tenant_id"));
    manager_ = std::make_unique<QueryManager>(lake_, QuerySettings{}, [this](const QuerySnapshot& q) {
      std::lock_guard<std::mutex> lock(audit_mu_);
      audited_.push_back(q);
    });
    api_ = std::make_unique<QueryApi>(manager_.get(), std::vector<lake::TableDef>{lake::AccessLogTable(), no_tenant});
  }

  // Submits and waits for a final state; returns the id.
  std::string Run(const Token* token, const std::string& body) {
    HttpAnswer a = api_->Submit(token, body);
    EXPECT_EQ(a.status, 200) << a.body;
    Json j(a.body);
    const std::string id(j.root["id"].get_string().value());
    for (int i = 0; i < 5000; ++i) {
      Json s(api_->Describe(token, id).body);
      const std::string_view state = s.root["state"].get_string().value();
      if (state != "QUEUED" && state != "RUNNING") return id;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ADD_FAILURE() << "query did not finish";
    return id;
  }

  // Every row of a succeeded query, following next_token, as compact JSON arrays.
  std::vector<std::string> AllRows(const Token* token, const std::string& id, int page_size, int* pages = nullptr) {
    std::vector<std::string> rows;
    std::string next;
    int n = 0;
    do {
      HttpAnswer a = api_->Results(token, id, next, std::to_string(page_size));
      EXPECT_EQ(a.status, 200) << a.body;
      if (a.status != 200) break;
      Json j(a.body);
      simdjson::dom::array page = j.root["rows"].get_array().value();
      EXPECT_LE(page.size(), static_cast<size_t>(page_size));
      for (simdjson::dom::element r : page) rows.push_back(simdjson::minify(r));
      ++n;
      next = j.root["next_token"].is_null() ? "" : std::string(j.root["next_token"].get_string().value());
    } while (!next.empty());
    if (pages) *pages = n;
    return rows;
  }

  std::set<std::string> Tenants(const Token* token, const std::string& sql) {
    const std::string id = Run(token, "{\"sql\": \"" + sql + "\"}");
    Json s(api_->Describe(token, id).body);
    EXPECT_EQ(s.root["state"].get_string().value(), "SUCCEEDED") << simdjson::minify(s.root);
    std::set<std::string> out;
    for (const std::string& row : AllRows(token, id, 1000)) out.insert(row);
    return out;
  }

  // The last snapshot passed to the audit callback.
  QuerySnapshot LastAudited() {
    std::lock_guard<std::mutex> lock(audit_mu_);
    EXPECT_FALSE(audited_.empty());
    return audited_.empty() ? QuerySnapshot{} : audited_.back();
  }
  size_t AuditedCount() {
    std::lock_guard<std::mutex> lock(audit_mu_);
    return audited_.size();
  }

  std::string lake_;
  std::mutex audit_mu_;
  std::vector<QuerySnapshot> audited_;
  std::unique_ptr<QueryManager> manager_;
  std::unique_ptr<QueryApi> api_;
};

TEST(QueryRequest, ParamsAreTypedByTheirJsonForm) {
  Result<QueryRequest> r = ParseQueryRequest(
      R"({"sql": "SELECT 1", "params": ["acme", 42, 9007199254740993, 1.5, true, null,
          {"type": "timestamp", "value": "2024-05-01T09:00:00+09:00"}, {"type": "varchar", "value": "7"},
          {"type": "bigint", "value": 5}, {"type": "double", "value": 2}, {"type": "boolean", "value": false},
          {"type": "timestamp", "value": null}], "dedup": false})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->dedup);
  const std::vector<query::Value>& p = r->params;
  ASSERT_EQ(p.size(), 12u);
  EXPECT_EQ(p[0], query::Value::Varchar("acme"));
  EXPECT_EQ(p[1], query::Value::Bigint(42));
  EXPECT_EQ(p[2], query::Value::Bigint(9007199254740993));  // exact, not through a double
  EXPECT_EQ(p[3], query::Value::Double(1.5));
  EXPECT_EQ(p[4], query::Value::Boolean(true));
  EXPECT_TRUE(p[5].is_null());
  EXPECT_EQ(p[6], query::Value::Timestamp(MicrosFromCivilDate({2024, 5, 1})));  // 09:00+09:00 is midnight UTC
  EXPECT_EQ(p[7], query::Value::Varchar("7"));
  EXPECT_EQ(p[8], query::Value::Bigint(5));
  EXPECT_EQ(p[9], query::Value::Double(2));
  EXPECT_EQ(p[10], query::Value::Boolean(false));
  EXPECT_EQ(p[11], query::Value::Null(query::SqlType::kTimestamp));
  EXPECT_EQ(r->params_json.front(), '[');
  EXPECT_NE(r->params_json.find("2024-05-01T09:00:00+09:00"), std::string::npos);
}

TEST(QueryRequest, DedupDefaultsToTrueAndParamsToNone) {
  Result<QueryRequest> r = ParseQueryRequest(R"({"sql": "SELECT 1"})");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->dedup);
  EXPECT_TRUE(r->params.empty());
  EXPECT_EQ(r->params_json, "[]");
}

TEST(QueryRequest, BadRequestsSayWhatIsWrong) {
  const std::pair<const char*, const char*> cases[] = {
      {"not json", "not a JSON object"},
      {"[1]", "not a JSON object"},
      {R"({"params": []})", "\"sql\" is required"},
      {R"({"sql": ""})", "\"sql\" is required"},
      {R"({"sql": "SELECT 1", "params": {"a": 1}})", "must be a list"},
      {R"({"sql": "SELECT 1", "params": [[1]]})", "params[0]"},
      {R"({"sql": "SELECT 1", "params": [1, 18446744073709551615]})", "params[1]: integer out of the bigint range"},
      {R"({"sql": "SELECT 1", "params": [{"type": "timestamp", "value": "yesterday"}]})", "params[0]"},
      {R"({"sql": "SELECT 1", "params": [{"type": "timestamp", "value": 5}]})", "ISO-8601"},
      {R"({"sql": "SELECT 1", "params": [{"type": "bigint", "value": 1.5}]})", "bigint"},
      {R"({"sql": "SELECT 1", "params": [{"type": "date", "value": "2024-05-01"}]})", "unknown type 'date'"},
      {R"({"sql": "SELECT 1", "params": [{"value": 1}]})", "typed parameter"},
      {R"({"sql": "SELECT 1", "dedup": "yes"})", "dedup"},
  };
  for (const auto& [body, expected] : cases) {
    Result<QueryRequest> r = ParseQueryRequest(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(expected), std::string::npos) << body << " → " << r.status().message();
  }
}

TEST_F(QueryApiTest, QueryErrorsAreAnswered400AtOnceWithThePosition) {
  HttpAnswer a = api_->Submit(nullptr, R"({"sql": "SELECT * FORM access_log"})");
  EXPECT_EQ(a.status, 400);
  EXPECT_NE(a.body.find("\"invalid_query\""), std::string::npos);
  EXPECT_NE(a.body.find("line 1:10"), std::string::npos) << a.body;
  a = api_->Submit(nullptr, R"({"sql": "SELECT uuidd FROM access_log"})");
  EXPECT_EQ(a.status, 400);
  EXPECT_NE(a.body.find("did you mean 'uuid'"), std::string::npos) << a.body;
  a = api_->Submit(nullptr, R"({"sql": "SELECT * FROM access_log WHERE status = ?", "params": ["x"]})");
  EXPECT_EQ(a.status, 400) << a.body;
  a = api_->Submit(nullptr, R"({"sql": "SELECT * FROM access_log WHERE status = ?"})");
  EXPECT_EQ(a.status, 400);
  EXPECT_NE(a.body.find("1 parameter (?) but 0 values"), std::string::npos) << a.body;
  a = api_->Submit(nullptr, R"({"sql": "SELECT * FROM nosuchtable"})");
  EXPECT_EQ(a.status, 400);
  a = api_->Submit(nullptr, "{");
  EXPECT_EQ(a.status, 400);
  EXPECT_NE(a.body.find("\"invalid_request\""), std::string::npos);
  EXPECT_EQ(manager_->queued(), 0u);
}

TEST_F(QueryApiTest, StatusResultsAndPaging) {
  const std::string id = Run(nullptr, R"({"sql": "SELECT uuid, time, status FROM access_log WHERE time >= ? AND time < ? ORDER BY uuid",
                                          "params": [{"type": "timestamp", "value": "2024-05-01T00:00:00Z"},
                                                     {"type": "timestamp", "value": "2024-05-05T00:00:00Z"}]})");
  Json s(api_->Describe(nullptr, id).body);
  EXPECT_EQ(s.root["state"].get_string().value(), "SUCCEEDED");
  EXPECT_EQ(s.root["stats"]["rows_returned"].get_uint64().value(), 120u);
  EXPECT_GT(s.root["stats"]["bytes_scanned"].get_uint64().value(), 0u);
  EXPECT_FALSE(s.root["finished_at"].is_null());
  EXPECT_TRUE(s.root["error"].error() == simdjson::NO_SUCH_FIELD);

  int pages = 0;
  const std::vector<std::string> paged = AllRows(nullptr, id, 50, &pages);
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(paged.size(), 120u);
  EXPECT_EQ(paged, AllRows(nullptr, id, 1000));
  EXPECT_EQ(paged[0], R"(["d0-0","2024-05-01 00:00:00.000000",500])");  // result_format's json values
  Json first(api_->Results(nullptr, id, "", "").body);
  EXPECT_EQ(first.root["columns"].get_array().value().size(), 3u);
  EXPECT_EQ(first.root["columns"].at(1)["type"].get_string().value(), "timestamp");

  EXPECT_EQ(api_->Results(nullptr, id, "bogus", "").status, 400);
  EXPECT_EQ(api_->Results(nullptr, id, "r999999", "").status, 400);
  EXPECT_EQ(api_->Results(nullptr, id, "", "ten").status, 400);
  EXPECT_EQ(api_->Describe(nullptr, "0123").status, 404);
  EXPECT_EQ(api_->Results(nullptr, "0123", "", "").status, 404);
  EXPECT_EQ(api_->Cancel(nullptr, "0123").status, 404);
}

TEST_F(QueryApiTest, FailedQueriesAnswerResults409WithTheError) {
  const std::string id = Run(nullptr, R"({"sql": "SELECT 1 / (status - status) FROM access_log WHERE time >= TIMESTAMP '2024-05-01 00:00:00' AND time < TIMESTAMP '2024-05-02 00:00:00'"})");
  Json s(api_->Describe(nullptr, id).body);
  EXPECT_EQ(s.root["state"].get_string().value(), "FAILED");
  EXPECT_FALSE(std::string(s.root["error"]["message"].get_string().value()).empty());
  HttpAnswer r = api_->Results(nullptr, id, "", "");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("\"state\":\"FAILED\""), std::string::npos) << r.body;
}

TEST_F(QueryApiTest, AQueryIsVisibleToItsTokenAndToAdminsOnly) {
  const Token alice = MakeToken("alice", {"query"});
  const Token bob = MakeToken("bob", {"query"});
  const Token admin = MakeToken("root", {"admin"});
  const std::string id = Run(&alice, R"({"sql": "SELECT count(*) FROM access_log WHERE datepath = '2024/05/01'"})");
  EXPECT_EQ(api_->Describe(&alice, id).status, 200);
  EXPECT_EQ(api_->Describe(&admin, id).status, 200);
  EXPECT_EQ(api_->Describe(&bob, id).status, 404);
  EXPECT_EQ(api_->Results(&bob, id, "", "").status, 404);
  EXPECT_EQ(api_->Cancel(&bob, id).status, 404);
  // Another token under the same name is another caller.
  Token alice_twin = MakeToken("alice", {"query"});
  alice_twin.token = "another-alice-secret-0123";
  EXPECT_EQ(api_->Describe(&alice_twin, id).status, 404);
  // An admin bound to tenants sees only its own queries: the others' rows are other tenants'.
  const Token tenant_admin = MakeToken("acme-admin", {"admin"}, {"acme"});
  EXPECT_EQ(api_->Describe(&tenant_admin, id).status, 404);
  EXPECT_EQ(api_->Results(&tenant_admin, id, "", "").status, 404);
}

TEST_F(QueryApiTest, TenantBoundTokensSeeOnlyTheirTenantsWhateverTheSql) {
  const Token acme = MakeToken("acme-support", {"query"}, {"acme"});
  const std::string day = " datepath = '2024/05/02' ";
  const std::set<std::string> only_acme = {R"(["acme"])"};
  for (const std::string& where : {
           "WHERE" + day,
           "WHERE" + day + "AND tenant_id = 'globex'",
           "WHERE" + day + "OR tenant_id = 'globex'",
           "WHERE" + day + "OR 1 = 1",
           "WHERE (" + day + ") OR (tenant_id <> 'acme')",
           "WHERE ((tenant_id = 'globex')) OR ((true)) OR" + day,
           "WHERE NOT (tenant_id = 'acme') OR" + day,
           "WHERE tenant_id IN ('globex', 'initech') OR" + day,
       }) {
    const std::set<std::string> seen = Tenants(&acme, "SELECT DISTINCT tenant_id FROM access_log " + where);
    EXPECT_TRUE(seen.empty() || seen == only_acme) << where;
  }
  EXPECT_EQ(Tenants(&acme, "SELECT tenant_id FROM access_log WHERE" + day + "OR 1 = 1 GROUP BY tenant_id HAVING count(*) > 0"),
            only_acme);
  EXPECT_EQ(Tenants(&acme, "SELECT tenant_id FROM access_log WHERE tenant_id = 'globex' AND" + day), std::set<std::string>{});
  // Counting: 10 acme rows on the day, whatever the filter says.
  const std::string id = Run(&acme, R"({"sql": "SELECT count(*) FROM access_log WHERE datepath = '2024/05/02' OR tenant_id <> 'acme'"})");
  EXPECT_EQ(AllRows(&acme, id, 10), std::vector<std::string>{"[10]"});
  // The same SQL through an unbound token sees every tenant.
  const Token all = MakeToken("all", {"query"});
  EXPECT_EQ(Tenants(&all, "SELECT DISTINCT tenant_id FROM access_log WHERE" + day).size(), 3u);
  // A table without tenant_id: 403, for queries and estimates.
  HttpAnswer a = api_->Submit(&acme, R"({"sql": "SELECT * FROM metrics"})");
  EXPECT_EQ(a.status, 403);
  EXPECT_NE(a.body.find("tenant_id"), std::string::npos);
  EXPECT_EQ(api_->Estimate(&acme, R"({"sql": "SELECT * FROM metrics"})").status, 403);
  EXPECT_EQ(api_->Submit(&all, R"({"sql": "SELECT count(*) FROM metrics"})").status, 200);
}

TEST(TenantFilter, IsAndedAroundTheWholeFilter) {
  query::QueryPlan plan = querytest::Bind("SELECT uuid FROM access_log WHERE status = 500 OR tenant_id = 'globex'");
  ASSERT_TRUE(query::RestrictToTenants({"acme", "initech"}, &plan).ok());
  ASSERT_EQ(plan.filter->kind, query::ExprKind::kAnd);
  ASSERT_EQ(plan.filter->args.size(), 2u);
  EXPECT_EQ(plan.filter->args[0]->kind, query::ExprKind::kOr);  // the user's filter, whole
  const query::Expr& in = *plan.filter->args[1];
  EXPECT_EQ(in.kind, query::ExprKind::kInList);
  EXPECT_FALSE(in.negated);
  EXPECT_EQ(in.args[0]->index, lake::AccessLogTable().ColumnIndex("tenant_id"));
  EXPECT_EQ(in.args[1]->constant, query::Value::Varchar("acme"));
  EXPECT_EQ(in.args[2]->constant, query::Value::Varchar("initech"));

  query::QueryPlan unfiltered = querytest::Bind("SELECT uuid FROM access_log");
  ASSERT_TRUE(query::RestrictToTenants({"acme"}, &unfiltered).ok());
  EXPECT_EQ(unfiltered.filter->kind, query::ExprKind::kInList);
  EXPECT_FALSE(query::RestrictToTenants({}, &unfiltered).ok());
}

TEST_F(QueryApiTest, EstimateSumsTheFileSizesOfTheSelectedDays) {
  auto size_of_day = [&](const std::string& day) {
    return std::filesystem::file_size(lake_ + "/access_log/" + day + "/part-0.parquet");
  };
  Json e(api_->Estimate(nullptr, R"({"sql": "SELECT * FROM access_log WHERE time >= ? AND time < ?",
      "params": [{"type": "timestamp", "value": "2024-05-02T00:00:00Z"}, {"type": "timestamp", "value": "2024-05-04T00:00:00Z"}]})")
             .body);
  EXPECT_EQ(e.root["days"].get_uint64().value(), 2u);
  EXPECT_EQ(e.root["files"].get_uint64().value(), 2u);
  EXPECT_EQ(e.root["bytes"].get_uint64().value(), size_of_day("2024/05/02") + size_of_day("2024/05/03"));
  Json all(api_->Estimate(nullptr, R"({"sql": "SELECT * FROM access_log"})").body);
  EXPECT_EQ(all.root["days"].get_uint64().value(), 4u);
  EXPECT_EQ(api_->Estimate(nullptr, R"({"sql": "SELECT * FROM"})").status, 400);
}

TEST_F(QueryApiTest, TablesListTheServedTablesAndColumns) {
  Json t(api_->Tables().body);
  simdjson::dom::array tables = t.root["tables"].get_array().value();
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables.at(0)["name"].get_string().value(), "access_log");
  EXPECT_EQ(tables.at(0)["time_column"].get_string().value(), "time");
  EXPECT_EQ(tables.at(0)["dedup_key"].get_string().value(), "uuid");
  EXPECT_EQ(tables.at(0)["columns"].at(1)["type"].get_string().value(), "timestamp");
  EXPECT_EQ(tables.at(0)["columns"].get_array().value().size(), lake::AccessLogTable().columns.size());
}

TEST_F(QueryApiTest, RefusedSubmissionsAreAuditedWithTheirAnswer) {
  const Token alice = MakeToken("alice", {"query"});
  const Token acme = MakeToken("acme-support", {"query"}, {"acme"});
  struct Case {
    const Token* token;
    std::string body;
    int status;
    std::string code;
    std::string sql;     // what the line keeps
    std::string params;
  };
  const Case cases[] = {
      {&alice, R"({"sql": "SELECT * FORM access_log", "params": [1]})", 400, "invalid_query", "SELECT * FORM access_log", "[1]"},
      {&alice, R"({"sql": "SELECT 1", "params": [{"type": "timestamp", "value": "noon"}]})", 400, "invalid_request",
       "SELECT 1", R"([{"type":"timestamp","value":"noon"}])"},
      {&alice, "not json", 400, "invalid_request", "", ""},
      {&alice, R"({"sql": 5})", 400, "invalid_request", "", "[]"},
      {&acme, R"({"sql": "SELECT count(*) FROM metrics"})", 403, "forbidden", "SELECT count(*) FROM metrics", "[]"},
      {nullptr, R"({"sql": "SELECT nothing FROM access_log"})", 400, "invalid_query", "SELECT nothing FROM access_log", "[]"},
  };
  for (const Case& c : cases) {
    const size_t before = AuditedCount();
    HttpAnswer a = api_->Submit(c.token, c.body, "192.0.2.1");
    EXPECT_EQ(a.status, c.status) << c.body << " → " << a.body;
    ASSERT_EQ(AuditedCount(), before + 1) << c.body;
    const QuerySnapshot q = LastAudited();
    EXPECT_EQ(q.state, QueryState::kRefused);
    EXPECT_EQ(q.http_status, c.status);
    EXPECT_EQ(q.refusal_code, c.code) << c.body;
    EXPECT_EQ(q.principal, c.token != nullptr ? c.token->DisplayName() : "anonymous");
    EXPECT_EQ(q.sql, c.sql);
    EXPECT_EQ(q.params_json, c.params);
    EXPECT_EQ(q.remote, "192.0.2.1");
    EXPECT_TRUE(q.id.empty());
    Json answer(a.body);
    EXPECT_EQ(answer.root["error"]["message"].get_string().value(), q.error.message());
  }

  // The token checks, through the authorizer's real answers.
  const Token ingest = MakeToken("shipper", {"ingest"});
  const Authorizer authorizer({alice, ingest});
  const std::string body = R"({"sql": "SELECT uuid FROM access_log", "params": ["x"]})";
  for (const std::string& header : {std::string(""), "Bearer " + alice.token + "-guess"}) {
    AuthDecision auth = authorizer.Authorize(header, "query");
    ASSERT_TRUE(auth.denied);
    HttpAnswer a = api_->SubmitDenied(auth, body, "198.51.100.9");
    EXPECT_EQ(a.status, 401);
    const QuerySnapshot q = LastAudited();
    EXPECT_EQ(q.state, QueryState::kRefused);
    EXPECT_EQ(q.http_status, 401);
    EXPECT_EQ(q.refusal_code, "unauthorized");
    EXPECT_EQ(q.principal, "");  // nobody: no name, no SQL, no parameters
    EXPECT_EQ(q.sql, "");
    EXPECT_EQ(q.params_json, "");
    EXPECT_EQ(q.remote, "198.51.100.9");
    EXPECT_FALSE(q.error.message().empty());
  }
  AuthDecision scopeless = authorizer.Authorize("Bearer " + ingest.token, "query");
  ASSERT_TRUE(scopeless.denied);
  EXPECT_EQ(api_->SubmitDenied(scopeless, body, "").status, 403);
  QuerySnapshot q = LastAudited();
  EXPECT_EQ(q.principal, "shipper");
  EXPECT_EQ(q.refusal_code, "forbidden");
  EXPECT_EQ(q.sql, "SELECT uuid FROM access_log");
  EXPECT_EQ(q.params_json, R"(["x"])");
  EXPECT_NE(q.error.message().find("'query' scope"), std::string::npos) << q.error.message();

  // Shutting down: 503, audited too.
  manager_->Shutdown();
  HttpAnswer a = api_->Submit(&alice, R"({"sql": "SELECT count(*) FROM access_log"})");
  EXPECT_EQ(a.status, 503);
  EXPECT_TRUE(a.retry_after);
  q = LastAudited();
  EXPECT_EQ(q.refusal_code, "shutting_down");
  EXPECT_EQ(q.sql, "SELECT count(*) FROM access_log");
  const QueryCounters c = manager_->Counters();
  EXPECT_EQ(c.refused, 10u);
  EXPECT_EQ(c.submitted, 0u);
  EXPECT_EQ(c.audit_suppressed, 0u);
}

TEST(QueryApiQueue, AFullQueueIsAnswered429AndAudited) {
  QuerySettings settings;
  settings.max_concurrent = 1;
  settings.max_queued = 0;
  std::mutex mu;
  std::vector<QuerySnapshot> audited;
  std::atomic<bool> release{false};
  QueryManager m("/nonexistent", settings, [&](const QuerySnapshot& q) {
    std::lock_guard<std::mutex> lock(mu);
    audited.push_back(q);
  });
  m.SetRunnerForTesting([&](const query::QueryPlan&, const query::QueryOptions& o) -> Result<query::QueryResult> {
    while (!release && !o.cancel->load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return query::QueryResult{};
  });
  QueryApi api(&m, {lake::AccessLogTable()});
  const Token alice = MakeToken("alice", {"query"});
  const std::string body = R"({"sql": "SELECT uuid FROM access_log WHERE tenant_id = ?", "params": ["acme"]})";
  ASSERT_EQ(api.Submit(&alice, body).status, 200);
  for (int i = 0; i < 5000 && m.Counters().running_now == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  HttpAnswer a = api.Submit(&alice, body, "203.0.113.5");
  EXPECT_EQ(a.status, 429);
  EXPECT_TRUE(a.retry_after);
  release = true;
  for (int i = 0; i < 5000 && m.Counters().succeeded == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  m.Shutdown();
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(audited.size(), 2u);  // the refusal at once, the first query when it finished
  EXPECT_EQ(audited[0].state, QueryState::kRefused);
  EXPECT_EQ(audited[0].http_status, 429);
  EXPECT_EQ(audited[0].refusal_code, "too_many_queries");
  EXPECT_EQ(audited[0].principal, "alice");
  EXPECT_EQ(audited[0].params_json, R"(["acme"])");
  EXPECT_NE(audited[0].error.message().find("max_queued"), std::string::npos);
  EXPECT_EQ(audited[1].state, QueryState::kSucceeded);
  EXPECT_EQ(audited[1].http_status, 200);
  EXPECT_EQ(m.Counters().refused, 1u);
  EXPECT_EQ(m.Counters().submitted, 1u);
}

TEST(TokenName, IsTheConfiguredNameOrAHashThatHidesTheSecret) {
  Token t;
  t.token = "very-secret-token-value";
  const std::string hashed = t.DisplayName();
  EXPECT_EQ(hashed.rfind("token-", 0), 0u);
  EXPECT_EQ(hashed.size(), 14u);
  EXPECT_EQ(hashed.find("secret"), std::string::npos);
  Token same = t;
  EXPECT_EQ(same.DisplayName(), hashed);  // stable
  t.token = "very-secret-token-valuf";
  EXPECT_NE(t.DisplayName(), hashed);
  t.name = "support";
  EXPECT_EQ(t.DisplayName(), "support");
}

}  // namespace
}  // namespace loglake::server
