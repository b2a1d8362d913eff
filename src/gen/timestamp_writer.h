// TimestampWriter: ISO-8601 timestamps as the generator writes them, without allocating.
//
// Writes "YYYY-MM-DDTHH:MM:SS.ffffffZ" (always six fraction digits, always UTC) straight into the
// output buffer and remembers the date text of the last day it formatted, because consecutive log
// lines almost always share their day. (common/time.h's FormatTimestampMicros returns a new
// std::string per call, too slow for a few million lines a second.) Years must be 0000..9999.
#pragma once

#include <cstddef>
#include <cstdint>

namespace loglake::gen {

// Length of what TimestampWriter::Write writes.
constexpr size_t kTimestampLength = 27;

class TimestampWriter {
 public:
  // Writes the timestamp of `micros` (microseconds since the epoch) at `out`, which has room for
  // kTimestampLength bytes; returns the end of what it wrote.
  char* Write(int64_t micros, char* out);
  // Writes only "YYYY-MM-DDTHH:MM:SSZ" (whole seconds; also needs kTimestampLength bytes of room).
  char* WriteSeconds(int64_t micros, char* out);

 private:
  void FormatDay(int64_t day);

  int64_t cached_day_ = INT64_MIN;
  char date_[11] = {};  // "YYYY-MM-DDT"
};

}  // namespace loglake::gen
