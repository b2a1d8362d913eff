#include "json/record_parser.h"

#include <simdjson.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <string>

#include "common/time.h"
#include "json/fast_path.h"
#include "json/name_table.h"
#include "json/number.h"
#include "json/row.h"
#include "json/scan.h"

namespace loglake::json {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

// Objects and arrays copied into the extra column (or a string column) may nest this deep.
constexpr int kMaxNesting = 256;
// Values quoted in error messages are cut to this many bytes.
constexpr size_t kMaxQuoted = 40;

#define LOGLAKE_JSON_TRY(expr)              \
  do {                                      \
    const error_code _e = (expr);           \
    if (_e != simdjson::SUCCESS) return _e; \
  } while (0)

inline bool IsJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The value's token without the whitespace simdjson includes after it.
inline std::string_view Token(od::value& v) {
  std::string_view t = v.raw_json_token();
  while (!t.empty() && IsJsonSpace(t.back())) t.remove_suffix(1);
  return t;
}

inline bool HasBackslash(std::string_view s) {
  return !s.empty() && std::memchr(s.data(), '\\', s.size()) != nullptr;
}

enum class Kind : uint8_t { kString, kNumber, kTrue, kFalse, kNull, kObject, kArray };

// Classifies a token; false if it is not a valid JSON value start (or a malformed literal or
// number, which simdjson does not check for values that are skipped). Numbers are parsed into
// *number.
inline bool Classify(std::string_view tok, Kind* kind, JsonNumber* number) {
  if (tok.empty()) return false;
  switch (tok[0]) {
    case '"': *kind = Kind::kString; return tok.size() >= 2;
    case '{': *kind = Kind::kObject; return true;
    case '[': *kind = Kind::kArray; return true;
    case 't': *kind = Kind::kTrue; return tok == "true";
    case 'f': *kind = Kind::kFalse; return tok == "false";
    case 'n': *kind = Kind::kNull; return tok == "null";
    default: *kind = Kind::kNumber; return ParseJsonNumber(tok, number);
  }
}

// Why Classify() refused a token.
inline error_code InvalidTokenError(std::string_view tok) {
  if (tok.empty()) return simdjson::TAPE_ERROR;
  if (tok[0] == 't' || tok[0] == 'f' || tok[0] == 'n') return simdjson::T_ATOM_ERROR;
  if (tok[0] == '-' || (tok[0] >= '0' && tok[0] <= '9')) return simdjson::NUMBER_ERROR;
  return simdjson::TAPE_ERROR;
}

// The content of a string value: straight from the input when it has no escape (the common
// case: stage 1 already validated its UTF-8 and control characters), else unescaped by simdjson.
// `record_has_backslash` false means no string of the record can have an escape.
inline error_code StringContent(od::value& v, std::string_view tok, bool record_has_backslash,
                                std::string_view* out) {
  if (tok.back() == '"' && (!record_has_backslash || !HasBackslash(tok.substr(1, tok.size() - 2)))) {
    *out = tok.substr(1, tok.size() - 2);
    return simdjson::SUCCESS;
  }
  return v.get_string().get(*out);
}

// The key of a field exactly as written (still escaped), found between the key's opening quote
// and the value: `"<key>"<ws>:<ws><value>`.
inline bool RawKey(od::field& field, std::string_view* out) {
  const char* begin = field.key().raw();
  const char* p = field.value().raw_json_token().data();
  --p;
  while (p > begin && IsJsonSpace(*p)) --p;
  if (p <= begin || *p != ':') return false;
  --p;
  while (p > begin && IsJsonSpace(*p)) --p;
  if (p < begin || *p != '"') return false;
  *out = std::string_view(begin, static_cast<size_t>(p - begin));
  return true;
}

// The unescaped key, from its raw text when it has no escape.
inline error_code KeyOf(od::field& field, std::string_view raw_key, bool record_has_backslash,
                        std::string_view* out) {
  if (!record_has_backslash || !HasBackslash(raw_key)) {
    *out = raw_key;
    return simdjson::SUCCESS;
  }
  return field.unescaped_key().get(*out);
}

// Appends `v` to `out` as compact JSON: strings, numbers and keys keep their exact text (escapes
// included); whitespace between tokens is dropped. Validates what it copies.
error_code CopyCompact(od::value& v, std::string* out, int depth) {
  const std::string_view tok = Token(v);
  Kind kind;
  JsonNumber number;
  if (!Classify(tok, &kind, &number)) return InvalidTokenError(tok);
  switch (kind) {
    case Kind::kObject: {
      if (depth >= kMaxNesting) return simdjson::DEPTH_ERROR;
      od::object object;
      LOGLAKE_JSON_TRY(v.get_object().get(object));
      out->push_back('{');
      bool first = true;
      for (auto field_result : object) {
        od::field field;
        LOGLAKE_JSON_TRY(std::move(field_result).get(field));
        std::string_view raw_key, key;
        if (!RawKey(field, &raw_key)) return simdjson::TAPE_ERROR;
        LOGLAKE_JSON_TRY(KeyOf(field, raw_key, true, &key));  // validates escapes
        if (!first) out->push_back(',');
        first = false;
        out->push_back('"');
        out->append(raw_key);
        out->append("\":");
        LOGLAKE_JSON_TRY(CopyCompact(field.value(), out, depth + 1));
      }
      out->push_back('}');
      return simdjson::SUCCESS;
    }
    case Kind::kArray: {
      if (depth >= kMaxNesting) return simdjson::DEPTH_ERROR;
      od::array array;
      LOGLAKE_JSON_TRY(v.get_array().get(array));
      out->push_back('[');
      bool first = true;
      for (auto element_result : array) {
        od::value element;
        LOGLAKE_JSON_TRY(std::move(element_result).get(element));
        if (!first) out->push_back(',');
        first = false;
        LOGLAKE_JSON_TRY(CopyCompact(element, out, depth + 1));
      }
      out->push_back(']');
      return simdjson::SUCCESS;
    }
    case Kind::kString: {
      std::string_view content;
      LOGLAKE_JSON_TRY(StringContent(v, tok, true, &content));  // validates escapes
      out->append(tok);
      return simdjson::SUCCESS;
    }
    default: out->append(tok); return simdjson::SUCCESS;
  }
}

std::string Quote(std::string_view s) {
  std::string q = "\"";
  q.append(s.substr(0, kMaxQuoted));
  if (s.size() > kMaxQuoted) q.append("...");
  q.push_back('"');
  return q;
}

// "string \"abc\"", "number 1.5", "bool true", "an object", ...: what a value was, for messages.
std::string Describe(Kind kind, std::string_view tok) {
  switch (kind) {
    case Kind::kString: return "string " + Quote(tok.substr(1, tok.size() - 2));
    case Kind::kNumber: return "number " + std::string(tok.substr(0, kMaxQuoted));
    case Kind::kTrue: return "bool true";
    case Kind::kFalse: return "bool false";
    case Kind::kNull: return "null";
    case Kind::kObject: return "an object";
    case Kind::kArray: return "an array";
  }
  return "a value";
}

std::string DescribeJsonError(error_code code) {
  switch (code) {
    case simdjson::UTF8_ERROR: return "invalid UTF-8 in the record";
    case simdjson::UNESCAPED_CHARS:
      return "malformed JSON: a control character (U+0000..U+001F) inside a string is not escaped";
    case simdjson::EMPTY: return "empty record";
    case simdjson::DEPTH_ERROR:
      return "malformed JSON: nested deeper than " + std::to_string(kMaxNesting) + " levels";
    case simdjson::STRING_ERROR: return "malformed JSON: invalid escape sequence in a string";
    case simdjson::NUMBER_ERROR: return "malformed JSON: invalid number";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR: return "malformed JSON: invalid literal";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "malformed JSON: the record ends inside an object or array";
    case simdjson::CAPACITY: return "record too large for the JSON parser";
    case simdjson::TAPE_ERROR:
      return "malformed JSON: unexpected character (a missing or extra comma, colon, quote or bracket)";
    default: return std::string("malformed JSON: ") + simdjson::error_message(code);
  }
}

}  // namespace

Status CheckRecordLayout(const RecordLayout& layout) {
  const int n = static_cast<int>(layout.fields.size());
  for (int i = 0; i < n; ++i) {
    if (layout.fields[i].name.empty()) {
      return Status::InvalidArgument("column " + std::to_string(i) + " has no name");
    }
    for (int j = 0; j < i; ++j) {
      if (layout.fields[i].name == layout.fields[j].name) {
        return Status::InvalidArgument("column '" + layout.fields[i].name + "' is declared twice");
      }
    }
  }
  if (layout.time_field < 0 || layout.time_field >= n) {
    return Status::InvalidArgument("the table has no time column");
  }
  if (layout.fields[layout.time_field].type != ColumnType::kTimestamp) {
    return Status::InvalidArgument("time column '" + layout.fields[layout.time_field].name +
                                   "' must have type timestamp");
  }
  if (layout.extra_field >= n || layout.extra_field < -1 || layout.extra_field == layout.time_field) {
    return Status::InvalidArgument("the extra column index is invalid");
  }
  if (layout.extra_field >= 0 && layout.fields[layout.extra_field].type != ColumnType::kString) {
    return Status::InvalidArgument("extra column '" + layout.fields[layout.extra_field].name +
                                   "' must have type string");
  }
  return Status::OK();
}

class RecordParser::Impl {
 public:
  explicit Impl(RecordLayout layout) : layout_(std::move(layout)) {
    layout_status_ = CheckRecordLayout(layout_);
    if (!layout_status_.ok()) {
      layout_status_ = Status::InvalidArgument("invalid table layout: " + layout_status_.message());
      return;
    }
    row_.slots.resize(layout_.fields.size());
    successor_.assign(layout_.fields.size() + 2, -1);
    names_.Build(layout_.fields, layout_.extra_field);
    fast_ = std::make_unique<FastPath>(layout_);
  }

  Status Parse(std::string_view text, bool padded);
  size_t ParseLeadingObject(std::string_view input);
  void AppendTo(ColumnBatch* batch) const;
  std::optional<int64_t> time_micros() const { return row_.time; }
  const RecordLayout& layout() const { return layout_; }
  void set_fast_path(bool enabled) { fast_enabled_ = enabled; }

 private:
  void BeginRecord() {
    row_valid_ = false;
    fast_row_ = false;
    rejected_ = false;
    row_.Begin();
  }
  // The simdjson walk: handles every record, and words the reason for rejecting one.
  Status ParseRecord(std::string_view text);
  // Copies `text` into padded_, followed by zeros.
  void CopyPadded(std::string_view text);
  void RecoverTime(std::string_view text);
  // The field named `key` (-1 if none); `previous` is the field of the key before it (-1 at the
  // start of a record), updated to this key's.
  int Lookup(std::string_view key, bool key_padded, int* previous);
  // Lookup's hash-table probe, when the predicted field is not the key.
  int LookupMiss(std::string_view key, const Head& head, int32_t* predicted, int* previous);
  error_code ConvertField(int index, od::value& v);
  void ConvertInteger(int index, const JsonNumber& number, bool from_string);
  void ConvertDouble(int index, const JsonNumber& number);
  void ConvertTimestamp(int index, std::string_view text, bool from_string);
  error_code AddUnknown(std::string_view raw_key, std::string_view key, od::value& v);
  void CheckUnknownDuplicates();
  void Reject(std::string message);
  void RejectType(int index, Kind kind, std::string_view tok);
  // `doc` (if given) locates the error in the record.
  Status Malformed(error_code code, std::string_view field, od::document* doc) const;
  const std::string& Name(int index) const { return layout_.fields[static_cast<size_t>(index)].name; }
  void SetString(Slot& slot, std::string_view s) { row_.SetView(slot, s.data(), s.size()); }

  RecordLayout layout_;
  Status layout_status_;
  NameTable names_;
  // successor_[f + 1]: the field whose key followed field f's key last time; [0] for the first
  // key, [n + 1] for the key after an unknown one.
  std::vector<int32_t> successor_;
  Row row_;
  std::unique_ptr<FastPath> fast_;
  bool fast_enabled_ = true;

  od::parser parser_;
  // A copy of the record followed by padding, for simdjson and for the fast path when the caller's
  // text has none.
  std::unique_ptr<char[]> padded_;
  size_t padded_capacity_ = 0;
  std::vector<std::string_view> unknown_keys_;

  bool has_backslash_ = false;  // the record contains a backslash (so possibly escapes)
  bool row_valid_ = false;
  // The fast path took the record: its string views point into the record's text, which the
  // caller follows with kPadding readable bytes.
  bool fast_row_ = false;
  bool rejected_ = false;
  std::string reject_message_;
};

void RecordParser::Impl::Reject(std::string message) {
  if (rejected_) return;
  rejected_ = true;
  reject_message_ = std::move(message);
}

void RecordParser::Impl::RejectType(int index, Kind kind, std::string_view tok) {
  const Field& field = layout_.fields[static_cast<size_t>(index)];
  Reject("field '" + field.name + "': expected " + ColumnTypeName(field.type) + ", got " +
         Describe(kind, tok));
}

Status RecordParser::Impl::Malformed(error_code code, std::string_view field, od::document* doc) const {
  std::string message = DescribeJsonError(code);
  if (!field.empty()) message += " (in the value of key " + Quote(field) + ")";
  const char* location = nullptr;
  if (doc != nullptr && code != simdjson::INCOMPLETE_ARRAY_OR_OBJECT &&
      doc->current_location().get(location) == simdjson::SUCCESS && location >= padded_.get() &&
      location < padded_.get() + padded_capacity_) {
    message += " near byte " + std::to_string(location - padded_.get() + 1);
  }
  return Status::InvalidArgument(std::move(message));
}

inline int RecordParser::Impl::Lookup(std::string_view key, bool key_padded, int* previous) {
  // Producers write keys in the same order record after record: try the field that followed the
  // previous key last time (robust to optional keys, unlike predicting by position).
  const Head head = LoadHead(key.data(), key.size(), key_padded);
  int32_t& predicted = successor_[static_cast<size_t>(*previous + 1)];
  if (predicted >= 0 && names_.Matches(predicted, key, head)) {
    *previous = predicted;
    return predicted;
  }
  return LookupMiss(key, head, &predicted, previous);
}

int RecordParser::Impl::LookupMiss(std::string_view key, const Head& head, int32_t* predicted,
                                   int* previous) {
  const int found = names_.Find(key, head);
  *predicted = found;
  *previous = found >= 0 ? found : static_cast<int>(successor_.size()) - 2;
  return found;
}

Status RecordParser::Impl::Parse(std::string_view text, bool padded) {
  BeginRecord();
  if (!layout_status_.ok()) return layout_status_;
  if (fast_enabled_ && !text.empty() && text[0] == '{') {
    const char* begin = text.data();
    if (!padded) {
      CopyPadded(text);
      begin = padded_.get();
    }
    const char* end = begin + text.size();
    const char* after = fast_->Parse(begin, end, /*newlines=*/true, &row_);
    if (after != nullptr && scan::SkipSpace(after, end, true) == end) {
      row_valid_ = true;
      fast_row_ = true;
      return Status::OK();
    }
    BeginRecord();
  }
  Status status = ParseRecord(text);
  if (!status.ok() && !row_.time.has_value()) RecoverTime(text);
  return status;
}

size_t RecordParser::Impl::ParseLeadingObject(std::string_view input) {
  BeginRecord();
  if (!layout_status_.ok() || !fast_enabled_) return 0;
  const char* after = fast_->Parse(input.data(), input.data() + input.size(), /*newlines=*/false, &row_);
  if (after == nullptr) {
    BeginRecord();
    return 0;
  }
  row_valid_ = true;
  fast_row_ = true;
  return static_cast<size_t>(after - input.data());
}

void RecordParser::Impl::CopyPadded(std::string_view text) {
  const size_t needed = text.size() + simdjson::SIMDJSON_PADDING;
  if (needed > padded_capacity_) {
    padded_capacity_ = std::max(needed, padded_capacity_ * 2);
    padded_ = std::make_unique<char[]>(padded_capacity_);
  }
  if (!text.empty()) std::memcpy(padded_.get(), text.data(), text.size());
  std::memset(padded_.get() + text.size(), 0, simdjson::SIMDJSON_PADDING);
}

// The record is broken before (or inside) its time field: look for the top-level time key in
// the raw text, so that e.g. a truncated line is still filed under its day.
void RecordParser::Impl::RecoverTime(std::string_view text) {
  const std::string& name = Name(layout_.time_field);
  const size_t n = text.size();
  int depth = 0;
  size_t i = 0;
  // The end of the string starting at `open`, or npos.
  auto string_end = [&](size_t open) {
    for (size_t j = open + 1; j < n; ++j) {
      if (text[j] == '\\') {
        ++j;
      } else if (text[j] == '"') {
        return j;
      }
    }
    return std::string_view::npos;
  };
  auto skip_space = [&](size_t j) {
    while (j < n && IsJsonSpace(text[j])) ++j;
    return j;
  };
  while (i < n) {
    const char c = text[i];
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == '"') {
      const size_t close = string_end(i);
      if (close == std::string_view::npos) return;
      const size_t colon = skip_space(close + 1);
      if (depth == 1 && colon < n && text[colon] == ':' && text.substr(i + 1, close - i - 1) == name) {
        const size_t value = skip_space(colon + 1);
        if (value >= n) return;
        if (text[value] == '"') {
          const size_t value_end = string_end(value);
          if (value_end == std::string_view::npos) return;
          const std::string_view content = text.substr(value + 1, value_end - value - 1);
          if (!HasBackslash(content)) ConvertTimestamp(layout_.time_field, content, true);
        } else {
          size_t end = value;
          while (end < n && text[end] != ',' && text[end] != '}' && !IsJsonSpace(text[end])) ++end;
          if (end == n) return;  // possibly cut short: 17953 of 1795311498 would be a wrong day
          ConvertTimestamp(layout_.time_field, text.substr(value, end - value), false);
        }
        return;
      }
      i = close;
    }
    ++i;
  }
}

Status RecordParser::Impl::ParseRecord(std::string_view text) {
  CopyPadded(text);
  has_backslash_ = HasBackslash(text);

  od::document doc;
  error_code err = parser_.iterate(padded_.get(), text.size(), padded_capacity_).get(doc);
  if (err) return Malformed(err, {}, nullptr);
  od::json_type type;
  err = doc.type().get(type);
  if (err) return Malformed(err, {}, &doc);
  if (type != od::json_type::object) return Status::InvalidArgument("top-level JSON value is not an object");
  od::object object;
  err = doc.get_object().get(object);
  if (err) return Malformed(err, {}, &doc);

  unknown_keys_.clear();
  int previous = -1;
  for (auto field_result : object) {
    err = field_result.error();
    if (err) return Malformed(err, {}, &doc);
    // A reference, not a copy: copying the field costs a store-forwarding stall per key.
    od::field&& field = std::move(field_result).value_unsafe();
    std::string_view raw_key, key;
    if (!RawKey(field, &raw_key)) return Malformed(simdjson::TAPE_ERROR, {}, &doc);
    err = KeyOf(field, raw_key, has_backslash_, &key);
    if (err) {
      return Status::InvalidArgument("malformed JSON: invalid escape sequence in key " + Quote(raw_key));
    }
    const int index = Lookup(key, key.data() == raw_key.data(), &previous);
    err = index >= 0 ? ConvertField(index, field.value()) : AddUnknown(raw_key, key, field.value());
    if (err) return Malformed(err, key, &doc);
  }
  const char* trailing = nullptr;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) {
    return Status::InvalidArgument("malformed JSON: unexpected content after the object");
  }

  for (int i = 0; i < static_cast<int>(row_.slots.size()); ++i) {
    Slot& slot = row_.slots[static_cast<size_t>(i)];
    if (i == layout_.extra_field) {
      slot.seen = row_.generation;
      slot.source = SlotSource::kExtra;
      if (!row_.extra.empty()) row_.extra.push_back('}');
      if (row_.extra.empty() && !layout_.fields[static_cast<size_t>(i)].nullable) row_.extra = "{}";
      slot.has_value = !row_.extra.empty();
      continue;
    }
    if (slot.seen == row_.generation) continue;
    if (i == layout_.time_field) {
      Reject("missing time field '" + Name(i) + "'");
    } else if (!layout_.fields[static_cast<size_t>(i)].nullable) {
      Reject("missing required field '" + Name(i) + "'");
    }
  }
  if (unknown_keys_.size() > 1) CheckUnknownDuplicates();
  if (rejected_) return Status::InvalidArgument(reject_message_);
  row_valid_ = true;
  return Status::OK();
}

error_code RecordParser::Impl::ConvertField(int index, od::value& v) {
  Slot& slot = row_.slots[static_cast<size_t>(index)];
  if (slot.seen == row_.generation) {
    Reject("duplicate key '" + Name(index) + "'");
    return simdjson::SUCCESS;  // the second value is skipped by the iterator
  }
  slot.seen = row_.generation;
  slot.has_value = false;
  const std::string_view tok = Token(v);
  Kind kind;
  JsonNumber number;
  if (!Classify(tok, &kind, &number)) return InvalidTokenError(tok);
  const Field& field = layout_.fields[static_cast<size_t>(index)];
  if (kind == Kind::kNull) {
    if (index == layout_.time_field) {
      Reject("missing time field '" + field.name + "' (it is null)");
    } else if (!field.nullable) {
      Reject("field '" + field.name + "' is null but the column is not nullable");
    }
    return simdjson::SUCCESS;
  }

  switch (field.type) {
    case ColumnType::kString:
      switch (kind) {
        case Kind::kString: {
          std::string_view content;
          LOGLAKE_JSON_TRY(StringContent(v, tok, has_backslash_, &content));
          SetString(slot, content);
          return simdjson::SUCCESS;
        }
        case Kind::kObject:
        case Kind::kArray: {
          const size_t offset = row_.scratch.size();
          LOGLAKE_JSON_TRY(CopyCompact(v, &row_.scratch, 1));
          slot.has_value = true;
          slot.source = SlotSource::kScratch;
          slot.offset = offset;
          slot.len = row_.scratch.size() - offset;
          return simdjson::SUCCESS;
        }
        default:  // numbers and bools: their JSON text, exactly as written
          SetString(slot, tok);
          return simdjson::SUCCESS;
      }

    case ColumnType::kInt32:
    case ColumnType::kInt64:
    case ColumnType::kDouble: {
      bool from_string = false;
      if (kind == Kind::kString) {
        std::string_view content;
        LOGLAKE_JSON_TRY(StringContent(v, tok, has_backslash_, &content));
        if (!ParseJsonNumber(content, &number)) {
          RejectType(index, kind, tok);
          return simdjson::SUCCESS;
        }
        from_string = true;
      } else if (kind != Kind::kNumber) {
        RejectType(index, kind, tok);
        return simdjson::SUCCESS;
      }
      if (field.type == ColumnType::kDouble) {
        ConvertDouble(index, number);
      } else {
        ConvertInteger(index, number, from_string);
      }
      return simdjson::SUCCESS;
    }

    case ColumnType::kBool:
      if (kind == Kind::kTrue || kind == Kind::kFalse) {
        slot.has_value = true;
        slot.i = kind == Kind::kTrue;
      } else {
        RejectType(index, kind, tok);
      }
      return simdjson::SUCCESS;

    case ColumnType::kTimestamp:
      if (kind == Kind::kNumber) {
        ConvertTimestamp(index, tok, false);
      } else if (kind == Kind::kString) {
        std::string_view content;
        LOGLAKE_JSON_TRY(StringContent(v, tok, has_backslash_, &content));
        ConvertTimestamp(index, content, true);
      } else {
        RejectType(index, kind, tok);
      }
      return simdjson::SUCCESS;
  }
  return simdjson::SUCCESS;
}

void RecordParser::Impl::ConvertInteger(int index, const JsonNumber& number, bool from_string) {
  Slot& slot = row_.slots[static_cast<size_t>(index)];
  const Field& field = layout_.fields[static_cast<size_t>(index)];
  auto shown = [&] {
    return from_string ? Quote(number.text) : std::string(number.text.substr(0, kMaxQuoted));
  };
  int64_t value;
  bool exact;
  if (!ScaledInt64(number, 0, &value, &exact)) {
    Reject("field '" + field.name + "': " + shown() + " is out of range for " + ColumnTypeName(field.type));
    return;
  }
  if (!exact) {
    Reject("field '" + field.name + "': expected " + ColumnTypeName(field.type) + ", got non-integer " +
           (from_string ? "string " : "number ") + shown());
    return;
  }
  if (field.type == ColumnType::kInt32 && (value < INT32_MIN || value > INT32_MAX)) {
    Reject("field '" + field.name + "': " + shown() + " is out of range for int32");
    return;
  }
  slot.has_value = true;
  slot.i = value;
}

void RecordParser::Impl::ConvertDouble(int index, const JsonNumber& number) {
  Slot& slot = row_.slots[static_cast<size_t>(index)];
  if (ToDouble(number, &slot.d) != DoubleConversion::kOk) {
    Reject("field '" + Name(index) + "': " + std::string(number.text.substr(0, kMaxQuoted)) +
           " is out of range for double");
    return;
  }
  slot.has_value = true;
}

void RecordParser::Impl::ConvertTimestamp(int index, std::string_view text, bool from_string) {
  Slot& slot = row_.slots[static_cast<size_t>(index)];
  JsonNumber number;
  int64_t micros = 0;
  if (!LooksIsoDate(text) && ParseJsonNumber(text, &number)) {
    bool millis;
    if (!EpochMicros(number, &micros, &millis)) {
      Reject("field '" + Name(index) + "': epoch " + (millis ? "milliseconds " : "seconds ") +
             (from_string ? Quote(text) : std::string(text.substr(0, kMaxQuoted))) +
             " is outside the years 0000..9999");
      return;
    }
  } else {
    Result<int64_t> parsed = ParseTimestampMicros(text);
    if (!parsed.ok()) {
      Reject("field '" + Name(index) + "': " + parsed.status().message());
      return;
    }
    micros = *parsed;
  }
  slot.has_value = true;
  slot.i = micros;
  if (index == layout_.time_field) row_.time = micros;
}

error_code RecordParser::Impl::AddUnknown(std::string_view raw_key, std::string_view key, od::value& v) {
  unknown_keys_.push_back(key);
  if (layout_.extra_field < 0) {
    Reject("unknown key " + Quote(key) + " (the table has no extra column to keep it)");
    return simdjson::SUCCESS;
  }
  std::string& extra = row_.extra;
  extra.push_back(extra.empty() ? '{' : ',');
  extra.push_back('"');
  extra.append(raw_key);
  extra.append("\":");
  return CopyCompact(v, &extra, 1);
}

void RecordParser::Impl::CheckUnknownDuplicates() {
  // The keys are views into the record or the parser's string buffer, no longer needed in
  // order once the extra object is built; sorting them keeps this O(n log n) for records with many keys.
  std::vector<std::string_view>& keys = unknown_keys_;
  std::sort(keys.begin(), keys.end());
  const auto dup = std::adjacent_find(keys.begin(), keys.end());
  if (dup != keys.end()) Reject("duplicate key " + Quote(*dup));
}

void RecordParser::Impl::AppendTo(ColumnBatch* batch) const {
  if (!row_valid_) {
    assert(false && "AppendTo() without a successful Parse()");
    return;
  }
  // Locals, so that the compiler need not reload them after each (possibly aliasing) append.
  const size_t n = row_.slots.size();
  const Slot* slots = row_.slots.data();
  Column* columns = batch->columns.data();
  const uint64_t generation = row_.generation;
  // A view ends before its record's closing brace, and kPadding readable bytes follow the record.
  static_assert(Column::kStringOverread <= kPadding);
  const bool overread = fast_row_;
  for (size_t i = 0; i < n; ++i) {
    const Slot& slot = slots[i];
    Column& column = columns[i];
    if (slot.seen != generation || !slot.has_value) {
      column.AppendNull();
      continue;
    }
    switch (column.type()) {
      case ColumnType::kString:
        switch (slot.source) {
          case SlotSource::kView:
            if (overread) {
              column.AppendStringOverread(std::string_view(slot.str, slot.len));
            } else {
              column.AppendString(std::string_view(slot.str, slot.len));
            }
            break;
          case SlotSource::kScratch:
            column.AppendString(std::string_view(row_.scratch).substr(slot.offset, slot.len));
            break;
          case SlotSource::kExtra: column.AppendString(row_.extra); break;
        }
        break;
      case ColumnType::kInt32: column.AppendInt32(static_cast<int32_t>(slot.i)); break;
      case ColumnType::kInt64: column.AppendInt64(slot.i); break;
      case ColumnType::kTimestamp: column.AppendTimestamp(slot.i); break;
      case ColumnType::kDouble: column.AppendDouble(slot.d); break;
      case ColumnType::kBool: column.AppendBool(slot.i != 0); break;
    }
  }
}

RecordParser::RecordParser(RecordLayout layout) : impl_(std::make_unique<Impl>(std::move(layout))) {}
RecordParser::~RecordParser() = default;
RecordParser::RecordParser(RecordParser&&) noexcept = default;
RecordParser& RecordParser::operator=(RecordParser&&) noexcept = default;

Status RecordParser::Parse(std::string_view text) {
  return impl_->Parse(text, /*padded=*/false);
}
Status RecordParser::ParsePadded(std::string_view text) {
  return impl_->Parse(text, /*padded=*/true);
}
size_t RecordParser::ParseLeadingObject(std::string_view input) {
  return impl_->ParseLeadingObject(input);
}
void RecordParser::set_fast_path_for_testing(bool enabled) {
  impl_->set_fast_path(enabled);
}
std::optional<int64_t> RecordParser::time_micros() const {
  return impl_->time_micros();
}
std::optional<int64_t> RecordParser::FindTime(std::string_view text) {
  (void)impl_->Parse(text, /*padded=*/false);  // the outcome does not matter, only whether the time was read
  return impl_->time_micros();
}
void RecordParser::AppendTo(ColumnBatch* batch) const {
  impl_->AppendTo(batch);
}
const RecordLayout& RecordParser::layout() const {
  return impl_->layout();
}

#undef LOGLAKE_JSON_TRY

}  // namespace loglake::json
