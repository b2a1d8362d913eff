// A Firehose-compatible endpoint, so an AWS SDK or a shipper configured for Amazon Data Firehose
// can point at loglake unchanged: POST / with `X-Amz-Target: Firehose_20150804.PutRecord` or
// `Firehose_20150804.PutRecordBatch` and an `application/x-amz-json-1.1` body.
//
//   PutRecord       {"DeliveryStreamName": T, "Record": {"Data": base64}}
//                   → {"RecordId": "...", "Encrypted": false}
//   PutRecordBatch  {"DeliveryStreamName": T, "Records": [{"Data": base64}, ...]}
//                   → {"FailedPutCount": N, "Encrypted": false, "RequestResponses": [{"RecordId": "..."} |
//                      {"ErrorCode": "ServiceUnavailableException", "ErrorMessage": "..."}, ...]}
// The delivery stream name is the table. Each Data blob is JSON record text (one record, or
// several as NDJSON or concatenated objects); the blobs of a request are stored together, durably,
// before the answer. Like Firehose, a record whose content does not fit is still accepted: it is
// stored in the table's _errors/ with its reason. Limits as Firehose's: 500 records and 4 MiB per
// request, 1,000 KiB per record. Errors use Firehose's shape: {"__type": "...", "message": "..."}
// with 400 (ResourceNotFoundException, InvalidArgumentException, ValidationException) or 503
// (ServiceUnavailableException: nothing stored, retry).
#pragma once

#include <string_view>

#include "ingest/ingest_service.h"
#include "server/http_answer.h"

namespace loglake::server {

inline constexpr size_t kFirehoseMaxRecordsPerBatch = 500;
inline constexpr size_t kFirehoseMaxRequestBytes = 4u << 20;
inline constexpr size_t kFirehoseMaxRecordBytes = 1000u * 1024;

// `target` is the X-Amz-Target header.
HttpAnswer HandleFirehose(ingest::IngestService& ingest, std::string_view target, std::string_view body,
                          std::string_view source);

}  // namespace loglake::server
