// AccessLogGenerator: the synthetic access logs behind `loglake gen`, every demo and benchmark.
//
// Writes `records` lines of NDJSON for the built-in access_log table, spread over `days` UTC days
// from `start_day` along a daily traffic curve, in (roughly) increasing time order. Of those
// lines, about `dup_rate` are exact repeats of an earlier line (same uuid, same bytes) written a
// little later, as at-least-once delivery produces them, and about `bad_rate` are bad records of
// the kinds in bad_record.h. Every other line is a valid record that fits access_log.
//
// The output is a pure function of the options: the same options give the same bytes on every
// run and every machine (the generator's own PRNG; no clocks, no std:: distributions).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "gen/bad_record.h"
#include "gen/random.h"
#include "gen/record_writer.h"
#include "gen/traffic_clock.h"

namespace loglake::gen {

struct AccessLogOptions {
  uint64_t records = 1000;  // lines written in total: fresh records, duplicates and bad ones
  int64_t start_day = 0;    // first day, in days since 1970-01-01 (UTC)
  int64_t days = 1;         // 1..kMaxDays
  uint64_t seed = 1;
  double dup_rate = 0;  // fraction of lines that repeat an earlier record
  double bad_rate = 0;  // fraction of lines that are bad records
};

constexpr int64_t kMaxDays = 36'600;

// InvalidArgument naming the offending option when the options cannot be honoured: days out of
// range, dates outside years 0000..9999, rates outside [0, 1], or 2 * dup_rate + bad_rate > 1
// (each fresh record is repeated at most once, so duplicates cannot outnumber fresh records).
Status ValidateAccessLogOptions(const AccessLogOptions& options);

struct AccessLogStats {
  uint64_t lines = 0;       // everything written
  uint64_t records = 0;     // fresh valid records
  uint64_t duplicates = 0;  // repeats of an earlier fresh record
  uint64_t bad = 0;
  std::array<uint64_t, kBadKindCount> bad_by_kind{};  // indexed by BadKind
  uint64_t bytes = 0;
};

constexpr size_t kDefaultChunkBytes = 1 << 20;

class AccessLogGenerator {
 public:
  // `options` must pass ValidateAccessLogOptions.
  explicit AccessLogGenerator(const AccessLogOptions& options, size_t chunk_bytes = kDefaultChunkBytes);

  // The next whole lines: at least `chunk_bytes` of them unless the log ends first; empty once
  // every line has been produced. The view is valid until the next call.
  std::string_view NextChunk();

  const AccessLogStats& stats() const { return stats_; }

 private:
  struct PendingDuplicate {
    uint64_t due_line;
    uint64_t sequence;  // keeps repeats due on the same line in scheduling order
    std::string text;   // the line, newline included
  };
  struct DueLater {
    bool operator()(const PendingDuplicate& a, const PendingDuplicate& b) const {
      return a.due_line != b.due_line ? a.due_line > b.due_line : a.sequence > b.sequence;
    }
  };

  // Writes the next line at `out` and returns its end.
  char* WriteLine(char* out);

  AccessLogOptions options_;
  size_t chunk_bytes_;
  std::unique_ptr<char[]> buffer_;  // chunk_bytes_ plus room for one more line
  std::string damaged_;             // scratch for bad records
  double bad_probability_;          // per line that is not a repeat
  double duplicate_probability_;    // per fresh record
  Rng rng_;
  TrafficClock clock_;
  AccessRecordWriter records_;
  std::priority_queue<PendingDuplicate, std::vector<PendingDuplicate>, DueLater> pending_;
  uint64_t next_sequence_ = 0;
  AccessLogStats stats_;
};

// Validates the options and runs a generator to the end, handing each chunk to `sink`; stops at
// the first error the sink returns.
Result<AccessLogStats> GenerateAccessLog(const AccessLogOptions& options,
                                         const std::function<Status(std::string_view)>& sink,
                                         size_t chunk_bytes = kDefaultChunkBytes);

}  // namespace loglake::gen
