#include "query/execution/index_dedup.h"

#include <algorithm>
#include <limits>

namespace loglake::query {
namespace {

// Rows `rows` (ascending) of `batch`, copied.
ScanBatch Subset(const ScanBatch& batch, const std::vector<uint32_t>& rows) {
  ScanBatch out;
  out.present = batch.present;
  out.columns.reserve(batch.columns.size());
  for (size_t c = 0; c < batch.columns.size(); ++c) {
    const Column& src = batch.columns[c];
    Column col(src.type());
    if (batch.present[c]) {
      col.Reserve(rows.size());
      for (uint32_t r : rows) col.AppendFrom(src, r);
    }
    out.columns.push_back(std::move(col));
  }
  out.num_rows = rows.size();
  for (uint32_t r : rows) out.row_numbers.push_back(batch.row_numbers[r]);
  return out;
}

}  // namespace

std::optional<lake::DuplicateIndex> UsableDuplicateIndex(const ScanFile& file, const lake::TableDef& table) {
  const int key = table.dedup_key.empty() ? -1 : table.ColumnIndex(table.dedup_key);
  if (key < 0 || file.file_column[static_cast<size_t>(key)] < 0) return std::nullopt;
  const auto& kv = file.reader->metadata().key_value_metadata;
  if (!kv) return std::nullopt;
  const std::string* text = nullptr;
  for (const parquet::KeyValue& entry : *kv) {
    if (entry.key != lake::kDuplicatesMetadataKey) continue;
    if (text != nullptr || !entry.value) return std::nullopt;  // ambiguous or empty: not trusted
    text = &*entry.value;
  }
  if (text == nullptr) return std::nullopt;
  Result<lake::DuplicateIndex> index = lake::DecodeDuplicateIndex(*text);
  if (!index.ok() || index->key_column != table.dedup_key) return std::nullopt;
  uint64_t rows = 0;
  for (int rg = 0; rg < file.reader->num_row_groups(); ++rg) {
    const int64_t n = file.reader->row_group(rg).num_rows;
    if (n < 0) return std::nullopt;
    rows += static_cast<uint64_t>(n);
  }
  if (rows != index->num_rows || file.reader->num_rows() != static_cast<int64_t>(rows)) return std::nullopt;
  if (index->num_groups() > std::numeric_limits<uint32_t>::max()) return std::nullopt;
  return std::move(index).value();
}

DayIndexDedup::DayIndexDedup(const ScanFile& file, const lake::DuplicateIndex& index, int units,
                             std::atomic<uint64_t>* dropped)
    : units_left_(units), dropped_(dropped) {
  members_.reserve(index.rows.size());
  for (size_t g = 0; g < index.num_groups(); ++g) {
    for (uint64_t i = index.group_begin[g]; i < index.group_begin[g + 1]; ++i) {
      members_.push_back(Member{index.rows[i], static_cast<uint32_t>(g), i == index.group_begin[g]});
    }
  }
  std::sort(members_.begin(), members_.end(), [](const Member& a, const Member& b) { return a.row < b.row; });
  group_rows_ = index.rows;
  group_begin_ = index.group_begin;
  uint64_t start = 0;
  for (int rg = 0; rg < file.reader->num_row_groups(); ++rg) {
    group_start_.push_back(start);
    start += static_cast<uint64_t>(file.reader->row_group(rg).num_rows);
  }
  first_kept_.assign(index.num_groups(), 0);
  skipped_.assign(group_start_.size(), 0);
  out_of_reach_.assign(index.num_groups(), 0);
}

void DayIndexDedup::SetTopN(int time_column, std::function<bool(int64_t)> can_enter) {
  time_column_ = time_column;
  can_enter_ = std::move(can_enter);
}

bool DayIndexDedup::HeldCanEnter(const Held& h) const {
  if (!can_enter_ || time_column_ < 0) return true;
  const ScanBatch& b = held_batches_[h.batch];
  const auto col = static_cast<size_t>(time_column_);
  if (col >= b.present.size() || !b.present[col] || b.columns[col].type() != ColumnType::kTimestamp ||
      b.columns[col].IsNull(h.index)) {
    return true;  // unknown: resolve it exactly
  }
  return can_enter_(b.columns[col].Int64(h.index));
}

int DayIndexDedup::RowGroupOf(uint64_t row) const {
  const auto it = std::upper_bound(group_start_.begin(), group_start_.end(), row);
  return static_cast<int>(it - group_start_.begin()) - 1;
}

DayIndexDedup::Step DayIndexDedup::Skip(int rg) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    skipped_[static_cast<size_t>(rg)] = 1;
  }
  Step step;
  // The last unit of the day sees every other unit's records (acquire pairs with their release).
  if (units_left_.fetch_sub(1, std::memory_order_acq_rel) == 1) EndOfDay(&step);
  return step;
}

Result<DayIndexDedup::Step> DayIndexDedup::Commit(int rg, ScanBatch batch) {
  Step step;
  std::vector<ScanBatch>& ready = step.ready;
  if (batch.num_rows > 0 && batch.row_numbers.size() != batch.num_rows) {
    return Status::Internal("dedup by duplicate index: a batch without row numbers");
  }
  if (batch.num_rows > 0) {
    const uint64_t base = group_start_[static_cast<size_t>(rg)];
    // The batch's rows that are in a group: a merge of two ascending row lists.
    std::vector<std::pair<uint32_t, const Member*>> found;
    auto it = std::lower_bound(members_.begin(), members_.end(), base + batch.row_numbers.front(),
                               [](const Member& m, uint64_t row) { return m.row < row; });
    if (it != members_.end() && it->row <= base + batch.row_numbers.back()) {
      for (size_t i = 0; i < batch.num_rows && it != members_.end(); ++i) {
        const uint64_t row = base + batch.row_numbers[i];
        while (it != members_.end() && it->row < row) ++it;
        if (it != members_.end() && it->row == row) found.emplace_back(static_cast<uint32_t>(i), &*it);
      }
    }
    if (found.empty()) {
      ready.push_back(std::move(batch));
    } else {
      std::vector<uint32_t> removed;  // held or dropped, ascending
      std::vector<uint32_t> hold;
      std::vector<Held> held;
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (const auto& [i, m] : found) {
          if (m->first) {
            first_kept_[m->group] = 1;
            continue;
          }
          removed.push_back(i);
          if (first_kept_[m->group]) {
            (*dropped_)++;
          } else {
            held.push_back(Held{m->row, m->group, static_cast<uint32_t>(held_batches_.size()),
                                static_cast<uint32_t>(hold.size())});
            hold.push_back(i);
          }
        }
        if (!hold.empty()) {
          held_batches_.push_back(Subset(batch, hold));
          held_.insert(held_.end(), held.begin(), held.end());
        }
      }
      if (!removed.empty()) {
        std::vector<uint32_t> keep;
        keep.reserve(batch.num_rows - removed.size());
        size_t k = 0;
        for (uint32_t i = 0; i < batch.num_rows; ++i) {
          if (k < removed.size() && removed[k] == i) {
            ++k;
          } else {
            keep.push_back(i);
          }
        }
        batch.Keep(keep);
      }
      ready.push_back(std::move(batch));
    }
  }
  // The last unit of the day sees every other unit's records (acquire pairs with their release).
  if (units_left_.fetch_sub(1, std::memory_order_acq_rel) == 1) EndOfDay(&step);
  return step;
}

void DayIndexDedup::EndOfDay(Step* step) {
  std::lock_guard<std::mutex> lock(mu_);
  step->rescan = Unskip();
  if (!step->rescan.empty()) {
    // No other unit of the day is under way: the rescans are the day's units now.
    units_left_.store(static_cast<int>(step->rescan.size()), std::memory_order_release);
    return;
  }
  for (ScanBatch& b : Resolve()) step->ready.push_back(std::move(b));
}

std::vector<int> DayIndexDedup::Unskip() {
  std::vector<int> rescan;
  if (held_.empty() || std::find(skipped_.begin(), skipped_.end(), 1) == skipped_.end()) return rescan;
  std::sort(held_.begin(), held_.end(), [](const Held& a, const Held& b) { return a.row < b.row; });
  // Only a group's earliest held row can win; the ones after it are decided by it.
  std::vector<uint8_t> looked(first_kept_.size(), 0);
  for (const Held& h : held_) {
    if (first_kept_[h.group] || out_of_reach_[h.group] || looked[h.group]) continue;
    looked[h.group] = 1;
    if (!HeldCanEnter(h)) {
      // Every earlier member was scanned and failed WHERE, or lies in a skipped row group.
      out_of_reach_[h.group] = 1;
      continue;
    }
    for (uint64_t i = group_begin_[h.group]; i < group_begin_[h.group + 1] && group_rows_[i] < h.row; ++i) {
      const int rg = RowGroupOf(group_rows_[i]);
      if (skipped_[static_cast<size_t>(rg)]) rescan.push_back(rg);
    }
  }
  std::sort(rescan.begin(), rescan.end());
  rescan.erase(std::unique(rescan.begin(), rescan.end()), rescan.end());
  for (int rg : rescan) skipped_[static_cast<size_t>(rg)] = 0;
  return rescan;
}

std::vector<ScanBatch> DayIndexDedup::Resolve() {
  std::sort(held_.begin(), held_.end(), [](const Held& a, const Held& b) { return a.row < b.row; });
  std::vector<std::vector<uint32_t>> winners(held_batches_.size());
  for (const Held& h : held_) {
    if (first_kept_[h.group]) {
      (*dropped_)++;
    } else {
      first_kept_[h.group] = 1;  // from here on: some member was kept
      // A winner out of the top-N's reach is not handed on (the top-N would discard it).
      if (!out_of_reach_[h.group]) winners[h.batch].push_back(h.index);
    }
  }
  std::vector<ScanBatch> ready;
  for (size_t b = 0; b < held_batches_.size(); ++b) {
    if (winners[b].empty()) continue;
    std::sort(winners[b].begin(), winners[b].end());
    held_batches_[b].Keep(winners[b]);
    ready.push_back(std::move(held_batches_[b]));
  }
  held_batches_.clear();
  held_.clear();
  return ready;
}

}  // namespace loglake::query
