#include "server/auth.h"

#include <algorithm>

namespace loglake::server {
namespace {

// Compares without an early exit, so the time taken does not tell how much of a guess was right.
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::optional<HttpAnswer> Authorizer::Check(std::string_view authorization, std::string_view scope) const {
  if (tokens_.empty()) return std::nullopt;
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() || authorization.substr(0, kBearer.size()) != kBearer) {
    HttpAnswer a = ErrorAnswer(Status::InvalidArgument("this server needs a token: send 'Authorization: Bearer <token>'"));
    a.status = 401;
    return a;
  }
  const std::string_view presented = authorization.substr(kBearer.size());
  const Token* match = nullptr;
  for (const Token& t : tokens_) {
    if (SameSecret(t.token, presented)) match = &t;
  }
  if (match == nullptr) {
    HttpAnswer a = ErrorAnswer(Status::InvalidArgument("the token is not valid for this server"));
    a.status = 401;
    return a;
  }
  if (std::find(match->scopes.begin(), match->scopes.end(), scope) == match->scopes.end() &&
      std::find(match->scopes.begin(), match->scopes.end(), "admin") == match->scopes.end()) {
    HttpAnswer a = ErrorAnswer(Status::InvalidArgument("the token does not have the '" + std::string(scope) + "' scope"));
    a.status = 403;
    return a;
  }
  return std::nullopt;
}

std::optional<HttpAnswer> Authorizer::CheckAws(std::string_view authorization, std::string_view scope) const {
  constexpr std::string_view kSigV4 = "AWS4-HMAC-SHA256 ";
  constexpr std::string_view kCredential = "Credential=";
  if (tokens_.empty() || authorization.substr(0, kSigV4.size()) != kSigV4) return Check(authorization, scope);
  const size_t at = authorization.find(kCredential);
  if (at == std::string_view::npos) return Check("", scope);
  const std::string_view rest = authorization.substr(at + kCredential.size());
  const std::string_view key_id = rest.substr(0, rest.find('/'));
  return Check("Bearer " + std::string(key_id), scope);
}

}  // namespace loglake::server
