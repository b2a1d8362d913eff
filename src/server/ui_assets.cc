#include "server/ui_assets.h"

namespace loglake::server {

// Defined in the source cmake/EmbedAssets.cmake generates from ui/ (sorted by path).
extern const UiAsset kEmbeddedUiAssets[];
extern const size_t kEmbeddedUiAssetCount;

namespace {

constexpr std::string_view kIndex = "index.html";

// Browsers revalidate every file on each load (cheap: a 304 without body), so a new binary's page
// is never mixed with an old one's cached modules.
constexpr std::string_view kCacheControl = "no-cache";

// The page loads only its own files and talks only to this server; no frame may embed it (it
// shows logs), and links out of it carry no referrer.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::span<const UiAsset> UiAssets() { return {kEmbeddedUiAssets, kEmbeddedUiAssetCount}; }

const UiAsset* FindUiAsset(std::string_view path) {
  for (const UiAsset& asset : UiAssets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  std::string_view rest = if_none_match;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = Trimmed(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (item == "*") return true;
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (!item.empty() && item == etag) return true;
  }
  return false;
}

UiAnswer AnswerUiRequest(std::string_view path, std::string_view if_none_match) {
  UiAnswer answer;
  const UiAsset* asset = FindUiAsset(path.empty() ? kIndex : path);
  if (asset == nullptr) return answer;
  answer.headers = {{"ETag", std::string(asset->etag)},
                    {"Cache-Control", std::string(kCacheControl)},
                    {"X-Content-Type-Options", "nosniff"}};
  if (asset->path == kIndex) {
    answer.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
    answer.headers.emplace_back("Referrer-Policy", "no-referrer");
    answer.headers.emplace_back("X-Frame-Options", "DENY");
  }
  answer.content_type = asset->content_type;
  if (EtagMatches(if_none_match, asset->etag)) {
    answer.status = 304;
    answer.body = {};
    return answer;
  }
  answer.status = 200;
  answer.body = asset->content();
  return answer;
}

}  // namespace loglake::server
