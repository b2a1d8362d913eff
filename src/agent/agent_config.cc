#include "agent/agent_config.h"

#include <set>

#include "common/toml_settings.h"

namespace loglake::agent {
namespace {

bool ValidTableName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

const std::set<std::string> kTopKeys = {
    "server", "token", "checkpoint_dir", "dead_letter_file", "batch_max_records", "batch_max_bytes",
    "batch_linger_ms", "max_pending_batches", "compression", "compression_level", "connect_timeout_ms", "request_timeout_ms",
    "retry_initial_ms", "retry_max_ms", "max_attempts", "max_line_bytes", "read_chunk_bytes",
    "partial_line_timeout_ms", "rotate_wait_ms", "read_from", "watch", "poll_interval_ms", "scan_interval_ms",
    "checkpoint_interval_ms", "read_coalesce_ms", "shutdown_grace_seconds", "status_interval_seconds", "metrics_listen", "tls_ca_file",
    "tls_insecure_skip_verify", "inputs"};

}  // namespace

Result<AgentConfig> LoadAgentConfig(const std::string& path) {
  AgentConfig c;
  ASSIGN_OR_RETURN(toml::table root, ParseTomlFile(path));
  RETURN_IF_ERROR(CheckSettingKeys(path, root, kTopKeys, ""));
  RETURN_IF_ERROR(ReadSetting(path, root, "server", &c.shipper.server_url));
  RETURN_IF_ERROR(ReadSetting(path, root, "token", &c.shipper.token));
  RETURN_IF_ERROR(ReadSetting(path, root, "checkpoint_dir", &c.checkpoint_dir));
  RETURN_IF_ERROR(ReadSetting(path, root, "dead_letter_file", &c.dead_letter_file));
  RETURN_IF_ERROR(ReadSetting(path, root, "batch_max_records", &c.batch.max_records));
  RETURN_IF_ERROR(ReadSetting(path, root, "batch_max_bytes", &c.batch.max_bytes));
  RETURN_IF_ERROR(ReadSetting(path, root, "batch_linger_ms", &c.batch.linger_micros, 1000));
  RETURN_IF_ERROR(ReadSetting(path, root, "max_pending_batches", &c.max_pending_batches));
  std::string compression;
  RETURN_IF_ERROR(ReadSetting(path, root, "compression", &compression));
  if (!compression.empty()) {
    Result<BodyCodec> codec = ParseBodyCodec(compression);
    if (!codec.ok()) return SettingError(path, *root.get("compression"), codec.status().message());
    c.shipper.compression = *codec;
  }
  RETURN_IF_ERROR(ReadSetting(path, root, "compression_level", &c.shipper.compression_level));
  RETURN_IF_ERROR(ReadSetting(path, root, "connect_timeout_ms", &c.shipper.connect_timeout_micros, 1000));
  RETURN_IF_ERROR(ReadSetting(path, root, "request_timeout_ms", &c.shipper.request_timeout_micros, 1000));
  RETURN_IF_ERROR(ReadSetting(path, root, "retry_initial_ms", &c.shipper.backoff.initial_micros, 1000));
  RETURN_IF_ERROR(ReadSetting(path, root, "retry_max_ms", &c.shipper.backoff.max_micros, 1000));
  RETURN_IF_ERROR(ReadSetting(path, root, "max_attempts", &c.shipper.max_attempts));
  RETURN_IF_ERROR(ReadSetting(path, root, "tls_ca_file", &c.shipper.tls_ca_file));
  if (const toml::node* skip = root.get("tls_insecure_skip_verify")) {
    if (!skip->is_boolean()) return SettingError(path, *skip, "tls_insecure_skip_verify: expected true or false");
    c.shipper.tls_insecure_skip_verify = skip->as_boolean()->get();
  }
  RETURN_IF_ERROR(ReadSetting(path, root, "max_line_bytes", &c.tail.max_line_bytes));
  RETURN_IF_ERROR(ReadSetting(path, root, "read_chunk_bytes", &c.tail.read_chunk_bytes));
  RETURN_IF_ERROR(ReadSetting(path, root, "partial_line_timeout_ms", &c.tail.partial_line_timeout_micros, 1000));
  RETURN_IF_ERROR(ReadSetting(path, root, "rotate_wait_ms", &c.tail.rotate_wait_micros, 1000));
  RETURN_IF_ERROR(ReadSetting(path, root, "poll_interval_ms", &c.poll_interval_micros, 1000));
  std::string watch;
  RETURN_IF_ERROR(ReadSetting(path, root, "watch", &watch));
  if (!watch.empty()) {
    if (watch != "inotify" && watch != "poll") return SettingError(path, *root.get("watch"), "watch: \"inotify\" or \"poll\"");
    c.use_inotify = watch == "inotify";
  }
  RETURN_IF_ERROR(ReadSetting(path, root, "scan_interval_ms", &c.scan_interval_micros, 1000));
  RETURN_IF_ERROR(ReadSetting(path, root, "read_coalesce_ms", &c.read_coalesce_micros, 1000));
  RETURN_IF_ERROR(ReadSetting(path, root, "checkpoint_interval_ms", &c.checkpoint_interval_micros, 1000));
  RETURN_IF_ERROR(ReadSetting(path, root, "shutdown_grace_seconds", &c.shutdown_grace_micros, 1'000'000));
  RETURN_IF_ERROR(ReadSetting(path, root, "status_interval_seconds", &c.status_interval_micros, 1'000'000));
  RETURN_IF_ERROR(ReadSetting(path, root, "metrics_listen", &c.metrics_listen));
  std::string read_from;
  RETURN_IF_ERROR(ReadSetting(path, root, "read_from", &read_from));
  if (!read_from.empty()) {
    if (read_from != "beginning" && read_from != "end") {
      return SettingError(path, *root.get("read_from"), "read_from: \"beginning\" or \"end\"");
    }
    c.tail.read_from_end = read_from == "end";
  }
  if (const toml::node* inputs = root.get("inputs")) {
    const toml::array* list = inputs->as_array();
    if (list == nullptr) return SettingError(path, *inputs, "inputs: expected [[inputs]] entries");
    for (const toml::node& entry : *list) {
      const toml::table* t = entry.as_table();
      if (t == nullptr) return SettingError(path, entry, "inputs: each entry is a table with table and paths");
      RETURN_IF_ERROR(CheckSettingKeys(path, *t, {"name", "table", "paths"}, " in [[inputs]]"));
      InputConfig input;
      RETURN_IF_ERROR(ReadSetting(path, *t, "name", &input.name));
      RETURN_IF_ERROR(ReadSetting(path, *t, "table", &input.table));
      const toml::node* paths = t->get("paths");
      const toml::array* p = paths == nullptr ? nullptr : paths->as_array();
      if (p == nullptr) return SettingError(path, entry, "inputs: paths = [\"/var/log/app/*.log\", ...] is required");
      for (const toml::node& item : *p) {
        if (!item.is_string()) return SettingError(path, item, "paths: expected strings");
        input.paths.push_back(item.as_string()->get());
      }
      if (input.table.empty()) return SettingError(path, entry, "inputs: every input needs a table");
      c.inputs.push_back(std::move(input));
    }
  }
  return c;
}

Status FinishAgentConfig(AgentConfig* c) {
  if (c->shipper.server_url.empty()) return Status::InvalidArgument("no server: give --server http://host:port (or server = \"...\" in the config)");
  std::string host_port, prefix;
  RETURN_IF_ERROR(ParseServerUrl(c->shipper.server_url, &host_port, &prefix));
  RETURN_IF_ERROR(CheckTlsSettings(c->shipper));
  if (c->inputs.empty() && c->stdin_table.empty()) {
    return Status::InvalidArgument("nothing to ship: give files or globs (with --table), --stdin, or [[inputs]] in the config");
  }
  if (!c->stdin_table.empty() && !c->inputs.empty()) {
    return Status::InvalidArgument("--stdin reads standard input only: give no files with it");
  }
  if (!c->stdin_table.empty() && !ValidTableName(c->stdin_table)) {
    return Status::InvalidArgument("table '" + c->stdin_table + "': letters, digits and '_' only");
  }
  std::set<std::string> names;
  for (InputConfig& input : c->inputs) {
    if (!ValidTableName(input.table)) return Status::InvalidArgument("table '" + input.table + "': letters, digits and '_' only");
    if (input.name.empty()) input.name = input.table;
    if (!ValidTableName(input.name)) return Status::InvalidArgument("input name '" + input.name + "': letters, digits and '_' only");
    if (!names.insert(input.name).second) {
      return Status::InvalidArgument("two inputs are named '" + input.name + "': give each [[inputs]] its own name (the checkpoint key)");
    }
    if (input.paths.empty()) return Status::InvalidArgument("input '" + input.name + "' has no paths");
  }
  if (c->batch.max_records == 0 || c->batch.max_bytes == 0 || c->max_pending_batches == 0) {
    return Status::InvalidArgument("batch_max_records, batch_max_bytes and max_pending_batches must be positive");
  }
  if (c->tail.max_line_bytes == 0) return Status::InvalidArgument("max_line_bytes must be positive");
  const int max_level = c->shipper.compression == BodyCodec::kGzip ? 12 : 19;
  if (c->shipper.compression != BodyCodec::kNone && (c->shipper.compression_level < 1 || c->shipper.compression_level > max_level)) {
    return Status::InvalidArgument("compression_level must be 1 to " + std::to_string(max_level) + " for " +
                                   ContentEncoding(c->shipper.compression));
  }
  if (c->poll_interval_micros <= 0 || c->scan_interval_micros <= 0) {
    return Status::InvalidArgument("poll_interval_ms and scan_interval_ms must be positive");
  }
  if (c->dead_letter_file.empty()) c->dead_letter_file = c->checkpoint_dir + "/dead-letter.ndjson";
  return Status::OK();
}

}  // namespace loglake::agent
