// The payload of a kRecords WAL entry: one accepted request's records, exactly as the client sent
// them (after Content-Encoding is undone), with when and from where they came.
//
// The body keeps its original framing (NDJSON, concatenated objects or a JSON array) and every
// record, valid or not: the flush parses it again with the same rules, so valid records reach
// the Parquet files and rejected ones reach `_errors/` with their reason, and replay after a crash
// reproduces both exactly.
//
// Encoding: "LB1" | received_micros (i64 LE) | source length (u32 LE) | source | body.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace loglake::ingest {

struct RecordBatch {
  int64_t received_micros = 0;  // server clock when the request arrived
  std::string_view source;      // e.g. "POST /v1/tables/access_log/records from 127.0.0.1"
  std::string_view body;
};

std::string EncodeRecordBatch(const RecordBatch& batch);
// The views point into `payload`. Corruption when it is not an encoded batch.
Result<RecordBatch> DecodeRecordBatch(std::string_view payload);

}  // namespace loglake::ingest
