#include "ingest/record_check.h"

namespace loglake::ingest {

RecordCheck RecordChecker::Check(std::string_view body, size_t max_problems) {
  RecordCheck check;
  reader_.Reset();
  reader_.Feed(body);
  reader_.Finish();
  lake::Rejection rejection;
  while (true) {
    const lake::RecordReader::Outcome outcome = reader_.Next(&rejection);
    if (outcome == lake::RecordReader::Outcome::kNeedInput) break;
    if (outcome == lake::RecordReader::Outcome::kRow) {
      ++check.accepted;
      continue;
    }
    ++check.rejected;
    if (check.first_problems.size() < max_problems) {
      check.first_problems.push_back(RecordProblem{rejection.line, rejection.error.message()});
    }
  }
  return check;
}

}  // namespace loglake::ingest
