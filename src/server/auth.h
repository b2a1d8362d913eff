// Bearer tokens with scopes ("ingest", "query", "admin"). With no tokens configured every request
// is allowed — and the configuration then refuses any listen address beyond loopback
// (ValidateServeConfig), so an open server is never reachable from the network.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_answer.h"

namespace loglake::server {

struct Token {
  std::string token;
  std::vector<std::string> scopes;
  // Who holds it, for the audit log; empty: a short hash of the secret stands in (DisplayName).
  std::string name;
  // Non-empty: the token sees only rows of these tenants (the query API ANDs a tenant_id
  // predicate into every query it runs; see server/query_api.h).
  std::vector<std::string> tenants;

  // `name`, or "token-" and 8 hex digits of a hash of the secret (never the secret itself).
  std::string DisplayName() const;
};

// The outcome of checking a request's credentials: `denied` holds the 401/403 answer, otherwise
// `token` is the token presented (null when no tokens are configured: the server is open).
struct AuthDecision {
  std::optional<HttpAnswer> denied;
  const Token* token = nullptr;
};

class Authorizer {
 public:
  explicit Authorizer(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}
  // nullopt when the request may proceed; otherwise the 401 (no or unknown token; error code
  // "unauthorized") or 403 (the token lacks `scope`; "forbidden") answer. `authorization` is the Authorization header's value.
  std::optional<HttpAnswer> Check(std::string_view authorization, std::string_view scope) const;
  // The same check, also naming the token that passed it (the query API needs its tenants).
  AuthDecision Authorize(std::string_view authorization, std::string_view scope) const;
  // For AWS SDKs, which sign requests (SigV4) rather than send a bearer token: the access key id
  // of the signature's Credential is taken as the token (configure the SDK with accessKeyId =
  // a loglake token, any secret). The signature itself is not verified — use TLS in front when
  // the network is not trusted. A Bearer header works here too.
  std::optional<HttpAnswer> CheckAws(std::string_view authorization, std::string_view scope) const;
  bool enabled() const { return !tokens_.empty(); }

 private:
  std::vector<Token> tokens_;
};

}  // namespace loglake::server
