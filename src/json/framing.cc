#include "json/framing.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace loglake::json {
namespace {

// Scanning reads whole 64-byte blocks, so the buffer keeps this many bytes after its data.
constexpr size_t kSlack = 64;
static_assert(kSlack >= RecordFramer::kPadding);

// The 64 bytes at p: bit k of `special` marks p[k] when framing looks at it (brackets, braces,
// quotes, backslashes, line feeds), bit k of `quotes` when it is a quote; `backslash` and
// `newline` tell whether the block holds one.
struct BlockMasks {
  uint64_t special = 0;
  uint64_t quotes = 0;
  bool backslash = false;
  bool newline = false;
};

inline BlockMasks ClassifyBlock(const char* p) {
  BlockMasks m;
#if defined(__SSE2__)
  // '{' and '[' differ only in bit 0x20, as do '}' and ']': one OR folds each pair.
  const __m128i fold = _mm_set1_epi8(0x20);
  const __m128i open = _mm_set1_epi8('{');
  const __m128i close = _mm_set1_epi8('}');
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i newline = _mm_set1_epi8('\n');
  __m128i any_backslash = _mm_setzero_si128();
  __m128i any_newline = _mm_setzero_si128();
  for (int j = 0; j < 4; ++j) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * j));
    const __m128i folded = _mm_or_si128(x, fold);
    const __m128i brackets = _mm_or_si128(_mm_cmpeq_epi8(folded, open), _mm_cmpeq_epi8(folded, close));
    const __m128i q = _mm_cmpeq_epi8(x, quote);
    const __m128i b = _mm_cmpeq_epi8(x, backslash);
    const __m128i n = _mm_cmpeq_epi8(x, newline);
    any_backslash = _mm_or_si128(any_backslash, b);
    any_newline = _mm_or_si128(any_newline, n);
    const __m128i all = _mm_or_si128(_mm_or_si128(brackets, q), _mm_or_si128(b, n));
    const int shift = 16 * j;
    m.special |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(all))) << shift;
    m.quotes |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(q))) << shift;
  }
  m.backslash = _mm_movemask_epi8(any_backslash) != 0;
  m.newline = _mm_movemask_epi8(any_newline) != 0;
#else
  for (int k = 0; k < 64; ++k) {
    const char c = p[k];
    const uint64_t bit = uint64_t{1} << k;
    if (c == '"') m.quotes |= bit;
    if (c == '\\') m.backslash = true;
    if (c == '\n') m.newline = true;
    if (c == '{' || c == '}' || c == '[' || c == ']' || c == '"' || c == '\\' || c == '\n') m.special |= bit;
  }
#endif
  return m;
}

// Bit k of the result is the parity of bits 0..k of x: with x the quotes of a block free of
// escapes, the bytes inside strings (opening quote included, closing quote excluded).
inline uint64_t PrefixXor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

inline bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

constexpr char kBom[] = "\xEF\xBB\xBF";

std::string_view TrimTrailingBlanks(std::string_view text) {
  while (!text.empty() && (IsBlank(text.back()) || text.back() == '\n')) text.remove_suffix(1);
  return text;
}

}  // namespace

RecordBreak LineFeedPartsRecords(const char* text, size_t begin, size_t pos, size_t end) {
  const size_t back_limit = pos - begin > kMaxBlanksAroundRecordBreak ? pos - kMaxBlanksAroundRecordBreak : begin;
  size_t before = pos;
  while (before > back_limit && (IsBlank(text[before - 1]) || text[before - 1] == '\n')) --before;
  if (before == back_limit || text[before - 1] != '}') return RecordBreak::kNo;
  const size_t ahead_limit = std::min(end, pos + 1 + kMaxBlanksAroundRecordBreak);
  size_t after = pos + 1;
  while (after < ahead_limit && (IsBlank(text[after]) || text[after] == '\n')) ++after;
  if (after == ahead_limit) {
    return ahead_limit == end && end - pos - 1 < kMaxBlanksAroundRecordBreak ? RecordBreak::kNeedMoreInput
                                                                            : RecordBreak::kNo;
  }
  return text[after] == '{' ? RecordBreak::kYes : RecordBreak::kNo;
}

RecordFramer::RecordFramer(FramerOptions options) : options_(options) {
  options_.max_record_bytes = std::max<size_t>(options_.max_record_bytes, 1);
  options_.oversize_prefix_bytes = std::min(options_.oversize_prefix_bytes, options_.max_record_bytes);
  PrepareFeed(0);  // an empty buffer, padded like any other
  CommitFeed(0);
}

void RecordFramer::Feed(std::string_view chunk) {
  char* dest = PrepareFeed(chunk.size());
  if (!chunk.empty()) std::memcpy(dest, chunk.data(), chunk.size());
  CommitFeed(chunk.size());
}

char* RecordFramer::PrepareFeed(size_t max_bytes) {
  assert(!finished_ && "Feed() after Finish()");
  // Kept texts of returned records expire; the prefix of an oversized value in progress stays.
  if (oversized_) {
    std::string current = std::move(kept_.back());
    kept_.clear();
    kept_.push_back(std::move(current));
  } else {
    kept_.clear();
  }
  // Everything before the value in progress (or before scan_ between values) has been returned.
  const size_t keep_from = state_ == State::kBetween ? scan_ : start_;
  if (keep_from > 0) {
    std::memmove(buf_.get(), buf_.get() + keep_from, len_ - keep_from);
    len_ -= keep_from;
    base_offset_ += keep_from;
    scan_ -= keep_from;
    start_ -= std::min(start_, keep_from);
  }
  const size_t needed = len_ + max_bytes + kSlack;
  if (needed > capacity_) {
    const size_t capacity = std::max(needed, capacity_ + capacity_ / 2);
    std::unique_ptr<char[]> bigger(new char[capacity]);
    if (len_ > 0) std::memcpy(bigger.get(), buf_.get(), len_);
    buf_ = std::move(bigger);
    capacity_ = capacity;
  }
  return buf_.get() + len_;
}

void RecordFramer::CommitFeed(size_t n) {
  len_ += n;
  std::memset(buf_.get() + len_, 0, kSlack);
}

void RecordFramer::Finish() {
  finished_ = true;
}

std::optional<FramedRecord> RecordFramer::Next() {
  while (true) {
    if (state_ == State::kValue) return ScanValue();
    if (state_ == State::kJunk) return ScanJunk();

    if (!SkipSeparators()) return std::nullopt;
    const char* data = buf_.get();
    const char c = data[scan_];
    if (c == kBom[0]) {
      const size_t available = std::min<size_t>(len_ - scan_, 3);
      if (std::memcmp(data + scan_, kBom, available) == 0) {
        if (available == 3) {
          scan_ += 3;
          continue;
        }
        if (!finished_) return std::nullopt;  // maybe a BOM split across chunks
      }
    }
    if (c == '{' || c == '[') CloseArrayIfUnseparated();
    if (c == '{') {
      BeginValue(State::kValue);
    } else if (c == '[' && !in_array_) {
      in_array_ = true;
      element_ended_ = false;
      ++scan_;
    } else if (c == '[') {
      BeginValue(State::kValue);
    } else if (c == ']' && in_array_) {
      in_array_ = false;
      ++scan_;
    } else {
      BeginValue(State::kJunk);
    }
  }
}

bool RecordFramer::SkipSeparators() {
  const char* data = buf_.get();
  while (scan_ < len_) {
    const char c = data[scan_];
    if (c == '\n') {
      ++line_;
      gap_has_line_feed_ = true;
    } else if (c == ',') {
      gap_has_comma_ = true;
    } else if (!IsBlank(c)) {
      return true;
    }
    ++scan_;
  }
  return false;
}

std::string_view RecordFramer::PeekObject() {
  if (state_ != State::kBetween || !SkipSeparators() || buf_.get()[scan_] != '{') return {};
  CloseArrayIfUnseparated();
  return std::string_view(buf_.get() + scan_, std::min(len_ - scan_, options_.max_record_bytes));
}

void RecordFramer::BeginValue(State state) {
  state_ = state;
  start_ = scan_;
  value_line_ = line_;
  dropped_bytes_ = 0;
  oversized_ = false;
  value_is_array_ = buf_.get()[scan_] == '[';
  in_string_ = false;
  multiline_ = false;
  depth_ = 0;
}

FramedRecord RecordFramer::EndValue(size_t end, Status error) {
  FramedRecord record;
  record.line = value_line_;
  const uint64_t size = ValueBytes(end);
  if (oversized_ || size > options_.max_record_bytes) {
    if (oversized_) {
      record.text = kept_.back();
    } else {
      record.text = std::string_view(buf_.get() + start_, options_.oversize_prefix_bytes);
    }
    record.error = Status::ResourceExhausted(
        "record of " + std::to_string(size) + " bytes is over the record size limit of " +
        std::to_string(options_.max_record_bytes) + " bytes (only its first " +
        std::to_string(record.text.size()) + " bytes are kept)");
  } else {
    record.text = std::string_view(buf_.get() + start_, end - start_);
    if (!error.ok()) record.text = TrimTrailingBlanks(record.text);
    record.error = std::move(error);
  }
  state_ = State::kBetween;
  scan_ = end;
  start_ = end;
  oversized_ = false;
  dropped_bytes_ = 0;
  ElementEnded();
  return record;
}

void RecordFramer::DropOversizedBytes(size_t upto) {
  if (!oversized_) {
    kept_.emplace_back(buf_.get() + start_, options_.oversize_prefix_bytes);
    oversized_ = true;
  }
  dropped_bytes_ += upto - start_;
  start_ = upto;
}

bool RecordFramer::PushBracket(bool is_array) {
  if (depth_ < kTrackedDepth) {
    const uint64_t bit = uint64_t{1} << (depth_ % 64);
    if (is_array) {
      array_bits_[depth_ / 64] |= bit;
    } else {
      array_bits_[depth_ / 64] &= ~bit;
    }
  }
  ++depth_;
  return true;
}

bool RecordFramer::PopBracket(bool is_array) {
  --depth_;
  if (depth_ >= kTrackedDepth) return true;
  const bool top_is_array = (array_bits_[depth_ / 64] >> (depth_ % 64)) & 1;
  if (top_is_array != is_array) {
    ++depth_;
    return false;
  }
  return true;
}

std::optional<FramedRecord> RecordFramer::ScanValue() {
  const char* data = buf_.get();
  size_t block = scan_;
  while (block < len_) {
    BlockMasks masks = ClassifyBlock(data + block);
    const size_t available = len_ - block;
    if (available < 64) {  // the last block of the buffer: bytes past len_ do not count
      const uint64_t valid = (uint64_t{1} << available) - 1;
      masks.special &= valid;
      masks.quotes &= valid;
      masks.backslash = std::memchr(data + block, '\\', available) != nullptr;
      masks.newline = std::memchr(data + block, '\n', available) != nullptr;
    }
    uint64_t mask = masks.special;
    // Without escapes in the block, string boundaries follow from the quotes alone: then only
    // brackets outside strings (and line feeds, if any) need a look, not every quote.
    uint64_t inside = 0;
    const bool fast = !masks.backslash;
    if (fast) {
      inside = PrefixXor(masks.quotes) ^ (in_string_ ? ~uint64_t{0} : 0);
      mask &= masks.newline ? ~masks.quotes : ~masks.quotes & ~inside;
    }
    size_t next_block = block + 64;
    while (mask != 0) {
      const size_t k = static_cast<size_t>(std::countr_zero(mask));
      mask &= mask - 1;
      const size_t pos = block + k;
      const char c = data[pos];
      if (fast) in_string_ = ((inside >> k) & 1) != 0;
      if (in_string_) {
        if (c == '"') {
          in_string_ = false;
        } else if (c == '\\') {
          if (pos + 1 >= len_) {
            if (finished_) break;  // the end-of-input error below reports it
            scan_ = pos;
            return std::nullopt;
          }
          if (data[pos + 1] == '\n') {
            return EndValue(pos + 1,
                            Status::InvalidArgument("record is malformed: its line ends inside a string "
                                                    "(a truncated line or an unescaped line feed)"));
          }
          // The escaped byte is not special whatever it is.
          if (k + 1 < 64) {
            mask &= ~(uint64_t{1} << (k + 1));
          } else {
            next_block = pos + 2;
          }
        } else if (c == '\n') {
          return EndValue(pos, Status::InvalidArgument("record is malformed: its line ends inside a string "
                                                       "(a truncated line or an unescaped line feed)"));
        }
        continue;
      }
      switch (c) {
        case '"': in_string_ = true; break;
        case '{':
        case '[': PushBracket(c == '['); break;
        case '}':
        case ']':
          if (!PopBracket(c == ']')) {
            return EndValue(pos, Status::InvalidArgument(std::string("record is malformed: '") + c +
                                                         "' does not match the open bracket"));
          }
          if (depth_ == 0) {
            if (value_is_array_) {
              return EndValue(pos + 1,
                              Status::InvalidArgument("array element is an array, not a JSON object"));
            }
            return EndValue(pos + 1, Status::OK());
          }
          break;
        case '\n': {
          const RecordBreak parts = LineFeedPartsRecords(data, start_, pos, len_);
          if (parts == RecordBreak::kNeedMoreInput && !finished_) {
            scan_ = pos;  // decide once the next non-blank byte is known
            return std::nullopt;
          }
          if (parts == RecordBreak::kYes) {
            return EndValue(pos, Status::InvalidArgument("record is incomplete: a line ends after a '}' inside it and "
                                                         "the next line starts a new object"));
          }
          if (!multiline_) {
            if (pos + 1 >= len_ && !finished_) {
              scan_ = pos;  // decide once the next line's first byte is known
              return std::nullopt;
            }
            const char next = pos + 1 < len_ ? data[pos + 1] : '\0';
            if (next == '{') {
              return EndValue(
                  pos, Status::InvalidArgument("record is incomplete: its line ends before the closing "
                                               "bracket and the next line starts a new object"));
            }
            if (next != '\r' && next != '\n') multiline_ = true;
          }
          ++line_;
          break;
        }
        default:  // a backslash outside strings: invalid JSON, left to the record parser
          break;
      }
    }
    if (fast) in_string_ = (inside >> 63) != 0;  // the parity of all the block's quotes
    block = std::min(next_block, len_);
    if (ValueBytes(block) > options_.max_record_bytes) DropOversizedBytes(block);
  }
  scan_ = len_;
  if (oversized_) DropOversizedBytes(len_);
  if (!finished_) return std::nullopt;
  return EndValue(len_, Status::InvalidArgument("record is incomplete: the input ends inside it"));
}

std::optional<FramedRecord> RecordFramer::ScanJunk() {
  const char* data = buf_.get();
  size_t pos = scan_;
  while (pos < len_) {
    const char c = data[pos];
    if (in_string_) {
      if (c == '\n') break;
      if (c == '\\') {
        if (pos + 1 >= len_ && !finished_) {
          scan_ = pos;  // the escaped byte is not here yet
          return std::nullopt;
        }
        if (pos + 1 < len_ && data[pos + 1] != '\n') ++pos;
      } else if (c == '"') {
        in_string_ = false;
      }
    } else if (c == '\n' || c == '{' || c == '[' || c == ',' || (c == ']' && in_array_)) {
      break;
    } else if (c == '"') {
      in_string_ = true;
    }
    ++pos;
    if (ValueBytes(pos) > options_.max_record_bytes) DropOversizedBytes(pos);
  }
  if (pos == len_ && !finished_) {
    scan_ = pos;
    return std::nullopt;
  }
  const char first = oversized_ ? kept_.back()[0] : data[start_];
  const bool scalar = first == '"' || first == '-' || (first >= '0' && first <= '9') || first == 't' ||
                      first == 'f' || first == 'n';
  return EndValue(pos, Status::InvalidArgument(scalar ? "top-level JSON value is not an object"
                                                      : "unexpected bytes outside any JSON object"));
}

}  // namespace loglake::json
