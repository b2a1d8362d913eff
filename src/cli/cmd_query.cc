// `loglake query`: one SQL query over the lake from the command line; the result on stdout in
// a format for people (table) or programs (csv, json, ndjson), the statistics on stderr.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "common/time.h"
#include "query/engine.h"
#include "query/param_text.h"
#include "query/result_format.h"

namespace loglake::cli {
namespace {

struct QueryFlags {
  std::string lake = "data";
  std::vector<std::string> params;
  std::string format = "table";
  bool no_dedup = false;
  bool explain = false;
  int threads = 0;
  std::string schema;
  int64_t max_days = query::QueryLimits{}.max_days;
  uint64_t max_bytes = query::QueryLimits{}.max_bytes_scanned;
  int64_t timeout_ms = query::QueryLimits{}.timeout_ms;
  uint64_t max_rows = query::QueryLimits{}.max_result_rows;
  uint64_t max_memory = query::QueryLimits{}.max_memory_bytes;
  std::string now;
  size_t max_width = query::FormatOptions{}.max_column_width;
  bool quiet = false;
  std::string sql;
};

// Set by SIGINT/SIGTERM; the engine polls it and stops with Cancelled.
std::atomic<bool> g_cancel{false};

extern "C" void OnInterrupt(int signo) {
  g_cancel.store(true);
  // A second signal ends the process the default way.
  std::signal(signo, SIG_DFL);
}

// Bad input (the query, a flag, a parameter, a missing table) is exit status 2; anything else
// (I/O, corrupt files, limits, cancellation, unsupported features) is 1.
int ExitCodeFor(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kNotFound ? 2 : 1;
}

int Fail(const Status& status) {
  // Mistakes in the user's input read best as the bare message ("line 1:8: column 'uuidd' not
  // found; did you mean 'uuid'?"); other failures keep their kind ("Limit reached: ...").
  const std::string text =
      status.code() == StatusCode::kInvalidArgument ? status.message() : status.ToString();
  std::fprintf(stderr, "loglake query: %s\n", text.c_str());
  return ExitCodeFor(status);
}

int RunQueryCommand(const QueryFlags& flags) {
  std::optional<query::OutputFormat> format = query::ParseOutputFormat(flags.format);
  if (!format) {
    return Fail(Status::InvalidArgument("--format: unknown format '" + flags.format +
                                        "'; use table, csv, json or ndjson"));
  }
  std::vector<query::Value> params;
  for (size_t i = 0; i < flags.params.size(); ++i) {
    Result<query::Value> v = query::ParseParamText(flags.params[i]);
    if (!v.ok()) {
      return Fail(Status::InvalidArgument("--param #" + std::to_string(i + 1) + " ('" + flags.params[i] +
                                          "'): " + v.status().message()));
    }
    params.push_back(std::move(*v));
  }
  std::string sql = flags.sql;
  if (sql == "-") {
    sql.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }

  query::QueryOptions options;
  options.threads = flags.threads;
  options.dedup = !flags.no_dedup;
  options.explain = flags.explain;
  options.schema_path = flags.schema;
  options.limits.max_days = flags.max_days;
  options.limits.max_bytes_scanned = flags.max_bytes;
  options.limits.timeout_ms = flags.timeout_ms;
  options.limits.max_result_rows = flags.max_rows;
  options.limits.max_memory_bytes = flags.max_memory;
  options.cancel = &g_cancel;
  if (!flags.now.empty()) {
    Result<int64_t> now = ParseTimestampMicros(flags.now);
    if (!now.ok()) return Fail(Status::InvalidArgument("--now: " + now.status().message()));
    options.now_micros = *now;
  }

  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  Result<query::QueryResult> result = query::RunQuery(flags.lake, sql, params, options);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (!result.ok()) return Fail(result.status());

  query::FormatOptions format_options;
  format_options.max_column_width = flags.max_width;
  format_options.include_explain = flags.explain;
  bool write_failed = false;
  query::WriteResult(*result, *format, format_options, [&](std::string_view piece) {
    if (!write_failed && std::fwrite(piece.data(), 1, piece.size(), stdout) != piece.size()) write_failed = true;
  });
  if (std::fflush(stdout) != 0) write_failed = true;
  if (*format != query::OutputFormat::kJson) {
    if (flags.explain && !result->explain.empty()) {
      std::fprintf(stderr, "%s%s", result->explain.c_str(), result->explain.back() == '\n' ? "" : "\n");
    }
    if (!flags.quiet) std::fprintf(stderr, "%s\n", query::FormatStatsLine(result->stats).c_str());
  }
  if (write_failed) {
    std::fprintf(stderr, "loglake query: could not write the result to standard output\n");
    return 1;
  }
  return 0;
}

}  // namespace

void RegisterQuery(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("query", "Run a SQL query (Trino/Athena dialect) over the lake");
  cmd->footer(
      "SQL: one SELECT over one table (access_log, or a --schema table), Trino/Athena dialect; the\n"
      "partition column datepath ('yyyy/MM/dd') and the time column both limit the days read.\n"
      "Write ? for each value and pass the values with --param, in order; they are bound as typed\n"
      "values, never pasted into the SQL text. A --param's type comes from its text:\n"
      "  42 integer (bigint when large) | 1.5, 2e3 double | true, false boolean | null NULL\n"
      "  2024-05-01T00:00:00Z, '2024-05-01 12:00:00' timestamp | anything else a string\n"
      "or from a prefix: string:42  int:7  double:1  bool:true  timestamp:2024-05-01  null:\n"
      "(everything after the first colon is the value: string:a:b is the string 'a:b').\n"
      "Output: the result on stdout; the statistics line (rows, bytes read, what pruning skipped,\n"
      "time) and --explain on stderr, or inside the object with --format json.\n"
      "  table   aligned for a terminal; NULL shown as NULL; values wider than --max-width cut with …\n"
      "  csv     RFC 4180 with a header; NULL is an empty field, '' is \"\"\n"
      "  json    {\"columns\":[{\"name\",\"type\"}],\"rows\":[[...]],\"stats\":{...}}: exact values\n"
      "          (bigint as numbers, doubles shortest round-trip, timestamps \"2024-05-01 12:34:56.123456\")\n"
      "  ndjson  one object per row, keyed by column name\n"
      "Exit status: 0 on success, 2 for a mistake in the query, flags or parameters (the message\n"
      "gives line:column for SQL), 1 for anything else (I/O, limits reached, cancelled).\n"
      "Ctrl-C cancels the query.\n"
      "Example: loglake query --lake data --param acme --param 2024-05-01T10:00:00Z \\\n"
      "  \"SELECT time, path, status FROM access_log WHERE tenant_id = ? AND time >= ? \\\n"
      "   ORDER BY time DESC LIMIT 100\"\n");
  auto flags = std::make_shared<QueryFlags>();
  cmd->add_option("--lake", flags->lake, "Lake directory; tables are folders inside it")->capture_default_str();
  cmd->add_option("-p,--param", flags->params,
                  "Value of the next ? in the query (repeat, in order); typed by its text or a type: prefix, "
                  "see below")
      ->allow_extra_args(false);  // one value per --param, so the SQL is never taken for a value
  cmd->add_option("-f,--format", flags->format, "Output format: table, csv, json or ndjson")
      ->capture_default_str();
  cmd->add_flag("--no-dedup", flags->no_dedup,
                "Show raw rows: keep every copy of a record delivered more than once (by default each "
                "dedup key, uuid for access_log, counts once per day; the first copy wins)");
  cmd->add_flag("--explain", flags->explain,
                "Also show the plan and what each pruning layer (days, files, row-group statistics, bloom "
                "filters, dictionaries, page index) kept and skipped");
  cmd->add_option("--threads", flags->threads, "Threads to scan with; 0 uses all cores")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  cmd->add_option("--schema", flags->schema,
                  "TOML file defining the table when it is not access_log (see docs/tables.md)");
  cmd->add_option("--max-days", flags->max_days,
                  "Refuse queries that would read more than this many day partitions; 0 for no limit")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40))
      ->capture_default_str();
  cmd->add_option("--max-bytes", flags->max_bytes,
                  "Stop a query once it has read this much from storage (compressed, as Athena bills); "
                  "accepts units: 500MB, 10GB (1KB = 1024); 0 for no limit")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  cmd->add_option("--timeout-ms", flags->timeout_ms, "Stop a query after this many milliseconds; 0 for no limit")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40))
      ->capture_default_str();
  cmd->add_option("--max-rows", flags->max_rows,
                  "Refuse results of more than this many rows (after LIMIT); 0 for no limit")
      ->capture_default_str();
  cmd->add_option("--max-memory", flags->max_memory,
                  "Refuse aggregations (GROUP BY groups, aggregate states, DISTINCT sets) needing more memory "
                  "than this, all threads together; accepts units: 512MB, 4GB (1KB = 1024); 0 for no limit")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  cmd->add_option("--now", flags->now,
                  "What now() and current_date mean, e.g. 2024-05-01T12:00:00Z (default: the clock); makes "
                  "relative time ranges reproducible");
  cmd->add_option("--max-width", flags->max_width, "table format: cut values wider than this many characters")
      ->check(CLI::Range(size_t{4}, size_t{1} << 20))
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", flags->quiet, "Do not print the statistics line on stderr");
  cmd->add_option("SQL", flags->sql, "The query; - reads it from standard input")->required();
  cmd->callback([flags, exit_code]() { *exit_code = RunQueryCommand(*flags); });
}

}  // namespace loglake::cli
