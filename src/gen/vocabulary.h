// The fixed pools the access-log generator draws from: tenants, endpoints, user agents, search
// terms and query strings.
//
// Everything here is static data with weights; the generator decides how to combine it. Kept
// apart so that the shape of the data (what a "realistic" request looks like) can be read and
// tuned in one place.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace loglake::gen {

// What kind of query string an endpoint tends to carry.
enum class QueryKind : uint8_t {
  kNone,     // mostly absent or empty
  kList,     // ?page=2&sort=desc
  kSearch,   // ?q=wireless+headphones&page=1
  kCatalog,  // ?category=shoes&sort=price_asc
  kSince,    // ?since=2024-05-01T00:00:00Z
};

// What the endpoint serves; drives user agents, anonymous users and status codes.
enum class EndpointKind : uint8_t {
  kApi,
  kCreate,     // POST that creates something: 201
  kNoContent,  // DELETE, beacons, preflight: 204
  kStatic,     // cacheable assets: 200 or 304
  kPage,       // HTML pages
  kHealth,     // load-balancer probes
  kAuth,       // login: 401 more often
  kRobots,     // crawlers
};

struct Endpoint {
  std::string_view method;
  // Path with placeholders: {n} a numeric id, {u} a UUID, {h} a short content hash.
  std::string_view pattern;
  double weight;
  EndpointKind kind;
  QueryKind query;
  double latency_median_ms;  // lognormal median of duration_ms
  double latency_sigma;
  double bytes_median;  // lognormal median of bytes_sent for a success
  double bytes_sigma;
};

struct WeightedText {
  std::string_view text;
  double weight;
};

std::span<const Endpoint> Endpoints();
// Tenant slugs, in the order of their Zipf rank (the first one is the biggest).
std::span<const std::string_view> TenantNames();
// Browsers, mobile apps and HTTP libraries that real users' requests carry.
std::span<const WeightedText> UserAgents();
// Crawlers and monitoring robots.
std::span<const WeightedText> BotUserAgents();
// Load-balancer and orchestrator health probes.
std::span<const WeightedText> ProbeUserAgents();
// Free-text search terms, some with non-ASCII letters, emoji, quotes and backslashes (they are
// logged as an extra key, so the `extra` column carries text that needs JSON escaping).
std::span<const std::string_view> SearchTerms();
// URL-encoded search words for ?q=.
std::span<const std::string_view> QueryWords();
std::span<const std::string_view> Categories();
std::span<const std::string_view> SortOrders();
// External sites that send visitors (the referer extra key).
std::span<const std::string_view> Referers();

}  // namespace loglake::gen
