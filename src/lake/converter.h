// Converter: JSON records in, day-partitioned Parquet files out — the batch form of the delivery
// stream, behind `loglake convert`.
//
// Input bytes (any chunking) → RecordFramer → RecordParser → a column batch per open day (the UTC
// day of the record's time column) → that day's open FileWriter, writing
// <lake>/<table>/<partition>/part-<unique>.parquet under a hidden temp name; a file is published
// (fsync, rename, fsync dir) when it reaches max_file_bytes, when memory must be freed, and at
// Finish(). Records that fail framing or parsing go to the ErrorSink (<lake>/<table>/_errors/...)
// with their reason: every record read is either written or rejected, never dropped.
//
// Each file of a table with a dedup key carries its duplicate index (lake/duplicate_index.h): the
// rows that share a key, found while the file is written; its ~24 bytes per row of each open file
// count toward buffer_budget_bytes.
//
// A day's file is also finished once the day has received no record for idle_records records.
// Memory is bounded whatever the input size and however days interleave: everything held for
// open days (buffered rows, the writers' unflushed row groups counted uncompressed, a fixed cost
// per open day) is kept under buffer_budget_bytes. Past it, the day holding the most is
// relieved first — its rows go into its file, or its file is finished and published — until
// usage is back to 3/4 of the budget; and at most max_open_files files are open at once (the least
// recently used is finished first). Input that interleaves many days therefore yields more,
// smaller files; time-ordered input yields one file per day up to max_file_bytes.
//
// If conversion fails (an I/O error) or Finish() is never called, the destructor removes the
// temp files of unpublished output; files already published stay, each complete.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/column.h"
#include "common/file.h"
#include "common/status.h"
#include "lake/directories.h"
#include "lake/duplicate_index.h"
#include "lake/error_sink.h"
#include "lake/record_reader.h"
#include "lake/stream_decompressor.h"
#include "lake/table.h"
#include "parquet/compression.h"
#include "parquet/writer.h"

namespace loglake::lake {

struct ConverterOptions {
  parquet::Codec codec = parquet::Codec::kSnappy;
  int zstd_level = 3;
  // A PLAIN-encoded column chunk (uuids, request ids) is stored uncompressed when the codec saves
  // less than this fraction of its first page; 0 compresses every chunk (parquet/writer.h).
  double min_compression_saving = parquet::WriterOptions().min_compression_saving;
  // Records longer than this are rejected ("record too large").
  size_t max_record_bytes = 1 << 20;
  // Memory for buffered rows and unflushed row groups across all open days.
  uint64_t buffer_budget_bytes = 256ull << 20;
  // A row group is cut when its uncompressed size or row count reaches these. Row groups are the
  // unit readers prune by (bloom filters for a uuid, statistics for a time range): a needle reads
  // about one row group's uuid chunk. 160Ki rows (~17 MB of access log, 6 MB of it uuid) keep
  // that read small and the output no larger than DuckDB's 122,880-row groups; smaller groups
  // repeat more dictionary entries (docs/performance.md, Row group size).
  uint64_t row_group_bytes = 32ull << 20;
  uint64_t row_group_rows = 160 * 1024;
  // A file is finished and published once its written row groups reach this size.
  uint64_t max_file_bytes = 512ull << 20;
  // Files open at once (one per day being written).
  int max_open_files = 64;
  // A day that received none of the last idle_records records is finished and published: in
  // time-ordered input a day is complete once the next one is well under way, and its buffers
  // are better spent on the days still being written.
  uint64_t idle_records = 64 * 1024;
  // A day's buffered rows are handed to its writer once they reach this size.
  uint64_t batch_bytes = 1ull << 20;
  // Size of each read() from an input file.
  size_t read_chunk_bytes = 1 << 20;
  // A zstd input whose frames need a larger window (made with `zstd --long`) is unreadable:
  // decompressing it would take that much memory (lake/stream_decompressor.h).
  uint64_t max_zstd_window_bytes = kDefaultMaxZstdWindowBytes;
  // Rejected records are published once this many bytes of them are buffered.
  uint64_t error_flush_bytes = 8ull << 20;
  // Names of the data and error files (default: UniqueFileName). The ingest server's flushes
  // name files after their WAL position so that a replayed flush re-creates the same names.
  FileNamer file_namer;
  // The "received_at" of rejected records (default: the clock when each is filed).
  std::optional<int64_t> received_micros;
};

// Counts for one partition day.
struct DayStats {
  uint64_t records = 0;  // rows in published files
  uint64_t files = 0;
  uint64_t bytes = 0;
};

struct ConvertStats {
  uint64_t input_bytes = 0;
  uint64_t records_read = 0;      // records and framing errors seen
  uint64_t records_written = 0;   // rows in published files
  uint64_t records_rejected = 0;  // lines in error files
  // Rejections by category: "malformed JSON", "invalid UTF-8", "record too large", "missing time",
  // "field '<column>'" (a value of the wrong type or out of range), "duplicate key", ...
  std::map<std::string, uint64_t> rejected_by_reason;
  uint64_t files_written = 0;  // published data files
  uint64_t bytes_written = 0;  // their total size
  uint64_t error_files_written = 0;
  std::map<std::string, DayStats> per_day;  // keyed by partition path, e.g. "2024/03/09"
  std::vector<std::string> files;           // paths of the published data files
  // Most memory accounted to open days at any time between records (see buffer_budget_bytes).
  uint64_t peak_buffered_bytes = 0;
  // Compressed inputs (gzip, zstd) that could not be read to their end, as "<source>: <what is
  // wrong>": damaged or truncated. What came before the damage was converted (a record cut by it
  // is rejected as malformed); the rest of that input is lost to this run, so the CLI fails.
  std::vector<std::string> unreadable_inputs;
  // Inputs that arrived gzip- or zstd-compressed (input_bytes counts their JSON, decompressed).
  uint64_t compressed_inputs = 0;

  // Adds the counts of a conversion that ran beside this one (lake/parallel_converter.h): sums,
  // per-reason and per-day sums, lists appended; peaks add up, as both were held at once.
  void Add(const ConvertStats& other);
};

class Converter {
 public:
  // Checks the table definition and options; creates nothing on disk yet.
  static Result<std::unique_ptr<Converter>> Create(const std::string& lake_dir, TableDef table,
                                                   ConverterOptions options);
  ~Converter();
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;

  // Converts a whole input file, read in read_chunk_bytes chunks; "-" is standard input.
  // The path names the records' source in error files.
  Status ConvertFile(const std::string& path);
  // Converts everything readable from `fd` (not closed), naming it `source_name`. Input that
  // starts like a gzip or zstd stream (by its magic number, lake/stream_decompressor.h) is
  // decompressed as it is read. Damage in such a stream is not an error of the conversion: it is
  // listed in stats().unreadable_inputs and the conversion goes on with the next input.
  Status ConvertFd(int fd, const std::string& source_name);
  // Converts bytes [begin, end) of a plain JSON file, a piece that starts and ends between two
  // records (lake/input_split.h), as if it were a file of its own, except that the lines of
  // rejected records are counted from the start of the file (the lines before `begin` are
  // counted at the first rejection, by reading them).
  Status ConvertFileRange(const std::string& path, uint64_t begin, uint64_t end);

  // The same, for input the caller holds: BeginSource, any number of Feed, EndSource.
  void BeginSource(std::string source_name);
  Status Feed(std::string_view chunk);
  Status EndSource();

  // Publishes all buffered rows and rejected records. Call once, after the last source.
  Status Finish();

  const ConvertStats& stats() const { return stats_; }
  const TableDef& table() const { return table_; }
  // <lake>/<table>
  const std::string& table_dir() const { return table_dir_; }

 private:
  // A day with buffered rows or an open file.
  struct OpenDay {
    int64_t day = 0;
    std::string partition;  // "2024/03/09"
    ColumnBatch batch;
    uint64_t batch_bytes = 0;   // estimate of what `batch` holds
    uint64_t writer_bytes = 0;  // writer->buffered_bytes() after its last write
    std::unique_ptr<WritableFile> file;
    std::unique_ptr<parquet::FileWriter> writer;
    // The rows of the open file that share a dedup key, for its footer (tables with a key).
    std::unique_ptr<DuplicateTracker> duplicates;
    std::string temp_path;
    std::string final_path;
    uint64_t last_use = 0;     // use_clock_ when the day was last switched to
    uint64_t last_record = 0;  // records_read when the day last received a record
  };

  Converter(std::string lake_dir, TableDef table, ConverterOptions options);

  Status Drain();
  // ConvertFd for at most `limit` bytes of `fd`, which is `offset` bytes into the source.
  Status ConvertFdUpTo(int fd, const std::string& source_name, uint64_t offset, uint64_t limit);
  // ConvertFd's loop for a compressed stream whose first bytes (`head`) have been read.
  Status ConvertCompressedFd(int fd, StreamCompression compression, std::string head);
  // Appends the parser's row (a record of `text_size` bytes whose time is `time`) to its day.
  Status AddRow(int64_t time, size_t text_size);
  Status Reject(const Rejection& rejection);
  // The open day `day`, created empty if needed.
  OpenDay* DayFor(int64_t day);
  // Hands the day's buffered rows to its writer (opening a file if needed).
  Status FlushBatch(OpenDay* d);
  Status OpenFile(OpenDay* d);
  // Publishes the day's file (if any); buffered rows must have been flushed.
  Status CloseFile(OpenDay* d);
  // Flushes, publishes and forgets the day.
  Status RetireDay(int64_t day);
  Status ReduceMemory();
  // Retires the days that received no record during the last idle_records records.
  Status RetireIdleDays();
  void Account(int64_t delta) {
    used_bytes_ = static_cast<uint64_t>(static_cast<int64_t>(used_bytes_) + delta);
  }
  void RemoveTempFiles();

  std::string lake_dir_;
  std::string table_dir_;
  TableDef table_;
  ConverterOptions options_;
  parquet::WriterOptions writer_options_;
  // Dictionary sizes of the file published last, to size the next file's dictionaries
  // (WriterOptions::dictionary_hints): a day's file looks much like the day before's.
  std::vector<uint32_t> dictionary_hints_;
  RecordReader reader_;
  bool in_source_ = false;  // between BeginSource and EndSource
  std::string source_;
  // Lines of the source before the piece being converted (ConvertFileRange): counted when a
  // rejection first needs them, from `lines_before_end_` bytes of the source.
  uint64_t lines_before_ = 0;
  uint64_t lines_before_end_ = 0;
  ErrorSink errors_;
  DirectoryMaker dirs_;

  std::unordered_map<int64_t, std::unique_ptr<OpenDay>> days_;
  OpenDay* last_day_ = nullptr;  // cache for runs of records from the same day
  int open_files_ = 0;
  uint64_t use_clock_ = 0;
  uint64_t next_idle_check_ = 0;  // records_read at which RetireIdleDays runs next
  uint64_t used_bytes_ = 0;       // accounted memory of all open days
  uint64_t row_overhead_ = 0;     // accounted bytes per buffered row beyond its JSON text
  uint64_t day_overhead_ = 0;     // accounted bytes per open day
  int dedup_column_ = -1;         // index of the table's dedup key, or -1
  bool finished_ = false;
  ConvertStats stats_;
};

}  // namespace loglake::lake
