// Duplicate index: which rows of one data file share a dedup key, stored in the file's footer so
// that a query can deduplicate a day made of that one file without reading or hashing its keys.
//
// Like a deletion vector, it is written with the file; unlike one, it lists every copy of a key
// (a "group") and deletes nothing, because which copy a query keeps depends on its WHERE clause:
// the first copy that passes it. Keys are compared as lake/dedup_key.h hashes them, exactly as
// query dedup does, and a NULL key is in no group (it identifies nothing).
//
// The index is the key-value metadata entry kDuplicatesMetadataKey (docs/tables.md), text so that
// tools listing key-value metadata can show it:
//
//   "1 <key column> <rows in the file> <payload>"
//
// where <payload> is standard base64 of unsigned LEB128 varints: the number of groups, then for
// each group in ascending order of its first row: its size k >= 2, its first row minus the
// previous group's first row (the first group's counts from 0), and the k-1 gaps (>= 1) to its
// next rows. A file without duplicates says so explicitly: "1 uuid 1000 AA==" (zero groups);
// a file without the entry has no index.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/column.h"
#include "common/status.h"
#include "lake/dedup_key.h"

namespace loglake::lake {

inline constexpr const char kDuplicatesMetadataKey[] = "loglake.duplicates";

struct DuplicateIndex {
  std::string key_column;
  uint64_t num_rows = 0;  // rows in the file
  // Group g is rows[group_begin[g] .. group_begin[g + 1]): the file rows of one key, ascending
  // (at least two). Groups are in ascending order of their first row; a row is in at most one.
  std::vector<uint64_t> rows;
  std::vector<uint64_t> group_begin{0};

  size_t num_groups() const { return group_begin.size() - 1; }
  bool operator==(const DuplicateIndex&) const = default;
};

// The metadata value for `index` (which must satisfy the contract above).
std::string EncodeDuplicateIndex(const DuplicateIndex& index);
// Parses and checks a metadata value: any deviation from the format or the contract above
// (bad version, syntax, base64 or varint, a group of fewer than two rows, rows out of order, past
// num_rows or in two groups, trailing bytes) is Corruption. Never reads past `text`.
Result<DuplicateIndex> DecodeDuplicateIndex(std::string_view text);

// Builds the index of a file while it is written: Add() the key column of every batch written,
// in order; Finish() when the file is closed.
//
// Memory: 16 bytes per row (the key hashes, in fixed-size blocks) plus a table of 8-byte slots
// (row number and hash tag) kept at most 3/4 full: about 27..38 bytes per row of the open file.
// Cost per row: one hash and one table probe, prefetched a few rows ahead; the tag spares the
// probe a second cache miss (reading an occupant's hash) for all but true repeats.
class DuplicateTracker {
 public:
  DuplicateTracker();
  ~DuplicateTracker();
  DuplicateTracker(const DuplicateTracker&) = delete;
  DuplicateTracker& operator=(const DuplicateTracker&) = delete;

  // Appends the rows of `keys` (the next keys.size() rows of the file).
  void Add(const Column& keys);
  uint64_t rows() const { return rows_; }
  size_t MemoryBytes() const;

  // The index of every row added, naming `key_column`; the tracker is then empty, its memory
  // returned. nullopt when the file has more rows than an index can describe (2^32 - 1).
  std::optional<DuplicateIndex> Finish(std::string key_column);

 private:
  static constexpr size_t kBlockRows = 1 << 16;
  static constexpr uint64_t kMaxRows = 0xFFFFFFFEull;

  const KeyHash& HashOf(uint32_t row) const { return blocks_[row / kBlockRows][row % kBlockRows]; }
  void Insert(uint32_t row, const KeyHash& h);
  void Grow();
  void Reset();

  std::vector<std::unique_ptr<KeyHash[]>> blocks_;  // hash of row r at [r / kBlockRows][r % kBlockRows]
  // One slot per distinct key: the low 32 bits of its hash (a tag that rules out most other keys
  // without reading their hash from blocks_, and places the key when the table grows) above the
  // row + 1 of its first row; 0 is an empty slot.
  static uint64_t Slot(uint32_t tag, uint32_t row) { return (uint64_t{tag} << 32) | (uint64_t{row} + 1); }
  static uint32_t SlotRow(uint64_t slot) { return static_cast<uint32_t>(slot) - 1; }
  std::vector<uint64_t> table_;
  size_t distinct_ = 0;
  uint64_t rows_ = 0;
  bool overflow_ = false;
  // (first row of the key, later row), one per repeat: few, turned into groups by Finish().
  std::vector<std::pair<uint32_t, uint32_t>> repeats_;
};

}  // namespace loglake::lake
