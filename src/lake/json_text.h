// Writing arbitrary bytes into JSON text, for the lake's error files.
//
// A rejected record can be anything: broken JSON, invalid UTF-8, control characters. JSON strings
// must be valid Unicode, so AppendJsonString() writes valid UTF-8 unchanged (escaping '"', '\\' and
// control characters) and replaces each invalid byte with U+FFFD. Whether anything was replaced is
// reported so that the caller can also store the exact bytes with AppendBase64().
#pragma once

#include <string>
#include <string_view>

namespace loglake::lake {

// True if `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Appends `text` as a quoted JSON string. Returns false if some bytes were not valid UTF-8 and
// were written as U+FFFD (the text then does not round-trip).
bool AppendJsonString(std::string* out, std::string_view text);

// Appends standard base64 (RFC 4648, with '=' padding).
void AppendBase64(std::string* out, std::string_view bytes);
// Decodes standard base64 (RFC 4648: '=' padding required, no whitespace) onto *out; false for
// anything else.
bool DecodeBase64(std::string_view text, std::string* out);

}  // namespace loglake::lake
