// RecordParser: one JSON object (a record) -> one row of a table's columns.
//
// The conversion rules (which JSON values each column type accepts, and why a record is
// rejected) are the user-facing contract documented in docs/json-rules.md; in short:
//  - the record must be one JSON object with valid UTF-8 and no duplicate keys;
//  - string columns take strings, and numbers/bools/objects/arrays as their (compact) JSON text;
//  - int32/int64 take numbers whose exact value is an integer in range, or strings holding such
//    a number ("200"); double takes any number (or a string holding one); bool only true/false;
//  - timestamp takes an ISO-8601 string (ParseTimestampMicros) or epoch seconds, or epoch
//    milliseconds when |n| >= 1e11, as a number or numeric string;
//  - null or a missing key is null; the time field is always required;
//  - keys that are not columns go, with their values' exact JSON text, into the extra column as
//    one compact JSON object (null when there are none); without an extra column they are an
//    error. A key named like the extra column is not special: it is one of those keys.
// A record is rejected for the first problem found, but conversion goes on through the other
// keys so that time_micros() is known whenever the time field itself was valid.
//
// Two paths parse a record: a single-pass fast path (fast_path.h) for records it can take
// without doubt, which are nearly all of them, and the simdjson On-Demand walk for the others,
// which also words the reason when a record is rejected. Both leave the same row.
//
// Steady state does no heap allocation per record: the padded copy of the text, the simdjson
// parser and the scratch buffers are reused. Not thread-safe; use one parser per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "common/column.h"
#include "common/status.h"

namespace loglake::json {

struct RecordLayout {
  std::vector<Field> fields;  // the table's columns, in order
  int time_field = -1;        // index of the time column (type kTimestamp), required in every record
  int extra_field = -1;       // index of the string column receiving unknown keys, or -1 (then they
                              // are an error: dropping them is not an option)
};

// OK if `layout` is usable: unique non-empty field names, a timestamp time field, an extra field
// (if any) of type string distinct from the time field.
Status CheckRecordLayout(const RecordLayout& layout);

class RecordParser {
 public:
  // An invalid layout (see CheckRecordLayout) makes every Parse() fail with its reason.
  explicit RecordParser(RecordLayout layout);
  ~RecordParser();
  RecordParser(RecordParser&&) noexcept;
  RecordParser& operator=(RecordParser&&) noexcept;

  // Readable bytes that ParsePadded and ParseLeadingObject need after their text (any content).
  static constexpr size_t kPadding = 64;

  // Parses one JSON object into the parser's current row. InvalidArgument when the record must
  // be rejected; the message names the field and the problem, e.g.
  // "field 'status': expected int32, got string \"abc\"".
  Status Parse(std::string_view text);
  // Parse() for text followed by at least kPadding readable bytes (as RecordFramer's records
  // are), which spares a copy.
  Status ParsePadded(std::string_view text);

  // The NDJSON fast path, which needs no framing: parses the JSON object at the start of `input`
  // (followed by kPadding readable bytes) when it is valid, lies on one line and converts without
  // error, and returns its length; the row is then ready as after a successful Parse(). Returns 0
  // otherwise (the record may still be fine: frame it the regular way and call Parse(), which
  // also words the reason of a rejection). Such an object is exactly the record that
  // RecordFramer::Next() would return.
  size_t ParseLeadingObject(std::string_view input);

  // The time column's value of the last parsed record: set when that field was valid even if
  // Parse failed for another reason (so rejected records can be filed under their day).
  std::optional<int64_t> time_micros() const;

  // Best effort for records that cannot be parsed (truncated lines, the kept prefix of an
  // oversized record): the value of the top-level time key, if it can be read. Replaces the
  // current row like Parse() does.
  std::optional<int64_t> FindTime(std::string_view text);

  // Appends the row of the last Parse() to `batch` (whose fields are layout().fields). Only
  // valid after a successful Parse(); one row per call.
  void AppendTo(ColumnBatch* batch) const;

  const RecordLayout& layout() const;

  // Disables the fast path (fast_path.h) so that tests can check that both paths agree.
  void set_fast_path_for_testing(bool enabled);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loglake::json
