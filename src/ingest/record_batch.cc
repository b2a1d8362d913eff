#include "ingest/record_batch.h"

namespace loglake::ingest {
namespace {

constexpr std::string_view kMagic = "LB1";
constexpr size_t kFixedBytes = 3 + 8 + 4;

void PutLE(uint64_t v, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

uint64_t GetLE(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

}  // namespace

std::string EncodeRecordBatch(const RecordBatch& batch) {
  std::string out;
  out.reserve(kFixedBytes + batch.source.size() + batch.body.size());
  out.append(kMagic);
  PutLE(static_cast<uint64_t>(batch.received_micros), 8, &out);
  PutLE(batch.source.size(), 4, &out);
  out.append(batch.source);
  out.append(batch.body);
  return out;
}

Result<RecordBatch> DecodeRecordBatch(std::string_view payload) {
  if (payload.size() < kFixedBytes || payload.substr(0, 3) != kMagic) {
    return Status::Corruption("WAL entry is not a record batch");
  }
  RecordBatch batch;
  batch.received_micros = static_cast<int64_t>(GetLE(payload.data() + 3, 8));
  const uint64_t source_size = GetLE(payload.data() + 11, 4);
  if (source_size > payload.size() - kFixedBytes) return Status::Corruption("record batch source overruns the entry");
  batch.source = payload.substr(kFixedBytes, source_size);
  batch.body = payload.substr(kFixedBytes + source_size);
  return batch;
}

}  // namespace loglake::ingest
