// RecordReader: a table's JSON input, record by record, each either a row of the table or a
// rejection with its reason. It is the one place these rules live, so that `loglake convert`,
// the ingest server's answer to a request and the server's flush into the lake always agree on
// which records reach the table and which go to `_errors/`.
//
// The rules: framing (json/framing.h) finds the records; a framing error rejects the record
// ("malformed JSON", "record too large"); the parser (json/record_parser.h, docs/json-rules.md)
// converts the rest and rejects what does not fit the table; a record whose time is missing or
// outside years 0000-9999 is rejected ("missing time field"). Most records take the NDJSON fast
// path, which parses in the framer's buffer without framing them first.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "json/framing.h"
#include "json/record_parser.h"
#include "lake/table.h"

namespace loglake::lake {

struct Rejection {
  Status error;
  std::string_view text;           // the record's raw text (valid until the next Feed)
  uint64_t line = 0;               // 1-based line of its first byte in the source
  std::optional<int64_t> time;     // its time when legible, to file it under its day
  bool from_framer = false;
};

// A bounded set of labels for counting rejections ("malformed JSON", "field 'status'", ...);
// the message itself names the value.
std::string RejectionCategory(const Rejection& rejection);

class RecordReader {
 public:
  RecordReader(const TableDef& table, size_t max_record_bytes);

  // Starts a new source (resets line numbers and any unfinished record).
  void Reset();
  void Feed(std::string_view chunk) { framer_.Feed(chunk); }
  char* PrepareFeed(size_t max_bytes) { return framer_.PrepareFeed(max_bytes); }
  void CommitFeed(size_t n) { framer_.CommitFeed(n); }
  // No more input: the unfinished tail, if any, comes out as a rejection.
  void Finish() { framer_.Finish(); }

  enum class Outcome { kRow, kRejected, kNeedInput };
  // kRow: parser() holds the row (AppendTo), row_time() its time, row_bytes() its text size.
  // kRejected: *rejection says why. kNeedInput: feed more (or, after Finish, the input is done).
  Outcome Next(Rejection* rejection);

  int64_t row_time() const { return row_time_; }
  size_t row_bytes() const { return row_bytes_; }
  json::RecordParser& parser() { return parser_; }
  const json::RecordParser& parser() const { return parser_; }

 private:
  std::string time_column_;
  json::FramerOptions framer_options_;
  json::RecordFramer framer_;
  json::RecordParser parser_;
  int64_t row_time_ = 0;
  size_t row_bytes_ = 0;
};

}  // namespace loglake::lake
