// RecordFramer: splits a byte stream of JSON records into one text per record, without parsing.
//
// Accepted input, freely mixed: NDJSON; objects concatenated with no delimiter ({..}{..}, as
// Firehose writes them); JSON arrays of objects, compact or pretty-printed over many lines.
// Whitespace (incl. CRLF and blank lines), commas between values and UTF-8 byte-order marks
// between values are skipped. Every other byte of the input ends up in exactly one FramedRecord:
// a complete object (error OK) or an error carrying the offending text, so nothing is dropped
// silently.
//
// Framing only matches braces, brackets and string quotes (with escapes); the record parser
// validates everything else. Errors and how the framer resynchronizes after a broken record:
//  - a raw line feed inside a string (invalid JSON; typically a truncated NDJSON line): the
//    record ends before that line feed and framing resumes on the next line;
//  - a line feed inside an object whose text so far was one line (blank lines aside), when the
//    next line starts with '{' in its first column: the record is taken as a truncated NDJSON
//    line and framing resumes at that '{'. A valid record is split by this rule only if it is
//    spread over several lines and a nested value starts in column 1 of its second line, which
//    pretty-printers do not produce (they indent);
//  - a '}' or ']' that does not match the open bracket: the record ends before it;
//  - a record longer than max_record_bytes: reported once it ends (or is cut by a rule above)
//    with only its first oversize_prefix_bytes as text; the rest is not kept;
//  - the end of input inside a record;
//  - bytes that do not start an object (scalars, stray '}', garbage): one error per run of such
//    bytes, which ends at a line feed, ',' or where an object or array starts;
//  - an array nested in a top-level array (an element that is not an object).
//  - a line feed between a '}' and a '{' (blanks aside) inside a record: the record is taken as
//    incomplete and framing resumes at that '{' (LineFeedPartsRecords);
//  - in a top-level array, an object on a later line than the previous element with no comma
//    between them: the array is taken as closed before it; its ']', when it comes, is stray.
// Valid JSON never has a '}', a line feed and a '{' in a row (blanks aside) but between two
// top-level values, and these two rules make the framer part records there whatever the input:
// so a file can be cut right after such a line feed and its pieces framed apart, which is what
// `convert --threads` does (lake/input_split.h).
//
// Memory stays bounded whatever the input: the framer holds the unfinished record (at most
// max_record_bytes plus one scan block) plus the last chunk fed. Callers must drain Next()
// until it returns nullopt before feeding more.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace loglake::json {

// Blanks (' ', '\t', '\r', line feeds) LineFeedPartsRecords looks across on either side.
constexpr size_t kMaxBlanksAroundRecordBreak = 4096;

enum class RecordBreak { kNo, kYes, kNeedMoreInput };

// Whether the line feed at text[pos] parts two records: the nearest non-blank byte before it
// (in [begin, pos)) is '}' and the nearest after it (in (pos, end)) is '{', each within
// kMaxBlanksAroundRecordBreak bytes. kNeedMoreInput when the bytes after it end in blanks within
// that distance (more input decides); a look back that reaches `begin` is a kNo.
RecordBreak LineFeedPartsRecords(const char* text, size_t begin, size_t pos, size_t end);

struct FramerOptions {
  size_t max_record_bytes = 1 << 20;  // the "record size limit" setting
  // How much text an oversized record's error keeps (capped at max_record_bytes).
  size_t oversize_prefix_bytes = 64 << 10;
};

struct FramedRecord {
  // The record's raw bytes, valid until the next Feed() and followed by at least
  // RecordFramer::kPadding readable bytes.
  std::string_view text;
  uint64_t line = 0;      // 1-based line number of the record's first byte in the whole input
  Status error;           // OK for a complete top-level object; otherwise why it is not a record
};

class RecordFramer {
 public:
  // Readable bytes after every text the framer hands out (records, PeekObject()).
  static constexpr size_t kPadding = 64;

  explicit RecordFramer(FramerOptions options = {});

  // Appends input bytes; chunks may split records anywhere. Invalidates earlier records' text.
  void Feed(std::string_view chunk);
  // Feed() without a copy: returns room for up to max_bytes of input, which the caller fills
  // (e.g. with read()) and then hands over with CommitFeed(n), n <= max_bytes.
  char* PrepareFeed(size_t max_bytes);
  void CommitFeed(size_t n);
  // Declares the end of input: Next() then also returns the unfinished tail (as an error).
  void Finish();
  // The next complete record or error, or nullopt if more input is needed (or, after Finish(),
  // when the input is exhausted).
  std::optional<FramedRecord> Next();

  // The NDJSON fast path, which spares framing a record that a parser validates anyway (see
  // RecordParser::ParseLeadingObject). When the next value starts with '{' (separators before it
  // are consumed), returns the input from there on, up to the record size limit; otherwise, or
  // in the middle of a value, returns an empty view: then call Next().
  std::string_view PeekObject();
  // Consumes the first n bytes of PeekObject(), which the caller found to be one complete JSON
  // object without line feeds: exactly the record Next() would have returned.
  void SkipObject(size_t n) {
    scan_ += n;
    ElementEnded();
  }
  // 1-based line number of the next unread byte.
  uint64_t line() const { return line_; }

  // Total bytes fed so far.
  uint64_t bytes_fed() const { return base_offset_ + len_; }
  // Input bytes currently held (the unfinished record and the unscanned rest of the last chunk).
  size_t buffered_bytes() const { return len_; }

 private:
  enum class State : uint8_t {
    kBetween,  // at top level, between values
    kValue,    // inside a value that starts with '{' (or '[' inside a top-level array)
    kJunk,     // inside a run of bytes that does not start an object
  };

  // Skips whitespace, line feeds and commas between values; false if the input ran out.
  bool SkipSeparators();
  // A value ended: what separates it from the next starts now.
  void ElementEnded() {
    element_ended_ = true;
    gap_has_comma_ = false;
    gap_has_line_feed_ = false;
  }
  // Before an object or array starts at scan_ (after SkipSeparators): leaves a top-level array
  // whose previous element it follows on a later line without a comma (see the file comment).
  void CloseArrayIfUnseparated() {
    if (in_array_ && element_ended_ && gap_has_line_feed_ && !gap_has_comma_) in_array_ = false;
  }
  // Scans the value in progress. Returns a record when it ended, nullopt when more input is
  // needed.
  std::optional<FramedRecord> ScanValue();
  std::optional<FramedRecord> ScanJunk();
  // Starts a value or junk run at scan_.
  void BeginValue(State state);
  // Finishes the value in progress that ends just before `end`, where scanning resumes.
  FramedRecord EndValue(size_t end, Status error);
  // Drops the bytes of an oversized value once its prefix is kept.
  void DropOversizedBytes(size_t upto);
  uint64_t ValueBytes(size_t upto) const { return dropped_bytes_ + (upto - start_); }
  bool PushBracket(bool is_array);
  // Pops the innermost bracket; false if `is_array` does not match it.
  bool PopBracket(bool is_array);

  FramerOptions options_;
  std::unique_ptr<char[]> buf_;  // unconsumed input: len_ bytes, then kSlack bytes of padding
  size_t capacity_ = 0;
  size_t len_ = 0;
  uint64_t base_offset_ = 0;  // input offset of buf_[0]
  bool finished_ = false;

  State state_ = State::kBetween;
  size_t scan_ = 0;        // next byte to examine
  uint64_t line_ = 1;      // line number of buf_[scan_]
  bool in_array_ = false;  // inside a top-level array whose elements are records
  // Since the last value ended (ElementEnded), or the array began: what was skipped.
  bool element_ended_ = false;
  bool gap_has_comma_ = false;
  bool gap_has_line_feed_ = false;

  // The value in progress.
  size_t start_ = 0;  // its first byte still in buf_
  uint64_t value_line_ = 0;
  uint64_t dropped_bytes_ = 0;  // bytes of it no longer buffered (it is oversized)
  bool oversized_ = false;
  bool value_is_array_ = false;
  bool in_string_ = false;
  bool multiline_ = false;  // a non-blank line of it has ended
  uint64_t depth_ = 0;
  static constexpr size_t kTrackedDepth = 1024;  // bracket kinds are checked up to this depth
  uint64_t array_bits_[kTrackedDepth / 64] = {};

  // Texts of oversized values returned since the last Feed().
  std::deque<std::string> kept_;
};

}  // namespace loglake::json
