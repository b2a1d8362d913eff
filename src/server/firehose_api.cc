#include "server/firehose_api.h"

#include <simdjson.h>

#include <string>
#include <vector>

#include "lake/json_text.h"

namespace loglake::server {
namespace {

constexpr std::string_view kTargetPrefix = "Firehose_20150804.";

HttpAnswer FirehoseError(int status, std::string_view type, std::string_view message) {
  HttpAnswer a;
  a.status = status;
  a.retry_after = status == 503;
  a.body = "{\"__type\":";
  lake::AppendJsonString(&a.body, type);
  a.body += ",\"message\":";
  lake::AppendJsonString(&a.body, message);
  a.body += "}";
  return a;
}

// The decoded Data of each record, in order, or the 400 answer.
struct ParsedRequest {
  std::string stream;
  std::vector<std::string> records;
};

std::optional<HttpAnswer> ParseRequest(std::string_view body, bool batch, ParsedRequest* out) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS || !root.is_object()) {
    return FirehoseError(400, "SerializationException", "the request body is not a JSON object");
  }
  std::string_view stream;
  if (root["DeliveryStreamName"].get_string().get(stream) != simdjson::SUCCESS || stream.empty()) {
    return FirehoseError(400, "ValidationException", "DeliveryStreamName is required (the table to write to)");
  }
  out->stream = std::string(stream);
  std::vector<simdjson::dom::element> records;
  if (batch) {
    simdjson::dom::array list;
    if (root["Records"].get_array().get(list) != simdjson::SUCCESS) {
      return FirehoseError(400, "ValidationException", "Records is required: a list of {\"Data\": base64}");
    }
    for (simdjson::dom::element r : list) records.push_back(r);
    if (records.empty() || records.size() > kFirehoseMaxRecordsPerBatch) {
      return FirehoseError(400, "ValidationException",
                           "Records must hold 1 to 500 records; this request has " + std::to_string(records.size()));
    }
  } else {
    simdjson::dom::element r;
    if (root["Record"].get(r) != simdjson::SUCCESS) {
      return FirehoseError(400, "ValidationException", "Record is required: {\"Data\": base64}");
    }
    records.push_back(r);
  }
  for (size_t i = 0; i < records.size(); ++i) {
    std::string_view data;
    if (records[i]["Data"].get_string().get(data) != simdjson::SUCCESS) {
      return FirehoseError(400, "ValidationException", "record " + std::to_string(i) + ": Data (base64) is required");
    }
    std::string decoded;
    if (!lake::DecodeBase64(data, &decoded)) {
      return FirehoseError(400, "SerializationException", "record " + std::to_string(i) + ": Data is not valid base64");
    }
    if (decoded.size() > kFirehoseMaxRecordBytes) {
      return FirehoseError(400, "ValidationException",
                           "record " + std::to_string(i) + " is " + std::to_string(decoded.size()) +
                               " bytes; the limit is 1,000 KiB");
    }
    out->records.push_back(std::move(decoded));
  }
  return std::nullopt;
}

}  // namespace

HttpAnswer HandleFirehose(ingest::IngestService& ingest, std::string_view target, std::string_view body,
                          std::string_view source) {
  if (target.substr(0, kTargetPrefix.size()) != kTargetPrefix) {
    return FirehoseError(400, "UnknownOperationException", "X-Amz-Target must be Firehose_20150804.<operation>");
  }
  const std::string_view operation = target.substr(kTargetPrefix.size());
  const bool batch = operation == "PutRecordBatch";
  if (!batch && operation != "PutRecord") {
    return FirehoseError(400, "UnknownOperationException",
                         "operation '" + std::string(operation) + "' is not supported: loglake takes PutRecord and PutRecordBatch");
  }
  if (body.size() > kFirehoseMaxRequestBytes) {
    return FirehoseError(413, "ValidationException", "the request is over 4 MiB");
  }
  ParsedRequest request;
  if (std::optional<HttpAnswer> bad = ParseRequest(body, batch, &request)) return *bad;
  if (!ingest.HasTable(request.stream)) {
    return FirehoseError(400, "ResourceNotFoundException",
                         "Firehose " + request.stream + " under account loglake not found (no such table)");
  }
  // One body: the blobs one after another, each ended by a line feed unless it ends in one, so
  // that NDJSON and concatenated objects inside blobs both frame as they would in Firehose's file.
  std::string joined;
  for (const std::string& r : request.records) {
    joined += r;
    if (!r.empty() && r.back() != '\n') joined += '\n';
  }
  Result<ingest::IngestAnswer> answer = ingest.Ingest(request.stream, joined, source);
  if (!answer.ok()) {
    const Status& st = answer.status();
    if (st.code() == StatusCode::kResourceExhausted || st.code() == StatusCode::kIOError) {
      if (!batch) return FirehoseError(503, "ServiceUnavailableException", st.message());
      // Firehose reports a batch-wide failure per record: every record failed, send them again.
      HttpAnswer a;
      a.body = "{\"FailedPutCount\":" + std::to_string(request.records.size()) + ",\"Encrypted\":false,\"RequestResponses\":[";
      for (size_t i = 0; i < request.records.size(); ++i) {
        a.body += i ? "," : "";
        a.body += "{\"ErrorCode\":\"ServiceUnavailableException\",\"ErrorMessage\":";
        lake::AppendJsonString(&a.body, st.message());
        a.body += "}";
      }
      a.body += "]}";
      return a;
    }
    return FirehoseError(400, "InvalidArgumentException", st.message());
  }
  const std::string id_prefix = std::to_string(answer->lsn) + "-";
  HttpAnswer a;
  if (!batch) {
    a.body = "{\"RecordId\":\"" + id_prefix + "0\",\"Encrypted\":false}";
    return a;
  }
  a.body = "{\"FailedPutCount\":0,\"Encrypted\":false,\"RequestResponses\":[";
  for (size_t i = 0; i < request.records.size(); ++i) {
    a.body += i ? "," : "";
    a.body += "{\"RecordId\":\"" + id_prefix + std::to_string(i) + "\"}";
  }
  a.body += "]}";
  return a;
}

}  // namespace loglake::server
