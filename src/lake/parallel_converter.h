// ParallelConverter: `loglake convert --threads N` — inputs converted by N Converters at once,
// each on its own thread.
//
// The work is cut into N contiguous shares of about equal size, in input order: worker k
// converts share k from first to last, with 1/N of the memory budget and of the open-file limit,
// and publishes its own files. A plain JSON file larger than its part of the work is first cut
// into pieces that hold whole records (lake/input_split.h), so one large NDJSON file is shared
// too; compressed inputs and standard input are converted whole. Contiguous shares keep a day's
// records together when the input is in time order (Firehose's yyyy/MM/dd/HH keys, sorted; a log
// file): a day gets a second file only where it straddles two shares. Such a day's files are like
// those of two convert runs: readers see both, and the query engine removes duplicates across
// them.
//
// Every record read is written or rejected, as with one Converter, and rejected records name
// their input and line as they would; the stats are the sum of the workers'. If a worker fails
// (an I/O error), the others stop after their current piece, files already published stay,
// unfinished ones are removed, and the first error is returned.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "lake/converter.h"
#include "lake/table.h"

namespace loglake::lake {

// Cuts items of `sizes` bytes into at most `shares` contiguous runs of about equal total size,
// none empty, in order: the first item of each run. Fewer items than shares give one run each;
// sizes all 0 (unknown) count as equal.
std::vector<size_t> ShareBySize(const std::vector<uint64_t>& sizes, size_t shares);

// What one worker converts at a time: a whole input, or bytes [begin, end) of a plain file.
struct InputPiece {
  std::string path;
  bool whole = true;
  uint64_t begin = 0;
  uint64_t end = std::numeric_limits<uint64_t>::max();  // a file's last piece runs to its end
  uint64_t size = 0;                                    // bytes, for sharing; 0 when unknown
  // The path, or for a piece "path [begin, end)" ("end" for the last).
  std::string Label() const;
};

// The pieces of `inputs` (with their sizes; 0 where unknown, as for "-") for `threads` workers:
// a plain file of at least twice max(total / threads, min_piece_bytes) is cut into pieces of
// about that size where records allow; other inputs stay whole. In input order.
Result<std::vector<InputPiece>> PlanPieces(const std::vector<std::string>& inputs, const std::vector<uint64_t>& sizes,
                                           int threads, uint64_t min_piece_bytes);

class ParallelConverter {
 public:
  // Called after each piece is converted, with its label and the records read from it. Called
  // from the workers' threads, one call at a time.
  using InputDone = std::function<void(const std::string& label, uint64_t records)>;

  // Pieces smaller than this are not worth a cut (a thread's fixed costs: fresh dictionaries,
  // a file per day).
  static constexpr uint64_t kMinPieceBytes = uint64_t{16} << 20;

  // Checks the table and options as Converter::Create does; `threads` >= 1. Creates nothing on
  // disk yet.
  static Result<std::unique_ptr<ParallelConverter>> Create(const std::string& lake_dir, TableDef table,
                                                           ConverterOptions options, int threads);

  // Converts every input ("-" is standard input) and publishes everything, on up to `threads`
  // workers. Call once. `sizes` (bytes, as many as inputs; 0 where unknown) balance the shares
  // (PlanPieces).
  Status ConvertFiles(const std::vector<std::string>& inputs, const std::vector<uint64_t>& sizes,
                      const InputDone& on_input_done, uint64_t min_piece_bytes = kMinPieceBytes);

  // The workers' stats summed (files and unreadable inputs in input order). Valid after
  // ConvertFiles.
  const ConvertStats& stats() const { return stats_; }
  // <lake>/<table>
  const std::string& table_dir() const { return table_dir_; }

 private:
  ParallelConverter(std::string lake_dir, TableDef table, ConverterOptions options, int threads);

  std::string lake_dir_;
  std::string table_dir_;
  TableDef table_;
  ConverterOptions options_;
  int threads_;
  ConvertStats stats_;
};

}  // namespace loglake::lake
