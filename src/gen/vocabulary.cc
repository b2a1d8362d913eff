#include "gen/vocabulary.h"

#include <array>

namespace loglake::gen {
namespace {

using EK = EndpointKind;
using QK = QueryKind;

// GET carries about four requests in five, as on a typical shop / SaaS backend.
constexpr std::array kEndpoints = {
    Endpoint{"GET", "/api/v1/orders/{n}", 9.0, EK::kApi, QK::kNone, 38, 0.7, 1900, 0.6},
    Endpoint{"GET", "/api/v1/orders", 6.0, EK::kApi, QK::kList, 85, 0.8, 14000, 0.9},
    Endpoint{"POST", "/api/v1/orders", 2.0, EK::kCreate, QK::kNone, 160, 0.7, 2100, 0.4},
    Endpoint{"GET", "/api/v1/products/{n}", 8.0, EK::kApi, QK::kNone, 24, 0.6, 4200, 0.7},
    Endpoint{"GET", "/api/v1/products", 5.0, EK::kApi, QK::kCatalog, 70, 0.8, 22000, 0.8},
    Endpoint{"GET", "/api/v1/products/{n}/reviews", 2.0, EK::kApi, QK::kList, 55, 0.8, 9000, 1.0},
    Endpoint{"GET", "/api/v1/users/{u}", 4.0, EK::kApi, QK::kNone, 18, 0.6, 1200, 0.4},
    Endpoint{"PATCH", "/api/v1/users/{u}", 0.6, EK::kApi, QK::kNone, 45, 0.6, 1200, 0.4},
    Endpoint{"GET", "/api/v1/users/me", 6.0, EK::kApi, QK::kNone, 12, 0.5, 1100, 0.3},
    Endpoint{"POST", "/api/v1/auth/login", 1.5, EK::kAuth, QK::kNone, 210, 0.4, 600, 0.2},
    Endpoint{"POST", "/api/v1/auth/refresh", 2.0, EK::kApi, QK::kNone, 16, 0.5, 580, 0.1},
    Endpoint{"POST", "/api/v1/auth/logout", 0.3, EK::kNoContent, QK::kNone, 9, 0.5, 0, 0},
    Endpoint{"GET", "/api/v1/carts/{n}", 3.0, EK::kApi, QK::kNone, 21, 0.6, 2600, 0.7},
    Endpoint{"POST", "/api/v1/carts/{n}/items", 1.5, EK::kCreate, QK::kNone, 48, 0.6, 2700, 0.6},
    Endpoint{"PUT", "/api/v1/carts/{n}/items/{n}", 0.5, EK::kApi, QK::kNone, 44, 0.6, 2700, 0.6},
    Endpoint{"DELETE", "/api/v1/carts/{n}/items/{n}", 0.6, EK::kNoContent, QK::kNone, 31, 0.6, 0, 0},
    Endpoint{"GET", "/api/v2/search", 5.0, EK::kApi, QK::kSearch, 140, 0.9, 16000, 0.9},
    Endpoint{"POST", "/graphql", 3.0, EK::kApi, QK::kNone, 95, 1.0, 5200, 1.1},
    Endpoint{"GET", "/api/v1/invoices/{n}/pdf", 0.4, EK::kApi, QK::kNone, 620, 0.6, 180000, 0.5},
    Endpoint{"GET", "/api/v1/notifications", 3.0, EK::kApi, QK::kSince, 27, 0.7, 3100, 1.0},
    Endpoint{"POST", "/api/v1/events", 4.0, EK::kNoContent, QK::kNone, 6, 0.5, 0, 0},
    Endpoint{"OPTIONS", "/api/v1/orders", 0.5, EK::kNoContent, QK::kNone, 1.5, 0.4, 0, 0},
    Endpoint{"GET", "/static/js/app.{h}.js", 3.0, EK::kStatic, QK::kNone, 3.5, 0.8, 412000, 0.05},
    Endpoint{"GET", "/static/css/main.{h}.css", 2.0, EK::kStatic, QK::kNone, 2.5, 0.8, 61000, 0.05},
    Endpoint{"GET", "/static/img/logo.svg", 1.0, EK::kStatic, QK::kNone, 1.8, 0.7, 5400, 0.0},
    Endpoint{"GET", "/images/products/{n}.jpg", 5.0, EK::kStatic, QK::kNone, 6.0, 0.9, 84000, 0.7},
    Endpoint{"GET", "/favicon.ico", 1.0, EK::kStatic, QK::kNone, 1.2, 0.5, 15086, 0.0},
    Endpoint{"GET", "/", 2.0, EK::kPage, QK::kNone, 32, 0.6, 18500, 0.2},
    Endpoint{"GET", "/dashboard", 1.5, EK::kPage, QK::kNone, 74, 0.6, 24000, 0.3},
    Endpoint{"HEAD", "/", 0.2, EK::kPage, QK::kNone, 4, 0.5, 0, 0},
    Endpoint{"GET", "/healthz", 3.0, EK::kHealth, QK::kNone, 0.8, 0.4, 2, 0.0},
    Endpoint{"GET", "/robots.txt", 0.3, EK::kRobots, QK::kNone, 1.0, 0.4, 68, 0.0},
    Endpoint{"POST", "/webhooks/stripe", 0.3, EK::kApi, QK::kNone, 55, 0.7, 17, 0.0},
};

// clang-format off
constexpr std::array<std::string_view, 40> kTenants = {
    "acme",         "globex",      "initech",     "umbrella",     "hooli",        "stark",
    "wayne",        "wonka",       "tyrell",      "cyberdyne",    "soylent",      "aperture",
    "blackmesa",    "vandelay",    "dundermifflin", "pied-piper", "massive-dynamic", "oscorp",
    "gringotts",    "monarch",     "duff",        "krusty",       "nakatomi",     "weyland",
    "yoyodyne",     "zorg",        "rekall",      "vault-tec",    "nuka",         "bluth",
    "sterling-cooper", "los-pollos", "prestige",  "planet-express", "mom-corp",   "gekko",
    "lacuna",       "octan",       "spacely",     "cogswell",
};
// clang-format on

constexpr std::array kUserAgents = {
    WeightedText{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/124.0.0.0 Safari/537.36",
                 22},
    WeightedText{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.81",
                 6},
    WeightedText{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/124.0.0.0 Safari/537.36",
                 11},
    WeightedText{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.4.1 Safari/605.1.15",
                 8},
    WeightedText{"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0", 5},
    WeightedText{"Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", 1.5},
    WeightedText{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/124.0.0.0 Safari/537.36",
                 2},
    WeightedText{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
                 12},
    WeightedText{"Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.4 Mobile/15E148 Safari/604.1",
                 2},
    WeightedText{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/124.0.6367.82 Mobile Safari/537.36",
                 6},
    WeightedText{"Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
                 3},
    WeightedText{"ShopApp/5.12.1 (iPhone; iOS 17.4.1; Scale/3.00)", 7},
    WeightedText{"ShopApp/5.11.0 (iPhone; iOS 16.7.7; Scale/2.00)", 2},
    WeightedText{"ShopApp/5.12.1 (Android 14; Pixel 7a; okhttp/4.12.0)", 5},
    WeightedText{"okhttp/4.12.0", 1.5},
    WeightedText{"curl/7.88.1", 1.2},
    WeightedText{"curl/8.5.0", 0.6},
    WeightedText{"python-requests/2.31.0", 1.5},
    WeightedText{"Go-http-client/2.0", 1.0},
    WeightedText{"axios/1.6.8", 0.8},
    WeightedText{"PostmanRuntime/7.37.3", 0.5},
    WeightedText{"Apache-HttpClient/4.5.14 (Java/17.0.10)", 0.6},
};

constexpr std::array kBotUserAgents = {
    WeightedText{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 5},
    WeightedText{"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", 2},
    WeightedText{"Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", 1},
    WeightedText{"Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", 0.6},
    WeightedText{"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", 0.5},
    WeightedText{"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", 0.4},
    WeightedText{"Datadog/Synthetics", 0.3},
};

constexpr std::array kProbeUserAgents = {
    WeightedText{"kube-probe/1.29", 6},
    WeightedText{"ELB-HealthChecker/2.0", 3},
    WeightedText{"Prometheus/2.51.2", 1},
};

constexpr std::array<std::string_view, 16> kSearchTerms = {
    "wireless headphones",
    "café au lait",
    "東京 ホテル",
    "naïve bayes",
    "🎧 noise cancelling",
    "Straße",
    "O'Reilly \"Learning SQL\"",
    "C:\\Users\\report.pdf",
    "résumé template",
    "北京",
    "日本語 キーボード",
    "tab\tseparated",
    "größe 42",
    "Ελληνικά",
    "100% cotton",
    "line\nbreak",
};

constexpr std::array<std::string_view, 16> kQueryWords = {
    "shoes",        "wireless+headphones",
    "laptop",       "coffee+beans",
    "desk+lamp",    "usb-c+cable",
    "running",      "gift+card",
    "caf%C3%A9",    "%E6%9D%B1%E4%BA%AC",
    "tent",         "yoga+mat",
    "water+bottle", "keyboard",
    "monitor+27",   "backpack",
};

constexpr std::array<std::string_view, 10> kCategories = {
    "shoes", "electronics", "books", "home", "garden", "toys", "beauty", "sports", "grocery", "outdoor",
};

constexpr std::array<std::string_view, 6> kSortOrders = {
    "desc", "asc", "created_at", "-created_at", "price_asc", "relevance",
};

constexpr std::array<std::string_view, 8> kReferers = {
    "https://www.google.com/",   "https://www.bing.com/",
    "https://duckduckgo.com/",   "https://t.co/",
    "https://www.facebook.com/", "https://news.ycombinator.com/",
    "https://mail.google.com/",  "android-app://com.google.android.gm/",
};

}  // namespace

std::span<const Endpoint> Endpoints() { return kEndpoints; }
std::span<const std::string_view> TenantNames() { return kTenants; }
std::span<const WeightedText> UserAgents() { return kUserAgents; }
std::span<const WeightedText> BotUserAgents() { return kBotUserAgents; }
std::span<const WeightedText> ProbeUserAgents() { return kProbeUserAgents; }
std::span<const std::string_view> SearchTerms() { return kSearchTerms; }
std::span<const std::string_view> QueryWords() { return kQueryWords; }
std::span<const std::string_view> Categories() { return kCategories; }
std::span<const std::string_view> SortOrders() { return kSortOrders; }
std::span<const std::string_view> Referers() { return kReferers; }

}  // namespace loglake::gen
