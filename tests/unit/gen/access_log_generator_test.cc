#include "gen/access_log_generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/time.h"

namespace loglake::gen {
namespace {

// ---------------------------------------------------------------------------------------------
// A small strict JSON reader (RFC 8259, UTF-8 checked), so that these tests judge the output
// independently of the project's own JSON code.

struct Json {
  enum Type { kNull, kBool, kNumber, kString, kObject, kArray } type = kNull;
  std::string text;               // decoded string, or the number / literal as written
  std::vector<std::string> keys;  // object members, in order
  std::vector<Json> values;
  std::vector<Json> items;

  const Json* Find(const std::string& key) const {
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == key) return &values[i];
    }
    return nullptr;
  }
};

class StrictJson {
 public:
  explicit StrictJson(std::string_view s) : s_(s) {}

  // The single value making up the whole input, or nullopt.
  std::optional<Json> ParseDocument() {
    std::optional<Json> v = Value(0);
    SkipSpace();
    if (!v || i_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  void SkipSpace() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool Eat(char c) {
    SkipSpace();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool Literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  std::optional<Json> Value(int depth) {
    if (depth > 64) return std::nullopt;
    SkipSpace();
    if (i_ >= s_.size()) return std::nullopt;
    Json v;
    const char c = s_[i_];
    if (c == '{') {
      ++i_;
      v.type = Json::kObject;
      if (Eat('}')) return v;
      do {
        SkipSpace();
        std::optional<std::string> key = String();
        if (!key || !Eat(':')) return std::nullopt;
        std::optional<Json> member = Value(depth + 1);
        if (!member) return std::nullopt;
        v.keys.push_back(std::move(*key));
        v.values.push_back(std::move(*member));
      } while (Eat(','));
      if (!Eat('}')) return std::nullopt;
      return v;
    }
    if (c == '[') {
      ++i_;
      v.type = Json::kArray;
      if (Eat(']')) return v;
      do {
        std::optional<Json> item = Value(depth + 1);
        if (!item) return std::nullopt;
        v.items.push_back(std::move(*item));
      } while (Eat(','));
      if (!Eat(']')) return std::nullopt;
      return v;
    }
    if (c == '"') {
      std::optional<std::string> s = String();
      if (!s) return std::nullopt;
      v.type = Json::kString;
      v.text = std::move(*s);
      return v;
    }
    if (Literal("null")) return v;
    if (Literal("true") || Literal("false")) {
      v.type = Json::kBool;
      return v;
    }
    const size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) return std::nullopt;
    if (s_[i_] == '0') {
      ++i_;
    } else {
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) return std::nullopt;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) return std::nullopt;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    v.type = Json::kNumber;
    v.text = std::string(s_.substr(start, i_ - start));
    return v;
  }

  // A string literal at i_; checks escapes and UTF-8 (no overlongs, surrogates or > U+10FFFF).
  std::optional<std::string> String() {
    if (i_ >= s_.size() || s_[i_] != '"') return std::nullopt;
    ++i_;
    std::string out;
    while (i_ < s_.size()) {
      const unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return out;
      }
      if (c < 0x20) return std::nullopt;
      if (c == '\\') {
        if (++i_ >= s_.size()) return std::nullopt;
        const char e = s_[i_++];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u':
            if (i_ + 4 > s_.size()) return std::nullopt;
            for (int k = 0; k < 4; ++k) {
              if (!std::isxdigit(static_cast<unsigned char>(s_[i_ + k]))) return std::nullopt;
            }
            out += "\\u" + std::string(s_.substr(i_, 4));  // kept escaped; enough for these tests
            i_ += 4;
            break;
          default: return std::nullopt;
        }
        continue;
      }
      if (c < 0x80) {
        size_t end = i_ + 1;
        while (end < s_.size() && s_[end] != '"' && s_[end] != '\\' &&
               static_cast<unsigned char>(s_[end]) >= 0x20 && static_cast<unsigned char>(s_[end]) < 0x80) {
          ++end;
        }
        out.append(s_.substr(i_, end - i_));
        i_ = end;
        continue;
      }
      int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
      if (len == 0 || c > 0xf4 || i_ + len > s_.size()) return std::nullopt;
      uint32_t cp = c & (0x3f >> (len - 1));
      for (int k = 1; k < len; ++k) {
        const unsigned char cc = static_cast<unsigned char>(s_[i_ + k]);
        if ((cc & 0xc0) != 0x80) return std::nullopt;
        cp = (cp << 6) | (cc & 0x3f);
      }
      if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
          (cp >= 0xd800 && cp <= 0xdfff)) {
        return std::nullopt;
      }
      out.append(s_.substr(i_, len));
      i_ += len;
    }
    return std::nullopt;
  }

  std::string_view s_;
  size_t i_ = 0;
};

// ---------------------------------------------------------------------------------------------

const std::set<std::string> kColumns = {"uuid",      "time",       "tenant_id", "user_id",     "method",
                                        "path",      "query",      "status",    "duration_ms", "bytes_sent",
                                        "remote_ip", "user_agent", "request_id"};

bool IsInteger(const Json& v) {
  return v.type == Json::kNumber && v.text.find_first_of(".eE") == std::string::npos;
}

bool FitsInt(const std::string& digits, int64_t lo, int64_t hi) {
  if (digits.size() > 20) return false;
  errno = 0;
  char* end = nullptr;
  const long long x = std::strtoll(digits.c_str(), &end, 10);
  return errno == 0 && *end == '\0' && x >= lo && x <= hi;
}

// True when `s` has the shape of `pattern`, where '9' stands for a digit, 'h' for a lowercase hex
// digit, '8' for one of 8, 9, a, b, and any other character for itself. (std::regex would do,
// but is far too slow under the sanitizers for a hundred thousand lines.)
bool HasShape(std::string_view s, std::string_view pattern) {
  if (s.size() != pattern.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (pattern[i]) {
      case '9':
        if (c < '0' || c > '9') return false;
        break;
      case 'h':
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        break;
      case '8':
        if (c != '8' && c != '9' && c != 'a' && c != 'b') return false;
        break;
      default:
        if (c != pattern[i]) return false;
    }
  }
  return true;
}

bool IsUuidV4(std::string_view s) { return HasShape(s, "hhhhhhhh-hhhh-4hhh-8hhh-hhhhhhhhhhhh"); }

// Day number of a "YYYY-MM-DDTHH:MM:SS.ffffffZ" timestamp, nullopt when it is anything else.
std::optional<int64_t> TimestampDay(const std::string& s) {
  if (!HasShape(s, "9999-99-99T99:99:99.999999Z")) return std::nullopt;
  if (s.substr(11, 2) > "23" || s.substr(14, 2) > "59" || s.substr(17, 2) > "59") return std::nullopt;
  Result<CivilDate> date = ParseDate(std::string_view(s).substr(0, 10));
  if (!date.ok()) return std::nullopt;
  return DaysFromCivil(date->year, date->month, date->day);
}

// Microseconds since the epoch of a timestamp that TimestampDay() accepts.
int64_t TimestampMicros(const std::string& s) {
  const int64_t seconds = *TimestampDay(s) * 86'400 + std::stoll(s.substr(11, 2)) * 3600 +
                          std::stoll(s.substr(14, 2)) * 60 + std::stoll(s.substr(17, 2));
  return seconds * 1'000'000 + std::stoll(s.substr(20, 6));
}

// Why a parsed line does not fit the access_log table, or "" when it does.
std::string Misfit(const Json& rec, int64_t first_day, int64_t last_day) {
  if (rec.type != Json::kObject) return "not an object";
  std::set<std::string> seen;
  for (const std::string& k : rec.keys) {
    if (!seen.insert(k).second) return "duplicate key " + k;
  }
  for (const char* required : {"uuid", "time", "tenant_id", "method", "path", "status", "duration_ms",
                               "bytes_sent", "remote_ip", "user_agent", "request_id"}) {
    if (!rec.Find(required)) return std::string("missing ") + required;
  }
  for (const char* key : {"uuid", "tenant_id", "method", "path", "remote_ip", "user_agent", "request_id"}) {
    if (rec.Find(key)->type != Json::kString) return std::string(key) + " is not a string";
  }
  for (const char* key : {"user_id", "query"}) {
    const Json* v = rec.Find(key);
    if (v && v->type != Json::kString && v->type != Json::kNull) return std::string(key) + " is not a string";
  }
  const Json& time = *rec.Find("time");
  if (time.type != Json::kString) return "time is not a string";
  const std::optional<int64_t> day = TimestampDay(time.text);
  if (!day) return "time is not a timestamp: " + time.text;
  if (*day < first_day || *day > last_day) return "time outside the requested days: " + time.text;
  const Json& status = *rec.Find("status");
  if (!IsInteger(status) || !FitsInt(status.text, INT32_MIN, INT32_MAX)) return "status is not an int32";
  const Json& bytes = *rec.Find("bytes_sent");
  if (!IsInteger(bytes) || !FitsInt(bytes.text, INT64_MIN, INT64_MAX)) return "bytes_sent is not an int64";
  const Json& duration = *rec.Find("duration_ms");
  if (duration.type != Json::kNumber || std::stod(duration.text) <= 0) return "duration_ms is not positive";
  return "";
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

AccessLogOptions Options(uint64_t records, uint64_t seed, double dup_rate, double bad_rate) {
  AccessLogOptions o;
  o.records = records;
  o.start_day = DaysFromCivil(2024, 5, 1);
  o.days = 3;
  o.seed = seed;
  o.dup_rate = dup_rate;
  o.bad_rate = bad_rate;
  return o;
}

std::string GenerateAll(const AccessLogOptions& options, AccessLogStats* stats = nullptr,
                        size_t chunk_bytes = kDefaultChunkBytes) {
  std::string all;
  Result<AccessLogStats> r = GenerateAccessLog(
      options,
      [&all](std::string_view chunk) {
        all.append(chunk);
        return Status::OK();
      },
      chunk_bytes);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (stats && r.ok()) *stats = *r;
  return all;
}

uint64_t Fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

TEST(AccessLogGeneratorTest, SameSeedSameBytesDifferentSeedDifferentBytes) {
  const std::string a = GenerateAll(Options(5000, 7, 0.01, 0.01));
  const std::string b = GenerateAll(Options(5000, 7, 0.01, 0.01), nullptr, 1000);  // other chunking
  const std::string c = GenerateAll(Options(5000, 8, 0.01, 0.01));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  const std::vector<std::string> la = SplitLines(a), lc = SplitLines(c);
  ASSERT_EQ(la.size(), lc.size());
  size_t same = 0;
  for (size_t i = 0; i < la.size(); ++i) same += la[i] == lc[i];
  EXPECT_EQ(same, 0u);
}

// Pins the exact output, so that a change to the generator's output (which would silently change
// every benchmark input) is a decision, not an accident. Update the constant when the data model
// changes on purpose.
TEST(AccessLogGeneratorTest, OutputIsPinned) {
  EXPECT_EQ(Fnv1a(GenerateAll(Options(3000, 42, 0.01, 0.01))), 0xedf88283c46bd7b5ULL);
}

TEST(AccessLogGeneratorTest, WritesExactlyTheRequestedLines) {
  for (uint64_t n : {0ULL, 1ULL, 2ULL, 17ULL, 4096ULL}) {
    AccessLogStats stats;
    const std::string all = GenerateAll(Options(n, 3, 0.3, 0.1), &stats);
    EXPECT_EQ(SplitLines(all).size(), n);
    EXPECT_EQ(static_cast<uint64_t>(std::count(all.begin(), all.end(), '\n')), n);
    EXPECT_EQ(stats.lines, n);
    EXPECT_EQ(stats.records + stats.duplicates + stats.bad, n);
    EXPECT_EQ(stats.bytes, all.size());
  }
}

TEST(AccessLogGeneratorTest, GoodLinesFitTheTableAndRatesAreRespected) {
  const uint64_t n = 40'000;
  const AccessLogOptions options = Options(n, 11, 0.03, 0.04);
  AccessLogStats stats;
  const std::vector<std::string> lines = SplitLines(GenerateAll(options, &stats));
  ASSERT_EQ(lines.size(), n);

  std::unordered_map<std::string, std::string> line_of_uuid;
  uint64_t good = 0, repeats = 0, rejected = 0, with_extra = 0;
  uint64_t user_missing = 0, user_null = 0, query_missing = 0, query_empty = 0, query_null = 0,
           query_value = 0;
  std::map<int64_t, uint64_t> per_day;
  std::map<std::string, uint64_t> statuses;
  uint64_t out_of_order = 0;
  int64_t last_time = 0;
  for (const std::string& line : lines) {
    std::optional<Json> rec = StrictJson(line).ParseDocument();
    if (!rec || !Misfit(*rec, options.start_day, options.start_day + options.days - 1).empty()) {
      ++rejected;
      continue;
    }
    ++good;
    const std::string& uuid = rec->Find("uuid")->text;
    EXPECT_TRUE(IsUuidV4(uuid)) << uuid;
    auto [it, fresh] = line_of_uuid.emplace(uuid, line);
    if (!fresh) {
      EXPECT_EQ(it->second, line) << "a repeated uuid must repeat the whole record";
      ++repeats;
      continue;
    }
    const std::string& time = rec->Find("time")->text;
    ++per_day[*TimestampDay(time)];
    // Lines follow completion order; a start time more than a minute before the previous
    // line's is rare (very slow requests only).
    const int64_t micros = TimestampMicros(time);
    out_of_order += micros < last_time - 60'000'000;
    last_time = micros;
    ++statuses[rec->Find("status")->text];
    for (const std::string& key : rec->keys) {
      if (!kColumns.count(key)) {
        ++with_extra;
        break;
      }
    }
    const Json* user = rec->Find("user_id");
    user_missing += user == nullptr;
    user_null += user && user->type == Json::kNull;
    const Json* query = rec->Find("query");
    query_missing += query == nullptr;
    query_null += query && query->type == Json::kNull;
    query_empty += query && query->type == Json::kString && query->text.empty();
    query_value += query && query->type == Json::kString && !query->text.empty();
  }

  // The checker and the generator agree on every line.
  EXPECT_EQ(rejected, stats.bad);
  EXPECT_EQ(repeats, stats.duplicates);
  EXPECT_EQ(good - repeats, stats.records);
  // Rates, within five standard deviations.
  EXPECT_NEAR(static_cast<double>(stats.duplicates), 0.03 * n, 5 * std::sqrt(0.03 * n));
  EXPECT_NEAR(static_cast<double>(stats.bad), 0.04 * n, 5 * std::sqrt(0.04 * n));
  for (int k = 1; k < kBadKindCount; ++k) {
    EXPECT_GT(stats.bad_by_kind[static_cast<size_t>(k)], 0u) << BadKindName(static_cast<BadKind>(k));
  }
  // Every requested day has traffic and no other day does.
  EXPECT_EQ(per_day.size(), 3u);
  EXPECT_EQ(per_day.begin()->first, options.start_day);
  EXPECT_LT(out_of_order, n / 1000);
  // A realistic mix: mostly 200, and the failures a service sees.
  EXPECT_GT(statuses["200"], n / 2);
  for (const char* s : {"201", "204", "301", "304", "400", "401", "403", "404", "429", "500", "502", "503"}) {
    EXPECT_GT(statuses[s], 0u) << s;
  }
  // The extra column and the null/empty/missing distinctions all get exercised.
  EXPECT_GT(with_extra, n / 10);
  EXPECT_GT(user_missing, 0u);
  EXPECT_GT(user_null, 0u);
  EXPECT_GT(query_missing, n / 3);
  EXPECT_GT(query_empty, 0u);
  EXPECT_GT(query_null, 0u);
  EXPECT_GT(query_value, n / 20);
}

TEST(AccessLogGeneratorTest, RecordsStayFarBelowTheSizeBound) {
  size_t longest = 0;
  for (const std::string& line : SplitLines(GenerateAll(Options(20'000, 5, 0.0, 0.2)))) {
    longest = std::max(longest, line.size());
  }
  EXPECT_LT(longest, kMaxRecordBytes / 2);
}

TEST(AccessLogGeneratorTest, EveryBadLineIsRejectedByAStrictReader) {
  const AccessLogOptions options = Options(5'000, 13, 0.0, 1.0);
  AccessLogStats stats;
  const std::vector<std::string> lines = SplitLines(GenerateAll(options, &stats));
  EXPECT_EQ(stats.bad, lines.size());
  for (const std::string& line : lines) {
    std::optional<Json> rec = StrictJson(line).ParseDocument();
    EXPECT_TRUE(!rec || !Misfit(*rec, options.start_day, options.start_day + options.days - 1).empty())
        << line;
    EXPECT_FALSE(line.empty());
  }
}

TEST(AccessLogGeneratorTest, RejectsOptionsItCannotHonour) {
  AccessLogOptions o = Options(10, 1, 0, 0);
  EXPECT_TRUE(ValidateAccessLogOptions(o).ok());
  o.days = 0;
  EXPECT_EQ(ValidateAccessLogOptions(o).code(), StatusCode::kInvalidArgument);
  o = Options(10, 1, 0.6, 0);
  EXPECT_NE(ValidateAccessLogOptions(o).message().find("dup-rate"), std::string::npos);
  o = Options(10, 1, 0, -0.1);
  EXPECT_NE(ValidateAccessLogOptions(o).message().find("--bad-rate"), std::string::npos);
  o = Options(10, 1, std::nan(""), 0);
  EXPECT_FALSE(ValidateAccessLogOptions(o).ok());
  o = Options(10, 1, 0, 0);
  o.start_day = DaysFromCivil(9999, 12, 31);  // and a second day in year 10000
  o.days = 2;
  EXPECT_FALSE(ValidateAccessLogOptions(o).ok());
  EXPECT_FALSE(GenerateAccessLog(o, [](std::string_view) { return Status::OK(); }).ok());
}

TEST(AccessLogGeneratorTest, SinkErrorsStopTheRun) {
  int calls = 0;
  Result<AccessLogStats> r = GenerateAccessLog(
      Options(100'000, 1, 0, 0),
      [&calls](std::string_view) {
        ++calls;
        return Status::IOError("disk full");
      },
      4096);
  EXPECT_EQ(r.status().code(), StatusCode::kIOError);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace loglake::gen
