#include "server/config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "server/auth.h"
#include "test_util.h"

namespace loglake::server {
namespace {

using testing_util::FreshTempDir;

std::string WriteConfig(const std::string& text) {
  const std::string path = FreshTempDir("serve-config") + "/loglake.toml";
  std::ofstream(path) << text;
  return path;
}

TEST(ServeConfig, DefaultsAreTheEmbeddedServer) {
  const ServeConfig c = DefaultServeConfig();
  EXPECT_EQ(c.ingest.lake_dir, "./data");
  EXPECT_EQ(c.ingest.wal_dir, "./data/_wal");
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8080);
  ASSERT_EQ(c.tables.size(), 1u);
  EXPECT_EQ(c.tables[0].table.name, "access_log");
  EXPECT_EQ(c.tables[0].stream.buffer_interval_micros, 60'000'000);
  EXPECT_TRUE(ValidateServeConfig(c).ok());
}

TEST(ServeConfig, FileSettingsOverrideDefaults) {
  Result<ServeConfig> c = LoadServeConfig(WriteConfig(R"(
lake = "/srv/lake"
listen = "0.0.0.0:9000"
max_body_bytes = 1000
codec = "zstd"
shutdown_grace_seconds = 5
[[tables]]
name = "access_log"
buffer_mib = 8
buffer_seconds = 10
[[tokens]]
token = "0123456789abcdef-secret"
scopes = ["ingest", "query"]
)"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->ingest.lake_dir, "/srv/lake");
  EXPECT_EQ(c->ingest.wal_dir, "/srv/lake/_wal");
  EXPECT_EQ(c->server.host, "0.0.0.0");
  EXPECT_EQ(c->server.port, 9000);
  EXPECT_EQ(c->ingest.max_body_bytes, 1000u);
  EXPECT_EQ(c->shutdown_grace_seconds, 5);
  EXPECT_EQ(c->tables[0].stream.buffer_bytes, 8u << 20);
  EXPECT_EQ(c->tables[0].stream.buffer_interval_micros, 10'000'000);
  ASSERT_EQ(c->tokens.size(), 1u);
  EXPECT_EQ(c->tokens[0].scopes, (std::vector<std::string>{"ingest", "query"}));
  EXPECT_TRUE(ValidateServeConfig(*c).ok());  // not loopback, but with a token
}

TEST(ServeConfig, MistakesNameTheFileLineAndSetting) {
  Result<ServeConfig> unknown = LoadServeConfig(WriteConfig("lake = \"x\"\nbuffer_size = 3\n"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find(":2: unknown setting 'buffer_size'"), std::string::npos)
      << unknown.status().ToString();
  Result<ServeConfig> type = LoadServeConfig(WriteConfig("threads = \"many\"\n"));
  EXPECT_NE(type.status().message().find("threads: expected a non-negative integer"), std::string::npos);
  Result<ServeConfig> scope = LoadServeConfig(WriteConfig("[[tokens]]\ntoken = \"0123456789abcdefg\"\nscopes = [\"root\"]\n"));
  EXPECT_NE(scope.status().message().find("scope 'root'"), std::string::npos);
  Result<ServeConfig> short_token = LoadServeConfig(WriteConfig("[[tokens]]\ntoken = \"abc\"\n"));
  EXPECT_NE(short_token.status().message().find("at least 16"), std::string::npos);
  Result<ServeConfig> table = LoadServeConfig(WriteConfig("[[tables]]\nname = \"orders\"\n"));
  EXPECT_FALSE(table.ok());  // not built in, and no schema file
}

TEST(ServeConfig, WithoutTokensOnlyLoopback) {
  ServeConfig c = DefaultServeConfig();
  ASSERT_TRUE(ParseListenAddress("0.0.0.0:8080", &c.server).ok());
  Status st = ValidateServeConfig(c);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("without tokens"), std::string::npos);
  for (const char* loopback : {"127.0.0.1:1", "localhost:2", "[::1]:3"}) {
    ASSERT_TRUE(ParseListenAddress(loopback, &c.server).ok()) << loopback;
    EXPECT_TRUE(ValidateServeConfig(c).ok()) << loopback;
  }
  EXPECT_FALSE(ParseListenAddress("8080", &c.server).ok());
  EXPECT_FALSE(ParseListenAddress("host:99999", &c.server).ok());
  EXPECT_FALSE(ParseListenAddress("host:80a", &c.server).ok());
}

TEST(Authorizer, BearerTokensAndScopes) {
  const Authorizer open({});
  EXPECT_FALSE(open.Check("", "ingest").has_value());
  const Authorizer auth({Token{"ingest-token-0123456789", {"ingest"}}, Token{"admin-token-0123456789", {"admin"}}});
  EXPECT_EQ(auth.Check("", "ingest")->status, 401);
  EXPECT_EQ(auth.Check("Bearer wrong-token-0123456789", "ingest")->status, 401);
  EXPECT_EQ(auth.Check("Basic ingest-token-0123456789", "ingest")->status, 401);
  EXPECT_FALSE(auth.Check("Bearer ingest-token-0123456789", "ingest").has_value());
  EXPECT_EQ(auth.Check("Bearer ingest-token-0123456789", "query")->status, 403);
  EXPECT_FALSE(auth.Check("Bearer admin-token-0123456789", "query").has_value());
  // AWS SDKs: the SigV4 access key id is the token.
  const std::string sigv4 =
      "AWS4-HMAC-SHA256 Credential=ingest-token-0123456789/20261122/us-east-1/firehose/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=abcdef";
  EXPECT_FALSE(auth.CheckAws(sigv4, "ingest").has_value());
  EXPECT_EQ(auth.CheckAws("AWS4-HMAC-SHA256 Credential=wrong-key-0123456789/x", "ingest")->status, 401);
  EXPECT_EQ(auth.CheckAws("AWS4-HMAC-SHA256 SignedHeaders=host", "ingest")->status, 401);
  EXPECT_FALSE(auth.CheckAws("Bearer ingest-token-0123456789", "ingest").has_value());
}

}  // namespace
}  // namespace loglake::server
