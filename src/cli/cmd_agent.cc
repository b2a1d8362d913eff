// `loglake agent`: ship log files (one JSON record per line) to `loglake serve`, at least once,
// through rotation, restarts, SIGTERM and outages. The machinery is in src/agent (agent/agent.h);
// this file turns flags and the config file into an AgentConfig and maps signals to a stop.
//
// Exit status: 0 everything read was delivered and checkpointed; 1 the shutdown grace period ran
// out (the checkpoint holds what was acknowledged; the next start sends the rest) or a fatal
// error; 2 bad flags or configuration.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "agent/agent.h"
#include "agent/agent_config.h"
#include "cli/commands.h"
#include "cli/json_log.h"
#include "cli/stop_signals.h"

namespace loglake::cli {
namespace {

struct AgentFlags {
  std::string config;
  std::string server;
  std::string table;
  std::string checkpoint_dir;
  std::string token;
  std::string metrics_listen;
  std::string tls_ca_file;
  bool from_stdin = false;
  std::vector<std::string> paths;
};

Result<agent::AgentConfig> BuildConfig(const AgentFlags& flags) {
  agent::AgentConfig config;
  if (!flags.config.empty()) {
    ASSIGN_OR_RETURN(config, agent::LoadAgentConfig(flags.config));
  }
  if (!flags.server.empty()) config.shipper.server_url = flags.server;
  if (!flags.checkpoint_dir.empty()) config.checkpoint_dir = flags.checkpoint_dir;
  if (!flags.token.empty()) config.shipper.token = flags.token;
  if (config.shipper.token.empty()) {
    if (const char* env = std::getenv("LOGLAKE_AGENT_TOKEN")) config.shipper.token = env;
  }
  if (!flags.metrics_listen.empty()) config.metrics_listen = flags.metrics_listen;
  if (!flags.tls_ca_file.empty()) config.shipper.tls_ca_file = flags.tls_ca_file;
  if (flags.from_stdin) {
    if (flags.table.empty()) return Status::InvalidArgument("--stdin needs --table NAME");
    config.stdin_table = flags.table;
  } else if (!flags.paths.empty()) {
    if (flags.table.empty()) return Status::InvalidArgument("files given on the command line need --table NAME");
    config.inputs.push_back(agent::InputConfig{"", flags.table, flags.paths});
  } else if (!flags.table.empty()) {
    return Status::InvalidArgument("--table " + flags.table + " without files: give PATH_OR_GLOB... or --stdin");
  }
  RETURN_IF_ERROR(agent::FinishAgentConfig(&config));
  return config;
}

int RunAgent(const AgentFlags& flags) {
  const sigset_t stop_signals = BlockStopSignals();

  Result<agent::AgentConfig> config = BuildConfig(flags);
  if (!config.ok()) {
    std::fprintf(stderr, "loglake agent: %s\n", config.status().ToString().c_str());
    return 2;
  }
  auto runner = std::make_unique<agent::Agent>(std::move(*config), LogJsonLine);
  agent::Agent* a = runner.get();
  std::thread signals([a, stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    LogJsonLine("info", std::string(signal_number == SIGTERM ? "SIGTERM" : "SIGINT") + " received", "");
    a->RequestStop();
  });
  signals.detach();  // may wait forever (the process ends first)
  const agent::RunResult result = runner->Run();
  if (result == agent::RunResult::kDelivered) return 0;
  // Threads may still be blocked in a request: end here, after the checkpoint was written.
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(1);
}

}  // namespace

void RegisterAgent(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("agent", "Ship log files (one JSON record per line) to loglake serve, at least once");
  cmd->footer(
      "Tails files and globs (rotation, truncation and restarts included), batches, gzips and POSTs them to\n"
      "<server>/v1/tables/<table>/records; checkpoints only what the server acknowledged (default ./loglake-agent).\n"
      "SIGTERM reads every file to its end, sends, and exits 0 once all is acknowledged (1 if the grace period ran out).\n"
      "Settings and the config file: docs/agent.md.\n");
  auto flags = std::make_shared<AgentFlags>();
  cmd->add_option("--server", flags->server, "Server URL, e.g. http://127.0.0.1:8080 or https://logs.example.com");
  cmd->add_option("--table", flags->table, "Table the files (or standard input) go to");
  cmd->add_option("--config", flags->config, "TOML configuration file ([[inputs]] for several tables; every setting has a default)");
  cmd->add_option("--checkpoint-dir", flags->checkpoint_dir, "Where checkpoints and the dead-letter file live (default ./loglake-agent)");
  cmd->add_option("--token", flags->token, "Bearer token for the server (or LOGLAKE_AGENT_TOKEN, or token in the config)");
  cmd->add_option("--metrics-listen", flags->metrics_listen, "Serve /metrics on host:port (default: off)");
  cmd->add_option("--tls-ca-file", flags->tls_ca_file,
                  "PEM CA certificate(s) that sign an https:// server's certificate (default: the system's CA store)");
  cmd->add_flag("--stdin", flags->from_stdin, "Ship standard input instead of files; exit at its end");
  cmd->add_option("paths", flags->paths, "Files or globs to tail (quote globs so the agent expands them and sees new files)");
  cmd->callback([flags, exit_code] { *exit_code = RunAgent(*flags); });
}

}  // namespace loglake::cli
