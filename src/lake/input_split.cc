#include "lake/input_split.h"

#include <algorithm>
#include <cstring>

#include "common/file.h"
#include "json/framing.h"

namespace loglake::lake {
namespace {

// Bytes read before a newline, so that the '}' before it is seen (json::LineFeedPartsRecords
// looks back at most kMaxBlanksAroundRecordBreak bytes).
constexpr uint64_t kLookBehindBytes = 64 << 10;
static_assert(kLookBehindBytes > json::kMaxBlanksAroundRecordBreak);
constexpr size_t kWindowBytes = 1 << 20;

}  // namespace

Result<std::vector<uint64_t>> FindRecordCuts(const std::string& path, uint64_t size,
                                             const std::vector<uint64_t>& targets) {
  std::vector<uint64_t> cuts;
  if (targets.empty()) return cuts;
  ASSIGN_OR_RETURN(std::shared_ptr<RandomAccessFile> file, RandomAccessFile::Open(path));
  size = std::min(size, file->size());
  std::string window;
  for (const uint64_t target : targets) {
    if (target == 0 || target >= size) continue;
    const uint64_t search_end = std::min(size, target + kMaxCutSearchBytes);  // cuts lie below it
    // q: the next newline position to consider; a cut is q + 1.
    uint64_t q = std::max(target, cuts.empty() ? uint64_t{0} : cuts.back() + 1) - 1;
    bool found = false;
    bool reread = false;  // q's look ahead ran past the window: read again from q, once
    while (!found && q + 1 < search_end) {
      const uint64_t start = q > kLookBehindBytes ? q - kLookBehindBytes : 0;
      const uint64_t stop = std::min(size, q + kWindowBytes);
      RETURN_IF_ERROR(file->ReadAt(start, static_cast<size_t>(stop - start), &window));
      const char* w = window.data();
      const uint64_t n = stop - start;
      bool again = false;
      while (q < stop && q + 1 < search_end) {
        const void* nl = std::memchr(w + (q - start), '\n', static_cast<size_t>(stop - q));
        if (nl == nullptr) {
          q = stop;
          break;
        }
        q = start + static_cast<uint64_t>(static_cast<const char*>(nl) - w);
        if (q + 1 >= search_end) break;
        const json::RecordBreak parts = json::LineFeedPartsRecords(w, 0, static_cast<size_t>(q - start), n);
        if (parts == json::RecordBreak::kNeedMoreInput && stop < size && !reread) {
          reread = again = true;
          break;
        }
        reread = false;
        // Not knowing (the file's end) counts as no cut.
        if (parts == json::RecordBreak::kYes) {
          cuts.push_back(q + 1);
          found = true;
          break;
        }
        ++q;
      }
      if (!again && stop == size) break;
    }
  }
  return cuts;
}

Result<uint64_t> CountNewlines(const std::string& path, uint64_t end) {
  ASSIGN_OR_RETURN(std::shared_ptr<RandomAccessFile> file, RandomAccessFile::Open(path));
  if (end > file->size()) return Status::InvalidArgument(path + " is shorter than " + std::to_string(end) + " bytes");
  std::string chunk;
  uint64_t lines = 0;
  for (uint64_t at = 0; at < end;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kWindowBytes, end - at));
    RETURN_IF_ERROR(file->ReadAt(at, n, &chunk));
    lines += static_cast<uint64_t>(std::count(chunk.begin(), chunk.end(), '\n'));
    at += n;
  }
  return lines;
}

}  // namespace loglake::lake
