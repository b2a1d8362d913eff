#include "json/fast_path.h"

#include <bit>
#include <cfloat>
#include <cstddef>
#include <cstring>

#include "common/time.h"
#include "json/number.h"
#include "json/scan.h"

// Value() is the body of Parse()'s loop, kept apart for reading only.
#if defined(__GNUC__)
#define LOGLAKE_FAST_PATH_INLINE inline __attribute__((always_inline))
#else
#define LOGLAKE_FAST_PATH_INLINE inline
#endif

namespace loglake::json {
namespace {

// Nesting the fast path follows in values it copies; deeper ones go to the simdjson path, which
// enforces the documented limit of 256.
constexpr int kMaxFastDepth = 64;

// Whether p starts with the literal `word` (4 or 5 bytes; p has padding to read).
inline bool Literal(const char* p, const char* end, const char* word, size_t n) {
  return end - p >= static_cast<ptrdiff_t>(n) && std::memcmp(p, word, n) == 0;
}

// Whether a column name appears in JSON text as itself: printable ASCII without quotes or
// backslashes, so that comparing raw key bytes is comparing names.
bool PlainName(const std::string& name) {
  for (char c : name) {
    if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') return false;
  }
  return true;
}

// The value of the integer number, if it is one in range for `type`: the rules of
// ConvertInteger in record_parser.cc, without the messages.
inline bool IntegerValue(const JsonNumber& number, ColumnType type, int64_t* out) {
  int64_t value;
  if (number.frac_digits.empty() && number.exponent == 0 && number.int_digits.size() <= 18) {
    value = 0;
    for (char c : number.int_digits) value = value * 10 + (c - '0');
    if (number.negative) value = -value;
  } else {
    bool exact;
    if (!ScaledInt64(number, 0, &value, &exact) || !exact) return false;
  }
  if (type == ColumnType::kInt32 && (value < INT32_MIN || value > INT32_MAX)) return false;
  *out = value;
  return true;
}

// The value of two ASCII digits at p, or a value above 99 if they are not digits.
inline unsigned TwoDigits(const char* p) {
  const unsigned a = static_cast<unsigned char>(p[0]) - unsigned{'0'};
  const unsigned b = static_cast<unsigned char>(p[1]) - unsigned{'0'};
  return a > 9 || b > 9 ? 1000 : a * 10 + b;
}

// Whether the bytes of `values` selected by `high_bits` (0x80 in each) are 0..9: `values` holds
// bytes minus '0', so a byte that was not a digit is either above 9 or wrapped around past 0x7F.
inline bool AllDigits(uint64_t values, uint64_t high_bits) {
  return (((values + 0x7676767676767676) | values) & high_bits) == 0;
}

// The number written by eight digit values (0..9, the first one in the lowest byte).
inline uint64_t EightDigits(uint64_t values) {
  values = values * 10 + (values >> 8);  // pairs of digits
  return (((values & 0x000000FF000000FF) * (100 + (1000000ULL << 32))) +
          (((values >> 16) & 0x000000FF000000FF) * (1 + (10000ULL << 32)))) >>
         32;
}

}  // namespace

FastPath::FastPath(const RecordLayout& layout)
    : time_field_(layout.time_field), extra_field_(layout.extra_field) {
  const int n = static_cast<int>(layout.fields.size());
  for (int i = 0; i < n; ++i) {
    const Field& f = layout.fields[static_cast<size_t>(i)];
    ColumnInfo info{};
    info.type = f.type;
    info.nullable = f.nullable;
    info.name_size = static_cast<uint32_t>(f.name.size());
    info.short_name = f.name.size() < 16 && std::endian::native == std::endian::little;
    if (info.short_name) {
      // The name and its closing quote, as the two words that QuotedKeyAt compares.
      char quoted[16] = {};
      std::memcpy(quoted, f.name.data(), f.name.size());
      quoted[f.name.size()] = '"';
      std::memcpy(info.quoted, quoted, 16);
      char mask[16] = {};
      std::memset(mask, 0xFF, f.name.size() + 1);
      std::memcpy(info.mask, mask, 16);
    }
    columns_.push_back(info);
    if (!PlainName(f.name)) usable_ = false;
    if (i == extra_field_) {
      extra_nullable_ = f.nullable;
    } else if (i == time_field_ || !f.nullable) {
      required_.push_back(i);
    }
  }
  names_.Build(layout.fields, extra_field_);
  successor_.assign(static_cast<size_t>(n) + 2, -1);
}

LOGLAKE_FAST_PATH_INLINE const char* FastPath::Value(int index, ColumnType type, Slot& slot, const char* p,
                                                     const char* end, bool newlines, Row* row) {
  if (slot.seen == row->generation) return nullptr;  // a duplicate key
  slot.seen = row->generation;
  // The most common values first: a plain string into a string column, digits into a number.
  if (*p == '"' && type == ColumnType::kString) {
    const char* q = p + 1;
    q += scan::PlainRun(q, end);
    if (*q == '"' && q < end) {
      row->SetView(slot, p + 1, static_cast<size_t>(q - p - 1));
      return q + 1;
    }
  } else if (*p == '"' && type == ColumnType::kTimestamp) {
    const char* q = p + 1;
    q += scan::PlainRun(q, end);
    if (*q == '"' && q < end && IsoTimestamp(p + 1, static_cast<size_t>(q - p - 1), &slot.i)) {
      slot.has_value = true;
      return q + 1;
    }
  } else if (type == ColumnType::kInt32 || type == ColumnType::kInt64) {
    const char* q = p + (*p == '-');
    const char* const digits = q;
    uint64_t value = 0;
    while (q < end && scan::IsDigit(*q)) value = value * 10 + static_cast<uint64_t>(*q++ - '0');
    const size_t n = static_cast<size_t>(q - digits);
    // Up to 18 digits cannot overflow; fractions, exponents and odd cases take the long way.
    if (n > 0 && n <= 18 && (*digits != '0' || n == 1) && q < end && (*q == ',' || *q == '}')) {
      const int64_t v = *p == '-' ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
      if (type == ColumnType::kInt32 && (v < INT32_MIN || v > INT32_MAX)) return nullptr;
      slot.i = v;
      slot.has_value = true;
      return q;
    }
  } else if (type == ColumnType::kDouble) {
    // The numbers that internal::FastToDouble converts, with the same arithmetic.
    const char* q = p + (*p == '-');
    const char* const digits = q;
    uint64_t mantissa = 0;
    while (q < end && scan::IsDigit(*q)) mantissa = mantissa * 10 + static_cast<uint64_t>(*q++ - '0');
    const size_t int_digits = static_cast<size_t>(q - digits);
    size_t frac_digits = 0;
    if (q < end && *q == '.') {
      const char* const frac = ++q;
      while (q < end && scan::IsDigit(*q)) mantissa = mantissa * 10 + static_cast<uint64_t>(*q++ - '0');
      frac_digits = static_cast<size_t>(q - frac);
      if (frac_digits == 0) return nullptr;
    }
#if FLT_EVAL_METHOD == 0
    if (int_digits > 0 && int_digits + frac_digits <= 15 && (*digits != '0' || int_digits == 1) && q < end &&
        (*q == ',' || *q == '}')) {
      double value = static_cast<double>(mantissa);
      if (frac_digits > 0) value /= internal::kExactPowersOfTen[frac_digits];
      slot.d = *p == '-' ? -value : value;
      slot.has_value = true;
      return q;
    }
#endif
  }
  slot.has_value = false;
  return OtherValue(index, type, slot, p, end, newlines, row);
}

inline bool FastPath::QuotedKeyAt(const ColumnInfo& column, int index, const char* p, const char* end) const {
  if (end - p <= static_cast<ptrdiff_t>(column.name_size)) return false;
  if (!column.short_name) return names_.QuotedKeyAt(index, p);
  uint64_t w0, w1;
  std::memcpy(&w0, p, 8);
  std::memcpy(&w1, p + 8, 8);
  return (((w0 ^ column.quoted[0]) & column.mask[0]) | ((w1 ^ column.quoted[1]) & column.mask[1])) == 0;
}

const char* FastPath::Parse(const char* p, const char* end, bool newlines, Row* row) {
  // Single bytes are examined before checking that they lie before `end`: reading up to a few
  // bytes past it is safe (the padding), every loop stops at `end`, and the final check below
  // rejects a record that took any byte past it, as positions only grow.
  if (!usable_ || p >= end || *p != '{') return nullptr;
  unknown_count_ = 0;
  p = scan::SkipSpaceIfAny(p + 1, end, newlines);
  // Locals: stores into the row could alias the members, which would then be reloaded per key.
  int32_t* const successor = successor_.data();
  const ColumnInfo* const columns = columns_.data();
  Slot* const slots = row->slots.data();
  const int unknown_index = static_cast<int>(successor_.size()) - 2;
  int previous = -1;
  if (*p == '}') {
    ++p;
  } else {
    while (true) {
      if (*p != '"') return nullptr;
      ++p;
      const char* const key = p;
      int32_t& predicted = successor[previous + 1];
      int index;
      size_t key_size;
      if (predicted >= 0 && QuotedKeyAt(columns[predicted], predicted, p, end)) {
        index = predicted;
        key_size = columns[index].name_size;
      } else {
        key_size = scan::PlainRun(p, end);
        // Keys with escapes or non-ASCII bytes (never column names) go the simdjson way.
        if (p + key_size >= end || p[key_size] != '"') return nullptr;
        index = names_.Find(std::string_view(p, key_size), LoadHead(p, key_size, true));
        predicted = index;
      }
      p += key_size + 1;
      previous = index >= 0 ? index : unknown_index;
      if (*p != ':') {
        p = scan::SkipSpace(p, end, newlines);
        if (*p != ':') return nullptr;
      }
      p = scan::SkipSpaceIfAny(p + 1, end, newlines);
      p = index >= 0 ? Value(index, columns[index].type, slots[index], p, end, newlines, row)
                     : Unknown(std::string_view(key, key_size), p, end, newlines, row);
      if (p == nullptr) return nullptr;
      if (*p != ',') {
        p = scan::SkipSpaceIfAny(p, end, newlines);
        if (*p == '}') {
          ++p;
          break;
        }
        if (*p != ',') return nullptr;
      }
      p = scan::SkipSpaceIfAny(p + 1, end, newlines);
    }
  }
  if (p > end) return nullptr;

  const uint64_t generation = row->generation;
  for (int i : required_) {
    if (slots[i].seen != generation) return nullptr;
  }
  for (int i = 1; i < unknown_count_; ++i) {
    for (int j = 0; j < i; ++j) {
      if (unknown_[i] == unknown_[j]) return nullptr;
    }
  }
  if (extra_field_ >= 0) {
    Slot& slot = row->slots[static_cast<size_t>(extra_field_)];
    slot.seen = generation;
    slot.source = SlotSource::kExtra;
    if (!row->extra.empty()) {
      row->extra.push_back('}');
    } else if (!extra_nullable_) {
      row->extra = "{}";
    }
    slot.has_value = !row->extra.empty();
  }
  row->time = row->slots[static_cast<size_t>(time_field_)].i;
  return p;
}

const char* FastPath::OtherValue(int index, ColumnType type, Slot& slot, const char* p, const char* end,
                                 bool newlines, Row* row) {
  const char c = *p;
  if (c == 'n') {
    // Null: fine for a nullable column; the time column and non-nullable ones need a message.
    if (!columns_[static_cast<size_t>(index)].nullable || index == time_field_ || !Literal(p, end, "null", 4)) {
      return nullptr;
    }
    return p + 4;
  }
  switch (type) {
    case ColumnType::kString: {
      if (c == '"') {
        bool escaped = false;
        const char* close = scan::StringEnd(p + 1, end, &escaped);
        if (close == nullptr) return nullptr;
        if (!escaped) {
          row->SetView(slot, p + 1, static_cast<size_t>(close - p - 1));
        } else {
          const size_t offset = row->scratch.size();
          scan::Unescape(p + 1, close, &row->scratch);
          slot.has_value = true;
          slot.source = SlotSource::kScratch;
          slot.offset = offset;
          slot.len = row->scratch.size() - offset;
        }
        return close + 1;
      }
      if (c == '{' || c == '[') {
        const size_t offset = row->scratch.size();
        const char* after = Compact(p, end, newlines, &row->scratch, 1);
        if (after == nullptr) return nullptr;
        slot.has_value = true;
        slot.source = SlotSource::kScratch;
        slot.offset = offset;
        slot.len = row->scratch.size() - offset;
        return after;
      }
      // Numbers and literals keep their text.
      size_t n;
      if (c == 't') {
        if (!Literal(p, end, "true", 4)) return nullptr;
        n = 4;
      } else if (c == 'f') {
        if (!Literal(p, end, "false", 5)) return nullptr;
        n = 5;
      } else {
        JsonNumber number;
        const char* after = scan::Number(p, end, &number);
        if (after == nullptr) return nullptr;
        n = static_cast<size_t>(after - p);
      }
      row->SetView(slot, p, n);
      return p + n;
    }

    case ColumnType::kInt32:
    case ColumnType::kInt64:
    case ColumnType::kDouble: {
      JsonNumber number;
      const char* after;
      if (c == '"') {
        bool escaped = false;
        const char* close = scan::StringEnd(p + 1, end, &escaped);
        if (close == nullptr || escaped) return nullptr;
        if (!ParseJsonNumber(std::string_view(p + 1, static_cast<size_t>(close - p - 1)), &number)) return nullptr;
        after = close + 1;
      } else {
        after = scan::Number(p, end, &number);
        if (after == nullptr) return nullptr;
      }
      if (type == ColumnType::kDouble) {
        if (ToDouble(number, &slot.d) != DoubleConversion::kOk) return nullptr;
      } else if (!IntegerValue(number, type, &slot.i)) {
        return nullptr;
      }
      slot.has_value = true;
      return after;
    }

    case ColumnType::kBool:
      if (c == 't' && Literal(p, end, "true", 4)) {
        slot.i = 1;
        slot.has_value = true;
        return p + 4;
      }
      if (c == 'f' && Literal(p, end, "false", 5)) {
        slot.i = 0;
        slot.has_value = true;
        return p + 5;
      }
      return nullptr;

    case ColumnType::kTimestamp: {
      if (c == '"') {
        bool escaped = false;
        const char* close = scan::StringEnd(p + 1, end, &escaped);
        if (close == nullptr || escaped) return nullptr;
        const size_t n = static_cast<size_t>(close - p - 1);
        if (!IsoTimestamp(p + 1, n, &slot.i) && !TimestampFromString(std::string_view(p + 1, n), &slot.i)) {
          return nullptr;
        }
        slot.has_value = true;
        return close + 1;
      }
      JsonNumber number;
      const char* after = scan::Number(p, end, &number);
      bool millis;
      if (after == nullptr || !EpochMicros(number, &slot.i, &millis)) return nullptr;
      slot.has_value = true;
      return after;
    }
  }
  return nullptr;
}

const char* FastPath::Unknown(std::string_view raw_key, const char* p, const char* end, bool newlines,
                              Row* row) {
  if (extra_field_ < 0 || unknown_count_ == kMaxUnknown) return nullptr;
  unknown_[unknown_count_++] = raw_key;
  std::string& extra = row->extra;
  extra.push_back(extra.empty() ? '{' : ',');
  extra.push_back('"');
  extra.append(raw_key);
  extra.append("\":", 2);
  return Compact(p, end, newlines, &extra, 1);
}

const char* FastPath::Compact(const char* p, const char* end, bool newlines, std::string* out, int depth) {
  if (p >= end) return nullptr;
  const char c = *p;
  switch (c) {
    case '"': {
      bool escaped = false;
      const char* close = scan::StringEnd(p + 1, end, &escaped);
      if (close == nullptr) return nullptr;
      out->append(p, static_cast<size_t>(close + 1 - p));
      return close + 1;
    }
    case '{':
    case '[': {
      if (depth >= kMaxFastDepth) return nullptr;
      const bool is_object = c == '{';
      const char close = is_object ? '}' : ']';
      out->push_back(c);
      p = scan::SkipSpace(p + 1, end, newlines);
      if (p >= end) return nullptr;
      if (*p == close) {
        out->push_back(close);
        return p + 1;
      }
      while (true) {
        if (is_object) {
          // Keys are data here: copied as written, escapes and duplicates included.
          if (*p != '"') return nullptr;
          bool escaped = false;
          const char* key_end = scan::StringEnd(p + 1, end, &escaped);
          if (key_end == nullptr) return nullptr;
          out->append(p, static_cast<size_t>(key_end + 1 - p));
          p = scan::SkipSpace(key_end + 1, end, newlines);
          if (p >= end || *p != ':') return nullptr;
          out->push_back(':');
          p = scan::SkipSpace(p + 1, end, newlines);
          if (p >= end) return nullptr;
        }
        p = Compact(p, end, newlines, out, depth + 1);
        if (p == nullptr) return nullptr;
        p = scan::SkipSpace(p, end, newlines);
        if (p >= end) return nullptr;
        if (*p == close) {
          out->push_back(close);
          return p + 1;
        }
        if (*p != ',') return nullptr;
        out->push_back(',');
        p = scan::SkipSpace(p + 1, end, newlines);
        if (p >= end) return nullptr;
      }
    }
    case 't':
      if (!Literal(p, end, "true", 4)) return nullptr;
      out->append(p, 4);
      return p + 4;
    case 'f':
      if (!Literal(p, end, "false", 5)) return nullptr;
      out->append(p, 5);
      return p + 5;
    case 'n':
      if (!Literal(p, end, "null", 4)) return nullptr;
      out->append(p, 4);
      return p + 4;
    default: {
      JsonNumber number;
      const char* after = scan::Number(p, end, &number);
      if (after == nullptr) return nullptr;
      out->append(p, static_cast<size_t>(after - p));
      return after;
    }
  }
}

bool FastPath::IsoTimestamp(const char* s, size_t n, int64_t* micros) {
  // YYYY-MM-DDThh:mm:ssZ is 20 bytes; a fraction of 1 to 9 digits adds 2 to 10. The bytes are
  // read as words (s has padding to read), whose digits are checked and combined in parallel.
  if constexpr (std::endian::native != std::endian::little) return false;  // the general parser decides
  if (n < 20 || n > 30 || n == 21 || s[n - 1] != 'Z' || s[10] != 'T') return false;
  uint64_t head;
  uint16_t tail;
  std::memcpy(&head, s, 8);
  std::memcpy(&tail, s + 8, 2);
  if (head != date_head_ || tail != date_tail_) {
    if (s[4] != '-' || s[7] != '-') return false;
    const unsigned century = TwoDigits(s);
    const unsigned year_of_century = TwoDigits(s + 2);
    const unsigned month = TwoDigits(s + 5);
    const unsigned day = TwoDigits(s + 8);
    if (century > 99 || year_of_century > 99 || month < 1 || month > 12 || day < 1) return false;
    const int year = static_cast<int>(century * 100 + year_of_century);
    if (static_cast<int>(day) > DaysInMonth(year, static_cast<int>(month))) return false;
    date_days_ = DaysFromCivil(year, static_cast<int>(month), static_cast<int>(day));
    date_head_ = head;
    date_tail_ = tail;
  }
  // "hh:mm:ss", the first byte lowest.
  uint64_t clock;
  std::memcpy(&clock, s + 11, 8);
  if ((clock & 0x0000FF0000FF0000) != 0x00003A00003A0000) return false;
  const uint64_t clock_digits = clock - 0x3030003030003030;
  if (!AllDigits(clock_digits, 0x8080008080008080)) return false;
  auto byte = [&](int i) { return static_cast<unsigned>((clock_digits >> (8 * i)) & 0xFF); };
  const unsigned hour = byte(0) * 10 + byte(1);
  const unsigned minute = byte(3) * 10 + byte(4);
  const unsigned second = byte(6) * 10 + byte(7);
  if (hour > 23 || minute > 59 || second > 59) return false;  // a leap second goes the long way
  int64_t fraction = 0;
  if (n > 20) {
    if (s[19] != '.') return false;
    // Digits beyond the sixth are dropped: the instant is floored to the microsecond. The kept
    // ones, padded with zeros to six, form the microseconds: "00dddddd" as eight digits.
    const size_t digits = n - 21;
    const size_t kept = digits < 6 ? digits : 6;
    uint64_t word;
    std::memcpy(&word, s + 20, 8);
    const uint64_t keep_mask = (uint64_t{1} << (8 * kept)) - 1;
    word = (((word & keep_mask) | (0x303030303030 & ~keep_mask)) << 16) | 0x3030;
    const uint64_t values = word - 0x3030303030303030;
    if (!AllDigits(values, 0x8080808080808080)) return false;
    for (size_t i = 6; i < digits; ++i) {
      if (!scan::IsDigit(s[20 + i])) return false;
    }
    fraction = static_cast<int64_t>(EightDigits(values));
  }
  *micros = (date_days_ * 86400 + hour * 3600 + minute * 60 + second) * kMicrosPerSecond + fraction;
  return true;
}

bool FastPath::TimestampFromString(std::string_view text, int64_t* micros) {
  JsonNumber number;
  if (!LooksIsoDate(text) && ParseJsonNumber(text, &number)) {
    bool millis;
    return EpochMicros(number, micros, &millis);
  }
  Result<int64_t> parsed = ParseTimestampMicros(text);
  if (!parsed.ok()) return false;
  *micros = *parsed;
  return true;
}

}  // namespace loglake::json
