// The query API (README "Query API"): HTTP-independent handlers that HttpServer::QueryRoutes
// calls after checking the token's `query` scope.
//
//   POST   /v1/queries                {"sql", "params", "dedup"} → {"id", "state"}
//   GET    /v1/queries/{id}           state, times, statistics, error
//   GET    /v1/queries/{id}/results   ?next_token=&max_results= → {"columns", "rows", "next_token"}
//   DELETE /v1/queries/{id}           cancels → {"id", "state"}
//   POST   /v1/queries/estimate       {"sql", "params"} → {"bytes", "files", "days"}
//   GET    /v1/tables                 the served tables and their columns
//
// Submission parses and binds at once, so a query with a syntax, name or type error is answered
// 400 invalid_query (with line:column) and never queued. A tenant-bound token's queries are
// restricted after binding (query/tenant_filter.h), the estimate included; such a token querying
// a table without tenant_id is answered 403. A query is visible (state, results, cancel) to the
// token that submitted it and to admin tokens; to others it does not exist (404).
//
// Every submission is audited (server/audit_log.h): a queued one when it finishes, a refused one
// — bad request, query error, tenant binding, full queue, shutting down, and with SubmitDenied
// the token checks — at once, through QueryManager::Refuse.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "lake/table.h"
#include "query/plan.h"
#include "query/types.h"
#include "server/auth.h"
#include "server/http_answer.h"
#include "server/query_manager.h"

namespace loglake::server {

// Pages of results hold at most this many rows (also the default page size).
inline constexpr size_t kMaxResultsPerPage = 1000;

// A query request body: {"sql": "...", "params": [...], "dedup": true}.
struct QueryRequest {
  std::string sql;
  std::vector<query::Value> params;
  std::string params_json;  // the "params" array re-serialized (compact), for the audit log
  bool dedup = true;
};

// A refusal: the HTTP status, error code and message of the answer.
struct ApiError {
  int http_status = 400;
  std::string code;
  std::string message;
  bool retry_after = false;
};

// The code a client can act on for a query that did not succeed ("invalid_query", "timeout",
// "cancelled", "range_too_large", "bytes_limit", "too_many_rows", "memory_limit",
// "limit_exceeded", "internal").
std::string FailureCode(const Status& error);

// Parses a request body. Parameters: a JSON string is varchar, an integer bigint, another number
// double, true/false boolean, null NULL; {"type": "timestamp"|"varchar"|"bigint"|"double"|
// "boolean", "value": ...} forces the type (a timestamp's value is ISO-8601 text, with Z or an
// offset; a null value is NULL of that type). InvalidArgument names what is wrong.
Result<QueryRequest> ParseQueryRequest(std::string_view body);

class QueryApi {
 public:
  // `tables`: the served tables (their definitions win over the files' metadata).
  QueryApi(QueryManager* manager, std::vector<lake::TableDef> tables);

  // `token` is who asked (null on an open server without tokens); `remote` the client's address,
  // for the audit log.
  HttpAnswer Submit(const Token* token, std::string_view body, std::string_view remote = "");
  // A submission the authorizer denied (auth.denied set): audits it as refused and returns the
  // denial. With auth.token null (no or an unknown token) the line names no token and keeps
  // neither SQL nor parameters (QueryManager::Refuse).
  HttpAnswer SubmitDenied(const AuthDecision& auth, std::string_view body, std::string_view remote = "");
  HttpAnswer Describe(const Token* token, const std::string& id);
  HttpAnswer Results(const Token* token, const std::string& id, std::string_view next_token,
                     std::string_view max_results);
  HttpAnswer Cancel(const Token* token, const std::string& id);
  HttpAnswer Estimate(const Token* token, std::string_view body);
  HttpAnswer Tables() const;

  // Parses, binds and restricts to the token's tenants into *plan (what Submit and Estimate
  // run); otherwise why not (400 invalid_query, 403 forbidden, 500 internal).
  std::optional<ApiError> Plan(const Token* token, const QueryRequest& request, query::QueryPlan* plan) const;

  QueryManager& manager() const { return *manager_; }

 private:
  bool Visible(const Token* token, const QuerySnapshot& query) const;
  // Has the manager audit and count the refusal; returns its answer.
  HttpAnswer Refuse(const Token* token, std::string_view remote, std::string sql, std::string params_json,
                    const ApiError& error);

  QueryManager* manager_;
  std::vector<lake::TableDef> tables_;
};

}  // namespace loglake::server
