// libFuzzer target: any byte string as SQL (up to the first NUL byte), with `?` parameters made
// from the bytes after it (as sql_parser_fuzz does), run by RunQuery over a small real lake:
// parsing, binding, partition projection, pruning, evaluation, dedup, aggregation, sorting and
// top-N all see the input. RunQuery must return a well-formed result or an error that says
// something, never crash, trip a sanitizer or hang.
//
// The lake is built once per process in a fresh temporary directory (removed at exit): a few
// hundred generated access_log records over three days (2024-05-01..03, what the seed queries
// name) with duplicates and bad records, plus hand-written records with NULLs and odd strings in
// a second file of 2024-05-02 that also repeats some uuids of the first. Each input runs twice,
// with and without dedup, under small limits so that no input can run long.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "gen/access_log_generator.h"
#include "lake/converter.h"
#include "fuzz_query_input.h"
#include "lake/table.h"
#include "query/engine.h"

namespace {

using loglake::Result;
using loglake::Status;
using loglake::query::QueryOptions;
using loglake::query::QueryResult;
using loglake::query::SqlType;
using loglake::query::Value;


const int64_t kFirstDay = loglake::DaysFromCivil(2024, 5, 1);


// Records the generator does not write: NULL and missing fields, empty strings, quotes,
// multi-byte and malformed-looking text, extremes of each numeric type, times at the edges of
// the day; and repeats of uuids from the generated file of the same day.
const char* const kOddRecords[] = {
    R"({"uuid":"odd-1","time":"2024-05-02T00:00:00Z","tenant_id":null,"user_id":null,"method":"GET","path":"/","query":null,"status":null,"duration_ms":null,"bytes_sent":null})",
    R"({"uuid":"odd-2","time":"2024-05-02T23:59:59.999999Z","tenant_id":"","user_id":"","method":"","path":"","query":"","status":0,"duration_ms":0.0,"bytes_sent":0,"remote_ip":"","user_agent":"","request_id":""})",
    R"({"uuid":"odd-3","time":"2024-05-02T12:00:00Z","tenant_id":"t'x","path":"/a%b_c\\d","query":"q=%_\\","status":2147483647,"duration_ms":1e308,"bytes_sent":9223372036854775807})",
    R"({"uuid":"odd-4","time":"2024-05-02T12:00:00.5Z","tenant_id":"Ünïcödé","path":"/日本/語","user_agent":"\u0000\u0001\t\n\"","status":-2147483648,"duration_ms":-0.0,"bytes_sent":-9223372036854775808})",
    R"({"uuid":"odd-5","time":"2024-05-02T06:30:00Z","tenant_id":"ΑΒΓ","path":"/😀/x","query":"{\"a\":{\"b\":[1,2]}}","status":404,"duration_ms":5e-324,"extra_field":"x"})",
    R"({"uuid":"odd-5","time":"2024-05-02T06:30:00Z","tenant_id":"ΑΒΓ","path":"/😀/x","query":"{\"a\":{\"b\":[1,2]}}","status":404,"duration_ms":5e-324,"extra_field":"x"})",
    R"({"uuid":"","time":"2024-05-02T01:00:00Z","status":500})",
    R"({"uuid":null,"time":"2024-05-02T01:00:01Z","status":500})",
    R"({"uuid":"odd-6","time":"2024-05-02T02:00:00Z","tenant_id":"   padded   ","path":"  ","method":"get","status":301,"duration_ms":1.5})",
};

Status ConvertLines(const std::string& lake, const std::string& source, std::string_view lines) {
  loglake::lake::ConverterOptions options;
  options.row_group_rows = 64;  // several row groups per file: pruning has units to choose from
  ASSIGN_OR_RETURN(auto converter, loglake::lake::Converter::Create(lake, loglake::lake::AccessLogTable(), options));
  converter->BeginSource(source);
  RETURN_IF_ERROR(converter->Feed(lines));
  RETURN_IF_ERROR(converter->EndSource());
  return converter->Finish();
}

Status BuildLake(const std::string& lake) {
  loglake::gen::AccessLogOptions options;
  options.records = 600;
  options.start_day = kFirstDay;
  options.days = 3;
  options.seed = 7;
  options.dup_rate = 0.05;
  options.bad_rate = 0.02;
  RETURN_IF_ERROR(loglake::gen::ValidateAccessLogOptions(options));
  loglake::gen::AccessLogGenerator generator(options);
  std::string generated;
  for (std::string_view chunk = generator.NextChunk(); !chunk.empty(); chunk = generator.NextChunk()) {
    generated.append(chunk);
  }
  RETURN_IF_ERROR(ConvertLines(lake, "generated.ndjson", generated));

  std::string odd;
  for (const char* r : kOddRecords) odd.append(r).push_back('\n');
  // Some generated records of 2024-05-02 again: duplicates across two files of one day.
  size_t repeated = 0;
  for (size_t at = 0; at < generated.size() && repeated < 20;) {
    const size_t end = generated.find('\n', at);
    const std::string_view line(generated.data() + at, (end == std::string::npos ? generated.size() : end) - at);
    if (line.find("\"time\":\"2024-05-02") != std::string_view::npos && (at % 3) == 0) {
      odd.append(line).push_back('\n');
      ++repeated;
    }
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return ConvertLines(lake, "odd.ndjson", odd);
}

std::string* g_lake = nullptr;

void RemoveLake() {
  if (g_lake == nullptr) return;
  std::error_code ignored;
  std::filesystem::remove_all(*g_lake, ignored);
}

void CheckResult(const Result<QueryResult>& r, const QueryOptions& options) {
  if (!r.ok()) {
    if (r.status().message().empty()) __builtin_trap();  // every error must say something
    return;
  }
  if (r->names.size() != r->types.size() || r->names.size() != r->columns.size()) __builtin_trap();
  for (const auto& c : r->columns) {
    if (c.size() != r->num_rows()) __builtin_trap();
  }
  if (r->num_rows() > options.limits.max_result_rows) __builtin_trap();
  if (r->stats.rows_returned != r->num_rows()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/loglake-query-fuzz-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  g_lake = new std::string(pattern);
  std::atexit(RemoveLake);
  Status s = BuildLake(*g_lake);
  if (!s.ok()) {
    std::fprintf(stderr, "building the fuzz lake failed: %s\n", s.ToString().c_str());
    std::abort();
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const loglake::fuzz::QueryInput input = loglake::fuzz::SplitQueryInput(data, size, (kFirstDay - 1) * loglake::kMicrosPerDay, 5 * static_cast<uint64_t>(loglake::kMicrosPerDay));
  const std::string_view sql = input.sql;
  const std::vector<Value>& params = input.params;

  QueryOptions options;
  options.now_micros = (kFirstDay + 2) * loglake::kMicrosPerDay + 12 * 3600 * loglake::kMicrosPerSecond;
  options.limits.max_days = 31;
  options.limits.max_bytes_scanned = 64 << 20;
  options.limits.timeout_ms = 1000;
  options.limits.max_result_rows = 2000;
  options.limits.max_memory_bytes = 64 << 20;

  options.dedup = true;
  options.threads = 2;
  CheckResult(loglake::query::RunQuery(*g_lake, sql, params, options), options);

  options.dedup = false;
  options.threads = 1;
  options.explain = true;
  CheckResult(loglake::query::RunQuery(*g_lake, sql, params, options), options);
  return 0;
}
