#include "lake/record_reader.h"

#include "common/time.h"

namespace loglake::lake {
namespace {

bool StartsWith(const std::string& s, std::string_view prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// The text up to and including the quote closing the first '...' that opens at `open_quote`.
std::string UpToClosingQuote(const std::string& message, size_t open_quote) {
  const size_t end = message.find('\'', open_quote + 1);
  return end == std::string::npos ? message.substr(0, open_quote) : message.substr(0, end + 1);
}

json::FramerOptions FramerOptionsFor(size_t max_record_bytes) {
  json::FramerOptions options;
  options.max_record_bytes = max_record_bytes;
  return options;
}

}  // namespace

std::string RejectionCategory(const Rejection& rejection) {
  const Status& error = rejection.error;
  if (rejection.from_framer) {
    return error.code() == StatusCode::kResourceExhausted ? "record too large" : "malformed JSON";
  }
  const std::string& m = error.message();
  if (StartsWith(m, "field '")) return UpToClosingQuote(m, 6);
  if (StartsWith(m, "missing time field")) return "missing time";
  if (StartsWith(m, "missing required field '")) return UpToClosingQuote(m, 23);
  if (StartsWith(m, "invalid UTF-8")) return "invalid UTF-8";
  if (StartsWith(m, "duplicate key")) return "duplicate key";
  if (StartsWith(m, "record too large")) return "record too large";
  if (StartsWith(m, "malformed JSON") || StartsWith(m, "top-level JSON value") || StartsWith(m, "empty record")) {
    return "malformed JSON";
  }
  return "invalid record";
}

RecordReader::RecordReader(const TableDef& table, size_t max_record_bytes)
    : time_column_(table.time_column),
      framer_options_(FramerOptionsFor(max_record_bytes)),
      framer_(framer_options_),
      parser_(LayoutFor(table)) {}

void RecordReader::Reset() { framer_ = json::RecordFramer(framer_options_); }

RecordReader::Outcome RecordReader::Next(Rejection* rejection) {
  static_assert(json::RecordFramer::kPadding >= json::RecordParser::kPadding);
  const std::string_view input = framer_.PeekObject();
  if (!input.empty()) {
    const size_t size = parser_.ParseLeadingObject(input);
    if (size > 0) {
      framer_.SkipObject(size);
      row_time_ = *parser_.time_micros();
      row_bytes_ = size;
      return Outcome::kRow;
    }
  }
  std::optional<json::FramedRecord> record = framer_.Next();
  if (!record.has_value()) return Outcome::kNeedInput;
  rejection->text = record->text;
  rejection->line = record->line;
  if (!record->error.ok()) {
    // A broken record (often a truncated line) still files under its day when its time is legible.
    rejection->error = record->error;
    rejection->time = parser_.FindTime(record->text);
    rejection->from_framer = true;
    return Outcome::kRejected;
  }
  rejection->from_framer = false;
  Status parsed = parser_.ParsePadded(record->text);
  const std::optional<int64_t> time = parser_.time_micros();
  rejection->time = time;
  if (!parsed.ok()) {
    rejection->error = std::move(parsed);
    return Outcome::kRejected;
  }
  if (!time.has_value() || *time < kMinTimestampMicros || *time > kMaxTimestampMicros) {
    rejection->error = Status::InvalidArgument("missing time field '" + time_column_ + "' (no usable value)");
    return Outcome::kRejected;
  }
  row_time_ = *time;
  row_bytes_ = record->text.size();
  return Outcome::kRow;
}

}  // namespace loglake::lake
