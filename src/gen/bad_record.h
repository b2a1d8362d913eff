// The kinds of bad input `loglake gen --bad-rate` mixes into a log, and the line-level damage.
//
// Every kind is something a real pipeline meets and must reject without losing it: the converter
// is expected to send each of these lines to the table's _errors/ output. Kinds that concern one
// field (a status that is not a number, a missing time...) are written by the record writer;
// the two that break the line itself (malformed JSON, truncation) are applied here to a finished
// good line. Each bad line is still exactly one line: a truncated record is cut inside a string
// value, so its unterminated string ends at the newline and cannot swallow the next line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "gen/random.h"

namespace loglake::gen {

enum class BadKind : uint8_t {
  kNone = 0,
  kMalformedJson,    // trailing comma, missing colon, unquoted key, single quotes, bare word
  kStatusNotNumber,  // "status":"OK"
  kMissingTime,      // no "time" key, or "time":null
  kBadTimeText,      // "time":"yesterday", an impossible date, a number-less string
  kIntOutOfRange,    // status beyond int32, bytes_sent beyond int64
  kInvalidUtf8,      // raw bytes that are not UTF-8 inside a string value
  kTruncated,        // the line ends in the middle of a string value
};
constexpr int kBadKindCount = 8;  // including kNone

// "malformed_json", "status_not_number", ... ("none" for kNone).
const char* BadKindName(BadKind kind);

// Picks one of the bad kinds (never kNone), uniformly.
BadKind PickBadKind(Rng& rng);

// Damages the record text *record (one JSON object, no newline) in place so that it is no
// longer valid JSON; it grows by at most kMaxDamageGrowth bytes. `string_begin`/`string_end`
// delimit the contents of one string value in it (kTruncated cuts inside that value). `kind` is
// kMalformedJson or kTruncated.
constexpr size_t kMaxDamageGrowth = 32;
void DamageRecord(BadKind kind, size_t string_begin, size_t string_end, Rng& rng, std::string* record);

}  // namespace loglake::gen
