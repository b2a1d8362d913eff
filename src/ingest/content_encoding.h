// Request bodies as clients send them: `Content-Encoding: gzip`, `zstd` or none (`identity`).
//
// Decoding is bounded: a body that would decode to more than max_bytes stops with
// ResourceExhausted as soon as it passes the limit, so a small compressed body cannot make the
// server allocate without end. Damaged input is InvalidArgument naming the encoding.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace loglake::ingest {

// `encoding` is the header's value (case-insensitive; empty = identity). Appends the decoded
// bytes to *out.
Status DecodeContent(std::string_view encoding, std::string_view body, size_t max_bytes, std::string* out);

}  // namespace loglake::ingest
