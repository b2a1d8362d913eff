// The configuration of `loglake agent`: a TOML file (docs/agent.md and README list every setting
// with its default) and command-line flags over it. Several [[inputs]] may ship to several tables.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agent/batch.h"
#include "agent/http_shipper.h"
#include "agent/tailer.h"
#include "common/status.h"

namespace loglake::agent {

struct AgentConfig {
  std::vector<InputConfig> inputs;
  std::string stdin_table;  // non-empty: --stdin mode, records from standard input to this table
  ShipperOptions shipper;
  TailOptions tail;
  BatchLimits batch;
  size_t max_pending_batches = 4;              // setting max_pending_batches (bounded memory)
  std::string checkpoint_dir = "./loglake-agent";  // setting checkpoint_dir
  std::string dead_letter_file;                // setting dead_letter_file (default <checkpoint_dir>/dead-letter.ndjson)
  int64_t checkpoint_interval_micros = 0;      // setting checkpoint_interval_ms: 0 = after every acknowledgement
  int64_t poll_interval_micros = 250'000;      // setting poll_interval_ms
  bool use_inotify = true;                     // setting watch: "inotify" (default) or "poll"
  int64_t read_coalesce_micros = 50'000;       // setting read_coalesce_ms: shortest time between passes
  int64_t scan_interval_micros = 1'000'000;    // setting scan_interval_ms
  int64_t shutdown_grace_micros = 25'000'000;  // setting shutdown_grace_seconds
  int64_t status_interval_micros = 60'000'000; // setting status_interval_seconds (0 = off)
  std::string metrics_listen;                  // setting metrics_listen: host:port, empty = off
};

// Reads a config file over the defaults; errors name the file, line and key.
Result<AgentConfig> LoadAgentConfig(const std::string& path);
// Checks the whole and fills derived defaults (dead-letter file, input names).
Status FinishAgentConfig(AgentConfig* config);

}  // namespace loglake::agent
