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
// So only the few held rows wait; the day needs no commit order.
//
// A time top-N may skip row groups (Skip()): their rows cannot enter the result, but whether
// they pass WHERE is unknown, and a held row may be kept only when no earlier member of its group
// passed. So when the day's last unit is done, every group whose first member was not kept looks
// at its earliest held row. When that row's time cannot enter the top-N, neither can the group's
// winner (it is that row, or an earlier member in a skipped row group), so the group's held rows
// are dropped: exact copies (same record, same time) never cost a rescan. Otherwise the skipped
// row groups holding an earlier member of that group are handed back to be scanned after all
// (each then Commit()s like any other unit, its rows going to the builder, whose top-N discards
// what cannot enter), and the resolution waits for them. That repeats until no deciding held row
// has an unscanned earlier member; then held rows resolve as above. Duplicates are rare and
// mostly close in time (a retried batch), so few row groups come back. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
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
  // Commit() and Skip() calls the day will get (one per unit, pruned and empty ones included).
  // Dropped rows are added to *dropped (shared by the days of a scan).
  DayIndexDedup(const ScanFile& file, const lake::DuplicateIndex& index, int units, std::atomic<uint64_t>* dropped);

  // With a time top-N: table column `time_column` of the batches holds the time, and
  // can_enter(t) tells whether a row of time t can still enter the result (once false, never
  // true again). Without it, every held row is resolved exactly.
  void SetTopN(int time_column, std::function<bool(int64_t)> can_enter);

  // What a unit hands back to the scan.
  struct Step {
    // For the builder: the unit's rows kept at once and, when the day is resolved, the held rows
    // that won.
    std::vector<ScanBatch> ready;
    // Skipped row groups (ascending) the scan must now scan after all, one unit each (whole row
    // groups): the day resolves when they are done.
    std::vector<int> rescan;
  };

  // Deduplicates the rows of one unit of row group `rg`, scanned with ScanContext::row_numbers.
  // Internal error for a batch without row numbers.
  Result<Step> Commit(int rg, ScanBatch batch);
  // A unit of row group `rg` that the scan skipped (none of its rows can enter the result).
  Step Skip(int rg);

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

  // Called by the unit that finished the day (mu_ not held): the row groups to scan after all,
  // or the resolved held rows.
  void EndOfDay(Step* step);
  // The skipped row groups holding an earlier member of a group that a held row may still win
  // (mu_ held); they are marked unskipped.
  std::vector<int> Unskip();
  std::vector<ScanBatch> Resolve();  // mu_ held
  int RowGroupOf(uint64_t row) const;
  bool HeldCanEnter(const Held& h) const;  // mu_ held

  std::vector<Member> members_;       // every row in a group, by row
  std::vector<uint64_t> group_rows_;   // the index's rows, group by group (ascending in a group)
  std::vector<uint64_t> group_begin_;  // group g is group_rows_[group_begin_[g] .. group_begin_[g + 1])
  std::vector<uint64_t> group_start_;  // file row of each row group's first row
  std::atomic<int> units_left_;
  std::atomic<uint64_t>* dropped_;

  std::mutex mu_;  // guards the fields below
  std::vector<uint8_t> first_kept_;  // per group: its first row passed and was kept
  std::vector<ScanBatch> held_batches_;
  std::vector<Held> held_;
  std::vector<uint8_t> skipped_;  // per row group: skipped, and not handed back for a rescan
  std::vector<uint8_t> out_of_reach_;  // per group: its winner cannot enter the top-N
  int time_column_ = -1;
  std::function<bool(int64_t)> can_enter_;
};

}  // namespace loglake::query
