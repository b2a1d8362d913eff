// `loglake convert`: NDJSON (files or stdin) → day-partitioned Parquet files in the lake.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "lake/converter.h"
#include "lake/input_paths.h"
#include "lake/parallel_converter.h"
#include "lake/table.h"
#include "parquet/compression.h"

namespace loglake::cli {
namespace {

struct ConvertFlags {
  std::string lake = "data";
  std::string table;
  std::string schema;
  std::string codec = "snappy";
  int zstd_level = 3;
  double min_compression_saving = lake::ConverterOptions().min_compression_saving;
  uint64_t row_group_mb = lake::ConverterOptions().row_group_bytes >> 20;
  uint64_t row_group_rows = lake::ConverterOptions().row_group_rows;
  uint64_t max_file_mb = 512;
  uint64_t max_record_bytes = 1 << 20;
  uint64_t buffer_mb = 256;
  uint64_t max_zstd_window_mb = lake::kDefaultMaxZstdWindowBytes >> 20;
  int max_open_files = 64;
  int threads = 1;
  bool verbose = false;
  std::vector<std::string> inputs;
};

std::string Size(uint64_t bytes) {
  char buf[32];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof(buf), "%llu B", static_cast<unsigned long long>(bytes));
  } else if (bytes < (1 << 20)) {
    std::snprintf(buf, sizeof(buf), "%.1f KiB", static_cast<double>(bytes) / 1024);
  } else if (bytes < (1ull << 30)) {
    std::snprintf(buf, sizeof(buf), "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  } else {
    std::snprintf(buf, sizeof(buf), "%.2f GiB", static_cast<double>(bytes) / (1ull << 30));
  }
  return buf;
}

const char* Plural(uint64_t n, const char* one, const char* many) { return n == 1 ? one : many; }

void PrintSummary(const lake::ParallelConverter& converter, double seconds, bool verbose) {
  const lake::ConvertStats& s = converter.stats();
  std::printf("read %llu %s: %llu written to %llu %s (%s), %llu rejected",
              static_cast<unsigned long long>(s.records_read), Plural(s.records_read, "record", "records"),
              static_cast<unsigned long long>(s.records_written),
              static_cast<unsigned long long>(s.files_written), Plural(s.files_written, "file", "files"),
              Size(s.bytes_written).c_str(), static_cast<unsigned long long>(s.records_rejected));
  if (s.records_rejected > 0) std::printf(" (see %s/_errors/)", converter.table_dir().c_str());
  std::printf("\n");
  if (s.records_rejected > 0) {
    std::printf("  rejected:");
    const char* sep = " ";
    for (const auto& [reason, count] : s.rejected_by_reason) {
      std::printf("%s%s %llu", sep, reason.c_str(), static_cast<unsigned long long>(count));
      sep = ", ";
    }
    std::printf("\n");
  }
  const double rate = seconds > 0 ? static_cast<double>(s.records_read) / seconds : 0;
  const double mbps = seconds > 0 ? static_cast<double>(s.input_bytes) / seconds / 1e6 : 0;
  std::printf("  %s of input in %.2f s (%.0f records/s, %.1f MB/s)", Size(s.input_bytes).c_str(), seconds, rate,
              mbps);
  if (s.compressed_inputs > 0) {
    std::printf(", %llu %s decompressed", static_cast<unsigned long long>(s.compressed_inputs),
                Plural(s.compressed_inputs, "input", "inputs"));
  }
  std::printf("\n");
  if (verbose) {
    for (const auto& [day, d] : s.per_day) {
      std::printf("  %s/%s  %llu %s  %llu %s  %s\n", converter.table_dir().c_str(), day.c_str(),
                  static_cast<unsigned long long>(d.records), Plural(d.records, "record", "records"),
                  static_cast<unsigned long long>(d.files), Plural(d.files, "file", "files"),
                  Size(d.bytes).c_str());
    }
  }
}

int RunConvert(const ConvertFlags& flags) {
  std::string table_name = flags.table;
  if (table_name.empty() && flags.schema.empty()) table_name = "access_log";
  Result<lake::TableDef> def = lake::ResolveTableDef(table_name, flags.schema);
  if (!def.ok()) {
    std::fprintf(stderr, "loglake convert: %s\n", def.status().message().c_str());
    return 2;
  }
  Result<parquet::Codec> codec = parquet::ParseCodecName(flags.codec);
  if (!codec.ok() || *codec == parquet::Codec::kGzip) {
    std::fprintf(stderr, "loglake convert: --codec: unknown codec '%s'; use snappy, zstd or none\n",
                 flags.codec.c_str());
    return 2;
  }
  // Check every input up front so that a typo in the last file name does not leave a half-done
  // conversion behind. Directories are expanded, leaving out the table's own folder.
  Result<std::vector<std::string>> expanded = lake::ExpandInputPaths(
      flags.inputs.empty() ? std::vector<std::string>{"-"} : flags.inputs, lake::TableDirectory(flags.lake, def->name));
  if (!expanded.ok()) {
    std::fprintf(stderr, "loglake convert: %s\n", expanded.status().message().c_str());
    return 2;
  }
  const std::vector<std::string>& inputs = *expanded;
  std::vector<uint64_t> sizes;  // to share the inputs among threads by size
  for (const std::string& input : inputs) {
    struct stat st {};
    if (input != "-" && (::access(input.c_str(), R_OK) != 0 || ::stat(input.c_str(), &st) != 0)) {
      std::fprintf(stderr, "loglake convert: cannot read %s: %s\n", input.c_str(), std::strerror(errno));
      return 2;
    }
    sizes.push_back(input == "-" ? 0 : static_cast<uint64_t>(st.st_size));
  }

  lake::ConverterOptions options;
  options.codec = *codec;
  options.zstd_level = flags.zstd_level;
  options.min_compression_saving = flags.min_compression_saving;
  options.row_group_bytes = flags.row_group_mb << 20;
  options.row_group_rows = flags.row_group_rows;
  options.max_file_bytes = flags.max_file_mb << 20;
  options.max_record_bytes = flags.max_record_bytes;
  options.buffer_budget_bytes = flags.buffer_mb << 20;
  options.max_open_files = flags.max_open_files;
  options.max_zstd_window_bytes = flags.max_zstd_window_mb << 20;
  Result<std::unique_ptr<lake::ParallelConverter>> converter =
      lake::ParallelConverter::Create(flags.lake, *def, options, flags.threads);
  if (!converter.ok()) {
    std::fprintf(stderr, "loglake convert: %s\n", converter.status().message().c_str());
    return 2;
  }
  lake::ParallelConverter::InputDone progress;
  if (flags.verbose && (inputs.size() > 1 || flags.threads > 1)) {
    // Progress over many inputs (an archive of thousands of json.gz files) or the pieces of a
    // large one, on stderr so that standard output keeps only the summary.
    progress = [](const std::string& input, uint64_t n) {
      std::fprintf(stderr, "%s: %llu %s\n", input.c_str(), static_cast<unsigned long long>(n),
                   Plural(n, "record", "records"));
    };
  }
  const auto start = std::chrono::steady_clock::now();
  Status st = (*converter)->ConvertFiles(inputs, sizes, progress);
  if (!st.ok()) {
    std::fprintf(stderr, "loglake convert: %s\n", st.ToString().c_str());
    std::fprintf(
        stderr,
        "loglake convert: stopped; files already published stay in %s, unfinished ones were removed\n",
        (*converter)->table_dir().c_str());
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrintSummary(**converter, seconds, flags.verbose);
  const std::vector<std::string>& unreadable = (*converter)->stats().unreadable_inputs;
  for (const std::string& what : unreadable) std::fprintf(stderr, "loglake convert: cannot read to its end: %s\n", what.c_str());
  if (!unreadable.empty()) return 1;
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace

void RegisterConvert(CLI::App& app, int* exit_code) {
  CLI::App* cmd =
      app.add_subcommand("convert", "Convert JSON records (files or stdin) into the lake's Parquet files");
  cmd->footer(
      "Input: NDJSON, concatenated objects ({..}{..}) or JSON arrays, in any mix; FILE - or no FILE reads "
      "stdin.\n"
      "A directory stands for every file below it, in path order (hidden names and the table's own folder skipped).\n"
      "Gzip- and zstd-compressed input (json.gz archives, as Firehose writes them) is decompressed as it is read,\n"
      "known by its first bytes, whatever the file's name.\n"
      "Output: <lake>/<table>/yyyy/MM/dd/part-*.parquet by each record's own UTC day (dt=YYYY-MM-DD/ for\n"
      "Hive-layout tables), each file published atomically. Rejected records are stored with the reason in\n"
      "<lake>/<table>/_errors/ and counted; they do not make the command fail. Exit status: 0 when all "
      "input\n"
      "was converted or stored as rejected, 1 on an I/O error or a compressed input damaged or cut short (the\n"
      "other inputs, and what came before the damage, are still converted), 2 on a usage error.\n"
      "Example: loglake gen --records 100000 --start 2024-03-01 | loglake convert --lake data --table "
      "access_log\n");
  auto flags = std::make_shared<ConvertFlags>();
  cmd->add_option("--lake", flags->lake, "Lake directory; tables are folders inside it")
      ->capture_default_str();
  cmd->add_option(
      "--table", flags->table,
      "Table name; access_log (the default without --schema) is built in, other tables need --schema");
  cmd->add_option("--schema", flags->schema, "TOML file defining the table's columns (see docs/tables.md)");
  cmd->add_option("--codec", flags->codec, "Page compression: snappy, zstd or none")->capture_default_str();
  cmd->add_option("--zstd-level", flags->zstd_level, "ZSTD level (1-22) when --codec zstd")
      ->check(CLI::Range(1, 22))
      ->capture_default_str();
  cmd->add_option("--min-compression-saving", flags->min_compression_saving,
                  "Store a column chunk that is not dictionary-encoded (uuids, times) uncompressed when the codec "
                  "saves less than this fraction of its first page (its strings then DELTA_LENGTH_BYTE_ARRAY); "
                  "0 compresses every chunk")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--row-group-mb", flags->row_group_mb,
                  "Cut a row group once its uncompressed data reaches this many MiB")
      ->check(CLI::Range(uint64_t{1}, uint64_t{4096}))
      ->capture_default_str();
  cmd->add_option("--row-group-rows", flags->row_group_rows,
                  "...or once it has this many rows. Readers skip data by row group: smaller groups make a "
                  "uuid lookup read less, larger ones make the output a little smaller")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 31))
      ->capture_default_str();
  cmd->add_option("--max-file-mb", flags->max_file_mb,
                  "Finish a file and start the next once its row groups reach this many MiB")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--max-record-bytes", flags->max_record_bytes,
                  "Reject records longer than this many bytes (they go to _errors with their first 64 KiB)")
      ->check(CLI::Range(uint64_t{16}, uint64_t{1} << 30))
      ->capture_default_str();
  cmd->add_option(
         "--buffer-mb", flags->buffer_mb,
         "Memory budget in MiB for rows and row groups waiting to be written, over all days; past it the "
         "fullest day is written out (smaller files when the input mixes many days)")
      ->check(CLI::Range(uint64_t{8}, uint64_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--max-open-files", flags->max_open_files,
                  "Files open at once (one per day being written); the least recently used is finished first")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--max-zstd-window-mb", flags->max_zstd_window_mb,
                  "Largest window a zstd input may need, in MiB (memory it takes to decompress); frames written "
                  "with `zstd --long=N` need 2^N bytes")
      ->check(CLI::Range(uint64_t{1}, uint64_t{2048}))
      ->capture_default_str();
  cmd->add_option("--threads", flags->threads,
                  "Convert on this many threads, each with its share of --buffer-mb and --max-open-files. The input "
                  "is cut into contiguous runs of about equal size, one per thread (a large plain JSON file into "
                  "pieces of whole records); a day whose records fall into two runs gets a file from each")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_flag("-v,--verbose", flags->verbose,
                "Also print records, files and bytes per day, and (on stderr) records per input (or piece of one, "
                "with --threads) as each is done");
  cmd->add_option("FILE", flags->inputs,
                  "Input files or directories (every file below, in path order); - or none reads standard input");
  cmd->callback([flags, exit_code]() { *exit_code = RunConvert(*flags); });
}

}  // namespace loglake::cli
