#include "agent/agent_config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "test_util.h"

namespace loglake::agent {
namespace {

std::string WriteConfig(const std::string& text) {
  const std::string path = testing_util::FreshTempDir("agent-config") + "/agent.toml";
  std::ofstream(path) << text;
  return path;
}

TEST(AgentConfigTest, ReadsSettingsAndSeveralInputs) {
  Result<AgentConfig> config = LoadAgentConfig(WriteConfig(R"(
server = "http://10.0.0.5:8080"
checkpoint_dir = "/var/lib/loglake-agent"
batch_max_records = 2000
batch_linger_ms = 500
max_line_bytes = 65536
read_from = "end"
shutdown_grace_seconds = 20
watch = "poll"
compression = "zstd"
[[inputs]]
table = "access_log"
paths = ["/var/log/nginx/*.log"]
[[inputs]]
name = "app_errors"
table = "errors"
paths = ["/var/log/app/error.log", "/var/log/app/error.log.1"]
)"));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_TRUE(FinishAgentConfig(&*config).ok());
  EXPECT_EQ(config->shipper.server_url, "http://10.0.0.5:8080");
  EXPECT_EQ(config->batch.max_records, 2000u);
  EXPECT_EQ(config->batch.linger_micros, 500'000);
  EXPECT_EQ(config->tail.max_line_bytes, 65536u);
  EXPECT_TRUE(config->tail.read_from_end);
  EXPECT_EQ(config->shutdown_grace_micros, 20'000'000);
  EXPECT_FALSE(config->use_inotify);
  EXPECT_EQ(config->shipper.compression, BodyCodec::kZstd);
  ASSERT_EQ(config->inputs.size(), 2u);
  EXPECT_EQ(config->inputs[0].name, "access_log");  // the table's name by default
  EXPECT_EQ(config->inputs[1].name, "app_errors");
  EXPECT_EQ(config->inputs[1].paths.size(), 2u);
  EXPECT_EQ(config->dead_letter_file, "/var/lib/loglake-agent/dead-letter.ndjson");
}

TEST(AgentConfigTest, ClearErrorsForBadInput) {
  Result<AgentConfig> unknown = LoadAgentConfig(WriteConfig("server = \"http://x:1\"\nbatch_size = 3\n"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find(":2: unknown setting 'batch_size'"), std::string::npos) << unknown.status().ToString();
  Result<AgentConfig> negative = LoadAgentConfig(WriteConfig("rotate_wait_ms = -1\n"));
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.status().message().find("non-negative"), std::string::npos);
  Result<AgentConfig> watch = LoadAgentConfig(WriteConfig("watch = \"fanotify\"\n"));
  ASSERT_FALSE(watch.ok());
  EXPECT_NE(watch.status().message().find(":1: watch: \"inotify\" or \"poll\""), std::string::npos) << watch.status().ToString();
  AgentConfig defaults;
  EXPECT_TRUE(defaults.use_inotify);
  EXPECT_EQ(defaults.shipper.compression, BodyCodec::kGzip);
  Result<AgentConfig> no_paths = LoadAgentConfig(WriteConfig("[[inputs]]\ntable = \"t\"\n"));
  ASSERT_FALSE(no_paths.ok());
  EXPECT_NE(no_paths.status().message().find("paths"), std::string::npos);

  AgentConfig c;
  EXPECT_NE(FinishAgentConfig(&c).message().find("no server"), std::string::npos);
  c.shipper.server_url = "http://127.0.0.1:8080";
  EXPECT_NE(FinishAgentConfig(&c).message().find("nothing to ship"), std::string::npos);
  c.inputs.push_back(InputConfig{"", "bad-name", {"/x"}});
  EXPECT_NE(FinishAgentConfig(&c).message().find("letters, digits"), std::string::npos);
  c.inputs[0].table = "t";
  c.inputs.push_back(InputConfig{"", "t", {"/y"}});
  EXPECT_NE(FinishAgentConfig(&c).message().find("two inputs are named 't'"), std::string::npos);
}

TEST(AgentConfigTest, TlsSettingsNeedHttpsAndAReadablePemFile) {
  const std::string dir = testing_util::FreshTempDir("agent-config-tls");
  const std::string ca = dir + "/ca.pem";
  std::ofstream(ca) << "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  const std::string not_pem = dir + "/ca.der";
  std::ofstream(not_pem) << "0\x82\x01";
  const std::string config_path = dir + "/agent.toml";
  std::ofstream(config_path) << "server = \"https://logs.example.com:8443\"\ntls_ca_file = \"" << ca
                             << "\"\ntls_insecure_skip_verify = false\n[[inputs]]\ntable = \"t\"\npaths = [\"/x\"]\n";
  Result<AgentConfig> config = LoadAgentConfig(config_path);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_TRUE(FinishAgentConfig(&*config).ok());
  EXPECT_EQ(config->shipper.tls_ca_file, ca);
  EXPECT_FALSE(config->shipper.tls_insecure_skip_verify);

  Result<AgentConfig> not_bool = LoadAgentConfig(WriteConfig("tls_insecure_skip_verify = 1\n"));
  ASSERT_FALSE(not_bool.ok());
  EXPECT_NE(not_bool.status().message().find(":1: tls_insecure_skip_verify: expected true or false"), std::string::npos)
      << not_bool.status().ToString();

  AgentConfig c = *config;
  c.shipper.server_url = "http://logs.example.com:8080";
  EXPECT_NE(FinishAgentConfig(&c).message().find("apply to https:// servers only"), std::string::npos);
  c.shipper.server_url = "https://logs.example.com:8443";
  c.shipper.tls_ca_file = dir + "/missing.pem";
  EXPECT_NE(FinishAgentConfig(&c).message().find("missing.pem cannot be read"), std::string::npos);
  c.shipper.tls_ca_file = not_pem;
  EXPECT_NE(FinishAgentConfig(&c).message().find("holds no PEM certificate"), std::string::npos);
  c.shipper.tls_ca_file = "";
  c.shipper.tls_insecure_skip_verify = true;
  EXPECT_TRUE(FinishAgentConfig(&c).ok());
  c.shipper.server_url = "http://logs.example.com:8080";
  EXPECT_NE(FinishAgentConfig(&c).message().find("apply to https:// servers only"), std::string::npos);
}

}  // namespace
}  // namespace loglake::agent
