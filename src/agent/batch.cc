#include "agent/batch.h"

#include <algorithm>

namespace loglake::agent {

std::string_view Batch::Record(size_t i) const {
  const size_t begin = i == 0 ? 0 : record_ends[i - 1];
  return std::string_view(body).substr(begin, record_ends[i] - begin - 1);
}

BatchBuilder::BatchBuilder(size_t input, std::string table, BatchLimits limits)
    : input_(input), table_(std::move(table)), limits_(limits) {
  batch_.input = input_;
  batch_.table = table_;
}

bool BatchBuilder::Add(std::string_view record, int64_t now_micros) {
  if (batch_.records() > 0 && batch_.body.size() + record.size() + 1 > limits_.max_bytes) return false;
  if (empty()) started_micros_ = now_micros;
  if (batch_.records() == 0) {
    batch_.first_record_micros = now_micros;
    // Grown by doubling, a body would hold up to twice max_bytes; pages reserved but not written
    // are not resident, so reserving costs nothing at low rates.
    batch_.body.reserve(limits_.max_bytes + record.size() + 1);
  }
  batch_.body.append(record);
  batch_.body.push_back('\n');
  batch_.record_ends.push_back(static_cast<uint32_t>(batch_.body.size()));
  return true;
}

void BatchBuilder::NoteProgress(uint64_t source_id, uint64_t end_offset) {
  if (empty()) started_micros_ = 0;  // progress alone is not urgent; Due() handles it
  for (SourceProgress& p : batch_.progress) {
    if (p.source_id == source_id) {
      p.end_offset = std::max(p.end_offset, end_offset);
      return;
    }
  }
  batch_.progress.push_back(SourceProgress{source_id, end_offset});
}

bool BatchBuilder::Full() const {
  return batch_.records() >= limits_.max_records || batch_.body.size() >= limits_.max_bytes;
}

int64_t BatchBuilder::MicrosUntilDue(int64_t now_micros) const {
  if (empty()) return -1;
  if (batch_.records() == 0) return 0;  // progress only: settle it as soon as possible
  return std::max<int64_t>(0, started_micros_ + limits_.linger_micros - now_micros);
}

bool BatchBuilder::Due(int64_t now_micros) const { return !empty() && MicrosUntilDue(now_micros) == 0; }

Batch BatchBuilder::Take() {
  Batch out = std::move(batch_);
  batch_ = Batch{};
  batch_.input = input_;
  batch_.table = table_;
  started_micros_ = 0;
  return out;
}

}  // namespace loglake::agent
