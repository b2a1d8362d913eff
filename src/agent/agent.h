// Agent: `loglake agent` put together — tailer → batches → shipper → acknowledgements →
// checkpoint, with bounded memory, status reporting and a graceful stop.
//
// Threads: the caller's thread runs Run(): it waits for file events (DirectoryWatcher), polls the
// Tailer (or reads standard input) and builds batches; a shipper thread sends them one at a time,
// in order, and after each acknowledgement records the files' progress (AckLedger) and writes the
// checkpoint; an optional thread serves /metrics. At most max_pending_batches batches are built
// and not yet acknowledged: when the server is down the tailer blocks and the files are the buffer.
//
// Stop (RequestStop(), e.g. on SIGTERM; or the end of standard input): read every file to its end,
// send, wait for the acknowledgements up to shutdown_grace, write the checkpoint. Run() returns
// kDelivered if everything read was acknowledged, kGraceExpired if not — the checkpoint then holds
// what was acknowledged, and the caller must end the process at once (_Exit), since the shipper
// may be blocked in a request.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "agent/agent_config.h"
#include "common/status.h"

namespace loglake::agent {

// (level, message, extra JSON fields starting with ',' or empty)
using AgentLogLine = std::function<void(std::string_view level, const std::string& message, const std::string& fields)>;

enum class RunResult { kDelivered, kGraceExpired, kFailed };

class Agent {
 public:
  explicit Agent(AgentConfig config, AgentLogLine log);
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  RunResult Run();
  // Thread-safe; returns at once.
  void RequestStop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace loglake::agent
