// Deduplicating a day partition by its file's duplicate index (lake/duplicate_index.h) instead of
// by its keys.
//
// When a day is exactly one data file and the file's footer carries a valid index for the
// table's dedup key, the scan neither reads nor hashes the key column for that day: a row in no
// group is unique and kept at once; within a group, the first member (in file row order) that
// passed WHERE is kept — the same rows the key path keeps (its key set sees the day's rows in
// file order, after WHERE). Row groups of the day are processed by any worker in any order:
//
//   * a group's first member that passed is kept at once (nothing can precede it);
//   * a later member is dropped at once when its group's first member was kept, else held;
//   * when the day's last unit is done, each group whose first member was not kept keeps its
//     earliest held member, and drops the others.
//
// So only the few held rows wait; the day needs no commit order. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "lake/duplicate_index.h"
#include "lake/table.h"
#include "query/execution/scan_row_group.h"

namespace loglake::query {

// The index of `file` when it can stand in for the keys of `table`'s dedup key: the entry is
// present, decodes cleanly, names the dedup key, which the file has, and counts exactly the rows
// of the file's row groups. Anything else (absent, malformed, stale) is nullopt: the caller
// deduplicates by keys.
std::optional<lake::DuplicateIndex> UsableDuplicateIndex(const ScanFile& file, const lake::TableDef& table);

class DayIndexDedup {
 public:
  // `file` is the day's only file, `index` its UsableDuplicateIndex(), `units` the number of
  // Commit() calls the day will get (one per unit, pruned and empty ones included). Dropped rows
  // are added to *dropped (shared by the days of a scan).
  DayIndexDedup(const ScanFile& file, const lake::DuplicateIndex& index, int units, std::atomic<uint64_t>* dropped);

  // Deduplicates the rows of one unit of row group `rg`, scanned with ScanContext::row_numbers;
  // returns the batches ready for the builder: this unit's rows kept at once and, when this was
  // the day's last unit, the held rows that won. Internal error for a batch without row numbers.
  Result<std::vector<ScanBatch>> Commit(int rg, ScanBatch batch);

 private:
  struct Member {
    uint64_t row = 0;
    uint32_t group = 0;
    bool first = false;  // the group's first row
  };
  struct Held {
    uint64_t row = 0;
    uint32_t group = 0;
    uint32_t batch = 0;  // index in held_batches_
    uint32_t index = 0;  // row in that batch
  };

  std::vector<ScanBatch> Resolve();

  std::vector<Member> members_;       // every row in a group, by row
  std::vector<uint64_t> group_start_;  // file row of each row group's first row
  std::atomic<int> units_left_;
  std::atomic<uint64_t>* dropped_;

  std::mutex mu_;  // guards the fields below
  std::vector<uint8_t> first_kept_;  // per group: its first row passed and was kept
  std::vector<ScanBatch> held_batches_;
  std::vector<Held> held_;
};

}  // namespace loglake::query
