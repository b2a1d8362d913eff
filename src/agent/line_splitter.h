// LineSplitter: file bytes → records, one JSON record per line.
//
// The tailer reads a file in chunks and hands each chunk (starting at the first byte not yet
// consumed) to Split(). Complete lines come out; an unterminated tail is left unconsumed so that
// it is read again, with its newline, next time — unless the caller says the partial line has
// waited long enough (`take_partial`), when it comes out as it is. Blank lines are consumed and
// dropped. A line longer than max_line_bytes is not a record: it is reported (offset, length so
// far and its first bytes) and skipped up to its newline, across as many chunks as it takes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loglake::agent {

// How many leading bytes of an over-long line go into the dead-letter report.
constexpr size_t kOverLongHeadBytes = 256;

struct OverLongLine {
  uint64_t offset = 0;  // where the line starts in the file
  std::string head;     // its first kOverLongHeadBytes bytes
};

struct SplitOutput {
  std::vector<std::string_view> lines;  // views into the chunk, without the newline
  std::vector<OverLongLine> over_long;
  size_t consumed = 0;      // bytes of the chunk used up (lines, blank lines, skipped bytes)
  bool partial = false;     // an unterminated tail is waiting for its newline
};

class LineSplitter {
 public:
  explicit LineSplitter(size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  // `chunk` holds the file's bytes from `chunk_offset` on. For a chunk to make progress it must be
  // longer than max_line_bytes or reach the end of the file.
  void Split(std::string_view chunk, uint64_t chunk_offset, bool take_partial, SplitOutput* out);

  // True while inside an over-long line, skipping to its newline.
  bool skipping() const { return skipping_; }

 private:
  size_t max_line_bytes_;
  bool skipping_ = false;
};

// True for a line of only spaces, tabs and carriage returns.
bool IsBlankLine(std::string_view line);

}  // namespace loglake::agent
