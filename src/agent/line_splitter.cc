#include "agent/line_splitter.h"

#include <algorithm>
#include <cstring>

namespace loglake::agent {

bool IsBlankLine(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

void LineSplitter::Split(std::string_view chunk, uint64_t chunk_offset, bool take_partial, SplitOutput* out) {
  out->lines.clear();
  out->over_long.clear();
  out->consumed = 0;
  out->partial = false;
  size_t pos = 0;
  while (pos < chunk.size()) {
    const void* found = std::memchr(chunk.data() + pos, '\n', chunk.size() - pos);
    if (skipping_) {
      // The rest of an over-long line, already reported: drop it up to and with its newline.
      if (found == nullptr) {
        pos = chunk.size();
        break;
      }
      pos = static_cast<size_t>(static_cast<const char*>(found) - chunk.data()) + 1;
      skipping_ = false;
      continue;
    }
    const size_t end = found == nullptr ? chunk.size() : static_cast<size_t>(static_cast<const char*>(found) - chunk.data());
    const size_t length = end - pos;
    if (length > max_line_bytes_) {
      out->over_long.push_back(OverLongLine{chunk_offset + pos, std::string(chunk.substr(pos, std::min(length, kOverLongHeadBytes)))});
      if (found == nullptr) {
        skipping_ = true;
        pos = chunk.size();
        break;
      }
      pos = end + 1;
      continue;
    }
    if (found == nullptr) {
      // An unterminated tail: it waits for its newline unless the caller says it waited enough.
      if (take_partial) {
        if (!IsBlankLine(chunk.substr(pos))) out->lines.push_back(chunk.substr(pos));
        pos = chunk.size();
      } else {
        out->partial = true;
      }
      break;
    }
    const std::string_view line = chunk.substr(pos, length);
    if (!IsBlankLine(line)) out->lines.push_back(line);
    pos = end + 1;
  }
  out->consumed = pos;
}

}  // namespace loglake::agent
