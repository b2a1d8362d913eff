// TopN: the best `n` rows under ORDER BY keys, in bounded memory (ORDER BY ... LIMIT).
//
// Rows arrive a batch at a time as sort-key columns plus payload columns (the values the result
// needs). They are buffered; when the buffer reaches 2n rows it is cut back to the best n, and
// from then on the worst kept row is a cut-off: a new row enters only if it sorts strictly before
// it, which callers check first (Candidates) so that payload is computed only for those rows.
// Ties keep arrival order (a row that ties the cut-off arrived later and loses), like a stable
// sort followed by LIMIT.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/column.h"
#include "query/execution/sort.h"

namespace loglake::query {

class TopN {
 public:
  TopN(std::vector<ColumnType> key_types, std::vector<SortKeySpec> specs, std::vector<ColumnType> payload_types,
       size_t n);

  size_t n() const { return n_; }
  size_t size() const { return keys_.empty() ? 0 : keys_[0].size(); }
  // True once n rows are held and a cut-off exists.
  bool full() const { return has_cutoff_; }

  // The rows among [0, num_rows) of `keys` that may enter: all of them until full(), then those
  // sorting strictly before the cut-off. Written to *rows, ascending.
  void Candidates(const std::vector<const Column*>& keys, size_t num_rows, std::vector<uint32_t>* rows) const;

  // Adds rows `rows` of `keys` (one column per sort key) with payload[k] row i belonging to
  // rows[i] (the payload was computed for exactly those rows).
  void Add(const std::vector<const Column*>& keys, const std::vector<uint32_t>& rows,
           const std::vector<const Column*>& payload);

  // Folds another TopN with the same shape into this one.
  void Merge(TopN&& other);

  // Key column k of the cut-off row, when full(): the cut-off's value lives at row CutoffRow().
  const Column& key_column(size_t k) const { return keys_[k]; }
  size_t CutoffRow() const { return cutoff_; }

  // The kept rows in order, at most n: the payload columns.
  std::vector<Column> Finish();

 private:
  // Cuts the buffer back to the best n rows, sorted, and sets the cut-off.
  void Compact();

  std::vector<SortKeySpec> specs_;
  size_t n_;
  std::vector<Column> keys_;
  std::vector<Column> payload_;
  bool has_cutoff_ = false;
  size_t cutoff_ = 0;
};

}  // namespace loglake::query
