// libFuzzer target: any bytes as a plain JSON input file that `loglake convert --threads` may cut
// into pieces (lake::FindRecordCuts). The first byte picks the cut targets. Every cut lies right
// after a newline. The pieces framed one by one must give the records the whole input gives, with
// the same lines (counted from the file's start, as convert reports them): the same complete
// objects always, and when the whole frames without an error, the very same sequence. Only
// errors in damaged input may be worded or grouped differently at a cut.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "json/framing.h"
#include "lake/input_split.h"

namespace {

struct Framed {
  std::string text;
  uint64_t line;
  bool ok;
  bool operator==(const Framed&) const = default;
};

// Frames `text` as one source; lines are offset by `lines_before`. Sets *clean when no record
// was an error.
void Frame(std::string_view text, uint64_t lines_before, std::vector<Framed>* out, bool* clean) {
  loglake::json::RecordFramer framer;
  framer.Feed(text);
  framer.Finish();
  while (auto r = framer.Next()) {
    out->push_back({std::string(r->text), lines_before + r->line, r->error.ok()});
    if (!r->error.ok()) *clean = false;
  }
}

const std::string& InputPath() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir != nullptr ? dir : "/tmp") + "/loglake-input-split-fuzz-" + std::to_string(::getpid());
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  // A plain write: FindRecordCuts reads a file, and the run must not wait for fsyncs.
  std::FILE* f = std::fopen(InputPath().c_str(), "wb");
  if (f == nullptr || std::fwrite(text.data(), 1, text.size(), f) != text.size() || std::fclose(f) != 0) {
    __builtin_trap();
  }
  // 1 to 8 targets spread over the text, offset by the control byte.
  std::vector<uint64_t> targets;
  const uint64_t count = 1 + (control & 7);
  for (uint64_t j = 1; j <= count; ++j) targets.push_back((text.size() * j + (control >> 3)) / (count + 1));
  std::sort(targets.begin(), targets.end());
  auto cuts = loglake::lake::FindRecordCuts(InputPath(), text.size(), targets);
  if (!cuts.ok()) __builtin_trap();
  uint64_t previous = 0;
  for (uint64_t c : *cuts) {
    if (c <= previous || c >= text.size() || text[c - 1] != '\n') __builtin_trap();
    previous = c;
  }

  std::vector<Framed> whole;
  bool clean = true;
  Frame(text, 0, &whole, &clean);
  std::vector<Framed> pieces;
  uint64_t begin = 0;
  uint64_t lines_before = 0;
  for (size_t k = 0; k <= cuts->size(); ++k) {
    const uint64_t end = k < cuts->size() ? (*cuts)[k] : text.size();
    const std::string_view piece = text.substr(begin, end - begin);
    bool piece_clean = true;
    Frame(piece, lines_before, &pieces, &piece_clean);
    for (char ch : piece) lines_before += ch == '\n';
    begin = end;
  }
  if (clean && pieces != whole) __builtin_trap();
  std::vector<Framed> whole_objects;
  std::vector<Framed> piece_objects;
  for (const Framed& r : whole) {
    if (r.ok) whole_objects.push_back(r);
  }
  for (const Framed& r : pieces) {
    if (r.ok) piece_objects.push_back(r);
  }
  if (piece_objects != whole_objects) __builtin_trap();
  return 0;
}
