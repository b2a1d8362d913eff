// Scanning one row group: the pruning layers, then late materialization.
//
//   1. statistics   each summary conjunct is tested against the chunk statistics of its columns;
//   2. bloom        conjuncts of `=`/IN on columns with a bloom filter probe it (values hashed
//                   as Parquet does for the column's physical type); a few values read only the
//                   filter's header and the 32-byte block each value names, not the whole filter;
//   3. dictionary   conjuncts of `=`/IN on chunks whose data pages are all dictionary-encoded
//                   read only the dictionary page and look the values up;
//   4. page index   pages of the summary's columns whose bounds cannot match give row ranges
//                   to skip; only pages overlapping the remaining ranges are read (OffsetIndex);
//   5. filter       the filter's columns are decoded for the remaining rows and the filter
//                   selects rows (ExprEvaluator::Select). A filter on one column whose chunk has
//                   a dictionary runs once per dictionary entry (and once for NULL) and selects
//                   rows by their dictionary index, without materializing the strings (pages
//                   the writer fell back to PLAIN for are filtered row by row). With several
//                   filter columns and a `column = constant`/IN conjunct (ScanContext::prefilter),
//                   that conjunct runs first and the other filter columns are decoded only for
//                   the pages of the rows it kept;
//   6. the other referenced columns (and the dedup key) are decoded only for the pages that hold
//      selected rows, only the selected values are materialized (dictionary pages stay indices
//      until then), and pages without a selected row are neither read nor decompressed.
// Columns nobody references are never read. A layer that cannot decide (no statistics, no
// index, a column missing from the file) keeps the unit: pruning never loses a matching row.
//
// ScanRowGroup is thread-safe for distinct outputs: everything shared is read-only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/column.h"
#include "common/status.h"
#include "lake/table.h"
#include "parquet/reader.h"
#include "query/engine.h"
#include "query/expr.h"
#include "query/execution/dedup_set.h"
#include "query/execution/evaluator.h"
#include "query/execution/scan_control.h"
#include "query/planner/predicate_summary.h"

namespace loglake::query {

// The texts of a conjunct `column = 'text'` or `column IN ('text', ...)` on a string column: the
// rows it selects are exactly those whose value equals one of them byte for byte (NULL texts in
// an IN list select nothing). The scan then compares bytes on the decoded pages
// (ColumnChunkReader::SelectStrings) instead of materializing every value for the evaluator.
struct StringKeys {
  int column = -1;  // table-level column; -1: the conjunct is not of this form
  std::vector<std::string> texts;

  bool Contains(std::string_view value) const;
};

// StringKeys of `conjunct`: column -1 unless it is `=`/IN (not NOT IN) between a column reference
// of type VARCHAR and constants of type VARCHAR.
StringKeys StringKeysOf(const Expr& conjunct);

// What every unit of one query's scan shares (read-only during the scan).
struct ScanContext {
  const lake::TableDef* table = nullptr;
  std::vector<SqlType> types;  // table-level types: table columns, then datepath
  int num_stored = 0;          // table.columns.size(); datepath is index num_stored
  PredicateSummary summary;
  const ExprEvaluator* filter = nullptr;  // null: every row is selected
  std::vector<int> filter_columns;        // table-level columns the filter reads, ascending
  std::vector<int> other_columns;         // other columns to produce (outputs, keys, dedup key)
  // A selective conjunct of the filter (`=`/IN) that reads one column only: with more than one
  // filter column it runs first, and the other filter columns are read for the rows it keeps.
  const ExprEvaluator* prefilter = nullptr;
  int prefilter_column = -1;
  // StringKeysOf the prefilter, or of the whole filter when it is one such conjunct on its only
  // column (column -1 otherwise).
  StringKeys string_keys;
  int dedup_column = -1;                  // table-level index of the dedup key, or -1
  bool dedup_column_only_for_keys = false;  // the plan itself does not read the dedup key
  bool row_numbers = false;  // fill ScanBatch::row_numbers (dedup by a file's duplicate index)
  ScanControl* control = nullptr;
  // Dictionary lookups are skipped for IN lists longer than this (probing stays cheap).
  size_t max_dictionary_probe_values = 256;
  // Threads that may read the other columns of a unit that selected at most
  // max_parallel_column_rows rows (ScanRowGroup's step 6), the unit's own included.
  int column_threads = 1;
  size_t max_parallel_column_rows = 16 * 1024;
  // Up to this many value hashes probe a bloom filter block by block (header + one 32-byte block
  // each, ~100 bytes for `=`); longer IN lists read the whole filter once (hundreds of KB).
  size_t max_bloom_block_probes = 16;
};

// One data file, opened (footer read) for scanning.
struct ScanFile {
  std::string path;
  int64_t day = 0;
  std::shared_ptr<parquet::InputSource> source;  // counts the bytes it reads
  std::unique_ptr<parquet::FileReader> reader;
  // file_column[c]: the file's column for table column c, or -1 when the file lacks it.
  std::vector<int> file_column;
};

// Opens `path` through `control` and maps the table's columns to the file's; a column whose type
// differs from the table's is InvalidArgument naming the file.
Result<std::unique_ptr<ScanFile>> OpenScanFile(const std::string& path, int64_t day, const lake::TableDef& table,
                                               ScanControl* control);

// Per-worker counters, summed at the end of the scan.
struct ScanCounters {
  uint64_t rows_scanned = 0;
  PruneCount row_groups_by_stats;
  PruneCount row_groups_by_bloom;
  PruneCount row_groups_by_dictionary;
  PruneCount pages_by_page_index;

  void Add(const ScanCounters& o);
};

// The rows a row group contributed: columns[i] holds table-level column i when present[i].
struct ScanBatch {
  std::vector<Column> columns;
  std::vector<uint8_t> present;
  size_t num_rows = 0;
  // The row group was ruled out by statistics, bloom filters or dictionaries (nothing decoded).
  bool pruned = false;
  // With a dedup column: the key hash and NULL flag of every row.
  std::vector<KeyHash> key_hashes;
  std::vector<uint8_t> key_nulls;
  // With ScanContext::row_numbers: the position of every row in its row group, ascending.
  std::vector<uint32_t> row_numbers;

  EvalInput Input() const;
  // Keeps only rows `rows` (ascending).
  void Keep(const std::vector<uint32_t>& rows);
};

// True when statistics, bloom filters or dictionaries rule the whole row group out (and counts
// the layers); false when it must be read.
Result<bool> PruneRowGroup(const ScanContext& ctx, const ScanFile& file, int rg, ScanCounters* counters);

// Scans row group `rg` (PruneRowGroup included) into *out.
Status ScanRowGroup(const ScanContext& ctx, const ScanFile& file, int rg, ScanCounters* counters, ScanBatch* out);

// Scans only rows [row_begin, row_end) of row group `rg`: a LIMIT without ORDER BY can then stop
// before decoding a whole (large) row group. The pruning layers are counted for the slice that
// starts at row 0 only, so that a row group counts once.
Status ScanRowGroupSlice(const ScanContext& ctx, const ScanFile& file, int rg, int64_t row_begin, int64_t row_end,
                         ScanCounters* counters, ScanBatch* out);

// min/max of table column `col` in row group `rg`, from its statistics, as int64 (timestamps);
// nullopt when unknown.
std::optional<std::pair<int64_t, int64_t>> Int64Bounds(const ScanFile& file, int rg, int col);

}  // namespace loglake::query
