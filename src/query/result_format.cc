#include "query/result_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

#include "common/ascii.h"
#include "common/time.h"
#include "common/utf8.h"

namespace loglake::query {
namespace {

// ---------------------------------------------------------------------------------------------
// Terminal width

// Terminal cells of one printable code point (a small wcwidth: enough for log text).
int CodePointWidth(uint32_t cp) {
  if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F)) {
    return 0;  // combining marks, zero-width spaces and joiners, variation selectors
  }
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
      (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
      (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
      (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD)) {
    return 2;
  }
  return 1;
}

// ---------------------------------------------------------------------------------------------
// Scalars as text

void AppendDouble(double v, std::string* out) {
  if (std::isnan(v)) {
    out->append("NaN");
  } else if (std::isinf(v)) {
    out->append(v > 0 ? "Infinity" : "-Infinity");
  } else {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof(buf), v);
    out->append(buf, r.ptr);
  }
}

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, r.ptr);
}

void AppendDigits(int64_t v, int width, std::string* out) {
  char buf[24];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out->append(buf, static_cast<size_t>(width));
}

// "2024-05-01 12:34:56.123456" (Trino's timestamp(6) text), without allocating for the years
// loglake stores.
void AppendTimestamp(int64_t micros, std::string* out) {
  if (micros < kMinTimestampMicros || micros > kMaxTimestampMicros) {
    out->append(Value::Timestamp(micros).ToString());
    return;
  }
  int64_t days = micros / kMicrosPerDay;
  int64_t rest = micros % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    --days;
  }
  const CivilDate date = CivilFromDays(days);
  AppendDigits(date.year, 4, out);
  out->push_back('-');
  AppendDigits(date.month, 2, out);
  out->push_back('-');
  AppendDigits(date.day, 2, out);
  out->push_back(' ');
  const int64_t seconds = rest / kMicrosPerSecond;
  AppendDigits(seconds / 3600, 2, out);
  out->push_back(':');
  AppendDigits(seconds / 60 % 60, 2, out);
  out->push_back(':');
  AppendDigits(seconds % 60, 2, out);
  out->push_back('.');
  AppendDigits(rest % kMicrosPerSecond, 6, out);
}

bool IsRightAligned(SqlType type) { return IsNumeric(type); }

// Row i of a non-null cell as plain text (strings as they are).
void AppendPlain(const Column& column, SqlType type, size_t i, std::string* out) {
  switch (type) {
    case SqlType::kBoolean: out->append(column.Bool(i) ? "true" : "false"); return;
    case SqlType::kInteger: AppendInt(column.Int32(i), out); return;
    case SqlType::kBigint: AppendInt(column.Int64(i), out); return;
    case SqlType::kDouble: AppendDouble(column.Double(i), out); return;
    case SqlType::kVarchar: out->append(column.String(i)); return;
    case SqlType::kTimestamp: AppendTimestamp(column.Int64(i), out); return;
    case SqlType::kDate:
    case SqlType::kIntervalDayTime:
    case SqlType::kIntervalYearMonth:
    case SqlType::kUnknown: out->append(ValueAt(column, type, i).ToString()); return;
  }
}

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<uint8_t>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      // Copy the run of plain ASCII at once.
      size_t j = i + 1;
      while (j < s.size()) {
        const auto d = static_cast<uint8_t>(s[j]);
        if (d < 0x20 || d >= 0x80 || d == '"' || d == '\\') break;
        ++j;
      }
      out->append(s.substr(i, j - i));
      i = j;
      continue;
    }
    switch (c) {
      case '"': out->append("\\\""); ++i; continue;
      case '\\': out->append("\\\\"); ++i; continue;
      case '\n': out->append("\\n"); ++i; continue;
      case '\r': out->append("\\r"); ++i; continue;
      case '\t': out->append("\\t"); ++i; continue;
      case '\b': out->append("\\b"); ++i; continue;
      case '\f': out->append("\\f"); ++i; continue;
      default: break;
    }
    if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out->append(buf);
      ++i;
      continue;
    }
    size_t len;
    if (DecodeUtf8(s, i, &len) == kInvalidCodePoint) {
      out->append("\\ufffd");
    } else {
      out->append(s.substr(i, len));
    }
    i += len;
  }
  out->push_back('"');
}

void AppendJsonCell(const Column& column, SqlType type, size_t i, std::string* out) {
  if (column.IsNull(i) || type == SqlType::kUnknown) {
    out->append("null");
    return;
  }
  switch (type) {
    case SqlType::kBoolean:
    case SqlType::kInteger:
    case SqlType::kBigint: AppendPlain(column, type, i, out); return;
    case SqlType::kDouble: {
      const double v = column.Double(i);
      if (std::isfinite(v)) {
        AppendDouble(v, out);
      } else {
        out->push_back('"');
        AppendDouble(v, out);
        out->push_back('"');
      }
      return;
    }
    case SqlType::kVarchar: AppendJsonString(column.String(i), out); return;
    default: {
      std::string text;
      AppendPlain(column, type, i, &text);
      AppendJsonString(text, out);
      return;
    }
  }
}

// One table cell: control characters and invalid bytes escaped, cut to `max_width` cells.
struct Cell {
  std::string text;
  size_t width = 0;
};

Cell MakeTableCell(std::string_view raw, size_t max_width) {
  const size_t limit = std::max<size_t>(max_width, 2);
  Cell cell;
  // Fast path: short printable ASCII is shown as it is.
  if (raw.size() <= limit &&
      std::all_of(raw.begin(), raw.end(), [](char c) { return c >= 0x20 && c < 0x7F; })) {
    cell.text.assign(raw);
    cell.width = raw.size();
    return cell;
  }
  // Shown pieces, until the value is known to fit or to need cutting.
  struct Piece {
    size_t begin;  // in cell.text
    size_t width_before;
  };
  std::vector<Piece> pieces;
  size_t i = 0;
  while (i < raw.size()) {
    size_t len;
    const uint32_t cp = DecodeUtf8(raw, i, &len);
    pieces.push_back({cell.text.size(), cell.width});
    if (cp == kInvalidCodePoint || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      const size_t before = cell.text.size();
      if (cp == '\n') {
        cell.text += "\\n";
      } else if (cp == '\t') {
        cell.text += "\\t";
      } else if (cp == '\r') {
        cell.text += "\\r";
      } else {
        for (size_t k = 0; k < len; ++k) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<uint8_t>(raw[i + k]));
          cell.text += buf;
        }
      }
      cell.width += cell.text.size() - before;
    } else {
      cell.text.append(raw.substr(i, len));
      cell.width += static_cast<size_t>(CodePointWidth(cp));
    }
    i += len;
    if (cell.width > limit) break;
  }
  if (cell.width <= limit) return cell;
  // Too wide: keep the longest run of whole pieces that fits in limit - 1 cells, then "…".
  size_t end = 0, width = 0;
  for (size_t k = 0; k < pieces.size(); ++k) {
    const size_t next_width = k + 1 < pieces.size() ? pieces[k + 1].width_before : cell.width;
    if (next_width > limit - 1) break;
    end = k + 1 < pieces.size() ? pieces[k + 1].begin : cell.text.size();
    width = next_width;
  }
  cell.text.resize(end);
  cell.text += "\xE2\x80\xA6";  // …
  cell.width = width + 1;
  return cell;
}

// ---------------------------------------------------------------------------------------------
// Writers

// Buffers output and hands it to the sink in large pieces.
class Out {
 public:
  explicit Out(const TextSink& sink) : sink_(sink) { buf_.reserve(kFlushAt + 4096); }
  ~Out() { Flush(); }
  std::string* buf() { return &buf_; }
  void MaybeFlush() {
    if (buf_.size() >= kFlushAt) Flush();
  }
  void Flush() {
    if (!buf_.empty()) sink_(buf_);
    buf_.clear();
  }

 private:
  static constexpr size_t kFlushAt = 64 * 1024;
  const TextSink& sink_;
  std::string buf_;
};

void WriteTable(const QueryResult& result, const FormatOptions& options, Out* out) {
  const size_t ncols = result.names.size();
  const size_t nrows = result.num_rows();
  std::vector<std::vector<Cell>> cells(ncols);
  std::vector<size_t> widths(ncols, 0);
  std::string scratch;
  for (size_t c = 0; c < ncols; ++c) {
    Cell header = MakeTableCell(result.names[c], options.max_column_width);
    widths[c] = header.width;
    cells[c].reserve(nrows + 1);
    cells[c].push_back(std::move(header));
    for (size_t r = 0; r < nrows; ++r) {
      const Column& column = result.columns[c];
      scratch.clear();
      if (column.IsNull(r) || result.types[c] == SqlType::kUnknown) {
        scratch = "NULL";
      } else {
        AppendPlain(column, result.types[c], r, &scratch);
      }
      Cell cell = MakeTableCell(scratch, options.max_column_width);
      widths[c] = std::max(widths[c], cell.width);
      cells[c].push_back(std::move(cell));
    }
  }
  std::string* b = out->buf();
  auto write_line = [&](size_t row) {  // row 0 is the header
    const size_t start = b->size();
    for (size_t c = 0; c < ncols; ++c) {
      const Cell& cell = cells[c][row];
      const size_t pad = widths[c] - cell.width;
      b->append(c == 0 ? " " : " | ");
      if (IsRightAligned(result.types[c]) && row > 0) {
        b->append(pad, ' ');
        b->append(cell.text);
      } else {
        b->append(cell.text);
        b->append(pad, ' ');
      }
    }
    while (b->size() > start && b->back() == ' ') b->pop_back();
    b->push_back('\n');
    out->MaybeFlush();
  };
  if (ncols > 0) {
    write_line(0);
    for (size_t c = 0; c < ncols; ++c) {
      if (c > 0) b->push_back('+');
      b->append(widths[c] + 2, '-');
    }
    b->push_back('\n');
    for (size_t r = 0; r < nrows; ++r) write_line(r + 1);
  }
  b->append("(");
  AppendInt(static_cast<int64_t>(nrows), b);
  b->append(nrows == 1 ? " row)\n" : " rows)\n");
}

void AppendCsvField(std::string_view v, std::string* out) {
  const bool quote = v.empty() || v.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out->append(v);
    return;
  }
  out->push_back('"');
  for (char ch : v) {
    if (ch == '"') out->push_back('"');
    out->push_back(ch);
  }
  out->push_back('"');
}

void WriteCsv(const QueryResult& result, Out* out) {
  const size_t ncols = result.names.size();
  std::string* b = out->buf();
  for (size_t c = 0; c < ncols; ++c) {
    if (c > 0) b->push_back(',');
    AppendCsvField(result.names[c], b);
  }
  b->append("\r\n");
  std::string scratch;
  for (size_t r = 0; r < result.num_rows(); ++r) {
    for (size_t c = 0; c < ncols; ++c) {
      if (c > 0) b->push_back(',');
      const Column& column = result.columns[c];
      if (column.IsNull(r) || result.types[c] == SqlType::kUnknown) continue;
      if (result.types[c] == SqlType::kVarchar) {
        AppendCsvField(column.String(r), b);
      } else {
        scratch.clear();
        AppendPlain(column, result.types[c], r, &scratch);
        AppendCsvField(scratch, b);
      }
    }
    b->append("\r\n");
    out->MaybeFlush();
  }
}

void WriteJson(const QueryResult& result, const FormatOptions& options, Out* out) {
  const size_t ncols = result.names.size();
  std::string* b = out->buf();
  b->append("{\"columns\":[");
  for (size_t c = 0; c < ncols; ++c) {
    if (c > 0) b->push_back(',');
    b->append("{\"name\":");
    AppendJsonString(result.names[c], b);
    b->append(",\"type\":");
    AppendJsonString(SqlTypeName(result.types[c]), b);
    b->push_back('}');
  }
  b->append("],\"rows\":[");
  for (size_t r = 0; r < result.num_rows(); ++r) {
    b->append(r == 0 ? "\n[" : ",\n[");
    for (size_t c = 0; c < ncols; ++c) {
      if (c > 0) b->push_back(',');
      AppendJsonCell(result.columns[c], result.types[c], r, b);
    }
    b->push_back(']');
    out->MaybeFlush();
  }
  b->append("],\n\"stats\":");
  b->append(FormatStatsJson(result.stats));
  if (options.include_explain && !result.explain.empty()) {
    b->append(",\n\"explain\":");
    AppendJsonString(result.explain, b);
  }
  b->append("}\n");
}

void WriteNdjson(const QueryResult& result, Out* out) {
  const size_t ncols = result.names.size();
  std::vector<std::string> keys(ncols);
  for (size_t c = 0; c < ncols; ++c) {
    AppendJsonString(result.names[c], &keys[c]);
    keys[c].push_back(':');
  }
  std::string* b = out->buf();
  for (size_t r = 0; r < result.num_rows(); ++r) {
    b->push_back('{');
    for (size_t c = 0; c < ncols; ++c) {
      if (c > 0) b->push_back(',');
      b->append(keys[c]);
      AppendJsonCell(result.columns[c], result.types[c], r, b);
    }
    b->append("}\n");
    out->MaybeFlush();
  }
}

// "1,234,567".
std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string HumanBytes(uint64_t bytes) {
  char buf[32];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof(buf), "%llu B", static_cast<unsigned long long>(bytes));
  } else if (bytes < (uint64_t{1} << 20)) {
    std::snprintf(buf, sizeof(buf), "%.1f KiB", static_cast<double>(bytes) / 1024);
  } else if (bytes < (uint64_t{1} << 30)) {
    std::snprintf(buf, sizeof(buf), "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  } else {
    std::snprintf(buf, sizeof(buf), "%.2f GiB", static_cast<double>(bytes) / (uint64_t{1} << 30));
  }
  return buf;
}

std::string PruneJson(const PruneCount& p) {
  return "{\"considered\":" + std::to_string(p.considered) + ",\"pruned\":" + std::to_string(p.pruned) + "}";
}

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  for (OutputFormat f : {OutputFormat::kTable, OutputFormat::kCsv, OutputFormat::kJson, OutputFormat::kNdjson}) {
    if (EqualsIgnoreCase(name, OutputFormatName(f))) return f;
  }
  return std::nullopt;
}

const char* OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kTable: return "table";
    case OutputFormat::kCsv: return "csv";
    case OutputFormat::kJson: return "json";
    case OutputFormat::kNdjson: return "ndjson";
  }
  return "table";
}

void WriteResult(const QueryResult& result, OutputFormat format, const FormatOptions& options,
                 const TextSink& sink) {
  Out out(sink);
  switch (format) {
    case OutputFormat::kTable: WriteTable(result, options, &out); break;
    case OutputFormat::kCsv: WriteCsv(result, &out); break;
    case OutputFormat::kJson: WriteJson(result, options, &out); break;
    case OutputFormat::kNdjson: WriteNdjson(result, &out); break;
  }
}

std::string FormatResult(const QueryResult& result, OutputFormat format, const FormatOptions& options) {
  std::string text;
  WriteResult(result, format, options, [&text](std::string_view piece) { text.append(piece); });
  return text;
}

std::string FormatStatsLine(const QueryStats& s) {
  std::string line = Grouped(s.rows_returned) + (s.rows_returned == 1 ? " row" : " rows") + " returned";
  line += "; scanned " + Grouped(s.rows_scanned) + (s.rows_scanned == 1 ? " row, " : " rows, ");
  line += HumanBytes(s.bytes_scanned) + " (" + Grouped(s.bytes_scanned) + " bytes)";
  line += "; days listed " + Grouped(s.days_listed);
  line += "; files " + Grouped(s.files.considered) + " considered, " + Grouped(s.files.pruned) + " pruned";
  line += "; row groups " + Grouped(s.row_groups_by_stats.considered) + " considered, " +
          Grouped(s.row_groups_by_stats.pruned) + " pruned by statistics, " +
          Grouped(s.row_groups_by_bloom.pruned) + " by bloom filters, " +
          Grouped(s.row_groups_by_dictionary.pruned) + " by dictionaries";
  line += "; pages " + Grouped(s.pages_by_page_index.considered) + " considered, " +
          Grouped(s.pages_by_page_index.pruned) + " pruned by page index";
  line += "; " + Grouped(s.duplicates_dropped) + (s.duplicates_dropped == 1 ? " duplicate" : " duplicates") +
          " dropped";
  char elapsed[32];
  std::snprintf(elapsed, sizeof(elapsed), "; %.3f s", s.elapsed_seconds);
  line += elapsed;
  return line;
}

void AppendJsonValue(const Column& column, SqlType type, size_t row, std::string* out) {
  AppendJsonCell(column, type, row, out);
}

std::string FormatStatsJson(const QueryStats& s) {
  std::string out = "{\"rows_returned\":" + std::to_string(s.rows_returned);
  out += ",\"rows_scanned\":" + std::to_string(s.rows_scanned);
  out += ",\"bytes_scanned\":" + std::to_string(s.bytes_scanned);
  out += ",\"days_listed\":" + std::to_string(s.days_listed);
  out += ",\"files\":" + PruneJson(s.files);
  out += ",\"row_groups_by_stats\":" + PruneJson(s.row_groups_by_stats);
  out += ",\"row_groups_by_bloom\":" + PruneJson(s.row_groups_by_bloom);
  out += ",\"row_groups_by_dictionary\":" + PruneJson(s.row_groups_by_dictionary);
  out += ",\"pages_by_page_index\":" + PruneJson(s.pages_by_page_index);
  out += ",\"duplicates_dropped\":" + std::to_string(s.duplicates_dropped);
  out += ",\"elapsed_seconds\":";
  AppendDouble(std::isfinite(s.elapsed_seconds) ? s.elapsed_seconds : 0, &out);
  out += "}";
  return out;
}

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t len;
    const uint32_t cp = DecodeUtf8(text, i, &len);
    width += cp == kInvalidCodePoint ? 1 : static_cast<size_t>(CodePointWidth(cp));
    i += len;
  }
  return width;
}

}  // namespace loglake::query
