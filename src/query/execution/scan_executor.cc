#include "query/execution/scan_executor.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <optional>

#include "common/time.h"
#include "query/execution/dedup_set.h"
#include "query/execution/index_dedup.h"
#include "query/execution/scan_control.h"
#include "query/execution/scan_row_group.h"
#include "query/execution/thread_pool.h"
#include "query/planner/partition_projection.h"

namespace loglake::query {
namespace {

// A file whose row groups are being scanned; tells when all of them were pruned.
struct OpenFile {
  std::unique_ptr<ScanFile> file;
  std::atomic<int> row_groups_left{0};  // units (row groups or slices) not finished
  std::atomic<bool> any_read{false};
};

struct Unit {
  std::shared_ptr<OpenFile> file;
  int row_group = 0;
  int64_t day = 0;
  uint64_t seq = 0;  // commit order, for days deduplicated by keys
  std::shared_ptr<DayIndexDedup> by_index;  // the day is deduplicated by its file's index
  int64_t row_begin = 0;  // the slice of the row group this unit scans
  int64_t row_end = std::numeric_limits<int64_t>::max();
  // Day deduplicated by index: the time top-N skipped the row group, which the worker tells the
  // day's DayIndexDedup (that may hand it back for a rescan).
  bool skipped = false;
  bool rescan = false;  // a skipped row group scanned after all: never skipped again
};

// A LIMIT without ORDER BY (and without pruning predicates) scans row groups in slices of this many rows, so that it stops after
// about as many rows as it needs rather than after a whole row group.
constexpr int64_t kLimitSliceRows = 64 * 1024;

void CollectColumns(const Expr* e, std::vector<int>* out) {
  if (e == nullptr) return;
  if (e->kind == ExprKind::kColumnRef) out->push_back(e->index);
  for (const ExprPtr& a : e->args) CollectColumns(a.get(), out);
}

// A top-level conjunct of `filter` that is `column = constant` or `column IN (constants...)` on a
// stored column (index < num_stored): few rows pass it, so it is worth running first.
const Expr* SelectiveConjunct(const Expr* filter, int num_stored) {
  if (filter == nullptr) return nullptr;
  if (filter->kind == ExprKind::kAnd) {
    for (const ExprPtr& a : filter->args) {
      if (const Expr* e = SelectiveConjunct(a.get(), num_stored)) return e;
    }
    return nullptr;
  }
  const bool eq = filter->kind == ExprKind::kCompare && filter->compare == CompareOp::kEq;
  const bool in = filter->kind == ExprKind::kInList && !filter->negated;
  if (!eq && !in) return nullptr;
  const Expr& column = *filter->args[0];
  if (column.kind != ExprKind::kColumnRef || column.index < 0 || column.index >= num_stored) return nullptr;
  for (size_t i = 1; i < filter->args.size(); ++i) {
    if (!filter->args[i]->IsConstant()) return nullptr;
  }
  return filter;
}

class Scan {
 public:
  Scan(const ScanRequest& req, ScanReport* report)
      : req_(req),
        plan_(*req.plan),
        report_(report),
        control_(req.options.limits.max_bytes_scanned, req.options.limits.timeout_ms, req.options.cancel) {}

  Status Run() {
    const lake::TableDef& table = plan_.table;
    std::error_code ec;
    if (!std::filesystem::is_directory(req_.table_dir, ec)) {
      return Status::NotFound("table '" + table.name + "' does not exist: no directory " + req_.table_dir);
    }
    ctx_.table = &table;
    ctx_.types = plan_.TableLevelTypes();
    ctx_.num_stored = static_cast<int>(table.columns.size());
    ctx_.summary = SummarizeFilter(plan_.filter.get(), ctx_.types, ctx_.num_stored);
    ctx_.filter = req_.filter;
    ctx_.control = &control_;
    const int width = ctx_.num_stored + 1;
    for (int c : plan_.ReferencedColumns()) {
      if (c < 0 || c >= width) return Status::InvalidArgument("the plan reads column " + std::to_string(c) +
                                                              " of a table with " + std::to_string(width) + " columns");
    }
    if (req_.filter != nullptr) {
      CollectColumns(plan_.filter.get(), &ctx_.filter_columns);
      std::sort(ctx_.filter_columns.begin(), ctx_.filter_columns.end());
      ctx_.filter_columns.erase(std::unique(ctx_.filter_columns.begin(), ctx_.filter_columns.end()),
                                ctx_.filter_columns.end());
    }
    if (ctx_.filter_columns.size() > 1) {
      if (const Expr* conjunct = SelectiveConjunct(plan_.filter.get(), ctx_.num_stored)) {
        Result<std::unique_ptr<ExprEvaluator>> compiled = ExprEvaluator::Compile(*conjunct);
        if (compiled.ok()) {  // otherwise the whole filter alone decides, as without a prefilter
          prefilter_ = std::move(*compiled);
          ctx_.prefilter = prefilter_.get();
          ctx_.prefilter_column = conjunct->args[0]->index;
          ctx_.string_keys = StringKeysOf(*conjunct);
        }
      }
    } else if (ctx_.filter_columns.size() == 1) {
      ctx_.string_keys = StringKeysOf(*plan_.filter);
    }
    const int dedup_col = table.dedup_key.empty() ? -1 : table.ColumnIndex(table.dedup_key);
    dedup_ = req_.options.dedup && dedup_col >= 0;
    if (dedup_) ctx_.dedup_column = dedup_col;
    std::vector<int> wanted = plan_.ReferencedColumns();
    if (dedup_ && std::find(wanted.begin(), wanted.end(), dedup_col) == wanted.end()) {
      wanted.push_back(dedup_col);
      // A filter column stays in the batch for the builder anyway.
      ctx_.dedup_column_only_for_keys =
          !std::binary_search(ctx_.filter_columns.begin(), ctx_.filter_columns.end(), dedup_col);
    }
    for (int c : wanted) {
      if (std::binary_search(ctx_.filter_columns.begin(), ctx_.filter_columns.end(), c)) continue;
      if (std::find(ctx_.other_columns.begin(), ctx_.other_columns.end(), c) == ctx_.other_columns.end()) {
        ctx_.other_columns.push_back(c);
      }
    }
    report_->dedup = dedup_;
    if (dedup_) {
      // Days deduplicated by index read the key only when the plan itself needs it.
      index_ctx_ = ctx_;
      index_ctx_.dedup_column = -1;
      index_ctx_.dedup_column_only_for_keys = false;
      index_ctx_.row_numbers = true;
      if (ctx_.dedup_column_only_for_keys) std::erase(index_ctx_.other_columns, dedup_col);
    }
    report_->summary = ctx_.summary;

    // Partition projection.
    time_col_ = table.ColumnIndex(table.time_column);
    report_->projected =
        ctx_.summary.never_true ? DaySet::None() : ProjectDays(plan_.filter.get(), time_col_, ctx_.num_stored);
    ASSIGN_OR_RETURN(report_->listing, ListDays(req_.table_dir, table.layout, report_->projected));
    days_ = report_->listing.days;
    const int64_t max_days = req_.options.limits.max_days;
    if (max_days > 0 && days_.size() > static_cast<uint64_t>(max_days)) {
      return Status::ResourceExhausted(
          "the query would read " + std::to_string(days_.size()) + " day partitions (" +
          FormatDate(CivilFromDays(days_.front())) + " to " + FormatDate(CivilFromDays(days_.back())) +
          "), more than the limit (max_days = " + std::to_string(max_days) +
          "); narrow the range with a condition on " + table.time_column + " or datepath, or raise the limit");
    }

    // Time top-N: newest (or oldest) days first.
    if (!plan_.aggregate && plan_.limit && !plan_.order_by.empty() && time_col_ >= 0) {
      const Expr& key = *plan_.order_by[0].expr;
      if (key.kind == ExprKind::kColumnRef && key.index == time_col_) {
        top_n_ = true;
        descending_ = plan_.order_by[0].descending;
      }
    }
    if (top_n_ && descending_) std::reverse(days_.begin(), days_.end());
    // Slicing repeats a row group's pruning (bloom filters, dictionaries) per slice, so it is used
    // only when there is nothing to prune with.
    limit_only_ = !plan_.aggregate && plan_.limit && plan_.order_by.empty() && ctx_.summary.conjuncts.empty();

    const int threads = EffectiveThreads(req_.options.threads);
    report_->threads = threads;
    ctx_.column_threads = threads;
    std::vector<std::unique_ptr<ResultBuilder>> builders(static_cast<size_t>(threads));
    std::vector<ScanCounters> counters(static_cast<size_t>(threads));
    for (auto& b : builders) {
      ASSIGN_OR_RETURN(b, req_.make_builder());
    }
    RunOnThreads(threads, [&](int w) { Work(builders[static_cast<size_t>(w)].get(), &counters[static_cast<size_t>(w)]); });
    RETURN_IF_ERROR(control_.error());
    RETURN_IF_ERROR(control_.Check());  // a cancellation or timeout seen by no worker

    ScanCounters total;
    for (const ScanCounters& c : counters) total.Add(c);
    QueryStats& s = report_->stats;
    s.rows_scanned = total.rows_scanned;
    s.bytes_scanned = control_.bytes_read();
    s.days_listed = days_listed_;
    s.files = PruneCount{files_considered_, files_pruned_.load()};
    s.row_groups_by_stats = total.row_groups_by_stats;
    s.row_groups_by_bloom = total.row_groups_by_bloom;
    s.row_groups_by_dictionary = total.row_groups_by_dictionary;
    s.pages_by_page_index = total.pages_by_page_index;
    s.duplicates_dropped = duplicates_ + index_duplicates_.load();
    report_->days_dedup_by_index = days_by_index_;
    report_->days_dedup_by_keys = days_by_keys_;
    report_->days_skipped_by_top_n = days_skipped_;
    report_->row_groups_skipped_by_top_n = row_groups_skipped_;
    report_->row_groups_rescanned_for_dedup = row_groups_rescanned_;
    report_->stopped_at_limit = saturated_.load();
    report_->builders = std::move(builders);
    return Status::OK();
  }

 private:
  void Work(ResultBuilder* builder, ScanCounters* counters) {
    while (true) {
      Unit unit;
      if (!NextUnit(&unit)) return;
      Status st = ProcessUnit(unit, builder, counters);
      {
        std::lock_guard<std::mutex> lock(mu_);
        --in_flight_;
      }
      unit_done_.notify_all();
      if (!st.ok()) {
        control_.Stop(st);
        unit_done_.notify_all();
        return;
      }
      if (control_.stopped()) return;
    }
  }

  Status ProcessUnit(const Unit& unit, ResultBuilder* builder, ScanCounters* counters) {
    RETURN_IF_ERROR(control_.Check());
    if (control_.stopped()) return Status::OK();  // finished early
    DayIndexDedup::Step step;
    std::vector<ScanBatch>& ready = step.ready;
    if (unit.skipped) {
      FinishRowGroup(unit.file.get(), false);
      step = unit.by_index->Skip(unit.row_group);
    } else {
      ScanBatch batch;
      const ScanContext& ctx = unit.by_index != nullptr ? index_ctx_ : ctx_;
      RETURN_IF_ERROR(ScanRowGroupSlice(ctx, *unit.file->file, unit.row_group, unit.row_begin, unit.row_end, counters,
                                        &batch));
      FinishRowGroup(unit.file.get(), !batch.pruned);
      if (unit.by_index != nullptr) {
        ASSIGN_OR_RETURN(step, unit.by_index->Commit(unit.row_group, std::move(batch)));
      } else if (dedup_) {
        ready = Commit(unit, std::move(batch));
      } else {
        ready.push_back(std::move(batch));
      }
    }
    if (!step.rescan.empty()) Rescan(unit, step.rescan);
    for (ScanBatch& b : ready) {
      if (b.num_rows == 0) continue;
      RETURN_IF_ERROR(builder->Add(b.Input()));
      if (top_n_) OfferTimes(b);
    }
    if (builder->Saturated()) {
      saturated_ = true;
      control_.Stop(Status::OK());
      return Status::OK();
    }
    if (top_n_) PublishBoundary(builder->TopNBoundary());
    return Status::OK();
  }

  // Queues row groups `rgs` of `unit`'s file, which the top-N skipped, to be scanned after all,
  // ahead of everything else: their day resolves its held duplicates once they are done.
  void Rescan(const Unit& unit, const std::vector<int>& rgs) {
    std::lock_guard<std::mutex> lock(mu_);
    unit.file->row_groups_left += static_cast<int>(rgs.size());
    row_groups_skipped_ -= rgs.size();
    row_groups_rescanned_ += rgs.size();
    for (auto it = rgs.rbegin(); it != rgs.rend(); ++it) {
      Unit u = unit;
      u.row_group = *it;
      u.row_begin = 0;
      u.row_end = unit.file->file->reader->row_group(*it).num_rows;
      u.skipped = false;
      u.rescan = true;
      queue_.push_front(std::move(u));
    }
    unit_done_.notify_all();
  }

  // Counts a file as pruned once all its row groups are done and none was read.
  void FinishRowGroup(OpenFile* file, bool read) {
    if (read) file->any_read = true;
    if (file->row_groups_left.fetch_sub(1) == 1 && !file->any_read) files_pruned_++;
  }

  // Whether rows with times in [lo, hi] can still enter the top-N (boundary_ guarded by mu_).
  bool CanEnter(int64_t lo, int64_t hi) const {
    if (!boundary_) return true;
    return descending_ ? hi > *boundary_ : lo < *boundary_;
  }

  void PublishBoundary(const std::optional<Value>& b) {
    if (!b || b->is_null() || b->type() != SqlType::kTimestamp) return;
    std::lock_guard<std::mutex> lock(mu_);
    TightenBoundary(b->AsInt64());
  }

  void TightenBoundary(int64_t v) {
    if (!boundary_ || (descending_ ? v > *boundary_ : v < *boundary_)) boundary_ = v;
  }

  // Top-N: tracks the best offset + limit times among the rows handed to all builders. A
  // builder's own boundary sees only its share of the rows, and days deduplicated by index
  // spread their rows over the workers' builders.
  void OfferTimes(const ScanBatch& b) {
    const auto col = static_cast<size_t>(time_col_);
    if (col >= b.present.size() || !b.present[col] || b.columns[col].type() != ColumnType::kTimestamp) return;
    // Beyond a million rows the builders' own boundaries do (a big top-N fills them anyway).
    constexpr int64_t kMaxTracked = 1 << 20;
    if (*plan_.limit > kMaxTracked || plan_.offset > kMaxTracked) return;
    const size_t need = static_cast<size_t>(plan_.offset + *plan_.limit);
    if (need == 0) return;
    const Column& times = b.columns[col];
    // The heap's top is the worst of the kept times: the boundary once there are `need` of them.
    const auto better = [this](int64_t x, int64_t y) { return descending_ ? x > y : x < y; };
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < b.num_rows; ++i) {
      if (times.IsNull(i)) continue;
      const int64_t t = times.Int64(i);
      if (best_times_.size() < need) {
        best_times_.push_back(t);
        std::push_heap(best_times_.begin(), best_times_.end(), better);
      } else if (better(t, best_times_.front())) {
        std::pop_heap(best_times_.begin(), best_times_.end(), better);
        best_times_.back() = t;
        std::push_heap(best_times_.begin(), best_times_.end(), better);
      }
    }
    if (best_times_.size() == need) TightenBoundary(best_times_.front());
  }

  bool NextUnit(Unit* out) {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      if (control_.stopped()) return false;
      if (!queue_.empty()) {
        *out = std::move(queue_.front());
        queue_.pop_front();
        // Days deduplicated by keys need every row group: one skipped for its times could hold
        // the first occurrence of a key that reappears later. Days deduplicated by index learn of
        // the skip and take back what they need (DayIndexDedup).
        if (top_n_ && !out->rescan && (!dedup_ || out->by_index != nullptr)) {
          std::optional<std::pair<int64_t, int64_t>> t = Int64Bounds(*out->file->file, out->row_group, time_col_);
          if (t && !CanEnter(t->first, t->second)) {
            ++row_groups_skipped_;
            if (out->by_index == nullptr) {
              FinishRowGroup(out->file.get(), false);
              continue;
            }
            out->skipped = true;
          }
        }
        ++in_flight_;
        return true;
      }
      if (next_day_ == days_.size()) return false;
      if (top_n_ && in_flight_ > 0) {
        // The units under way are about to tighten the top-N boundary, which may rule out the
        // next day entirely: wait for them rather than start reading it.
        unit_done_.wait(lock);
        continue;
      }
      const int64_t day = days_[next_day_++];
      if (top_n_ && !CanEnter(day * kMicrosPerDay, (day + 1) * kMicrosPerDay - 1)) {
        // Days come in time order: no later one can enter either.
        days_skipped_ += days_.size() - next_day_ + 1;
        next_day_ = days_.size();
        return false;
      }
      Status st = LoadDay(day);
      if (!st.ok()) {
        control_.Stop(st);
        return false;
      }
    }
  }

  // Lists a day's files, reads their footers and queues their row groups (mu_ held).
  Status LoadDay(int64_t day) {
    RETURN_IF_ERROR(control_.Check());
    ++days_listed_;
    ASSIGN_OR_RETURN(std::vector<std::string> paths, ListDayFiles(req_.table_dir, plan_.table.layout, day));
    std::vector<Unit> day_units;
    bool day_by_index = false;
    for (const std::string& path : paths) {
      ++files_considered_;
      auto open = std::make_shared<OpenFile>();
      ASSIGN_OR_RETURN(open->file, OpenScanFile(path, day, plan_.table, &control_));
      std::optional<lake::DuplicateIndex> index;
      if (dedup_ && req_.use_duplicate_index && paths.size() == 1) {
        index = UsableDuplicateIndex(*open->file, plan_.table);
      }
      const int groups = open->file->reader->num_row_groups();
      int units = 0;
      for (int rg = 0; rg < groups; ++rg) {
        const int64_t rows = open->file->reader->row_group(rg).num_rows;
        const int64_t slice = limit_only_ ? kLimitSliceRows : std::max<int64_t>(rows, 1);
        for (int64_t begin = 0; begin == 0 || begin < rows; begin += slice) {
          day_units.push_back(Unit{open, rg, day, index ? uint64_t{0} : next_seq_++, nullptr, begin,
                                   limit_only_ ? begin + slice : rows});
          ++units;
        }
      }
      open->row_groups_left = units;
      if (units == 0) files_pruned_++;
      if (index) {
        auto by_index = std::make_shared<DayIndexDedup>(*open->file, *index, units, &index_duplicates_);
        if (top_n_) {
          // Called by the day's last unit, without mu_.
          by_index->SetTopN(time_col_, [this](int64_t t) {
            std::lock_guard<std::mutex> lock(mu_);
            return CanEnter(t, t);
          });
        }
        for (Unit& u : day_units) u.by_index = by_index;
        day_by_index = true;
      }
    }
    if (dedup_ && !paths.empty()) ++(day_by_index ? days_by_index_ : days_by_keys_);
    if (top_n_ && (!dedup_ || day_by_index)) {
      // Row groups most likely to enter the top-N first, so the boundary tightens early and the
      // rest of the day can be skipped. (Days deduplicated by keys need their units in path order.)
      std::vector<std::pair<int64_t, size_t>> order;
      for (size_t i = 0; i < day_units.size(); ++i) {
        std::optional<std::pair<int64_t, int64_t>> t =
            Int64Bounds(*day_units[i].file->file, day_units[i].row_group, time_col_);
        const int64_t key = t ? (descending_ ? -t->second : t->first)
                              : std::numeric_limits<int64_t>::min();  // unknown: read first
        order.emplace_back(key, i);
      }
      std::stable_sort(order.begin(), order.end());
      for (const auto& [key, i] : order) queue_.push_back(std::move(day_units[i]));
    } else {
      for (Unit& u : day_units) queue_.push_back(std::move(u));
    }
    return Status::OK();
  }

  // Dedups units in sequence order; returns the batches that became ready, filtered.
  std::vector<ScanBatch> Commit(const Unit& unit, ScanBatch batch) {
    std::lock_guard<std::mutex> lock(dedup_mu_);
    pending_.emplace(unit.seq, std::make_pair(unit.day, std::move(batch)));
    std::vector<ScanBatch> ready;
    while (!pending_.empty() && pending_.begin()->first == next_commit_) {
      auto node = pending_.extract(pending_.begin());
      const int64_t day = node.mapped().first;
      ScanBatch b = std::move(node.mapped().second);
      ++next_commit_;
      if (day != dedup_day_) {
        keys_.Clear();  // the previous day is done: its keys are never needed again
        dedup_day_ = day;
      }
      if (b.num_rows == 0) continue;
      std::vector<uint32_t> keep;
      keep.reserve(b.num_rows);
      for (size_t i = 0; i < b.num_rows; ++i) {
        if (b.key_nulls[i] || keys_.Insert(b.key_hashes[i])) keep.push_back(static_cast<uint32_t>(i));
      }
      if (keep.size() != b.num_rows) {
        duplicates_ += b.num_rows - keep.size();
        b.Keep(keep);
      }
      ready.push_back(std::move(b));
    }
    return ready;
  }

  const ScanRequest& req_;
  const QueryPlan& plan_;
  ScanReport* report_;
  ScanControl control_;
  ScanContext ctx_;
  std::unique_ptr<ExprEvaluator> prefilter_;  // ctx_.prefilter
  bool dedup_ = false;
  int time_col_ = -1;
  bool top_n_ = false;
  bool descending_ = false;
  bool limit_only_ = false;  // LIMIT without ORDER BY: row groups are scanned in slices

  ScanContext index_ctx_;  // ctx_ for the days deduplicated by index

  std::mutex mu_;  // guards the fields below up to the dedup block
  std::vector<int64_t> days_;
  size_t next_day_ = 0;
  std::deque<Unit> queue_;
  uint64_t next_seq_ = 0;
  std::optional<int64_t> boundary_;
  std::vector<int64_t> best_times_;  // heap for OfferTimes()
  int in_flight_ = 0;  // units handed out and not finished
  std::condition_variable unit_done_;
  uint64_t days_listed_ = 0;
  uint64_t days_by_index_ = 0;
  uint64_t days_by_keys_ = 0;
  uint64_t files_considered_ = 0;
  uint64_t days_skipped_ = 0;
  uint64_t row_groups_skipped_ = 0;
  uint64_t row_groups_rescanned_ = 0;
  std::atomic<uint64_t> files_pruned_{0};
  std::atomic<bool> saturated_{false};

  std::mutex dedup_mu_;
  std::map<uint64_t, std::pair<int64_t, ScanBatch>> pending_;
  uint64_t next_commit_ = 0;
  int64_t dedup_day_ = std::numeric_limits<int64_t>::min();
  KeyHashSet keys_;
  uint64_t duplicates_ = 0;
  std::atomic<uint64_t> index_duplicates_{0};  // dropped on days deduplicated by index
};

}  // namespace

Result<ScanReport> RunScan(const ScanRequest& request) {
  if (request.plan == nullptr || !request.make_builder) return Status::InvalidArgument("RunScan: no plan or builder");
  ScanReport report;
  Scan scan(request, &report);
  RETURN_IF_ERROR(scan.Run());
  return report;
}

}  // namespace loglake::query
