// The search page's files (ui/), embedded in the binary at build time by
// cmake/EmbedAssets.cmake, and the answers GET / and GET /ui/<file> give with them: the bytes,
// the content type, a strong ETag (a prefix of the file's SHA-256), 304 to a matching
// If-None-Match, and headers that keep the page self-contained (a Content-Security-Policy that
// allows nothing but this server).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loglake::server {

// One embedded file. `path` is relative to ui/ ("index.html", "js/app.mjs"); `etag` is quoted.
struct UiAsset {
  std::string_view path;
  std::string_view content_type;
  std::string_view etag;
  const unsigned char* data;
  size_t size;

  std::string_view content() const { return {reinterpret_cast<const char*>(data), size}; }
};

// Every embedded file, sorted by path.
std::span<const UiAsset> UiAssets();

// The file at `path` (relative to ui/, no leading slash), or null. Only exact paths of embedded
// files match: "..", "//" or a query string never reach the file system or another file.
const UiAsset* FindUiAsset(std::string_view path);

// Whether an If-None-Match header value names `etag`: "*", or a comma-separated list with it
// (a weak W/ prefix matches too: RFC 9110 compares entity tags weakly for If-None-Match).
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

// What to send for a request of the page.
struct UiAnswer {
  int status = 404;
  std::string_view content_type = "text/plain; charset=utf-8";
  std::string_view body = "not found\n";
  std::vector<std::pair<std::string, std::string>> headers;
};

// The answer to GET of `path` (as UiAsset::path; "" for the page itself) given the request's
// If-None-Match: 200 with the file, 304 when the client's copy is current, 404 for no such file.
UiAnswer AnswerUiRequest(std::string_view path, std::string_view if_none_match);

}  // namespace loglake::server
