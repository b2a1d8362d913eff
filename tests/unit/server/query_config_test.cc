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
  EXPECT_FALSE(first["time"].get_string().value().empty());
  simdjson::dom::parser parser2;
  simdjson::dom::element second = parser2.parse(simdjson::padded_string(lines[1])).value();
  EXPECT_TRUE(second["error"].is_null());

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

}  // namespace
}  // namespace loglake::server
