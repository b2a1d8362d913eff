#include "gen/bad_record.h"

#include <string_view>

namespace loglake::gen {
namespace {

// Replaces the first occurrence of `what` at or after `from` with `with`; false when absent.
bool ReplaceFirst(std::string* s, size_t from, std::string_view what, std::string_view with) {
  const size_t at = s->find(what, from);
  if (at == std::string::npos) return false;
  s->replace(at, what.size(), with);
  return true;
}

}  // namespace

const char* BadKindName(BadKind kind) {
  switch (kind) {
    case BadKind::kNone: return "none";
    case BadKind::kMalformedJson: return "malformed_json";
    case BadKind::kStatusNotNumber: return "status_not_number";
    case BadKind::kMissingTime: return "missing_time";
    case BadKind::kBadTimeText: return "bad_time_text";
    case BadKind::kIntOutOfRange: return "int_out_of_range";
    case BadKind::kInvalidUtf8: return "invalid_utf8";
    case BadKind::kTruncated: return "truncated";
  }
  return "unknown";
}

BadKind PickBadKind(Rng& rng) { return static_cast<BadKind>(1 + rng.Below(kBadKindCount - 1)); }

void DamageRecord(BadKind kind, size_t string_begin, size_t string_end, Rng& rng, std::string* record) {
  if (kind == BadKind::kTruncated) {
    // Keep at least one character of the value, so the cut is visibly inside the string.
    const size_t len = string_end > string_begin ? string_end - string_begin : 0;
    const size_t cut = string_begin + (len > 1 ? 1 + rng.Below(len - 1) : len);
    record->resize(cut);
    return;
  }
  // Every variant keeps the braces balanced, so the damage stays inside this record.
  switch (rng.Below(5)) {
    case 0:  // trailing comma
      if (!record->empty() && record->back() == '}') {
        record->back() = ',';
        record->push_back('}');
        return;
      }
      break;
    case 1:  // missing colon
      if (ReplaceFirst(record, 0, "\"status\":", "\"status\" ")) return;
      break;
    case 2:  // unquoted key
      if (ReplaceFirst(record, 0, "\"method\":", "method:")) return;
      break;
    case 3:  // single-quoted string
      if (ReplaceFirst(record, 0, "\"tenant_id\":\"", "\"tenant_id\":'")) {
        ReplaceFirst(record, record->find('\'') + 1, "\",", "',");
        return;
      }
      break;
    default:  // bare word where a value belongs
      if (ReplaceFirst(record, 0, "\"status\":", "\"status\":OK,\"status_code\":")) return;
      break;
  }
  // The chosen pattern was absent from this record: a doubled comma is always possible.
  ReplaceFirst(record, 0, ",", ",,");
}

}  // namespace loglake::gen
