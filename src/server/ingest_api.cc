#include "server/ingest_api.h"

#include "common/crash_point.h"
#include "ingest/content_encoding.h"
#include "lake/json_text.h"

namespace loglake::server {
namespace {

const char* CodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument: return "invalid_request";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kResourceExhausted: return "unavailable";
    case StatusCode::kCancelled: return "shutting_down";
    default: return "internal";
  }
}

}  // namespace

HttpAnswer ErrorAnswer(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument: return JsonErrorAnswer(400, CodeName(status.code()), status.message());
    case StatusCode::kNotFound: return JsonErrorAnswer(404, CodeName(status.code()), status.message());
    case StatusCode::kResourceExhausted:
    case StatusCode::kCancelled: return JsonErrorAnswer(503, CodeName(status.code()), status.message(), "", true);
    default: return JsonErrorAnswer(500, CodeName(status.code()), status.ToString());
  }
}

HttpAnswer IngestRecords(ingest::IngestService& ingest, std::string_view table, std::string_view encoding,
                         std::string_view body, std::string_view source) {
  if (!ingest.HasTable(table)) {
    return ErrorAnswer(ingest.Ingest(table, "", source).status());  // NotFound naming the tables
  }
  std::string decoded;
  Status st = ingest::DecodeContent(encoding, body, ingest.options().max_body_bytes, &decoded);
  if (!st.ok()) {
    if (st.code() == StatusCode::kResourceExhausted) return JsonErrorAnswer(413, "body_too_large", st.message());
    if (st.message().find("is not supported") != std::string::npos) return JsonErrorAnswer(415, "unsupported_encoding", st.message());
    return ErrorAnswer(st);
  }
  Result<ingest::IngestAnswer> answer = ingest.Ingest(table, decoded, source);
  if (!answer.ok()) return ErrorAnswer(answer.status());
  CrashPoint("stored-not-answered");
  HttpAnswer a;
  a.body = "{\"accepted\":" + std::to_string(answer->check.accepted) +
           ",\"rejected\":" + std::to_string(answer->check.rejected) + ",\"errors\":[";
  bool first = true;
  for (const ingest::RecordProblem& p : answer->check.first_problems) {
    a.body += first ? "" : ",";
    first = false;
    a.body += "{\"line\":" + std::to_string(p.line) + ",\"reason\":";
    lake::AppendJsonString(&a.body, p.reason);
    a.body += "}";
  }
  a.body += "]}";
  return a;
}

}  // namespace loglake::server
