#include "server/auth.h"

#include <algorithm>
#include <cstdint>

namespace loglake::server {
namespace {

// Compares without an early exit, so the time taken does not tell how much of a guess was right.
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// 401 (code "unauthorized": no or unknown token) or 403 ("forbidden": the token lacks the scope).
HttpAnswer Denied(int status, std::string_view message) {
  return JsonErrorAnswer(status, status == 401 ? "unauthorized" : "forbidden", message);
}

}  // namespace

std::string Token::DisplayName() const {
  if (!name.empty()) return name;
  // FNV-1a: stable across builds and runs, so one token keeps one name in the audit log.
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : token) h = (h ^ c) * 1099511628211ull;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "token-";
  for (int shift = 60; shift >= 32; shift -= 4) out += kHex[(h >> shift) & 0xf];
  return out;
}

std::optional<HttpAnswer> Authorizer::Check(std::string_view authorization, std::string_view scope) const {
  return Authorize(authorization, scope).denied;
}

AuthDecision Authorizer::Authorize(std::string_view authorization, std::string_view scope) const {
  if (tokens_.empty()) return {};
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() || authorization.substr(0, kBearer.size()) != kBearer) {
    return {Denied(401, "this server needs a token: send 'Authorization: Bearer <token>'"), nullptr};
  }
  const std::string_view presented = authorization.substr(kBearer.size());
  const Token* match = nullptr;
  for (const Token& t : tokens_) {
    if (SameSecret(t.token, presented)) match = &t;
  }
  if (match == nullptr) {
    return {Denied(401, "the token is not valid for this server"), nullptr};
  }
  if (std::find(match->scopes.begin(), match->scopes.end(), scope) == match->scopes.end() &&
      std::find(match->scopes.begin(), match->scopes.end(), "admin") == match->scopes.end()) {
    return {Denied(403, "the token does not have the '" + std::string(scope) + "' scope"), match};
  }
  return {std::nullopt, match};
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
