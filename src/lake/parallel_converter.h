// ParallelConverter: `loglake convert --threads N` — many inputs (an archive of json.gz files)
// converted by N Converters at once, each on its own thread.
//
// The inputs are cut into N contiguous shares of about equal size, in the order given: worker k
// converts share k from its first input to its last, with 1/N of the memory budget and of the
// open-file limit, and publishes its own files. Contiguous shares keep a day's inputs together
// when the inputs are in time order (Firehose's yyyy/MM/dd/HH keys, sorted): a day gets a second
// file only where it straddles two shares. Such a day's files are like those of two convert runs:
// readers see both, and the query engine removes duplicates across them.
//
// Every record read is written or rejected, as with one Converter; the stats are the sum of the
// workers'. If a worker fails (an I/O error), the others stop after their current input, files
// already published stay, unfinished ones are removed, and the first error is returned.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "lake/converter.h"
#include "lake/table.h"

namespace loglake::lake {

// Splits `inputs` (with their sizes in bytes, as many) into at most `shares` contiguous runs of
// about equal total size, none empty, in order. Fewer inputs than shares give one run each.
std::vector<std::vector<std::string>> ShareInputs(const std::vector<std::string>& inputs,
                                                  const std::vector<uint64_t>& sizes, size_t shares);

class ParallelConverter {
 public:
  // Called after each input is converted, with the records read from it. Called from the
  // workers' threads, one call at a time.
  using InputDone = std::function<void(const std::string& input, uint64_t records)>;

  // Checks the table and options as Converter::Create does; `threads` >= 1. Creates nothing on
  // disk yet.
  static Result<std::unique_ptr<ParallelConverter>> Create(const std::string& lake_dir, TableDef table,
                                                           ConverterOptions options, int threads);

  // Converts every input ("-" is standard input) and publishes everything: ConvertFile for each,
  // then Finish, on min(threads, inputs) workers. Call once. `sizes` (bytes, as many as inputs;
  // 0 where unknown) balance the shares.
  Status ConvertFiles(const std::vector<std::string>& inputs, const std::vector<uint64_t>& sizes,
                      const InputDone& on_input_done);

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
