// Lexer: SQL text → tokens, Trino's lexical rules.
//
//   identifiers   [A-Za-z_][A-Za-z0-9_]*  (case-insensitive) or "quoted" ("" is a quote)
//   strings       'it''s'
//   numbers       123 (integer), 1.5 / .5 / 1e3 / 1.5E-3 (decimal)
//   operators     = <> != < <= > >= + - * / % || ( ) , . ; ?
//   comments      -- to end of line, /* ... */ (not nested)
// Whitespace separates tokens. Anything else (a `backquoted` identifier, a stray character, an
// unterminated string or comment) is InvalidArgument "line L:C: ...".
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "query/sql/token.h"

namespace loglake::query::sql {

// The tokens of `sql`, always ending with one kEnd token.
Result<std::vector<Token>> Tokenize(std::string_view sql);

}  // namespace loglake::query::sql
