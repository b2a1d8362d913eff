// `loglake gen`: synthetic access logs as NDJSON, for demos and benchmarks (see docs/gen.md).
#include <fmt/core.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "common/file.h"
#include "common/time.h"
#include "gen/access_log_generator.h"

namespace loglake::cli {
namespace {

struct GenFlags {
  uint64_t records = 0;
  std::string start;
  int64_t days = 1;
  uint64_t seed = 1;
  double dup_rate = 0;
  double bad_rate = 0;
  std::string output;
  bool quiet = false;
};

Status WriteToStdout(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(STDOUT_FILENO, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(std::string("cannot write to standard output: ") + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Result<gen::AccessLogStats> Generate(const gen::AccessLogOptions& options, const std::string& output) {
  if (output.empty() || output == "-") return gen::GenerateAccessLog(options, WriteToStdout);
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, WritableFile::Create(output));
  ASSIGN_OR_RETURN(
      gen::AccessLogStats stats,
      gen::GenerateAccessLog(options, [&file](std::string_view chunk) { return file->Append(chunk); }));
  RETURN_IF_ERROR(file->Close());
  return stats;
}

int RunGen(const GenFlags& flags) {
  gen::AccessLogOptions options;
  options.records = flags.records;
  options.days = flags.days;
  options.seed = flags.seed;
  options.dup_rate = flags.dup_rate;
  options.bad_rate = flags.bad_rate;
  Result<CivilDate> start = ParseDate(flags.start);
  if (!start.ok()) {
    fmt::print(stderr, "loglake gen: --start: {}\n", start.status().message());
    return 2;
  }
  options.start_day = DaysFromCivil(start->year, start->month, start->day);
  if (Status s = gen::ValidateAccessLogOptions(options); !s.ok()) {
    fmt::print(stderr, "loglake gen: {}\n", s.message());
    return 2;
  }
  Result<gen::AccessLogStats> stats = Generate(options, flags.output);
  if (!stats.ok()) {
    fmt::print(stderr, "loglake gen: {}\n", stats.status().ToString());
    return 1;
  }
  if (!flags.quiet) {
    fmt::print(stderr, "loglake gen: {} lines ({} records, {} duplicates, {} bad), {} bytes\n", stats->lines,
               stats->records, stats->duplicates, stats->bad, stats->bytes);
  }
  return 0;
}

}  // namespace

void RegisterGen(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<GenFlags>();
  CLI::App* cmd = app.add_subcommand(
      "gen",
      "Write synthetic access logs for the built-in access_log table as NDJSON: realistic tenants, "
      "users, paths, statuses, latencies and user agents, spread over whole UTC days along a daily "
      "traffic curve. The output depends only on the flags (same seed, same bytes).");
  cmd->add_option("--records", flags->records,
                  "Lines to write in total, including duplicates and bad records")
      ->required();
  cmd->add_option("--start", flags->start, "First UTC day of the log, YYYY-MM-DD")->required();
  cmd->add_option("--days", flags->days, "Number of days the log covers")->capture_default_str();
  cmd->add_option("--seed", flags->seed, "Seed of the pseudo-random generator")->capture_default_str();
  cmd->add_option("--dup-rate", flags->dup_rate,
                  "Fraction of lines that repeat an earlier record exactly (same uuid), a little later, "
                  "as at-least-once delivery does")
      ->capture_default_str();
  cmd->add_option("--bad-rate", flags->bad_rate,
                  "Fraction of lines that are bad records: malformed JSON, a non-numeric status, a missing "
                  "or unparsable time, an out-of-range integer, invalid UTF-8, a truncated line")
      ->capture_default_str();
  cmd->add_option("--output,-o", flags->output, "Write to FILE instead of standard output");
  cmd->add_flag("--quiet,-q", flags->quiet, "Do not print the summary line on standard error");
  cmd->callback([flags, exit_code] { *exit_code = RunGen(*flags); });
}

}  // namespace loglake::cli
