// The query API's configuration: the [query] section, token names and tenant bindings, and the
// audit log's lines.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>

#include "server/audit_log.h"
#include "server/config.h"
#include "test_util.h"

namespace loglake::server {
namespace {

using testing_util::FreshTempDir;

std::string WriteConfig(const std::string& text) {
  const std::string path = FreshTempDir("query-config") + "/loglake.toml";
  std::ofstream(path) << text;
  return path;
}

TEST(QueryConfig, DefaultsAreTheDocumentedOnes) {
  const QuerySettings q = DefaultServeConfig().query;
  EXPECT_EQ(q.max_concurrent, 2);
  EXPECT_EQ(q.max_queued, 64u);
  EXPECT_EQ(q.result_ttl_seconds, 3600);
  EXPECT_EQ(q.max_kept_results, 1000u);
  EXPECT_EQ(q.timeout_seconds, 300);
  EXPECT_EQ(q.max_bytes_scanned, uint64_t{100} << 30);
  EXPECT_EQ(q.max_range_days, 31);
  EXPECT_EQ(q.max_result_rows, 100'000u);
  EXPECT_EQ(q.threads, 0);
  EXPECT_EQ(q.audit_log, "");
  EXPECT_EQ(q.audit_unauthenticated_per_minute, 60u);
}

TEST(QueryConfig, QuerySectionAndTokenTenantsAreRead) {
  Result<ServeConfig> c = LoadServeConfig(WriteConfig(R"(
[[tokens]]
token = "0123456789abcdef-support"
scopes = ["query"]
name = "support-tokyo"
tenants = ["acme", "globex"]

[[tokens]]
token = "0123456789abcdef-ingest"
scopes = ["ingest"]

[query]
max_concurrent = 4
max_queued = 10
result_ttl_seconds = 5
max_kept_results = 9
timeout_seconds = 2.5
max_bytes_scanned = 1000
max_range_days = 7
max_result_rows = 50
max_memory_bytes = 4096
threads = 1
audit_log = "/var/log/loglake/audit.ndjson"
audit_unauthenticated_per_minute = 5
)"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->tokens.size(), 2u);
  EXPECT_EQ(c->tokens[0].name, "support-tokyo");
  EXPECT_EQ(c->tokens[0].tenants, (std::vector<std::string>{"acme", "globex"}));
  EXPECT_TRUE(c->tokens[1].tenants.empty());
  EXPECT_EQ(c->tokens[1].DisplayName().rfind("token-", 0), 0u);
  const QuerySettings& q = c->query;
  EXPECT_EQ(q.max_concurrent, 4);
  EXPECT_EQ(q.max_queued, 10u);
  EXPECT_EQ(q.result_ttl_seconds, 5);
  EXPECT_EQ(q.max_kept_results, 9u);
  EXPECT_EQ(q.timeout_seconds, 2.5);
  EXPECT_EQ(q.max_bytes_scanned, 1000u);
  EXPECT_EQ(q.max_range_days, 7);
  EXPECT_EQ(q.max_result_rows, 50u);
  EXPECT_EQ(q.max_memory_bytes, 4096u);
  EXPECT_EQ(q.threads, 1);
  EXPECT_EQ(q.audit_log, "/var/log/loglake/audit.ndjson");
  EXPECT_EQ(q.audit_unauthenticated_per_minute, 5u);
  EXPECT_TRUE(ValidateServeConfig(*c).ok());
}

TEST(QueryConfig, MistakesNameTheKey) {
  const std::pair<const char*, const char*> cases[] = {
      {"[query]\nmax_concurent = 3\n", "unknown setting 'max_concurent' in [query]"},
      {"[query]\ntimeout_seconds = \"5\"\n", "timeout_seconds: expected a non-negative number"},
      {"[query]\nmax_queued = 1.5\n", "max_queued: expected a non-negative integer"},
      {"query = 5\n", "expected a [query] section"},
      {"[[tokens]]\ntoken = \"0123456789abcdef\"\ntenants = []\n", "tenants: expected a non-empty list"},
      {"[[tokens]]\ntoken = \"0123456789abcdef\"\ntenants = [1]\n", "tenants: expected strings"},
      {"[[tokens]]\ntoken = \"0123456789abcdef\"\nname = \"a\"\n[[tokens]]\ntoken = \"0123456789abcdeX\"\nname = \"a\"\n",
       "name 'a' is given to two tokens"},
      {"[[tokens]]\ntoken = \"0123456789abcdef\"\n[[tokens]]\ntoken = \"0123456789abcdef\"\n", "the same secret is given twice"},
  };
  for (const auto& [text, expected] : cases) {
    Result<ServeConfig> c = LoadServeConfig(WriteConfig(text));
    ASSERT_FALSE(c.ok()) << text;
    EXPECT_NE(c.status().message().find(expected), std::string::npos) << c.status().message();
  }
  Result<ServeConfig> zero = LoadServeConfig(WriteConfig("[query]\nmax_concurrent = 0\n"));
  ASSERT_TRUE(zero.ok());
  EXPECT_FALSE(ValidateServeConfig(*zero).ok());
}

TEST(AuditLog, OneJsonLinePerQueryWithoutTheSecret) {
  const std::string path = FreshTempDir("audit") + "/_audit/queries.ndjson";
  Result<std::unique_ptr<AuditLog>> log = AuditLog::Open(path);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  QuerySnapshot q;
  q.id = "abc";
  q.state = QueryState::kFailed;
  q.sql = "SELECT \"x\"\nFROM t WHERE a = ?";
  q.params_json = R"(["acme",{"type":"timestamp","value":"2024-05-01T00:00:00Z"}])";
  q.principal = "support-tokyo";
  q.stats.rows_returned = 3;
  q.stats.bytes_scanned = 1234;
  q.elapsed_seconds = 0.5;
  q.error = Status::ResourceExhausted("too much");
  ASSERT_TRUE((*log)->Record(q).ok());
  q.state = QueryState::kSucceeded;
  q.error = Status::OK();
  ASSERT_TRUE((*log)->Record(q).ok());
  log->reset();

  std::ifstream in(path);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  ASSERT_EQ(lines.size(), 2u);
  simdjson::dom::parser parser;
  simdjson::dom::element first = parser.parse(simdjson::padded_string(lines[0])).value();
  EXPECT_EQ(first["token"].get_string().value(), "support-tokyo");
  EXPECT_EQ(first["sql"].get_string().value(), q.sql);
  EXPECT_EQ(first["params"].at(1)["type"].get_string().value(), "timestamp");
  EXPECT_EQ(first["state"].get_string().value(), "FAILED");
  EXPECT_EQ(first["rows"].get_uint64().value(), 3u);
  EXPECT_EQ(first["bytes_scanned"].get_uint64().value(), 1234u);
  EXPECT_DOUBLE_EQ(first["elapsed_seconds"].get_double().value(), 0.5);
  EXPECT_EQ(first["error"].get_string().value(), "too much");
  EXPECT_EQ(first["http_status"].get_uint64().value(), 200u);  // it was queued
  EXPECT_EQ(first["code"].get_string().value(), "limit_exceeded");
  EXPECT_TRUE(first["remote"].is_null());
  EXPECT_FALSE(first["time"].get_string().value().empty());
  simdjson::dom::parser parser2;
  simdjson::dom::element second = parser2.parse(simdjson::padded_string(lines[1])).value();
  EXPECT_TRUE(second["error"].is_null());
  EXPECT_TRUE(second["code"].is_null());

  // Reopening appends.
  log = AuditLog::Open(path);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->Record(q).ok());
  log->reset();
  std::ifstream again(path);
  size_t n = 0;
  while (std::getline(again, line)) ++n;
  EXPECT_EQ(n, 3u);
}

TEST(AuditLog, RefusedSubmissionsHaveTheSameKeysWithNullsForWhatIsNotKnown) {
  QuerySnapshot finished;
  finished.id = "abc";
  finished.principal = "alice";
  finished.sql = "SELECT 1";
  finished.params_json = "[]";
  finished.state = QueryState::kSucceeded;
  QuerySnapshot refused;
  refused.state = QueryState::kRefused;
  refused.remote = "192.0.2.1";
  refused.http_status = 401;
  refused.refusal_code = "unauthorized";
  refused.error = Status::InvalidArgument("the token is not valid for this server");
  simdjson::dom::parser p1;
  simdjson::dom::parser p2;
  simdjson::dom::object a = p1.parse(simdjson::padded_string(AuditLine(finished, 0))).get_object().value();
  simdjson::dom::object b = p2.parse(simdjson::padded_string(AuditLine(refused, 0))).get_object().value();
  std::vector<std::string_view> keys_a;
  std::vector<std::string_view> keys_b;
  for (auto field : a) keys_a.push_back(field.key);
  for (auto field : b) keys_b.push_back(field.key);
  EXPECT_EQ(keys_a, keys_b);  // one schema for every line (DuckDB's read_json needs no union)
  EXPECT_EQ(b["state"].get_string().value(), "REFUSED");
  EXPECT_EQ(b["http_status"].get_uint64().value(), 401u);
  EXPECT_EQ(b["code"].get_string().value(), "unauthorized");
  EXPECT_EQ(b["remote"].get_string().value(), "192.0.2.1");
  EXPECT_EQ(b["error"].get_string().value(), "the token is not valid for this server");
  for (const char* unknown : {"id", "token", "sql", "params"}) EXPECT_TRUE(b[unknown].is_null()) << unknown;
  EXPECT_EQ(b["rows"].get_uint64().value(), 0u);
  EXPECT_EQ(b["bytes_scanned"].get_uint64().value(), 0u);
}

}  // namespace
}  // namespace loglake::server
