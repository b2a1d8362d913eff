// Batch and BatchBuilder: records on their way to one table, and the file offsets they settle.
//
// A batch is the NDJSON body of one request plus, per source file, the offset up to which the
// file is delivered once the server acknowledges the batch. A batch may carry progress without
// records (a file's blank lines or an over-long line skipped): it is acknowledged without a
// request, after the batches before it, so a checkpoint never runs ahead of an earlier batch.
//
// BatchBuilder closes a batch when it holds max_records records or max_bytes bytes, or when its
// oldest record has waited linger_micros.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loglake::agent {

struct SourceProgress {
  uint64_t source_id = 0;
  uint64_t end_offset = 0;  // the file is delivered up to here once the batch is acknowledged
};

struct Batch {
  size_t input = 0;   // index of the input (its table)
  std::string table;
  std::string body;   // NDJSON: every record followed by '\n'
  std::vector<uint32_t> record_ends;  // end of each record (after its '\n') in body
  std::vector<SourceProgress> progress;
  int64_t first_record_micros = 0;

  size_t records() const { return record_ends.size(); }
  // Record i (0-based) without its newline.
  std::string_view Record(size_t i) const;
};

struct BatchLimits {
  size_t max_records = 10'000;      // setting batch_max_records
  size_t max_bytes = 4u << 20;      // setting batch_max_bytes (uncompressed body)
  int64_t linger_micros = 200'000;  // setting batch_linger_ms
};

class BatchBuilder {
 public:
  BatchBuilder(size_t input, std::string table, BatchLimits limits);

  // Appends one record. False (nothing appended) when the batch is not empty and the record would
  // take it over max_bytes: Take() it first. A record over max_bytes alone is always appended.
  bool Add(std::string_view record, int64_t now_micros);
  // The file of `source_id` is delivered up to `end_offset` with this batch.
  void NoteProgress(uint64_t source_id, uint64_t end_offset);

  bool empty() const { return batch_.records() == 0 && batch_.progress.empty(); }
  bool Full() const;
  // Not empty and the oldest record (or, for progress only, the first progress) waited linger.
  bool Due(int64_t now_micros) const;
  // Microseconds until Due(), or -1 when empty.
  int64_t MicrosUntilDue(int64_t now_micros) const;
  Batch Take();

 private:
  size_t input_;
  std::string table_;
  BatchLimits limits_;
  Batch batch_;
  int64_t started_micros_ = 0;
};

}  // namespace loglake::agent
