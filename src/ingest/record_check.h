// What a request's body holds, record by record, judged by the same rules (lake/record_reader.h)
// the flush applies later: the ingest answer tells the client how many records will reach the
// table, how many go to `_errors/`, and why the first ones were rejected, with line numbers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lake/record_reader.h"

namespace loglake::ingest {

struct RecordProblem {
  uint64_t line = 0;  // 1-based line of the record's first byte in the (decoded) body
  std::string reason;
};

struct RecordCheck {
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  std::vector<RecordProblem> first_problems;  // the first `max_problems` rejections
};

// Not thread-safe (it holds a parser); one per worker thread.
class RecordChecker {
 public:
  RecordChecker(const lake::TableDef& table, size_t max_record_bytes) : reader_(table, max_record_bytes) {}
  RecordCheck Check(std::string_view body, size_t max_problems);

 private:
  lake::RecordReader reader_;
};

}  // namespace loglake::ingest
