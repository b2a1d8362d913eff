// HttpAnswer: what an API handler hands the HTTP server to send, and the one shape of its errors.
//
// Every error of the ingest, query and auth endpoints has the body
//   {"error": {"code": "<stable, for programs>", "message": "<for people>"[, "state": "..."]}}
// (the Firehose endpoint answers in Firehose's own error format instead: server/firehose_api.h).
#pragma once

#include <string>
#include <string_view>

namespace loglake::server {

struct HttpAnswer {
  int status = 200;
  std::string body;  // JSON
  bool retry_after = false;  // send Retry-After: the request may succeed when sent again later
};

// An error answer of the shape above; `state` is added when not empty (a query's state).
HttpAnswer JsonErrorAnswer(int http_status, std::string_view code, std::string_view message,
                           std::string_view state = "", bool retry = false);

}  // namespace loglake::server
