#include "server/http_answer.h"

#include "lake/json_text.h"

namespace loglake::server {

HttpAnswer JsonErrorAnswer(int http_status, std::string_view code, std::string_view message, std::string_view state,
                           bool retry) {
  HttpAnswer a;
  a.status = http_status;
  a.retry_after = retry;
  a.body = "{\"error\":{\"code\":";
  lake::AppendJsonString(&a.body, code);
  a.body += ",\"message\":";
  lake::AppendJsonString(&a.body, message);
  if (!state.empty()) {
    a.body += ",\"state\":";
    lake::AppendJsonString(&a.body, state);
  }
  a.body += "}}";
  return a;
}

}  // namespace loglake::server
