// FastPath: the record parser's single pass over the common shape of a record.
//
// It walks the object byte by byte once, validating as it goes (grammar, UTF-8, escapes,
// numbers), matching each key against the column predicted from the previous record's key
// order, and converting each value straight into the row (string values stay views into the
// text). It takes a record only when it is sure of the outcome: valid JSON, one object, every
// value converting without error, every required column present. For anything else — an error
// to word, a duplicate key, a \u escape of a surrogate, nesting deeper than it tracks — it gives
// up and the simdjson path (record_parser.cc) parses the record again from scratch, so the
// rules of docs/json-rules.md live in one place and both paths leave the same row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "json/name_table.h"
#include "json/record_parser.h"
#include "json/row.h"

namespace loglake::json {

// Whether a timestamp string starts like an ISO date (YYYY-MM-...) rather than an epoch number.
inline bool LooksIsoDate(std::string_view text) {
  return text.size() >= 10 && text[4] == '-' && text[7] == '-';
}

class FastPath {
 public:
  // `layout` must be valid (CheckRecordLayout).
  explicit FastPath(const RecordLayout& layout);

  // Parses the object starting at p (up to `end`, with RecordParser::kPadding readable bytes
  // after it) into `row`, which Begin() has reset. Returns the position after the closing brace,
  // or nullptr when the fast path does not take the record (`row` is then left half-filled).
  // `newlines`: whether line feeds count as whitespace; without, the object must lie on one line.
  const char* Parse(const char* p, const char* end, bool newlines, Row* row);

 private:
  struct ColumnInfo {
    // For names under 16 bytes: the name followed by its closing quote, zero-filled, as two
    // words, and which of their bytes count.
    uint64_t quoted[2];
    uint64_t mask[2];
    uint32_t name_size;
    ColumnType type;
    bool nullable;
    bool short_name;
  };

  // Whether the raw key at p (before `end`) is the name of column `index`, closing quote included.
  bool QuotedKeyAt(const ColumnInfo& column, int index, const char* p, const char* end) const;
  // The value at p of column `index`, into its slot; returns the position after it.
  const char* Value(int index, ColumnType type, Slot& slot, const char* p, const char* end, bool newlines,
                    Row* row);
  // Value() for all but the most common cases.
  const char* OtherValue(int index, ColumnType type, Slot& slot, const char* p, const char* end, bool newlines,
                         Row* row);
  const char* Unknown(std::string_view raw_key, const char* p, const char* end, bool newlines, Row* row);
  // Appends the value at p to `out` as compact JSON, validating it. `depth` counts the objects
  // and arrays it is in.
  const char* Compact(const char* p, const char* end, bool newlines, std::string* out, int depth);
  // ISO timestamps of the form YYYY-MM-DDThh:mm:ss[.f]Z; false for other forms.
  bool IsoTimestamp(const char* s, size_t n, int64_t* micros);
  bool TimestampFromString(std::string_view text, int64_t* micros);

  std::vector<ColumnInfo> columns_;
  std::vector<int> required_;  // columns that must be present (the time column, non-nullable ones)
  int time_field_;
  int extra_field_;
  bool extra_nullable_ = true;
  bool usable_ = true;  // false if a column name cannot be matched byte for byte
  NameTable names_;
  // successor_[f + 1]: the field whose key followed field f's key last time; [0] for the first
  // key, [n + 1] for the key after an unknown one.
  std::vector<int32_t> successor_;
  // The unknown keys of the record (raw text without escapes), to reject duplicates.
  static constexpr int kMaxUnknown = 32;
  std::string_view unknown_[kMaxUnknown];
  int unknown_count_ = 0;
  // The last date seen in an ISO timestamp (its first 10 bytes) and its day number.
  uint64_t date_head_ = 0;
  uint16_t date_tail_ = 0;
  int64_t date_days_ = 0;
};

}  // namespace loglake::json
