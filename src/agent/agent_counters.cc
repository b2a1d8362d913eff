#include "agent/agent_counters.h"

#include "lake/json_text.h"

namespace loglake::agent {
namespace {

double CheckpointAgeSeconds(const AgentCounters& c, int64_t now_micros) {
  const int64_t last = c.last_checkpoint_micros.load(std::memory_order_relaxed);
  return last == 0 ? -1.0 : static_cast<double>(now_micros - last) / 1e6;
}

// Label values: backslash, quote and newline escaped.
std::string LabelValue(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string RenderAgentMetrics(const AgentCounters& c, const std::vector<SourceStatus>& files, int64_t now_micros) {
  std::string out;
  const auto counter = [&](const char* name, const char* help, uint64_t v, const char* type = "counter") {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
           std::to_string(v) + "\n";
  };
  const auto get = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  counter("loglake_agent_lines_read_total", "Lines read from files (records handed to batches).", get(c.lines_read));
  counter("loglake_agent_bytes_read_total", "Bytes of files consumed.", get(c.bytes_read));
  counter("loglake_agent_batches_sent_total", "Requests acknowledged by the server.", get(c.batches_sent));
  counter("loglake_agent_batches_retried_total", "Attempts that failed and were retried.", get(c.batches_retried));
  counter("loglake_agent_records_accepted_total", "Records the server accepted.", get(c.records_accepted));
  counter("loglake_agent_records_rejected_total", "Records the server rejected (in the dead-letter file).", get(c.records_rejected));
  counter("loglake_agent_bytes_sent_total", "Request body bytes sent (after compression).", get(c.bytes_sent));
  counter("loglake_agent_dead_letters_total", "Entries written to the dead-letter file.", get(c.dead_letters));
  counter("loglake_agent_over_long_lines_total", "Lines over max_line_bytes (dead-lettered).", get(c.over_long_lines));
  counter("loglake_agent_checkpoints_saved_total", "Checkpoints written.", get(c.checkpoints_saved));
  counter("loglake_agent_checkpoint_failures_total", "Checkpoint writes that failed.", get(c.checkpoint_failures));
  counter("loglake_agent_batches_queued", "Batches built and not yet acknowledged.", get(c.batches_queued), "gauge");
  counter("loglake_agent_open_files", "Files being tailed.", get(c.open_files), "gauge");
  counter("loglake_agent_watch_overflows_total", "inotify queue overflows (each followed by a rescan).", get(c.watch_overflows));
  out += "# HELP loglake_agent_checkpoint_age_seconds Seconds since the last checkpoint was written (-1: none yet).\n"
         "# TYPE loglake_agent_checkpoint_age_seconds gauge\nloglake_agent_checkpoint_age_seconds " +
         std::to_string(CheckpointAgeSeconds(c, now_micros)) + "\n";
  out += "# HELP loglake_agent_lag_bytes Bytes of a file not yet acknowledged by the server (its size minus the acknowledged offset).\n"
         "# TYPE loglake_agent_lag_bytes gauge\n";
  for (const SourceStatus& f : files) {
    out += "loglake_agent_lag_bytes{input=\"" + LabelValue(f.input) + "\",file=\"" + LabelValue(f.path) + "\"} " +
           std::to_string(f.size > f.acknowledged ? f.size - f.acknowledged : 0) + "\n";
  }
  return out;
}

std::string StatusLogFields(const AgentCounters& c, const std::vector<SourceStatus>& files, int64_t now_micros) {
  const auto get = [](const std::atomic<uint64_t>& a) { return std::to_string(a.load(std::memory_order_relaxed)); };
  uint64_t lag = 0;
  for (const SourceStatus& f : files) lag += f.size > f.acknowledged ? f.size - f.acknowledged : 0;
  std::string out = ",\"lines_read\":" + get(c.lines_read) + ",\"bytes_read\":" + get(c.bytes_read) +
                    ",\"batches_sent\":" + get(c.batches_sent) + ",\"batches_retried\":" + get(c.batches_retried) +
                    ",\"records_rejected\":" + get(c.records_rejected) + ",\"dead_letters\":" + get(c.dead_letters) +
                    ",\"open_files\":" + get(c.open_files) + ",\"lag_bytes\":" + std::to_string(lag) +
                    ",\"checkpoint_age_seconds\":" + std::to_string(CheckpointAgeSeconds(c, now_micros)) + ",\"files\":[";
  bool first = true;
  for (const SourceStatus& f : files) {
    out += first ? "{\"path\":" : ",{\"path\":";
    first = false;
    lake::AppendJsonString(&out, f.path);
    out += ",\"lag_bytes\":" + std::to_string(f.size > f.acknowledged ? f.size - f.acknowledged : 0) + "}";
  }
  out += "]";
  return out;
}

}  // namespace loglake::agent
