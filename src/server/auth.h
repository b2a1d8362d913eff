// Bearer tokens with scopes ("ingest", "query", "admin"). With no tokens configured every request
// is allowed — and the configuration then refuses any listen address beyond loopback
// (ValidateServeConfig), so an open server is never reachable from the network.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/ingest_api.h"

namespace loglake::server {

struct Token {
  std::string token;
  std::vector<std::string> scopes;
};

class Authorizer {
 public:
  explicit Authorizer(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}
  // nullopt when the request may proceed; otherwise the 401 (no or unknown token) or 403 (the
  // token lacks `scope`) answer. `authorization` is the Authorization header's value.
  std::optional<HttpAnswer> Check(std::string_view authorization, std::string_view scope) const;
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
