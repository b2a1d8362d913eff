// Tokens of the SQL dialect and where they start in the query text.
//
// Keywords are not a separate token kind: Trino has many non-reserved words (`time`, `date`,
// `day` are column or function names as often as keywords), so the lexer returns every bare word
// as kIdentifier and the parser decides from context. A "quoted" identifier is kQuotedIdentifier
// and is never a keyword.
#pragma once

#include <cstdint>
#include <string>

namespace loglake::query::sql {

// 1-based line and column (in code points) of a token's first character.
struct SourcePos {
  int line = 1;
  int column = 1;
};

// "line 3:14".
std::string FormatPos(const SourcePos& pos);

enum class TokenKind : uint8_t {
  kIdentifier,        // text: as written (callers compare case-insensitively)
  kQuotedIdentifier,  // text: the name inside the quotes, "" unescaped to "
  kString,            // text: the value, '' unescaped to '
  kInteger,           // text: the digits
  kDecimal,           // text: digits with a '.' and/or an exponent
  kOperator,          // text: = <> != < <= > >= + - * / % || ( ) , . ; ?
  kEnd,               // end of the query text
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  SourcePos pos;

  // How the token reads in an error message: "'FORM'", "end of input".
  std::string Describe() const;
};

}  // namespace loglake::query::sql
