// LikeMatcher: a SQL LIKE pattern compiled once, matched against many strings.
//
// Semantics are Trino's: the pattern matches the whole string; '%' matches any sequence of code
// points (also none), '_' exactly one code point (1 to 4 UTF-8 bytes), anything else itself,
// byte for byte (so the match is case-sensitive). With an escape character E, "E%", "E_" and
// "EE" stand for the literal character; E followed by anything else, or at the end of the
// pattern, is an error, as is an escape string that is not exactly one character.
//
// The common shapes are recognized and matched without the general algorithm: 'abc' (exact),
// 'abc%' (prefix), '%abc' (suffix), '%abc%' (contains, with an SSE2 first/last-byte filter), '%' (any string). Other
// patterns use a backtracking matcher over pattern tokens that is linear for patterns with one
// '%' and O(text × pattern) in the worst case.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace loglake::query {

class LikeMatcher {
 public:
  enum class Shape { kExact, kPrefix, kSuffix, kContains, kAny, kGeneral };

  // `escape` is the ESCAPE string, if given.
  static Result<LikeMatcher> Compile(std::string_view pattern, std::optional<std::string_view> escape);

  bool Matches(std::string_view text) const {
    switch (shape_) {
      case Shape::kExact: return text == literal_;
      case Shape::kPrefix: return text.size() >= literal_.size() && text.compare(0, literal_.size(), literal_) == 0;
      case Shape::kSuffix:
        return text.size() >= literal_.size() &&
               text.compare(text.size() - literal_.size(), literal_.size(), literal_) == 0;
      case Shape::kContains: return Contains(text);
      case Shape::kAny: return true;
      case Shape::kGeneral: return MatchGeneral(text);
    }
    return false;
  }

  Shape shape() const { return shape_; }
  // The literal of the exact/prefix/suffix/contains shapes.
  const std::string& literal() const { return literal_; }

 private:
  enum class TokenKind : uint8_t { kLiteral, kOne, kAnySequence };
  struct Token {
    TokenKind kind;
    char byte;
  };

  bool Contains(std::string_view text) const;
  bool MatchGeneral(std::string_view text) const;

  Shape shape_ = Shape::kGeneral;
  std::string literal_;
  std::vector<Token> tokens_;
};

}  // namespace loglake::query
