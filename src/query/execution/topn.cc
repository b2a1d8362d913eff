#include "query/execution/topn.h"

namespace loglake::query {

TopN::TopN(std::vector<ColumnType> key_types, std::vector<SortKeySpec> specs, std::vector<ColumnType> payload_types,
           size_t n)
    : specs_(std::move(specs)), n_(n) {
  for (ColumnType t : key_types) keys_.emplace_back(t);
  for (ColumnType t : payload_types) payload_.emplace_back(t);
}

void TopN::Candidates(const std::vector<const Column*>& keys, size_t num_rows, std::vector<uint32_t>* rows) const {
  rows->clear();
  if (n_ == 0) return;
  if (!has_cutoff_) {
    *rows = Iota(num_rows);
    return;
  }
  for (size_t r = 0; r < num_rows; ++r) {
    int c = 0;
    for (size_t k = 0; k < keys.size() && c == 0; ++k) {
      c = CompareSortCells(*keys[k], r, keys_[k], cutoff_, specs_[k]);
    }
    if (c < 0) rows->push_back(static_cast<uint32_t>(r));
  }
}

void TopN::Add(const std::vector<const Column*>& keys, const std::vector<uint32_t>& rows,
               const std::vector<const Column*>& payload) {
  if (n_ == 0 || rows.empty()) return;
  for (size_t k = 0; k < keys_.size(); ++k) AppendRows(*keys[k], &rows, &keys_[k]);
  for (size_t p = 0; p < payload_.size(); ++p) AppendRows(*payload[p], nullptr, &payload_[p]);
  if (size() >= 2 * n_) Compact();
}

void TopN::Merge(TopN&& other) {
  for (size_t k = 0; k < keys_.size(); ++k) AppendRows(other.keys_[k], nullptr, &keys_[k]);
  for (size_t p = 0; p < payload_.size(); ++p) AppendRows(other.payload_[p], nullptr, &payload_[p]);
  if (size() >= n_) Compact();
}

void TopN::Compact() {
  std::vector<SortColumn> sort_keys;
  for (size_t k = 0; k < keys_.size(); ++k) sort_keys.push_back({&keys_[k], specs_[k]});
  std::vector<uint32_t> order = Iota(size());
  SortRowIndices(sort_keys, &order, n_);
  for (Column& c : keys_) c = Gather(c, order);
  for (Column& c : payload_) c = Gather(c, order);
  if (size() == n_ && n_ > 0) {
    has_cutoff_ = true;
    cutoff_ = n_ - 1;
  }
}

std::vector<Column> TopN::Finish() {
  Compact();
  return std::move(payload_);
}

}  // namespace loglake::query
