// Compression of request bodies: gzip (RFC 1952; the default, what every HTTP server and proxy
// understands; compressed with libdeflate, about 2.5x faster than zlib at the same level), zstd
// (less CPU still for a smaller body, when the receiver is loglake), or none.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace loglake::agent {

enum class BodyCodec { kNone, kGzip, kZstd };

// "none", "gzip", "zstd".
Result<BodyCodec> ParseBodyCodec(std::string_view name);
// The Content-Encoding header value; empty for kNone.
const char* ContentEncoding(BodyCodec codec);
// Replaces *out with `input` compressed at `level` (gzip 1..12, zstd 1..19).
Status CompressBody(BodyCodec codec, int level, std::string_view input, std::string* out);

}  // namespace loglake::agent
