#include "server/query_api.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>

#include "common/ascii.h"
#include "common/time.h"
#include "lake/json_text.h"
#include "query/binder.h"
#include "query/execution/table_source.h"
#include "query/result_format.h"
#include "query/scan_estimate.h"
#include "query/tenant_filter.h"

namespace loglake::server {
namespace {

HttpAnswer JsonError(const ApiError& e) { return JsonErrorAnswer(e.http_status, e.code, e.message, "", e.retry_after); }

// The SQL and the parameters of a request body as far as it is one, for the audit line of a
// request refused before (or because) it was parsed: "" for what it does not hold, except that
// an object without "params" has none ("[]", as ParseQueryRequest says).
void RequestText(std::string_view body, std::string* sql, std::string* params_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS || !root.is_object()) return;
  std::string_view text;
  if (root["sql"].get_string().get(text) == simdjson::SUCCESS) *sql = std::string(text);
  simdjson::dom::element params;
  *params_json = root["params"].get(params) == simdjson::SUCCESS ? simdjson::minify(params) : "[]";
}

HttpAnswer NotFound(const std::string& id) {
  return JsonErrorAnswer(404, "not_found", "no query with id '" + id + "' (unknown, or its results expired)");
}

void AppendErrorObject(const Status& error, std::string* out) {
  *out += "{\"code\":";
  lake::AppendJsonString(out, FailureCode(error));
  *out += ",\"message\":";
  lake::AppendJsonString(out, error.message());
  *out += "}";
}

void AppendTime(int64_t micros, std::string* out) {
  if (micros == 0) {
    *out += "null";
  } else {
    lake::AppendJsonString(out, FormatTimestampMicros(micros));
  }
}

std::string StatsJson(const query::QueryStats& s) {
  const uint64_t rg_pruned = s.row_groups_by_stats.pruned + s.row_groups_by_bloom.pruned + s.row_groups_by_dictionary.pruned;
  return "{\"rows_returned\":" + std::to_string(s.rows_returned) + ",\"rows_scanned\":" + std::to_string(s.rows_scanned) +
         ",\"bytes_scanned\":" + std::to_string(s.bytes_scanned) + ",\"files_considered\":" + std::to_string(s.files.considered) +
         ",\"files_pruned\":" + std::to_string(s.files.pruned) +
         ",\"row_groups_considered\":" + std::to_string(s.row_groups_by_stats.considered) +
         ",\"row_groups_pruned\":" + std::to_string(rg_pruned) +
         ",\"duplicates_dropped\":" + std::to_string(s.duplicates_dropped) + "}";
}

Result<query::Value> TypedParam(std::string_view type, simdjson::dom::element value, size_t position) {
  const std::string where = "params[" + std::to_string(position) + "]";
  if (value.is_null()) {
    if (type == "timestamp") return query::Value::Null(query::SqlType::kTimestamp);
    if (type == "varchar") return query::Value::Null(query::SqlType::kVarchar);
    if (type == "bigint") return query::Value::Null(query::SqlType::kBigint);
    if (type == "double") return query::Value::Null(query::SqlType::kDouble);
    if (type == "boolean") return query::Value::Null(query::SqlType::kBoolean);
  }
  if (type == "timestamp") {
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) {
      return Status::InvalidArgument(where + ": a timestamp's value is ISO-8601 text, e.g. \"2024-05-01T00:00:00Z\"");
    }
    Result<int64_t> micros = ParseTimestampMicros(text);
    if (!micros.ok()) return Status::InvalidArgument(where + ": " + micros.status().message());
    return query::Value::Timestamp(*micros);
  }
  if (type == "varchar") {
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) return Status::InvalidArgument(where + ": a varchar's value is a JSON string");
    return query::Value::Varchar(std::string(text));
  }
  if (type == "bigint") {
    int64_t v = 0;
    if (value.get_int64().get(v) != simdjson::SUCCESS) {
      return Status::InvalidArgument(where + ": a bigint's value is an integer between -2^63 and 2^63-1");
    }
    return query::Value::Bigint(v);
  }
  if (type == "double") {
    double v = 0;
    if (value.get_double().get(v) != simdjson::SUCCESS) return Status::InvalidArgument(where + ": a double's value is a number");
    return query::Value::Double(v);
  }
  if (type == "boolean") {
    bool v = false;
    if (value.get_bool().get(v) != simdjson::SUCCESS) return Status::InvalidArgument(where + ": a boolean's value is true or false");
    return query::Value::Boolean(v);
  }
  return Status::InvalidArgument(where + ": unknown type '" + std::string(type) +
                                 "' (timestamp, varchar, bigint, double or boolean)");
}

Result<query::Value> ParamValue(simdjson::dom::element e, size_t position) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::STRING: return query::Value::Varchar(std::string(e.get_string().value()));
    case element_type::INT64: return query::Value::Bigint(e.get_int64().value());
    case element_type::UINT64:
      return Status::InvalidArgument("params[" + std::to_string(position) + "]: integer out of the bigint range");
    case element_type::DOUBLE: return query::Value::Double(e.get_double().value());
    case element_type::BOOL: return query::Value::Boolean(e.get_bool().value());
    case element_type::NULL_VALUE: return query::Value();
    case element_type::OBJECT: {
      std::string_view type;
      simdjson::dom::element value;
      if (e["type"].get_string().get(type) != simdjson::SUCCESS || e["value"].get(value) != simdjson::SUCCESS) {
        return Status::InvalidArgument("params[" + std::to_string(position) +
                                       "]: a typed parameter is {\"type\": \"timestamp\", \"value\": \"...\"}");
      }
      return TypedParam(AsciiLowered(type), value, position);
    }
    default:
      return Status::InvalidArgument("params[" + std::to_string(position) +
                                     "]: expected a string, number, boolean, null or {\"type\", \"value\"}");
  }
}

}  // namespace

// The code a client can act on for a query that did not succeed (or could not be planned: Plan
// answers 400 for exactly the "invalid_query" ones). Unimplemented is the binder's answer to SQL
// the engine does not support, a mistake in the query like a syntax error. Limits are told apart
// by the setting their message names.
std::string FailureCode(const Status& error) {
  switch (error.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kUnimplemented:
    case StatusCode::kNotFound: return "invalid_query";
    case StatusCode::kDeadlineExceeded: return "timeout";
    case StatusCode::kCancelled: return "cancelled";
    case StatusCode::kResourceExhausted: {
      const std::string& m = error.message();
      if (m.find("max_range_days") != std::string::npos || m.find("max_days") != std::string::npos) return "range_too_large";
      if (m.find("max_bytes_scanned") != std::string::npos) return "bytes_limit";
      if (m.find("max_result_rows") != std::string::npos) return "too_many_rows";
      if (m.find("max_memory_bytes") != std::string::npos) return "memory_limit";
      return "limit_exceeded";
    }
    default: return "internal";
  }
}

Result<QueryRequest> ParseQueryRequest(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS || !root.is_object()) {
    return Status::InvalidArgument("the request body is not a JSON object; send {\"sql\": \"SELECT ...\", \"params\": [...]}");
  }
  QueryRequest request;
  std::string_view sql;
  if (root["sql"].get_string().get(sql) != simdjson::SUCCESS || sql.empty()) {
    return Status::InvalidArgument("\"sql\" is required: the query text");
  }
  request.sql = std::string(sql);
  simdjson::dom::element params;
  if (root["params"].get(params) == simdjson::SUCCESS && !params.is_null()) {
    simdjson::dom::array list;
    if (params.get_array().get(list) != simdjson::SUCCESS) {
      return Status::InvalidArgument("\"params\" must be a list of values, one per ? in order");
    }
    size_t position = 0;
    for (simdjson::dom::element p : list) {
      ASSIGN_OR_RETURN(query::Value v, ParamValue(p, position));
      request.params.push_back(std::move(v));
      ++position;
    }
    request.params_json = simdjson::minify(params);
  } else {
    request.params_json = "[]";
  }
  simdjson::dom::element dedup;
  if (root["dedup"].get(dedup) == simdjson::SUCCESS && !dedup.is_null()) {
    if (dedup.get_bool().get(request.dedup) != simdjson::SUCCESS) {
      return Status::InvalidArgument("\"dedup\" must be true or false");
    }
  }
  return request;
}

QueryApi::QueryApi(QueryManager* manager, std::vector<lake::TableDef> tables)
    : manager_(manager), tables_(std::move(tables)) {}

std::optional<ApiError> QueryApi::Plan(const Token* token, const QueryRequest& request, query::QueryPlan* plan) const {
  query::TableResolver resolve = [this](std::string_view name) -> Result<lake::TableDef> {
    const std::string lowered = AsciiLowered(name);
    for (const lake::TableDef& t : tables_) {
      if (t.name == lowered) return t;
    }
    return query::ResolveQueryTable(manager_->lake_dir(), name, "");
  };
  Result<query::QueryPlan> planned = query::PlanQuery(request.sql, request.params, resolve, NowMicros());
  if (!planned.ok()) {
    const std::string code = FailureCode(planned.status());
    if (code == "invalid_query") return ApiError{400, code, planned.status().message()};
    return ApiError{500, "internal", planned.status().ToString()};
  }
  if (token != nullptr && !token->tenants.empty()) {
    if (!query::HasTenantColumn(planned->table)) {
      return ApiError{403, "forbidden", "this token may read only some tenants' records, and table '" +
                                            planned->table.name + "' has no tenant_id column to restrict it by"};
    }
    const Status restricted = query::RestrictToTenants(token->tenants, &*planned);
    if (!restricted.ok()) return ApiError{500, "internal", restricted.ToString()};
  }
  *plan = std::move(*planned);
  return std::nullopt;
}

bool QueryApi::Visible(const Token* token, const QuerySnapshot& query) const {
  if (token == nullptr) return true;
  // An admin sees every query — unless bound to tenants: other queries' rows are other tenants'.
  const bool admin = std::find(token->scopes.begin(), token->scopes.end(), "admin") != token->scopes.end();
  if (admin && token->tenants.empty()) return true;
  // By the secret, not the name: two tokens sharing a name are still two callers.
  return query.owner == token->token;
}

HttpAnswer QueryApi::Refuse(const Token* token, std::string_view remote, std::string sql, std::string params_json,
                            const ApiError& error) {
  QueryRefusal refusal;
  refusal.principal = token != nullptr ? token->DisplayName() : "anonymous";
  refusal.sql = std::move(sql);
  refusal.params_json = std::move(params_json);
  refusal.remote = std::string(remote);
  refusal.http_status = error.http_status;
  refusal.code = error.code;
  refusal.message = error.message;
  manager_->Refuse(std::move(refusal));
  return JsonError(error);
}

HttpAnswer QueryApi::SubmitDenied(const AuthDecision& auth, std::string_view body, std::string_view remote) {
  const HttpAnswer& denied = *auth.denied;
  QueryRefusal refusal;
  // No token, or one this server does not know: the caller is nobody (and may be anybody).
  if (auth.token != nullptr) {
    refusal.principal = auth.token->DisplayName();
    RequestText(body, &refusal.sql, &refusal.params_json);
  }
  refusal.remote = std::string(remote);
  refusal.http_status = denied.status;
  // The authorizer's answer is {"error": {"code", "message"}}.
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view text;
  if (parser.parse(denied.body).get(root) == simdjson::SUCCESS) {
    if (root["error"]["code"].get_string().get(text) == simdjson::SUCCESS) refusal.code = std::string(text);
    if (root["error"]["message"].get_string().get(text) == simdjson::SUCCESS) refusal.message = std::string(text);
  }
  manager_->Refuse(std::move(refusal));
  return denied;
}

HttpAnswer QueryApi::Submit(const Token* token, std::string_view body, std::string_view remote) {
  Result<QueryRequest> request = ParseQueryRequest(body);
  if (!request.ok()) {
    std::string sql;
    std::string params_json;
    RequestText(body, &sql, &params_json);
    return Refuse(token, remote, std::move(sql), std::move(params_json),
                  ApiError{400, "invalid_request", request.status().message()});
  }
  QuerySubmission submission;
  if (std::optional<ApiError> denied = Plan(token, *request, &submission.plan)) {
    return Refuse(token, remote, request->sql, request->params_json, *denied);
  }
  submission.sql = request->sql;
  submission.params_json = request->params_json;
  submission.dedup = request->dedup;
  submission.principal = token != nullptr ? token->DisplayName() : "anonymous";
  if (token != nullptr) submission.owner = token->token;
  submission.remote = std::string(remote);
  Result<std::string> id = manager_->Submit(std::move(submission));
  if (!id.ok()) {
    const bool full = id.status().code() == StatusCode::kResourceExhausted;
    return Refuse(token, remote, request->sql, request->params_json,
                  ApiError{full ? 429 : 503, full ? "too_many_queries" : "shutting_down", id.status().message(), true});
  }
  HttpAnswer a;
  a.body = "{\"id\":";
  lake::AppendJsonString(&a.body, *id);
  a.body += ",\"state\":\"QUEUED\"}";
  return a;
}

HttpAnswer QueryApi::Describe(const Token* token, const std::string& id) {
  std::optional<QuerySnapshot> q = manager_->Get(id);
  if (!q || !Visible(token, *q)) return NotFound(id);
  HttpAnswer a;
  std::string& b = a.body;
  b = "{\"id\":";
  lake::AppendJsonString(&b, q->id);
  b += ",\"state\":";
  lake::AppendJsonString(&b, QueryStateName(q->state));
  b += ",\"sql\":";
  lake::AppendJsonString(&b, q->sql);
  b += ",\"submitted_at\":";
  AppendTime(q->submitted_micros, &b);
  b += ",\"started_at\":";
  AppendTime(q->started_micros, &b);
  b += ",\"finished_at\":";
  AppendTime(q->finished_micros, &b);
  char elapsed[32];
  std::snprintf(elapsed, sizeof(elapsed), "%.3f", q->elapsed_seconds);
  b += ",\"elapsed_seconds\":";
  b += elapsed;
  b += ",\"stats\":" + StatsJson(q->stats);
  if (!q->error.ok()) {
    b += ",\"error\":";
    AppendErrorObject(q->error, &b);
  }
  b += "}";
  return a;
}

HttpAnswer QueryApi::Results(const Token* token, const std::string& id, std::string_view next_token,
                             std::string_view max_results) {
  std::optional<QuerySnapshot> q = manager_->Get(id);
  if (!q || !Visible(token, *q)) return NotFound(id);
  if (q->state != QueryState::kSucceeded) {
    if (q->state == QueryState::kFailed || q->state == QueryState::kCancelled) {
      HttpAnswer a = JsonErrorAnswer(409, FailureCode(q->error), q->error.message(), QueryStateName(q->state));
      return a;
    }
    return JsonErrorAnswer(409, "not_ready",
                     std::string("the query is ") + QueryStateName(q->state) + "; results are ready once it is SUCCEEDED",
                     QueryStateName(q->state));
  }
  size_t page = kMaxResultsPerPage;
  if (!max_results.empty()) {
    uint64_t n = 0;
    bool valid = max_results.size() <= 9;
    for (char c : max_results) {
      valid = valid && c >= '0' && c <= '9';
      if (valid) n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    if (!valid) return JsonErrorAnswer(400, "invalid_request", "max_results must be a number from 1 to 1000");
    page = static_cast<size_t>(std::clamp<uint64_t>(n, 1, kMaxResultsPerPage));
  }
  const query::QueryResult& result = *q->result;
  const size_t rows = result.num_rows();
  size_t offset = 0;
  if (!next_token.empty()) {
    // The token is the offset of the page's first row; its form is not part of the contract.
    bool valid = next_token.size() > 1 && next_token[0] == 'r' && next_token.size() < 20;
    for (char c : next_token.substr(1)) valid = valid && c >= '0' && c <= '9';
    if (valid) offset = static_cast<size_t>(std::stoull(std::string(next_token.substr(1))));
    if (!valid || offset > rows) return JsonErrorAnswer(400, "invalid_request", "next_token is not one this query gave");
  }
  const size_t end = std::min(rows, offset + page);
  HttpAnswer a;
  std::string& b = a.body;
  b = "{\"columns\":[";
  for (size_t c = 0; c < result.names.size(); ++c) {
    b += c == 0 ? "{\"name\":" : ",{\"name\":";
    lake::AppendJsonString(&b, result.names[c]);
    b += ",\"type\":";
    lake::AppendJsonString(&b, query::SqlTypeName(result.types[c]));
    b += "}";
  }
  b += "],\"rows\":[";
  for (size_t r = offset; r < end; ++r) {
    b += r == offset ? "[" : ",[";
    for (size_t c = 0; c < result.columns.size(); ++c) {
      if (c > 0) b += ",";
      query::AppendJsonValue(result.columns[c], result.types[c], r, &b);
    }
    b += "]";
  }
  b += "],\"next_token\":";
  if (end < rows) {
    lake::AppendJsonString(&b, "r" + std::to_string(end));
  } else {
    b += "null";
  }
  b += "}";
  return a;
}

HttpAnswer QueryApi::Cancel(const Token* token, const std::string& id) {
  std::optional<QuerySnapshot> q = manager_->Get(id);
  if (!q || !Visible(token, *q)) return NotFound(id);
  q = manager_->Cancel(id);
  if (!q) return NotFound(id);
  HttpAnswer a;
  a.body = "{\"id\":";
  lake::AppendJsonString(&a.body, q->id);
  a.body += ",\"state\":";
  lake::AppendJsonString(&a.body, QueryStateName(q->state));
  a.body += "}";
  return a;
}

HttpAnswer QueryApi::Estimate(const Token* token, std::string_view body) {
  Result<QueryRequest> request = ParseQueryRequest(body);
  if (!request.ok()) return JsonErrorAnswer(400, "invalid_request", request.status().message());
  query::QueryPlan plan;
  if (std::optional<ApiError> denied = Plan(token, *request, &plan)) return JsonError(*denied);
  Result<query::ScanEstimate> estimate = query::EstimateScan(manager_->lake_dir(), plan);
  if (!estimate.ok()) return JsonErrorAnswer(500, "internal", estimate.status().ToString());
  HttpAnswer a;
  a.body = "{\"bytes\":" + std::to_string(estimate->bytes) + ",\"files\":" + std::to_string(estimate->files) +
           ",\"days\":" + std::to_string(estimate->days) + "}";
  return a;
}

HttpAnswer QueryApi::Tables() const {
  HttpAnswer a;
  std::string& b = a.body;
  b = "{\"tables\":[";
  for (size_t t = 0; t < tables_.size(); ++t) {
    const lake::TableDef& def = tables_[t];
    b += t == 0 ? "{\"name\":" : ",{\"name\":";
    lake::AppendJsonString(&b, def.name);
    b += ",\"time_column\":";
    lake::AppendJsonString(&b, def.time_column);
    b += ",\"dedup_key\":";
    if (def.dedup_key.empty()) {
      b += "null";
    } else {
      lake::AppendJsonString(&b, def.dedup_key);
    }
    b += ",\"columns\":[";
    for (size_t c = 0; c < def.columns.size(); ++c) {
      b += c == 0 ? "{\"name\":" : ",{\"name\":";
      lake::AppendJsonString(&b, def.columns[c].name);
      b += ",\"type\":";
      lake::AppendJsonString(&b, query::SqlTypeName(query::SqlTypeOf(def.columns[c].type)));
      b += "}";
    }
    b += "]}";
  }
  b += "]}";
  return a;
}

}  // namespace loglake::server
