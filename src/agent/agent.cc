#include "agent/agent.h"

#include <httplib.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "agent/ack_ledger.h"
#include "agent/agent_counters.h"
#include "agent/checkpoint.h"
#include "agent/dead_letter.h"
#include "agent/directory_watcher.h"
#include "agent/http_shipper.h"
#include "agent/line_splitter.h"
#include "agent/tailer.h"
#include "common/file.h"
#include "common/time.h"

namespace loglake::agent {

struct Agent::State : public LineEmitter {
  AgentConfig config;
  AgentLogLine log_line;
  AgentLogger log;
  AgentCounters counters;
  AckLedger ledger;
  std::unique_ptr<DeadLetterFile> dead_letters;
  std::optional<CheckpointStore> store;
  std::mutex store_mu;
  std::atomic<int64_t> last_checkpoint_attempt{0};
  std::unique_ptr<HttpShipper> shipper;
  std::vector<BatchBuilder> builders;

  // The batches built and not yet acknowledged; the front one is the one being sent.
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Batch> queue;
  uint64_t queued_records = 0;
  bool shipper_exit = false;
  std::atomic<bool> stop_requested{false};
  std::atomic<int64_t> stop_deadline_micros{0};
  std::atomic<bool> abandon{false};

  State(AgentConfig c, AgentLogLine l) : config(std::move(c)), log_line(std::move(l)) {
    log = [this](std::string_view level, const std::string& message) { log_line(level, message, ""); };
  }

  // LineEmitter
  void Line(size_t input, std::string_view line) override {
    const int64_t now = NowMicros();
    BatchBuilder& b = builders[input];
    if (!b.Add(line, now)) {
      Enqueue(b.Take());
      b.Add(line, now);
    }
    if (b.Full()) Enqueue(b.Take());
  }
  void Progress(size_t input, uint64_t source_id, uint64_t end_offset) override {
    builders[input].NoteProgress(source_id, end_offset);
  }

  void Enqueue(Batch batch) {
    std::unique_lock<std::mutex> lock(mu);
    while (queue.size() >= config.max_pending_batches && !abandon) {
      if (stop_requested) {
        const int64_t left = stop_deadline_micros.load() - NowMicros();
        if (left <= 0) {
          abandon = true;
          break;
        }
        cv.wait_for(lock, std::chrono::microseconds(left));
      } else {
        cv.wait(lock);
      }
    }
    if (abandon) return;  // not acknowledged, so not checkpointed: the next start reads it again
    queued_records += batch.records();
    queue.push_back(std::move(batch));
    counters.batches_queued.store(queue.size(), std::memory_order_relaxed);
    cv.notify_all();
  }

  void FlushDue(int64_t now) {
    for (BatchBuilder& b : builders) {
      if (b.Due(now)) Enqueue(b.Take());
    }
  }
  void FlushAll() {
    for (BatchBuilder& b : builders) {
      if (!b.empty()) Enqueue(b.Take());
    }
  }
  int64_t MicrosUntilBatchDue(int64_t now) const {
    int64_t soonest = -1;
    for (const BatchBuilder& b : builders) {
      const int64_t d = b.MicrosUntilDue(now);
      if (d >= 0 && (soonest < 0 || d < soonest)) soonest = d;
    }
    return soonest;
  }
  bool Idle() {
    std::lock_guard<std::mutex> lock(mu);
    return queue.empty();
  }

  void DeadLetterOne(const DeadLetter& letter) {
    const Status st = dead_letters->Write(letter);
    if (st.ok()) {
      counters.dead_letters.fetch_add(1, std::memory_order_relaxed);
    } else {
      log("error", "cannot write a dead letter (" + letter.reason + "): " + st.ToString());
    }
  }

  // Sends one batch; records that can never be accepted go to the dead-letter file.
  Status ShipBatch(const Batch& batch, size_t first, size_t count) {
    if (count == 0) return Status::OK();
    std::string_view body(batch.body);
    const size_t begin = first == 0 ? 0 : batch.record_ends[first - 1];
    const size_t end = batch.record_ends[first + count - 1];
    Result<Acknowledgement> ack = shipper->Deliver(batch.table, body.substr(begin, end - begin), abandon);
    if (ack.ok()) {
      counters.batches_sent.fetch_add(1, std::memory_order_relaxed);
      counters.records_accepted.fetch_add(ack->accepted, std::memory_order_relaxed);
      counters.records_rejected.fetch_add(ack->rejected, std::memory_order_relaxed);
      const std::string input = config.stdin_table.empty() ? config.inputs[batch.input].name : "stdin";
      for (const Rejection& r : ack->errors) {
        if (r.line == 0 || r.line > count) continue;
        DeadLetterOne(DeadLetter{input, "rejected by the server: " + r.reason, "", -1, batch.Record(first + r.line - 1), false});
      }
      if (ack->rejected > ack->errors.size()) {
        DeadLetterOne(DeadLetter{input,
                                 std::to_string(ack->rejected - ack->errors.size()) +
                                     " more records of this batch were rejected; the server reports only the first ones, "
                                     "and keeps every rejected record with its reason in the lake under " + batch.table + "/_errors/",
                                 "", -1, "", false});
      }
      return Status::OK();
    }
    const Status& st = ack.status();
    if (st.code() == StatusCode::kResourceExhausted && count > 1) {
      // 413: the server's limit is below batch_max_bytes; halve until it fits.
      RETURN_IF_ERROR(ShipBatch(batch, first, count / 2));
      return ShipBatch(batch, first + count / 2, count - count / 2);
    }
    if (st.code() == StatusCode::kResourceExhausted || st.code() == StatusCode::kInvalidArgument ||
        st.code() == StatusCode::kDeadlineExceeded) {
      log("error", "a batch of " + std::to_string(count) + " records to " + batch.table + " cannot be delivered (" +
                       st.message() + "); its records go to " + dead_letters->path());
      const std::string input = config.stdin_table.empty() ? config.inputs[batch.input].name : "stdin";
      for (size_t i = first; i < first + count; ++i) DeadLetterOne(DeadLetter{input, st.message(), "", -1, batch.Record(i), false});
      return Status::OK();
    }
    return st;  // Cancelled, or a local failure (compression) worth another try
  }

  void ShipperLoop() {
    for (;;) {
      Batch* batch = nullptr;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return !queue.empty() || shipper_exit || abandon; });
        if (abandon || queue.empty()) return;
        batch = &queue.front();  // stays valid: only this thread pops, push_back keeps references
      }
      const Status st = ShipBatch(*batch, 0, batch->records());
      if (st.code() == StatusCode::kCancelled) return;
      if (!st.ok()) {
        log("error", "sending a batch failed (" + st.ToString() + "); trying again in 1 s");
        std::this_thread::sleep_for(std::chrono::seconds(1));
        continue;
      }
      ledger.Acknowledge(batch->progress);
      {
        std::lock_guard<std::mutex> lock(mu);
        queued_records -= batch->records();
        queue.pop_front();
        counters.batches_queued.store(queue.size(), std::memory_order_relaxed);
        cv.notify_all();
      }
      if (config.checkpoint_interval_micros == 0 ||
          NowMicros() - last_checkpoint_attempt.load() >= config.checkpoint_interval_micros) {
        SaveCheckpoint(false);
      }
    }
  }

  void SaveCheckpoint(bool force) {
    if (!config.stdin_table.empty()) return;  // standard input has no offsets to resume from
    std::lock_guard<std::mutex> lock(store_mu);
    last_checkpoint_attempt = NowMicros();
    if (!ledger.TakeDirty() && !force) return;
    const Status st = store->Save(ledger.Snapshot());
    if (st.ok()) {
      counters.checkpoints_saved.fetch_add(1, std::memory_order_relaxed);
      counters.last_checkpoint_micros.store(NowMicros(), std::memory_order_relaxed);
    } else {
      counters.checkpoint_failures.fetch_add(1, std::memory_order_relaxed);
      log("error", "cannot write the checkpoint: " + st.ToString() + " (delivery goes on; a restart would send more again)");
    }
  }
};

Agent::Agent(AgentConfig config, AgentLogLine log) : state_(std::make_unique<State>(std::move(config), std::move(log))) {}
Agent::~Agent() = default;

void Agent::RequestStop() {
  State& s = *state_;
  if (s.stop_requested.exchange(true)) return;
  s.stop_deadline_micros = NowMicros() + s.config.shutdown_grace_micros;
  std::lock_guard<std::mutex> lock(s.mu);
  s.cv.notify_all();
}

namespace {

// "host:port" → host, port; false if malformed.
bool SplitHostPort(const std::string& text, std::string* host, int* port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) return false;
  *host = text.substr(0, colon);
  *port = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9' || *port > 65535) return false;
    *port = *port * 10 + (c - '0');
  }
  return *port <= 65535 && !host->empty();
}

}  // namespace

RunResult Agent::Run() {
  State& s = *state_;
  const AgentConfig& config = s.config;
  const bool from_stdin = !config.stdin_table.empty();

  // Checkpoint.
  std::vector<CheckpointEntry> resume;
  int lock_fd = -1;  // held (flock) until the process ends
  if (!from_stdin) {
    Result<CheckpointStore> store = CheckpointStore::Open(config.checkpoint_dir);
    if (!store.ok()) {
      s.log("error", store.status().ToString());
      return RunResult::kFailed;
    }
    // One agent per checkpoint folder: two would overwrite each other's progress.
    const std::string lock_path = config.checkpoint_dir + "/lock";
    lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd < 0 || ::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
      s.log("error", "cannot lock " + lock_path + " (" + std::strerror(errno) +
                         "): another loglake agent uses this checkpoint folder; give each agent its own --checkpoint-dir");
      return RunResult::kFailed;
    }
    s.store.emplace(std::move(*store));
    Result<CheckpointStore::Loaded> loaded = s.store->Load();
    if (!loaded.ok()) {
      s.log("error", "cannot read the checkpoint: " + loaded.status().ToString());
      return RunResult::kFailed;
    }
    for (const std::string& problem : loaded->problems) {
      s.log("error", problem + (loaded->slot.empty()
                                    ? std::string("; no valid checkpoint is left: every file is read from its start (records are sent again)")
                                    : "; starting from the previous checkpoint " + loaded->slot + " (generation " +
                                          std::to_string(loaded->state.generation) + "): records after it are sent again"));
    }
    if (!loaded->slot.empty()) {
      s.log("info", "resuming from " + loaded->slot + " (generation " + std::to_string(loaded->state.generation) + ", " +
                        std::to_string(loaded->state.entries.size()) + " files)");
    }
    resume = std::move(loaded->state.entries);
  }
  const std::string dead_letter_dir = std::filesystem::path(config.dead_letter_file).parent_path().string();
  if (Status st = CreateDirectories(dead_letter_dir.empty() ? "." : dead_letter_dir); !st.ok()) {
    s.log("error", st.ToString());
    return RunResult::kFailed;
  }
  s.dead_letters = std::make_unique<DeadLetterFile>(config.dead_letter_file);

  Result<std::unique_ptr<HttpShipper>> shipper = HttpShipper::Create(config.shipper, &s.counters, s.log);
  if (!shipper.ok()) {
    s.log("error", shipper.status().ToString());
    return RunResult::kFailed;
  }
  s.shipper = std::move(*shipper);
  if (from_stdin) {
    s.builders.emplace_back(0, config.stdin_table, config.batch);
  } else {
    for (size_t i = 0; i < config.inputs.size(); ++i) s.builders.emplace_back(i, config.inputs[i].table, config.batch);
  }

  // Metrics endpoint.
  std::unique_ptr<httplib::Server> metrics;
  std::thread metrics_thread;
  if (!config.metrics_listen.empty()) {
    std::string host;
    int port = 0;
    if (!SplitHostPort(config.metrics_listen, &host, &port)) {
      s.log("error", "metrics_listen '" + config.metrics_listen + "' must be host:port, e.g. 127.0.0.1:9109");
      return RunResult::kFailed;
    }
    metrics = std::make_unique<httplib::Server>();
    metrics->Get("/metrics", [&s](const httplib::Request&, httplib::Response& res) {
      res.set_content(RenderAgentMetrics(s.counters, s.ledger.Status(), NowMicros()), "text/plain; version=0.0.4");
    });
    metrics->Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok\n", "text/plain"); });
    const int bound = port == 0 ? metrics->bind_to_any_port(host) : (metrics->bind_to_port(host, port) ? port : -1);
    if (bound <= 0) {
      s.log("error", "cannot listen on " + config.metrics_listen + " for /metrics");
      return RunResult::kFailed;
    }
    // Scripts and tests read this line to learn the address (port 0 picks a free one).
    std::printf("loglake agent: metrics on http://%s:%d/metrics\n", host.c_str(), bound);
    std::fflush(stdout);
    metrics_thread = std::thread([&] { metrics->listen_after_bind(); });
    // stop() only stops a server that is running: wait for it, so that the join below returns.
    while (!metrics->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  std::unique_ptr<Tailer> tailer;
  DirectoryWatcher watcher;
  if (!from_stdin) {
    tailer = std::make_unique<Tailer>(config.inputs, config.tail, &s.ledger, s.dead_letters.get(), s.log);
    tailer->Resume(std::move(resume));
    if (!config.use_inotify) {
      s.log("info", "watch = \"poll\": scanning and reading every " + std::to_string(config.poll_interval_micros / 1000) + " ms");
    } else {
      for (const std::string& dir : tailer->WatchDirectories()) {
        if (!watcher.Watch(dir)) {
          s.log("warn", "cannot watch " + dir + " with inotify (" + std::strerror(errno) + "); polling it every " +
                            std::to_string(config.poll_interval_micros / 1000) + " ms");
        }
      }
    }
  }
  std::thread shipper_thread([&s] { s.ShipperLoop(); });
  s.log("info", std::string("shipping ") + (from_stdin ? "standard input to " + config.stdin_table : std::to_string(config.inputs.size()) + " input(s)") +
                    " to " + config.shipper.server_url);

  // Standard input: read as it comes; its end is a stop.
  LineSplitter stdin_splitter(config.tail.max_line_bytes);
  std::string stdin_buffer;
  bool stdin_done = false;
  const auto read_stdin = [&](int64_t timeout_micros) {
    pollfd p{0, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout_micros / 1000)) <= 0) return;
    char buf[1 << 16];
    const ssize_t n = ::read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) return;
    if (n <= 0) stdin_done = true;
    if (n > 0) stdin_buffer.append(buf, static_cast<size_t>(n));
    SplitOutput out;
    stdin_splitter.Split(stdin_buffer, 0, stdin_done, &out);
    for (std::string_view line : out.lines) s.Line(0, line);
    s.counters.lines_read.fetch_add(out.lines.size(), std::memory_order_relaxed);
    s.counters.bytes_read.fetch_add(out.consumed, std::memory_order_relaxed);
    for (const OverLongLine& o : out.over_long) {
      s.counters.over_long_lines.fetch_add(1, std::memory_order_relaxed);
      s.DeadLetterOne(DeadLetter{"stdin", "line over max_line_bytes (" + std::to_string(config.tail.max_line_bytes) + " bytes); skipped",
                                 "", -1, o.head, true});
    }
    stdin_buffer.erase(0, out.consumed);
  };
  const auto publish_tail_counters = [&] {
    if (!tailer) return;
    const TailCounters& t = tailer->counters();
    s.counters.lines_read.store(t.lines, std::memory_order_relaxed);
    s.counters.bytes_read.store(t.bytes, std::memory_order_relaxed);
    s.counters.over_long_lines.store(t.over_long_lines, std::memory_order_relaxed);
    s.counters.open_files.store(tailer->open_files(), std::memory_order_relaxed);
    s.counters.watch_overflows.store(watcher.overflows(), std::memory_order_relaxed);
  };

  int64_t last_scan = 0;
  int64_t last_status = NowMicros();
  WatchEvents events;
  events.rescan = true;
  while (!s.stop_requested && !s.abandon) {
    int64_t now = NowMicros();
    if (tailer) {
      const bool scan = events.rescan || now - last_scan >= config.scan_interval_micros;
      if (scan) last_scan = now;
      tailer->Poll(scan, false, now, s);
      publish_tail_counters();
    }
    now = NowMicros();
    s.FlushDue(now);
    if (config.status_interval_micros > 0 && now - last_status >= config.status_interval_micros) {
      last_status = now;
      s.log_line("info", "status", StatusLogFields(s.counters, s.ledger.Status(), now));
    }
    if (!from_stdin && now - s.last_checkpoint_attempt.load() >= std::max<int64_t>(config.checkpoint_interval_micros, 1'000'000)) {
      s.SaveCheckpoint(false);  // files opened or closed without an acknowledgement since
    }
    if (stdin_done) break;
    if (s.stop_requested) break;
    int64_t timeout = config.poll_interval_micros;
    const auto tighten = [&](int64_t d) {
      if (d >= 0) timeout = std::min(timeout, d);
    };
    tighten(s.MicrosUntilBatchDue(now));
    if (tailer) {
      tighten(tailer->MicrosUntilTimer(now));
      tighten(last_scan + config.scan_interval_micros - now);
    }
    timeout = std::max<int64_t>(timeout, 1000);
    if (tailer && tailer->backlog()) {
      events = WatchEvents{};  // more to read right away; events are collected by the next wait
      continue;
    }
    if (from_stdin) {
      read_stdin(timeout);
    } else {
      // Writes are gathered for read_coalesce before the next pass: at a steady trickle of lines
      // that is one pass per interval instead of one per write.
      const int64_t since_pass = NowMicros() - now;
      if (config.read_coalesce_micros > since_pass && !s.stop_requested) {
        const int64_t pause = std::min(config.read_coalesce_micros - since_pass, timeout);
        std::this_thread::sleep_for(std::chrono::microseconds(pause));
        timeout -= pause;
      }
      events = watcher.Wait(timeout);
    }
  }

  // Stop: everything read so far is sent and acknowledged within the grace period.
  if (!s.stop_requested) RequestStop();
  s.log("info", std::string(stdin_done ? "end of standard input" : "stopping") + ": reading every file to its end and sending (grace " +
                    std::to_string(config.shutdown_grace_micros / 1'000'000) + " s)");
  if (tailer) {
    tailer->Poll(true, true, NowMicros(), s);
    publish_tail_counters();
  }
  s.FlushAll();
  while (!s.Idle() && !s.abandon && NowMicros() < s.stop_deadline_micros.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto stop_metrics = [&] {
    if (metrics) {
      metrics->stop();
      metrics_thread.join();
    }
  };
  if (s.Idle() && !s.abandon) {
    {
      std::lock_guard<std::mutex> lock(s.mu);
      s.shipper_exit = true;
      s.cv.notify_all();
    }
    shipper_thread.join();
    s.SaveCheckpoint(true);
    stop_metrics();
    s.log_line("info", "every line read was delivered; checkpoint saved; exiting",
               StatusLogFields(s.counters, s.ledger.Status(), NowMicros()));
    return RunResult::kDelivered;
  }
  uint64_t batches = 0, records = 0;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    batches = s.queue.size();
    records = s.queued_records;
    s.abandon = true;
    s.cv.notify_all();
  }
  s.SaveCheckpoint(true);
  s.log_line("error",
             "shutdown grace period ran out with " + std::to_string(batches) + " batches (" + std::to_string(records) +
                 " records) not acknowledged by the server; the checkpoint holds what was acknowledged, so the next start sends the rest",
             StatusLogFields(s.counters, s.ledger.Status(), NowMicros()));
  shipper_thread.detach();  // may be blocked in a request; the caller ends the process
  stop_metrics();
  return RunResult::kGraceExpired;
}

}  // namespace loglake::agent
