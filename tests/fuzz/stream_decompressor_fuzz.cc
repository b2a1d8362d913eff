// libFuzzer target: any byte string as a compressed input of `loglake convert` (or a compressed
// request body), decompressed by lake::StreamDecompressor in pieces. The first byte chooses the
// format when the rest does not start with a magic number, and the sizes of the input pieces and
// output buffers. Decompression must end with output or an error, never crash, trip a sanitizer or
// hang, and must keep the contract readers rely on: 0 bytes out only once the input is used up.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "lake/stream_decompressor.h"

namespace {

using loglake::lake::SniffCompression;
using loglake::lake::StreamCompression;
using loglake::lake::StreamDecompressor;

// A stream that inflates beyond this, or needs more calls, has shown what it does; the rest
// would only take time (1-byte output buffers make every byte a call).
constexpr size_t kMaxOutput = 1 << 20;
constexpr int kMaxCalls = 20000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = data[0];
  const std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
  StreamCompression compression = SniffCompression(stream);
  if (compression == StreamCompression::kNone) {
    compression = (control & 1) != 0 ? StreamCompression::kGzip : StreamCompression::kZstd;
  }
  auto decompressor = StreamDecompressor::Create(compression);
  if (!decompressor.ok()) __builtin_trap();
  const size_t in_piece = 1 + ((control >> 1) & 7) * 97;
  const size_t out_piece = 1 + ((control >> 4) & 15) * 4093;
  std::string out(out_piece, '\0');
  std::string_view pending;
  size_t given = 0;
  size_t total = 0;
  for (int calls = 0; total <= kMaxOutput && calls < kMaxCalls; ++calls) {
    auto n = (*decompressor)->Decompress(&pending, out.data(), out.size());
    if (!n.ok()) return 0;
    total += *n;
    if (*n > 0) continue;
    if (!pending.empty()) __builtin_trap();  // 0 bytes out with input left: a reader would stop here
    if (given == stream.size()) {
      (void)(*decompressor)->Finish();
      return 0;
    }
    const size_t take = in_piece < stream.size() - given ? in_piece : stream.size() - given;
    pending = stream.substr(given, take);
    given += take;
  }
  return 0;
}
