#include "gen/access_log_generator.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <string>

#include "common/time.h"

namespace loglake::gen {
namespace {

// Repeats arrive a little later: a geometric-like delay with this mean, in lines.
constexpr double kMeanDuplicateDelayLines = 400;

// A record, the growth of a damaged one, and its newline.
constexpr size_t kMaxLineBytes = kMaxRecordBytes + kMaxDamageGrowth + 1;

}  // namespace

Status ValidateAccessLogOptions(const AccessLogOptions& o) {
  if (o.days < 1 || o.days > kMaxDays) {
    return Status::InvalidArgument("--days must be between 1 and " + std::to_string(kMaxDays) + ", got " +
                                   std::to_string(o.days));
  }
  // Within the instants the lake stores (years 0000..9999), checked before any day arithmetic.
  const int64_t first_allowed_day = kMinTimestampMicros / kMicrosPerDay;
  const int64_t last_allowed_day = kMaxTimestampMicros / kMicrosPerDay;
  if (o.start_day < first_allowed_day || o.start_day > last_allowed_day - (o.days - 1)) {
    return Status::InvalidArgument("the generated days must lie within years 0000..9999");
  }
  // Written so that NaN fails too.
  if (!(o.dup_rate >= 0 && o.dup_rate <= 1)) {
    return Status::InvalidArgument("--dup-rate must be a fraction between 0 and 1, got " +
                                   std::to_string(o.dup_rate));
  }
  if (!(o.bad_rate >= 0 && o.bad_rate <= 1)) {
    return Status::InvalidArgument("--bad-rate must be a fraction between 0 and 1, got " +
                                   std::to_string(o.bad_rate));
  }
  if (2 * o.dup_rate + o.bad_rate > 1) {
    return Status::InvalidArgument(
        "--dup-rate and --bad-rate leave too few fresh records: each record is repeated at most once, so "
        "2 * dup-rate + bad-rate must be at most 1");
  }
  return Status::OK();
}

AccessLogGenerator::AccessLogGenerator(const AccessLogOptions& options, size_t chunk_bytes)
    : options_(options),
      chunk_bytes_(std::max<size_t>(chunk_bytes, 1)),
      buffer_(new char[chunk_bytes_ + kMaxLineBytes]),
      // Of N lines, dup_rate * N are repeats; the others are fresh or bad, so a non-repeat line
      // is bad with probability bad / (1 - dup), and a fresh record is repeated with probability
      // dup / (1 - dup - bad).
      bad_probability_(options.dup_rate < 1 ? options.bad_rate / (1 - options.dup_rate) : 0),
      duplicate_probability_(options.dup_rate + options.bad_rate < 1
                                 ? options.dup_rate / (1 - options.dup_rate - options.bad_rate)
                                 : 0),
      rng_(options.seed),
      clock_(options.start_day, options.days, options.records, options.seed),
      records_(options.seed) {}

std::string_view AccessLogGenerator::NextChunk() {
  char* const begin = buffer_.get();
  char* end = begin;
  while (stats_.lines < options_.records && static_cast<size_t>(end - begin) < chunk_bytes_)
    end = WriteLine(end);
  const size_t n = static_cast<size_t>(end - begin);
  stats_.bytes += n;
  return std::string_view(begin, n);
}

char* AccessLogGenerator::WriteLine(char* out) {
  const uint64_t line = stats_.lines++;
  const uint64_t lines_left = options_.records - line;  // including this one
  // A repeat goes out when it is due, or when the remaining lines are only enough for the
  // repeats still waiting.
  if (!pending_.empty() && (pending_.top().due_line <= line || pending_.size() >= lines_left)) {
    const std::string& text = pending_.top().text;
    std::memcpy(out, text.data(), text.size());
    out += text.size();
    pending_.pop();
    ++stats_.duplicates;
    return out;
  }

  const BadKind bad = rng_.Chance(bad_probability_) ? PickBadKind(rng_) : BadKind::kNone;
  const int64_t completed = clock_.TimeOf(line, rng_.Uniform());
  RecordSpans spans;
  char* end =
      records_.Write(completed, clock_.start_micros(), clock_.end_micros() - 1, bad, rng_, out, &spans);
  assert(static_cast<size_t>(end - out) <= kMaxRecordBytes);
  if (bad == BadKind::kMalformedJson || bad == BadKind::kTruncated) {
    damaged_.assign(out, end);
    DamageRecord(bad, spans.user_agent_begin, spans.user_agent_end, rng_, &damaged_);
    std::memcpy(out, damaged_.data(), damaged_.size());
    end = out + damaged_.size();
  }
  *end++ = '\n';

  if (bad != BadKind::kNone) {
    ++stats_.bad;
    ++stats_.bad_by_kind[static_cast<size_t>(bad)];
    return end;
  }
  ++stats_.records;
  // Only schedule a repeat that can still be written before the log ends.
  if (duplicate_probability_ > 0 && rng_.Chance(duplicate_probability_) && pending_.size() + 1 < lines_left) {
    const uint64_t delay = 1 + static_cast<uint64_t>(rng_.Exponential(kMeanDuplicateDelayLines));
    pending_.push(PendingDuplicate{line + delay, next_sequence_++, std::string(out, end)});
  }
  return end;
}

Result<AccessLogStats> GenerateAccessLog(const AccessLogOptions& options,
                                         const std::function<Status(std::string_view)>& sink,
                                         size_t chunk_bytes) {
  RETURN_IF_ERROR(ValidateAccessLogOptions(options));
  AccessLogGenerator generator(options, chunk_bytes);
  for (std::string_view chunk = generator.NextChunk(); !chunk.empty(); chunk = generator.NextChunk()) {
    RETURN_IF_ERROR(sink(chunk));
  }
  return generator.stats();
}

}  // namespace loglake::gen
