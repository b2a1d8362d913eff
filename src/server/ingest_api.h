// The ingest endpoint: POST /v1/tables/{table}/records.
//
// The body is NDJSON, concatenated JSON objects or a JSON array, optionally gzip- or
// zstd-compressed (Content-Encoding). The answer comes only after the batch is durable in the
// WAL:
//   200 {"accepted": N, "rejected": M, "errors": [{"line": L, "reason": "..."}, ...]}
//       rejected records are stored too, in the table's _errors/ prefix, with their reason;
//   400 malformed request (no records, damaged compression), 404 unknown table,
//   413 body over the limit, 415 unknown Content-Encoding,
//   503 + Retry-After when the WAL or the disk is full or the server is shutting down:
//       nothing of the request was stored; send it again later.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "ingest/ingest_service.h"
#include "server/http_answer.h"

namespace loglake::server {

// `body` as received; `encoding` the Content-Encoding header (already undone: empty).
HttpAnswer IngestRecords(ingest::IngestService& ingest, std::string_view table, std::string_view encoding,
                         std::string_view body, std::string_view source);

// {"error": {"code": "...", "message": "..."}} with the HTTP status that fits `status`.
HttpAnswer ErrorAnswer(const Status& status);

}  // namespace loglake::server
