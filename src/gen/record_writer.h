// AccessRecordWriter: writes one synthetic access-log record as a line of JSON.
//
// The model of a request lives here: an endpoint (method + path template), a tenant of Zipf-like
// size, a user from that tenant (a few very active users, a long tail; anonymous for assets and
// probes), a user agent that sticks to the user, a status that depends on the endpoint, a
// lognormal latency and response size, and the extra keys real services add (referer,
// session_id, trace, search_term, x_forwarded_for). Records are the columns of the built-in
// access_log table plus those extra keys. A BadKind other than kNone writes the record with that
// field-level defect instead (see bad_record.h).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "gen/bad_record.h"
#include "gen/line_writer.h"
#include "gen/random.h"
#include "gen/timestamp_writer.h"
#include "gen/vocabulary.h"
#include "gen/weighted_choice.h"

namespace loglake::gen {

// Where the contents of the user_agent string value of the last record sit, as offsets from the
// record's first byte.
struct RecordSpans {
  size_t user_agent_begin = 0;
  size_t user_agent_end = 0;
};

// No record is longer than this; a writer needs this much room to start one.
constexpr size_t kMaxRecordBytes = 4096;

class AccessRecordWriter {
 public:
  // `seed` fixes the population (user ids, their agents and addresses), independent of the
  // per-record draws that the caller's Rng makes.
  explicit AccessRecordWriter(uint64_t seed);

  // Writes one record at `out`, without a newline, for a request that completed at
  // `completed_micros`, and returns its end. Its "time" is when the request started (completion
  // minus duration), kept within [min_micros, max_micros]. `out` must have kMaxRecordBytes of room.
  char* Write(int64_t completed_micros, int64_t min_micros, int64_t max_micros, BadKind bad, Rng& rng,
              char* out, RecordSpans* spans);

 private:
  // One request, drawn before any of it is written.
  struct Request {
    const Endpoint* endpoint;
    int64_t completed_micros;
    int64_t time_micros;  // when it started: the record's time
    int64_t day;          // of time_micros, days since 1970-01-01
    size_t tenant;
    uint64_t user_key;  // identifies the user (also when anonymous: then unused)
    bool bot;
    bool anonymous;
    int status;
    double duration_ms;
    int64_t bytes_sent;
  };

  Request Draw(int64_t completed_micros, int64_t min_micros, int64_t max_micros, Rng& rng) const;
  // uuid, time, tenant_id, user_id.
  void WriteWho(const Request& r, BadKind bad, Rng& rng, LineWriter& w);
  // method, path, query, status, duration_ms, bytes_sent, remote_ip.
  void WriteWhat(const Request& r, BadKind bad, Rng& rng, LineWriter& w);
  // The contents of the user_agent string; returns the agent chosen.
  std::string_view WriteUserAgent(const Request& r, BadKind bad, Rng& rng, LineWriter& w);
  // referer, request_id and the other keys that are not columns.
  void WriteExtras(const Request& r, std::string_view agent, Rng& rng, LineWriter& w);

  WeightedChoice endpoints_;
  WeightedChoice tenants_;
  WeightedChoice user_agents_;
  WeightedChoice bot_agents_;
  WeightedChoice probe_agents_;
  std::vector<uint32_t> users_per_tenant_;
  uint64_t population_salt_;
  TimestampWriter timestamps_;
};

}  // namespace loglake::gen
