#include "gen/record_writer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "gen/line_writer.h"
#include "gen/traffic_clock.h"
#include "gen/vocabulary.h"

namespace loglake::gen {
namespace {

constexpr size_t kUsersInAllTenants = 250'000;
constexpr double kTenantZipfExponent = 1.1;

struct StatusShare {
  int status;
  double probability;
};

// Failures that can hit any application endpoint; whatever is left is the endpoint's success.
constexpr std::array<StatusShare, 8> kApiFailures = {{
    {404, 0.018},
    {400, 0.010},
    {401, 0.007},
    {403, 0.003},
    {429, 0.004},
    {500, 0.0025},
    {502, 0.0008},
    {503, 0.001},
}};

int SuccessStatus(EndpointKind kind) {
  switch (kind) {
    case EndpointKind::kCreate: return 201;
    case EndpointKind::kNoContent: return 204;
    default: return 200;
  }
}

int PickStatus(const Endpoint& ep, Rng& rng) {
  double r = rng.Uniform();
  switch (ep.kind) {
    case EndpointKind::kHealth: return r < 0.001 ? 503 : 200;
    case EndpointKind::kRobots: return 200;
    case EndpointKind::kStatic:
      if (r < 0.34) return 304;
      return r < 0.346 ? 404 : 200;
    case EndpointKind::kPage:
      if (r < 0.015) return 301;
      break;
    case EndpointKind::kAuth:
      if (r < 0.09) return 401;
      break;
    default: break;
  }
  r = rng.Uniform();
  for (const StatusShare& f : kApiFailures) {
    if (r < f.probability) return f.status;
    r -= f.probability;
  }
  return SuccessStatus(ep.kind);
}

double PickDurationMs(const Endpoint& ep, int status, Rng& rng) {
  double ms = rng.LogNormal(std::log(ep.latency_median_ms), ep.latency_sigma);
  if (status == 502 && rng.Chance(0.5)) return 30000.0 + rng.Uniform() * 5.0;  // upstream timeout
  if (status == 304)
    ms *= 0.5;
  else if (status >= 400 && status < 500)
    ms *= 0.35;
  else if (status == 500)
    ms *= 1.6;
  else if (status == 503)
    ms = 0.4 + rng.Uniform() * 2.0;
  return std::max(ms, 0.05);
}

int64_t PickBytes(const Endpoint& ep, int status, bool head, Rng& rng) {
  if (head || status == 204 || status == 304 || ep.bytes_median <= 0) return 0;
  if (status == 301) return 162;
  if (status >= 400) return 60 + static_cast<int64_t>(rng.Below(380));
  return static_cast<int64_t>(std::llround(rng.LogNormal(std::log(ep.bytes_median), ep.bytes_sigma)));
}

// Whether a request to `ep` carries no signed-in user.
bool IsAnonymous(const Endpoint& ep, Rng& rng) {
  switch (ep.kind) {
    case EndpointKind::kHealth:
    case EndpointKind::kRobots: return true;
    case EndpointKind::kStatic: return rng.Chance(0.55);
    case EndpointKind::kPage: return rng.Chance(0.3);
    case EndpointKind::kAuth: return rng.Chance(0.9);
    default: return rng.Chance(0.02);
  }
}

WeightedChoice ChoiceOf(std::span<const WeightedText> texts) {
  std::vector<double> w;
  for (const WeightedText& t : texts) w.push_back(t.weight);
  return WeightedChoice(w);
}

// Expands {n} (numeric id), {u} (UUID, the user's own for /users/{u}) and {h} (an asset hash that
// changes with each day's deploy) in an endpoint's path template.
void WritePath(std::string_view pattern, uint64_t user_key, int64_t day, Rng& rng, LineWriter& w) {
  size_t i = 0;
  while (i < pattern.size()) {
    const size_t open = pattern.find('{', i);
    if (open == std::string_view::npos) {
      w.Raw(pattern.substr(i));
      return;
    }
    w.Raw(pattern.substr(i, open - i));
    const char tag = pattern[open + 1];
    if (tag == 'n') {
      const double u = rng.Uniform();
      w.UInt(1 + static_cast<uint64_t>(u * u * 2'400'000.0));
    } else if (tag == 'u') {
      const uint64_t key = rng.Chance(0.8) ? user_key : rng.Next();
      w.Uuid(Mix64(key), Mix64(key ^ 0x5555));
    } else {
      w.Hex(Mix64(static_cast<uint64_t>(day) * 0x9e3779b9ULL), 8);
    }
    i = pattern.find('}', open) + 1;
  }
}

// A query string of the endpoint's kind, as a JSON string.
void WriteQueryValue(QueryKind kind, int64_t completed_micros, TimestampWriter& ts, Rng& rng, LineWriter& w) {
  w.Char('"');
  switch (kind) {
    case QueryKind::kList:
      w.Lit("?page=");
      w.UInt(1 + static_cast<uint64_t>(std::pow(rng.Uniform(), 2.0) * 12));
      if (rng.Chance(0.6)) {
        w.Lit("&sort=");
        w.Raw(SortOrders()[rng.Below(SortOrders().size())]);
      }
      if (rng.Chance(0.3)) w.Raw(rng.Chance(0.5) ? "&limit=50" : "&limit=100");
      break;
    case QueryKind::kSearch:
      w.Lit("?q=");
      w.Raw(QueryWords()[rng.Below(QueryWords().size())]);
      if (rng.Chance(0.35)) {
        w.Lit("&page=");
        w.UInt(2 + rng.Below(5));
      }
      break;
    case QueryKind::kCatalog:
      w.Lit("?category=");
      w.Raw(Categories()[rng.Below(Categories().size())]);
      if (rng.Chance(0.5)) {
        w.Lit("&sort=");
        w.Raw(SortOrders()[rng.Below(SortOrders().size())]);
      }
      break;
    case QueryKind::kSince:
      w.Lit("?since=");
      w.MoveTo(ts.WriteSeconds(completed_micros - static_cast<int64_t>(rng.Below(86'400)) * kMicrosPerSecond,
                               w.pos()));
      break;
    case QueryKind::kNone: w.Raw(rng.Chance(0.5) ? "?utm_source=newsletter&utm_medium=email" : "?v=2"); break;
  }
  w.Char('"');
}

// An address derived from `h`: 12% IPv6 in a few providers' ranges, else a public-looking IPv4.
void WriteIpAddress(uint64_t h, LineWriter& w) {
  if (h % 100 < 12) {  // IPv6
    static constexpr std::array<std::string_view, 5> kPrefixes = {
        "2001:4860:", "2a02:c7c:", "2600:1700:", "2405:6580:", "2a01:e0a:"};
    w.Raw(kPrefixes[(h >> 8) % kPrefixes.size()]);
    uint64_t bits = Mix64(h);
    for (int g = 0; g < 6; ++g) {
      if (g > 0) w.Char(':');
      w.HexGroup(bits & 0xffff);
      bits >>= 16;
      if (g == 3) bits = Mix64(h ^ 0xabcdef);
    }
    return;
  }
  uint64_t first = 1 + (h >> 8) % 223;
  if (first == 10 || first == 127) ++first;
  w.UInt(first);
  for (int shift = 16; shift <= 32; shift += 8) {
    w.Char('.');
    w.UInt((h >> shift) & 0xff);
  }
}

void WriteInternalAddress(Rng& rng, LineWriter& w) {
  w.Lit("10.0.");
  w.UInt(rng.Below(8));
  w.Char('.');
  w.UInt(2 + rng.Below(250));
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

AccessRecordWriter::AccessRecordWriter(uint64_t seed)
    : endpoints_([] {
        std::vector<double> w;
        for (const Endpoint& ep : Endpoints()) w.push_back(ep.weight);
        return WeightedChoice(w);
      }()),
      tenants_(ZipfWeights(TenantNames().size(), kTenantZipfExponent)),
      user_agents_(ChoiceOf(UserAgents())),
      bot_agents_(ChoiceOf(BotUserAgents())),
      probe_agents_(ChoiceOf(ProbeUserAgents())),
      population_salt_(Mix64(seed ^ 0x0123456789abcdefULL)) {
  for (size_t t = 0; t < tenants_.size(); ++t) {
    const double share = tenants_.Probability(t);
    users_per_tenant_.push_back(static_cast<uint32_t>(std::max(30.0, share * kUsersInAllTenants)));
  }
}

AccessRecordWriter::Request AccessRecordWriter::Draw(int64_t completed_micros, int64_t min_micros,
                                                     int64_t max_micros, Rng& rng) const {
  Request r;
  r.endpoint = &Endpoints()[endpoints_.Pick(rng)];
  const Endpoint& ep = *r.endpoint;
  r.completed_micros = completed_micros;
  r.tenant = tenants_.Pick(rng);
  const bool is_get = ep.method == "GET" || ep.method == "HEAD";
  r.bot =
      is_get && (ep.kind == EndpointKind::kRobots || (ep.kind != EndpointKind::kHealth && rng.Chance(0.025)));
  r.anonymous = r.bot || IsAnonymous(ep, rng);
  // Activity within a tenant is skewed: index ~ n * u^3 puts half the requests on its top 12%.
  const double u = rng.Uniform();
  const uint64_t user_index = static_cast<uint64_t>(u * u * u * users_per_tenant_[r.tenant]);
  r.user_key = Mix64(population_salt_ ^ (static_cast<uint64_t>(r.tenant) << 40) ^ user_index);
  r.status = PickStatus(ep, rng);
  r.duration_ms = PickDurationMs(ep, r.status, rng);
  r.bytes_sent = PickBytes(ep, r.status, ep.method == "HEAD", rng);
  // Logged when the request completes, stamped with when it started; plus a little clock jitter.
  const int64_t started =
      completed_micros - static_cast<int64_t>(r.duration_ms * 1000.0) - static_cast<int64_t>(rng.Below(1500));
  r.time_micros = std::clamp(started, min_micros, max_micros);
  r.day = FloorDiv(r.time_micros, kMicrosPerDay);
  return r;
}

char* AccessRecordWriter::Write(int64_t completed_micros, int64_t min_micros, int64_t max_micros, BadKind bad,
                                Rng& rng, char* out, RecordSpans* spans) {
  const Request r = Draw(completed_micros, min_micros, max_micros, rng);
  LineWriter w(out);
  WriteWho(r, bad, rng, w);
  WriteWhat(r, bad, rng, w);
  w.Lit(",\"user_agent\":\"");
  spans->user_agent_begin = static_cast<size_t>(w.pos() - out);
  const std::string_view agent = WriteUserAgent(r, bad, rng, w);
  spans->user_agent_end = static_cast<size_t>(w.pos() - out);
  w.Char('"');
  WriteExtras(r, agent, rng, w);
  w.Char('}');
  return w.pos();
}

void AccessRecordWriter::WriteWho(const Request& r, BadKind bad, Rng& rng, LineWriter& w) {
  // Two statements: the evaluation order of function arguments differs between compilers.
  const uint64_t uuid_hi = rng.Next();
  const uint64_t uuid_lo = rng.Next();
  w.Lit("{\"uuid\":\"");
  w.Uuid(uuid_hi, uuid_lo);
  w.Char('"');

  if (bad == BadKind::kMissingTime) {
    if (rng.Chance(0.5)) w.Lit(",\"time\":null");
  } else if (bad == BadKind::kBadTimeText) {
    static constexpr std::array<std::string_view, 6> kBadTimes = {
        "\"yesterday\"", "\"2024-13-45T99:00:00Z\"", "\"05/01/2024 10:11:12\"", "\"\"",
        "true",          "\"2024-02-30T10:00:00Z\""};
    w.Lit(",\"time\":");
    w.Raw(kBadTimes[rng.Below(kBadTimes.size())]);
  } else {
    w.Lit(",\"time\":\"");
    w.MoveTo(timestamps_.Write(r.time_micros, w.pos()));
    w.Char('"');
  }

  w.Lit(",\"tenant_id\":");
  w.PlainString(TenantNames()[r.tenant]);
  if (!r.anonymous) {
    w.Lit(",\"user_id\":\"usr_");
    w.Hex(r.user_key, 12);
    w.Char('"');
  } else if (rng.Chance(0.7)) {
    w.Lit(",\"user_id\":null");
  }
}

void AccessRecordWriter::WriteWhat(const Request& r, BadKind bad, Rng& rng, LineWriter& w) {
  const Endpoint& ep = *r.endpoint;
  w.Lit(",\"method\":");
  w.PlainString(ep.method);
  w.Lit(",\"path\":\"");
  WritePath(ep.pattern, r.user_key, r.day, rng, w);
  w.Char('"');

  // Most requests carry no query string: the key is absent, empty or null, as loggers differ.
  const double q = rng.Uniform();
  const double with_value = ep.query == QueryKind::kNone ? 0.02 : 0.6;
  if (q < with_value) {
    w.Lit(",\"query\":");
    WriteQueryValue(ep.query, r.completed_micros, timestamps_, rng, w);
  } else if (q < with_value + 0.08) {
    w.Lit(",\"query\":\"\"");
  } else if (q < with_value + 0.11) {
    w.Lit(",\"query\":null");
  }

  const bool huge_status = bad == BadKind::kIntOutOfRange && rng.Chance(0.5);
  w.Lit(",\"status\":");
  if (bad == BadKind::kStatusNotNumber) {
    static constexpr std::array<std::string_view, 5> kWords = {"\"OK\"", "\"n/a\"", "\"2OO\"", "\"\"",
                                                               "\"timeout\""};
    w.Raw(kWords[rng.Below(kWords.size())]);
  } else if (huge_status) {
    w.UInt(2'147'483'648ULL + rng.Below(10'000'000'000ULL));
  } else {
    w.Int(r.status);
  }
  w.Lit(",\"duration_ms\":");
  w.Fixed(r.duration_ms, 3);
  w.Lit(",\"bytes_sent\":");
  if (bad == BadKind::kIntOutOfRange && !huge_status) {
    static constexpr std::array<std::string_view, 3> kHuge = {"9223372036854775808", "18446744073709551616",
                                                              "-9223372036854775809"};
    w.Raw(kHuge[rng.Below(kHuge.size())]);
  } else {
    w.Int(r.bytes_sent);
  }

  w.Lit(",\"remote_ip\":\"");
  if (ep.kind == EndpointKind::kHealth) {
    WriteInternalAddress(rng, w);
  } else {
    // A signed-in user comes from one of a few addresses; anyone else from anywhere.
    WriteIpAddress(r.anonymous ? rng.Next() : Mix64(r.user_key + rng.Below(3)), w);
  }
  w.Char('"');
}

std::string_view AccessRecordWriter::WriteUserAgent(const Request& r, BadKind bad, Rng& rng, LineWriter& w) {
  std::string_view agent;
  if (r.endpoint->kind == EndpointKind::kHealth) {
    agent = ProbeUserAgents()[probe_agents_.Pick(rng)].text;
  } else if (r.bot) {
    agent = BotUserAgents()[bot_agents_.Pick(rng)].text;
  } else if (!r.anonymous && rng.Chance(0.9)) {
    // People keep their browser: the agent follows from the user.
    const double sticky = static_cast<double>(Mix64(r.user_key ^ 0xa6e47) >> 11) * 0x1.0p-53;
    agent = UserAgents()[user_agents_.PickAt(sticky)].text;
  } else {
    agent = UserAgents()[user_agents_.Pick(rng)].text;
  }
  if (bad == BadKind::kInvalidUtf8) {
    static constexpr std::array<std::string_view, 4> kBadBytes = {"\xff", "\xc3\x28", "\xed\xa0\x80",
                                                                  "\xe2\x82"};
    const size_t at = 1 + rng.Below(agent.size() - 1);
    w.Raw(agent.substr(0, at));
    w.Raw(kBadBytes[rng.Below(kBadBytes.size())]);
    w.Raw(agent.substr(at));
  } else {
    w.Raw(agent);
  }
  return agent;
}

void AccessRecordWriter::WriteExtras(const Request& r, std::string_view agent, Rng& rng, LineWriter& w) {
  const bool browser = !r.bot && !r.anonymous && agent.starts_with("Mozilla/");
  if (browser && r.endpoint->kind != EndpointKind::kHealth && rng.Chance(0.25)) {
    w.Lit(",\"referer\":\"");
    if (rng.Chance(0.6)) {
      static constexpr std::array<std::string_view, 5> kPages = {"", "cart", "checkout", "account/orders",
                                                                 "products/"};
      w.Lit("https://");
      w.Raw(TenantNames()[r.tenant]);
      w.Lit(".shop.example/");
      const std::string_view page = kPages[rng.Below(kPages.size())];
      w.Raw(page);
      if (page == "products/") w.UInt(1 + rng.Below(2'400'000));
    } else {
      w.Raw(Referers()[rng.Below(Referers().size())]);
    }
    w.Char('"');
  }

  w.Lit(",\"request_id\":\"req-");
  w.Hex(rng.Next(), 16);
  w.Char('"');

  if (!r.anonymous && rng.Chance(0.12)) {
    w.Lit(",\"session_id\":\"sess_");
    w.Hex(Mix64(r.user_key ^ static_cast<uint64_t>(r.day)), 16);
    w.Char('"');
  }
  if (r.endpoint->query == QueryKind::kSearch && rng.Chance(0.4)) {
    w.Lit(",\"search_term\":");
    w.String(SearchTerms()[rng.Below(SearchTerms().size())]);
  }
  if (rng.Chance(0.05)) {
    w.Lit(",\"trace\":{\"trace_id\":\"");
    w.Hex(rng.Next(), 16);
    w.Hex(rng.Next(), 16);
    w.Lit("\",\"span\":\"");
    w.Hex(rng.Next(), 16);
    w.Raw(rng.Chance(0.9) ? "\",\"sampled\":true}" : "\",\"sampled\":false}");
  }
  if (rng.Chance(0.02)) {
    w.Lit(",\"x_forwarded_for\":\"");
    WriteIpAddress(rng.Next(), w);
    w.Lit(", ");
    WriteInternalAddress(rng, w);
    w.Char('"');
  }
}

}  // namespace loglake::gen
