// String helpers of the evaluator, on UTF-8 text, exposed for tests.
//
// Case mapping is per code point (like Trino's lower/upper: no 'ß' → "SS" expansion) and
// covers ASCII, Latin-1 Supplement, Latin Extended-A, Greek and Cyrillic (U+0400–U+045F);
// other code points are left unchanged. Malformed UTF-8 bytes are copied through.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace loglake::query {

void AppendLower(std::string_view s, std::string* out);
void AppendUpper(std::string_view s, std::string* out);

// Number of code points (bytes that are not UTF-8 continuation bytes).
int64_t CodePointCount(std::string_view s);

// Trino's substr(s, start[, length]), 1-based in code points; a negative start counts from the
// end; start 0 or a length <= 0 give ''.
std::string_view Substr(std::string_view s, int64_t start, int64_t length);

// Trino's trim: removes leading and trailing white space (Java's Character.isWhitespace: ASCII
// space, \t \n \v \f \r, U+001C–U+001F, and the Unicode space separators except the no-break
// ones).
std::string_view TrimWhitespace(std::string_view s);

// replace(s, search, replacement): every occurrence; an empty search inserts the replacement
// before every code point and at the end, as Trino does.
void AppendReplaced(std::string_view s, std::string_view search, std::string_view replacement, std::string* out);

// Converts a JSONPath of json_extract_scalar ('$.a.b', '$.a[0]', '$["a.b"]', "$['a']") to a
// JSON pointer ("/a/b"); false if the path is not of that form.
bool JsonPathToPointer(std::string_view path, std::string* pointer);

}  // namespace loglake::query
