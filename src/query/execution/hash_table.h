// GroupHashTable: maps the group-key values of rows to dense group ids 0, 1, 2, ..., batch at a
// time. It is the core of hash aggregation. (Ids are not promised to follow first appearance:
// within a batch, keys outside the direct range are numbered after the others.)
//
// Keys are compared as SQL GROUP BY does: NULL is a group of its own, doubles -0/+0 are one
// group and so are all NaNs. Three layouts, chosen from the key types:
//   - one integer/boolean key: values in [0, kDirectSpan) index an array directly (HTTP statuses,
//     hours, flags), other values fall back to the fixed-width table;
//   - all keys fixed-width: each row packed into words (a null mask, then one word per key),
//     linear probing over a table of (hash tag, group id) slots. A batch whose keys are all
//     integers/booleans without NULLs, and whose per-batch value ranges fit together in 64 bits,
//     first packs each row's keys into one word (offsets from the batch minimums) and maps those
//     words to groups through a small table local to the batch: only the first row of each
//     distinct key in the batch reaches the group table. GROUP BY status, hour sees a few dozen
//     distinct keys in a row group of 100k rows;
//   - any varchar key: each row serialized to bytes (per key a null byte, then 8 bytes or a
//     length-prefixed string), same probing.
// The key values of every group are kept as columns (row g = group g) for the result and for
// merging another table into this one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/column.h"
#include "query/execution/hash_table_memory.h"

namespace loglake::query {

class GroupHashTable {
 public:
  static constexpr int64_t kDirectSpan = 1 << 16;

  explicit GroupHashTable(std::vector<ColumnType> key_types);

  // For each of the num_rows rows of `keys` (one column per key type), its group id, written to
  // *group_ids (resized). New groups take the next free ids and their key values are appended
  // to key_columns() at row = id.
  void FindOrInsert(const std::vector<const Column*>& keys, size_t num_rows, std::vector<uint32_t>* group_ids);

  size_t num_groups() const { return num_groups_; }
  // Batches that took the packed path (see above); for tests.
  size_t packed_batches() const { return packed_batches_; }
  const std::vector<Column>& key_columns() const { return key_columns_; }
  // Bytes held by the table and its key columns (for memory accounting; constant time).
  size_t MemoryUsage() const;

 private:
  enum class Layout { kDirect, kFixed, kSerialized };

  uint32_t NewGroup(const std::vector<const Column*>& keys, size_t row);
  void FixedBatch(const std::vector<const Column*>& keys, size_t num_rows, const std::vector<uint32_t>& rows,
                  uint32_t* out);
  void SerializedBatch(const std::vector<const Column*>& keys, size_t num_rows, uint32_t* out);
  // The packed path for a kFixed batch; false (nothing done) when the batch does not qualify or
  // has too many distinct keys for the local table to pay.
  bool PackedBatch(const std::vector<const Column*>& keys, size_t num_rows, uint32_t* out);
  void Grow();

  std::vector<ColumnType> key_types_;
  Layout layout_;
  size_t num_groups_ = 0;
  std::vector<Column> key_columns_;

  // kDirect: group id + 1 per value in [0, kDirectSpan) (0: no group yet); the NULL group.
  std::vector<uint32_t> direct_;
  uint32_t null_group_ = 0;  // id + 1

  // Hash slots: (tag << 32) | (group id + 1); 0 is empty. Power-of-two size.
  ZeroedWords slots_;
  uint64_t mask_ = 0;
  std::vector<uint64_t> group_hash_;  // per group, to rehash on growth

  // kFixed: per group `words_per_key_` words.
  size_t words_per_key_ = 0;
  std::vector<uint64_t> fixed_keys_;
  std::vector<uint64_t> scratch_words_;

  // kSerialized: group g's bytes are serialized_[offsets_[g], offsets_[g+1]).
  std::string serialized_;
  std::vector<uint64_t> offsets_;
  std::string scratch_bytes_;
  std::vector<uint64_t> scratch_offsets_;

  std::vector<uint64_t> scratch_hashes_;
  std::vector<uint32_t> scratch_rows_;

  // Packed path: each row's packed key and batch-local id; the local table (packed key, local id
  // + 1); the first row of each local id.
  std::vector<uint64_t> packed_keys_;
  std::vector<uint32_t> local_of_row_;
  std::vector<uint64_t> local_slots_key_;
  std::vector<uint32_t> local_slots_id_;
  std::vector<uint32_t> first_rows_;
  std::vector<uint32_t> group_of_local_;
  size_t packed_batches_ = 0;
};

}  // namespace loglake::query
