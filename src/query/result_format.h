// Text forms of query results: rendering a QueryResult for people (table) and programs (csv,
// json, ndjson) and the one-line statistics summary. `loglake query` uses all of them; the
// server's query API can reuse the machine formats. (Reading `?` parameter values from text is
// query/param_text.h.)
//
// Formats:
//   table   aligned columns for a terminal: a header, a rule, one line per row and "(N rows)".
//           Numbers are right-aligned, other values left-aligned; NULL is shown as NULL; control
//           characters are shown as escapes (\n, \t, \x01) so a row stays on one line; values
//           wider than TableOptions::max_column_width are cut with "…". Only this format cuts.
//   csv     RFC 4180: a header line of column names, CRLF line ends, a field is quoted when it
//           holds a comma, a quote, CR or LF, or is the empty string; NULL is an empty unquoted
//           field, so NULL and '' stay apart.
//   json    one object: {"columns":[{"name":..,"type":..}],"rows":[[..],..],"stats":{..}}
//           (plus "explain" when asked for). Exact values: bigint/integer as JSON numbers,
//           doubles in their shortest round-trip form (NaN and ±Infinity, which JSON lacks, as
//           the strings "NaN", "Infinity", "-Infinity"), booleans as true/false, timestamps as
//           Trino's text "2024-05-01 12:34:56.123456" (UTC, always 6 digits), dates as
//           "2024-05-01", intervals as Value::ToString, NULL as null. Strings are valid JSON
//           whatever the bytes: invalid UTF-8 becomes U+FFFD.
//   ndjson  one object per row, keyed by column name, values as in json; no stats.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "query/engine.h"
#include "query/types.h"

namespace loglake::query {

enum class OutputFormat : uint8_t { kTable, kCsv, kJson, kNdjson };

// "table", "csv", "json", "ndjson" (case-insensitive); nullopt otherwise.
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);
const char* OutputFormatName(OutputFormat format);

struct FormatOptions {
  // table: values wider than this many terminal cells are cut and end with "…".
  size_t max_column_width = 60;
  // json: include QueryResult::explain as "explain" (when non-empty).
  bool include_explain = false;
};

// Receives the rendered text in pieces, in order.
using TextSink = std::function<void(std::string_view)>;

// Renders `result` in `format` into `sink` (buffered: the sink sees pieces of tens of KiB).
void WriteResult(const QueryResult& result, OutputFormat format, const FormatOptions& options,
                 const TextSink& sink);
// The same, into a string.
std::string FormatResult(const QueryResult& result, OutputFormat format, const FormatOptions& options = {});

// One line (no newline) for people: rows returned and scanned, bytes read, what each pruning
// layer considered and skipped, duplicates dropped, elapsed time.
std::string FormatStatsLine(const QueryStats& stats);
// The JSON object used as "stats" in the json format.
std::string FormatStatsJson(const QueryStats& stats);
// Row `row` of `column` (holding values of `type`) as a JSON value of the json format, appended
// to *out (the server's query API pages result rows with it).
void AppendJsonValue(const Column& column, SqlType type, size_t row, std::string* out);

// Display width of UTF-8 text in terminal cells (East Asian wide and emoji count 2, combining
// marks 0); exposed for tests.
size_t DisplayWidth(std::string_view text);

}  // namespace loglake::query
