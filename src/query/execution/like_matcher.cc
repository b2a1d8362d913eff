#include "query/execution/like_matcher.h"

#include <cstring>

#include "common/utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace loglake::query {

Result<LikeMatcher> LikeMatcher::Compile(std::string_view pattern, std::optional<std::string_view> escape) {
  std::optional<char> esc;
  if (escape.has_value()) {
    // One character: a one-byte code point (multi-byte escape characters are not supported).
    if (escape->size() != 1) {
      return Status::InvalidArgument("LIKE: escape string must be a single character, got '" + std::string(*escape) +
                                     "'");
    }
    esc = (*escape)[0];
  }
  LikeMatcher m;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (esc.has_value() && c == *esc) {
      if (i + 1 >= pattern.size()) {
        return Status::InvalidArgument("LIKE: escape character must be followed by '%', '_' or the escape character: '" +
                                       std::string(pattern) + "'");
      }
      char next = pattern[i + 1];
      if (next != '%' && next != '_' && next != *esc) {
        return Status::InvalidArgument("LIKE: escape character must be followed by '%', '_' or the escape character: '" +
                                       std::string(pattern) + "'");
      }
      m.tokens_.push_back({TokenKind::kLiteral, next});
      ++i;
    } else if (c == '%') {
      // Consecutive '%' are one.
      if (m.tokens_.empty() || m.tokens_.back().kind != TokenKind::kAnySequence) {
        m.tokens_.push_back({TokenKind::kAnySequence, 0});
      }
    } else if (c == '_') {
      m.tokens_.push_back({TokenKind::kOne, 0});
    } else {
      m.tokens_.push_back({TokenKind::kLiteral, c});
    }
  }

  // Recognize literal, %literal, literal%, %literal%, %.
  size_t begin = 0, end = m.tokens_.size();
  bool leading = begin < end && m.tokens_[begin].kind == TokenKind::kAnySequence;
  if (leading) ++begin;
  bool trailing = begin < end && m.tokens_[end - 1].kind == TokenKind::kAnySequence;
  if (trailing) --end;
  bool all_literal = true;
  std::string literal;
  for (size_t i = begin; i < end; ++i) {
    if (m.tokens_[i].kind != TokenKind::kLiteral) {
      all_literal = false;
      break;
    }
    literal += m.tokens_[i].byte;
  }
  if (all_literal) {
    m.literal_ = std::move(literal);
    if (m.literal_.empty() && (leading || trailing)) {
      m.shape_ = Shape::kAny;
    } else if (leading && trailing) {
      m.shape_ = Shape::kContains;
    } else if (leading) {
      m.shape_ = Shape::kSuffix;
    } else if (trailing) {
      m.shape_ = Shape::kPrefix;
    } else {
      m.shape_ = Shape::kExact;
    }
  }
  return m;
}

bool LikeMatcher::Contains(std::string_view text) const {
  const size_t n = text.size(), m = literal_.size();
  if (m > n) return false;
  const char* s = text.data();
  const char* needle = literal_.data();
  if (m == 1) return std::memchr(s, needle[0], n) != nullptr;
  size_t i = 0;
#if defined(__SSE2__)
  // 16 candidate positions at a time: those whose first and last bytes match the needle's
  // (two compares and an AND), each verified with memcmp. Rare false candidates keep this near
  // one load per 16 bytes on log text, where memmem's general algorithm costs ~1 ns per byte.
  const __m128i first = _mm_set1_epi8(needle[0]);
  const __m128i last = _mm_set1_epi8(needle[m - 1]);
  for (; i + m - 1 + 16 <= n; i += 16) {
    __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i + m - 1));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
    while (mask != 0) {
      unsigned bit = static_cast<unsigned>(__builtin_ctz(mask));
      const char* at = s + i + bit;
      if (at[1] == needle[1] && std::memcmp(at + 2, needle + 2, m > 3 ? m - 3 : 0) == 0) return true;
      mask &= mask - 1;
    }
  }
#endif
  for (; i + m <= n; ++i) {
    if (s[i] == needle[0] && s[i + m - 1] == needle[m - 1] && std::memcmp(s + i + 1, needle + 1, m - 2) == 0) {
      return true;
    }
  }
  return false;
}

bool LikeMatcher::MatchGeneral(std::string_view text) const {
  // Greedy matching with backtracking to the last '%': when a token fails, the last '%' absorbs
  // one more code point and matching resumes after it. Earlier '%' never need revisiting.
  const size_t n = text.size(), m = tokens_.size();
  const unsigned char* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t t = 0, p = 0;
  size_t star_p = SIZE_MAX, star_t = 0;
  while (t < n) {
    if (p < m) {
      const Token& tok = tokens_[p];
      if (tok.kind == TokenKind::kLiteral && s[t] == static_cast<unsigned char>(tok.byte)) {
        ++t;
        ++p;
        continue;
      }
      if (tok.kind == TokenKind::kOne) {
        t += Utf8SequenceLength(s[t]);
        if (t > n) t = n;
        ++p;
        continue;
      }
      if (tok.kind == TokenKind::kAnySequence) {
        star_p = p++;
        star_t = t;
        continue;
      }
    }
    if (star_p == SIZE_MAX) return false;
    p = star_p + 1;
    star_t += Utf8SequenceLength(s[star_t]);
    if (star_t > n) return false;
    t = star_t;
  }
  while (p < m && tokens_[p].kind == TokenKind::kAnySequence) ++p;
  return p == m;
}

}  // namespace loglake::query
