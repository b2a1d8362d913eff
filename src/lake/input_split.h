// Where a plain JSON input file can be cut so that each piece holds whole records: what lets
// `loglake convert --threads N` share one large NDJSON file among its threads.
//
// A cut goes right after a newline byte whose nearest non-whitespace bytes are `}` before it and
// `{` after it (json::LineFeedPartsRecords). In valid JSON text that is a sequence of top-level
// values (NDJSON, objects one after another, arrays of objects), that pattern occurs only between
// two top-level objects: a newline byte is never inside a string (it must be escaped there), and
// within an object or array a value's closing `}` is followed by `,`, `}` or `]`, never by `{`.
// In any other text the framer parts records there too (json/framing.h), so a piece framed on
// its own holds exactly the records it holds in the whole file, with the same lines; a fuzz target
// checks it (tests/fuzz/input_split_fuzz.cc). Text without such newlines (Firehose's `{..}{..}` on
// one line, one long pretty-printed array) has no cut and stays whole.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace loglake::lake {

// How far after each target FindRecordCuts looks for a cut before it gives that target up.
constexpr uint64_t kMaxCutSearchBytes = uint64_t{4} << 20;

// For each offset in `targets` (ascending), the first cut at or after it within
// kMaxCutSearchBytes and before `size`; targets without one are left out, and so are repeats.
// The result is ascending, every cut in (0, size).
Result<std::vector<uint64_t>> FindRecordCuts(const std::string& path, uint64_t size,
                                             const std::vector<uint64_t>& targets);

// The number of newline bytes in [0, end) of the file: the line a byte at `end` is on, less one.
Result<uint64_t> CountNewlines(const std::string& path, uint64_t end);

}  // namespace loglake::lake
