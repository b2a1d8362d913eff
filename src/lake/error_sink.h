// Where rejected records go: bad input is stored and counted, never dropped.
//
// A record that cannot be framed, parsed or fitted to the table is written, with the reason, to
//   <lake>/<table>/_errors/yyyy/MM/dd/errors-<unique>.ndjson   (the day of the record's time), or
//   <lake>/<table>/_errors/unknown-time/errors-<unique>.ndjson (its time is missing or unusable).
// `_errors` starts with '_', so Parquet readers and engines globbing the table never see it.
// Each line is one JSON object:
//   {"error": reason, "source": input name, "line": N, "received_at": "2024-03-09T12:00:00.000000Z",
//    "raw": original text as a JSON string}
// plus "raw_base64" (the exact original bytes) when the text is not valid UTF-8: in "raw" each
// invalid byte then reads U+FFFD. When the text is valid UTF-8, "raw" alone gives it back exactly.
//
// Lines are buffered per day and published atomically (temp file, fsync, rename, fsync dir) when
// the buffered total reaches ErrorSinkOptions::flush_bytes and at Flush(); memory stays bounded.
// Each publication is a new uniquely named file, so concurrent writers never collide.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "lake/directories.h"
#include "lake/file_naming.h"

namespace loglake::lake {

inline constexpr const char kErrorsDirName[] = "_errors";
inline constexpr const char kUnknownTimeDirName[] = "unknown-time";

struct ErrorSinkOptions {
  // Publish all buffered error files once this many bytes are buffered.
  uint64_t flush_bytes = 8ull << 20;
  // Names of the published files (default: UniqueFileName).
  FileNamer file_namer;
  // "received_at" of every line (default: the clock when the record is added).
  std::optional<int64_t> received_micros;
};

struct RejectedRecord {
  std::string_view reason;             // what is wrong, e.g. "status: expected an integer, got \"abc\""
  std::string_view source;             // the input's name (a path, or "-" for stdin)
  uint64_t line = 0;                   // 1-based line of the record's start in the input
  std::optional<int64_t> time_micros;  // the record's time, when it could be read
  std::string_view raw;                // the record's text as received
};

class ErrorSink {
 public:
  // `table_dir` is <lake>/<table>.
  ErrorSink(std::string table_dir, ErrorSinkOptions options);
  ErrorSink(const ErrorSink&) = delete;
  ErrorSink& operator=(const ErrorSink&) = delete;

  Status Add(const RejectedRecord& record);
  // Publishes every buffered line. Call before the process reports success.
  Status Flush();

  uint64_t records() const { return records_; }              // lines added
  uint64_t files_written() const { return files_written_; }  // files published
  uint64_t bytes_written() const { return bytes_written_; }  // bytes in published files
  uint64_t buffered_bytes() const { return buffered_bytes_; }
  const std::vector<std::string>& published_paths() const { return published_; }
  // <table_dir>/_errors
  std::string errors_dir() const;

 private:
  // Buffers keyed by day number since the epoch; kUnknownDay for records without a usable time.
  static constexpr int64_t kUnknownDay = INT64_MIN;

  Status Publish(int64_t day, const std::string& lines);

  std::string table_dir_;
  ErrorSinkOptions options_;
  std::map<int64_t, std::string> buffers_;
  uint64_t buffered_bytes_ = 0;
  uint64_t records_ = 0;
  uint64_t files_written_ = 0;
  uint64_t bytes_written_ = 0;
  std::vector<std::string> published_;
  DirectoryMaker dirs_;
};

}  // namespace loglake::lake
