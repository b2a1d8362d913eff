// AgentCounters: the figures the agent reports on /metrics and in its periodic status line.
// Written by the tailer and shipper threads, read by the reporters; relaxed atomics suffice
// (each figure is independent).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "agent/ack_ledger.h"

namespace loglake::agent {

struct AgentCounters {
  std::atomic<uint64_t> lines_read{0};
  std::atomic<uint64_t> bytes_read{0};
  std::atomic<uint64_t> batches_sent{0};       // acknowledged requests
  std::atomic<uint64_t> batches_retried{0};    // attempts that failed and were tried again
  std::atomic<uint64_t> records_accepted{0};
  std::atomic<uint64_t> records_rejected{0};
  std::atomic<uint64_t> bytes_sent{0};         // request bodies as sent (compressed)
  std::atomic<uint64_t> dead_letters{0};
  std::atomic<uint64_t> over_long_lines{0};
  std::atomic<uint64_t> checkpoints_saved{0};
  std::atomic<uint64_t> checkpoint_failures{0};
  std::atomic<int64_t> last_checkpoint_micros{0};
  std::atomic<uint64_t> batches_queued{0};     // built and waiting or in flight
  std::atomic<uint64_t> open_files{0};
  std::atomic<uint64_t> watch_overflows{0};
};

// Prometheus text exposition of the counters and, per file, the bytes behind its end.
std::string RenderAgentMetrics(const AgentCounters& counters, const std::vector<SourceStatus>& files, int64_t now_micros);
// The fields of the periodic status line (",\"lines_read\":N,..."), JSON.
std::string StatusLogFields(const AgentCounters& counters, const std::vector<SourceStatus>& files, int64_t now_micros);

}  // namespace loglake::agent
