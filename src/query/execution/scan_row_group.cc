#include "query/execution/scan_row_group.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "common/time.h"
#include "lake/partition.h"
#include "parquet/bloom_probe.h"
#include "parquet/column_reader.h"
#include "parquet/encoding/plain.h"
#include "parquet/page_reader.h"

namespace loglake::query {
namespace {

using parquet::StatValue;

// Sorted, disjoint row ranges [begin, end) within a row group.
using RowRanges = std::vector<std::pair<int64_t, int64_t>>;

int64_t Total(const RowRanges& r) {
  int64_t n = 0;
  for (const auto& [b, e] : r) n += e - b;
  return n;
}

RowRanges Intersect(const RowRanges& a, const RowRanges& b) {
  RowRanges out;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const int64_t lo = std::max(a[i].first, b[j].first);
    const int64_t hi = std::min(a[i].second, b[j].second);
    if (lo < hi) out.emplace_back(lo, hi);
    if (a[i].second < b[j].second) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

void AddRange(RowRanges* r, int64_t b, int64_t e) {
  if (b >= e) return;
  if (!r->empty() && r->back().second >= b) {
    r->back().second = std::max(r->back().second, e);
  } else {
    r->emplace_back(b, e);
  }
}

// Ranges appended in any order → sorted and merged.
RowRanges Normalize(RowRanges r) {
  std::sort(r.begin(), r.end());
  RowRanges out;
  for (const auto& [lo, hi] : r) AddRange(&out, lo, hi);
  return out;
}

// The row numbers of candidates `selected` (indexes among the rows of `ranges`, ascending).
std::vector<uint32_t> CandidateRows(const RowRanges& ranges, const std::vector<uint32_t>& selected) {
  std::vector<uint32_t> rows;
  rows.reserve(selected.size());
  size_t k = 0;
  int64_t base = 0;  // candidate index of the current range's first row
  for (const auto& [b, e] : ranges) {
    while (k < selected.size() && static_cast<int64_t>(selected[k]) < base + (e - b)) {
      rows.push_back(static_cast<uint32_t>(b + (static_cast<int64_t>(selected[k]) - base)));
      ++k;
    }
    base += e - b;
  }
  return rows;
}

RowRanges RangesOfRows(const std::vector<uint32_t>& rows) {
  RowRanges out;
  for (uint32_t r : rows) AddRange(&out, r, static_cast<int64_t>(r) + 1);
  return out;
}

Column Gather(const Column& src, const std::vector<uint32_t>& rows) {
  Column out(src.type());
  out.Reserve(rows.size());
  for (uint32_t r : rows) out.AppendFrom(src, r);
  return out;
}

Column NullColumn(ColumnType type, size_t n) {
  Column c(type);
  c.Reserve(n);
  for (size_t i = 0; i < n; ++i) c.AppendNull();
  return c;
}

Column DatePathColumn(int64_t day, size_t n) {
  const std::string path = lake::PartitionPath(lake::PartitionLayout::kDatePath, CivilFromDays(day));
  Column c(ColumnType::kString);
  c.Reserve(n);
  for (size_t i = 0; i < n; ++i) c.AppendString(path);
  return c;
}

bool HasDictionaryPage(const parquet::ColumnMetaData& meta) {
  return meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 &&
         *meta.dictionary_page_offset < meta.data_page_offset;
}

// True when every data page of the chunk is dictionary-encoded, so its dictionary lists every
// value the chunk holds.
bool FullyDictionaryEncoded(const parquet::ColumnMetaData& meta) {
  if (!HasDictionaryPage(meta)) return false;
  if (meta.encoding_stats) {
    bool any = false;
    for (const parquet::PageEncodingStats& s : *meta.encoding_stats) {
      if (s.page_type != parquet::PageType::DATA_PAGE && s.page_type != parquet::PageType::DATA_PAGE_V2) continue;
      if (s.count <= 0) continue;
      if (!parquet::IsDictionaryEncoding(s.encoding)) return false;
      any = true;
    }
    return any;
  }
  // Without encoding stats, PLAIN in the list may be a fallback data page: only the unambiguous
  // lists count.
  bool dict = false;
  for (parquet::Encoding e : meta.encodings) {
    if (parquet::IsDictionaryEncoding(e)) {
      dict = true;
    } else if (e != parquet::Encoding::RLE && e != parquet::Encoding::BIT_PACKED) {
      return false;
    }
  }
  return dict;
}

// The hashes a bloom filter of column `d` would hold for `v`; nullopt when the value cannot be
// hashed as stored (then the filter cannot help), empty when no stored value can equal it.
std::optional<std::vector<uint64_t>> BloomHashes(const parquet::ColumnDescriptor& d, const StatValue& v) {
  using parquet::BloomFilter;
  switch (d.physical_type) {
    case parquet::Type::BYTE_ARRAY:
      if (const std::string* s = std::get_if<std::string>(&v)) return std::vector<uint64_t>{BloomFilter::Hash(*s)};
      return std::nullopt;
    case parquet::Type::INT32:
      if (const int64_t* i = std::get_if<int64_t>(&v)) {
        if (*i < std::numeric_limits<int32_t>::min() || *i > std::numeric_limits<int32_t>::max()) {
          return std::vector<uint64_t>();
        }
        return std::vector<uint64_t>{BloomFilter::Hash(static_cast<int32_t>(*i))};
      }
      return std::nullopt;
    case parquet::Type::INT64:
      if (d.field.type == ColumnType::kTimestamp && d.time_unit != parquet::TimeUnit::MICROS) return std::nullopt;
      if (const int64_t* i = std::get_if<int64_t>(&v)) return std::vector<uint64_t>{BloomFilter::Hash(*i)};
      return std::nullopt;
    case parquet::Type::DOUBLE:
      if (const double* x = std::get_if<double>(&v)) {
        // 0.0 = -0.0, but their bytes (and hashes) differ.
        if (*x == 0) return std::vector<uint64_t>{BloomFilter::Hash(0.0), BloomFilter::Hash(-0.0)};
        return std::vector<uint64_t>{BloomFilter::Hash(*x)};
      }
      return std::nullopt;
    default: return std::nullopt;
  }
}

bool AllIn(const SummaryConjunct& c) {
  for (const ColumnPredicate& p : c.any_of) {
    if (p.kind != ColumnPredicate::Kind::kIn) return false;
  }
  return true;
}

// Per row group state: what was read once and may be needed again.
class RowGroupScan {
 public:
  RowGroupScan(const ScanContext& ctx, const ScanFile& file, int rg, ScanCounters* counters, bool count_layers)
      : ctx_(ctx), file_(file), reader_(*file.reader), rg_(rg), counters_(counters),
        layers_(count_layers ? counters : &uncounted_), num_rows_(reader_.row_group(rg).num_rows) {}

  Result<bool> Prune() {
    layers_->row_groups_by_stats.considered++;
    ASSIGN_OR_RETURN(bool by_stats, PrunedByStatistics());
    if (by_stats) {
      layers_->row_groups_by_stats.pruned++;
      return true;
    }
    ASSIGN_OR_RETURN(bool by_bloom, PrunedByBloom());
    if (by_bloom) return true;
    return PrunedByDictionary();
  }

  // Scans rows [row_begin, row_end) of the row group.
  Status Scan(int64_t row_begin, int64_t row_end, ScanBatch* out) {
    const size_t table_width = static_cast<size_t>(ctx_.num_stored) + 1;
    out->columns.clear();
    for (size_t i = 0; i < table_width; ++i) out->columns.emplace_back(PhysicalType(ctx_.types[i]));
    out->present.assign(table_width, 0);
    out->num_rows = 0;
    out->key_hashes.clear();
    out->key_nulls.clear();
    out->row_numbers.clear();

    ASSIGN_OR_RETURN(out->pruned, Prune());
    if (out->pruned || num_rows_ == 0) return Status::OK();
    ASSIGN_OR_RETURN(RowRanges ranges, PageRanges());
    if (row_begin > 0 || row_end < num_rows_) ranges = Intersect(ranges, {{row_begin, std::min(row_end, num_rows_)}});
    if (ranges.empty()) return Status::OK();
    RETURN_IF_ERROR(ctx_.control->Check());

    const int64_t candidate_rows = Total(ranges);
    counters_->rows_scanned += static_cast<uint64_t>(candidate_rows);

    // Filter columns first, over the candidate rows only.
    std::vector<uint32_t> selected;  // indexes among the candidate rows
    bool all_selected = true;
    bool filter_gathered = false;  // the filter columns hold the selected rows only
    if (ctx_.filter != nullptr) {
      ASSIGN_OR_RETURN(filter_gathered, Filter(ranges, candidate_rows, out, &selected));
      all_selected = selected.size() == static_cast<size_t>(candidate_rows);
      if (selected.empty()) {
        out->present.assign(table_width, 0);
        return Status::OK();
      }
    }
    const size_t n = all_selected ? static_cast<size_t>(candidate_rows) : selected.size();
    if (!all_selected && !filter_gathered) {
      for (int c : ctx_.filter_columns) {
        Column& col = out->columns[static_cast<size_t>(c)];
        col = Gather(col, selected);
      }
    }

    // Then the other columns, for the pages holding selected rows.
    RowRanges selected_ranges = ranges;
    if (!all_selected) selected_ranges = RangesOfRows(CandidateRows(ranges, selected));
    RETURN_IF_ERROR(ReadOtherColumns(selected_ranges, n, out));
    out->num_rows = n;
    if (ctx_.dedup_column >= 0) {
      Column& keys = out->columns[static_cast<size_t>(ctx_.dedup_column)];
      DedupKeyHashes(keys, &out->key_hashes, &out->key_nulls);
      if (ctx_.dedup_column_only_for_keys) {
        // Only the hashes are needed from here on (e.g. count(*)): free the keys early.
        keys = Column(keys.type());
        out->present[static_cast<size_t>(ctx_.dedup_column)] = 0;
      }
    }
    if (ctx_.row_numbers) {
      out->row_numbers.reserve(n);
      for (const auto& [b, e] : selected_ranges) {
        for (int64_t r = b; r < e; ++r) out->row_numbers.push_back(static_cast<uint32_t>(r));
      }
    }
    return Status::OK();
  }

 private:
  std::string Where(int fc) const {
    return file_.path + ": row group " + std::to_string(rg_) + ", column '" +
           reader_.columns()[static_cast<size_t>(fc)].name + "'";
  }

  int FileColumn(int table_column) const {
    if (table_column < 0 || table_column >= ctx_.num_stored) return -1;
    return file_.file_column[static_cast<size_t>(table_column)];
  }

  Result<bool> PrunedByStatistics() {
    if (ctx_.summary.never_true) return true;
    for (const SummaryConjunct& conj : ctx_.summary.conjuncts) {
      bool may = false;
      for (const ColumnPredicate& p : conj.any_of) {
        const int fc = FileColumn(p.column);
        if (fc < 0) {
          may = true;
          break;
        }
        ASSIGN_OR_RETURN(std::optional<parquet::ColumnStatistics> stats, reader_.ReadStatistics(rg_, fc));
        if (!stats || MayMatch(p, BoundsFromStatistics(*stats, num_rows_))) {
          may = true;
          break;
        }
      }
      if (!may) return true;
    }
    return false;
  }

  // Rules the row group out when some conjunct made only of `=`/IN predicates has no disjunct
  // whose column may hold one of its values. A conjunct is tried only when `usable` accepts every
  // disjunct's (predicate, file column); `may_hold` answers for one disjunct. The bloom and the
  // dictionary layers differ only in these two questions.
  template <typename Usable, typename MayHold>
  Result<bool> PrunedByValueLookup(PruneCount* layer, Usable usable, MayHold may_hold) {
    bool counted = false;
    for (const SummaryConjunct& conj : ctx_.summary.conjuncts) {
      if (!AllIn(conj)) continue;
      bool all_usable = true;
      for (const ColumnPredicate& p : conj.any_of) {
        const int fc = FileColumn(p.column);
        if (fc < 0 || !usable(p, fc)) {
          all_usable = false;
          break;
        }
      }
      if (!all_usable) continue;
      if (!counted) {
        layer->considered++;
        counted = true;
      }
      bool may = false;
      for (const ColumnPredicate& p : conj.any_of) {
        ASSIGN_OR_RETURN(may, may_hold(p, FileColumn(p.column)));
        if (may) break;
      }
      if (!may) {
        layer->pruned++;
        return true;
      }
    }
    return false;
  }

  Result<bool> PrunedByBloom() {
    return PrunedByValueLookup(
        &layers_->row_groups_by_bloom, [&](const ColumnPredicate&, int fc) { return reader_.HasBloomFilter(rg_, fc); },
        [&](const ColumnPredicate& p, int fc) { return BloomMayHold(fc, p.values); });
  }

  Result<bool> PrunedByDictionary() {
    return PrunedByValueLookup(
        &layers_->row_groups_by_dictionary,
        [&](const ColumnPredicate& p, int fc) {
          return p.values.size() <= ctx_.max_dictionary_probe_values &&
                 FullyDictionaryEncoded(reader_.column_meta(rg_, fc));
        },
        [&](const ColumnPredicate& p, int fc) { return DictionaryHolds(fc, p.values); });
  }

  // Whether the bloom filter of chunk `fc` may hold one of `values`. Up to
  // ctx_.max_bloom_block_probes hashes read only the filter's header and the 32-byte blocks they
  // name (a split-block filter answers from one block); more read the whole filter once.
  Result<bool> BloomMayHold(int fc, const std::vector<StatValue>& values) {
    const parquet::ColumnDescriptor& d = reader_.columns()[static_cast<size_t>(fc)];
    std::vector<uint64_t> hashes;
    for (const StatValue& v : values) {
      std::optional<std::vector<uint64_t>> h = BloomHashes(d, v);
      if (!h) return true;  // not hashable as stored: the filter cannot tell
      hashes.insert(hashes.end(), h->begin(), h->end());
    }
    if (hashes.empty()) return false;
    if (hashes.size() > ctx_.max_bloom_block_probes) {
      auto it = blooms_.find(fc);
      if (it == blooms_.end()) {
        ASSIGN_OR_RETURN(parquet::BloomFilter filter, reader_.ReadBloomFilter(rg_, fc));
        it = blooms_.emplace(fc, std::move(filter)).first;
      }
      for (uint64_t h : hashes) {
        if (it->second.Check(h)) return true;
      }
      return false;
    }
    auto loc = bloom_locations_.find(fc);
    if (loc == bloom_locations_.end()) {
      Result<parquet::BloomFilterLocation> read =
          parquet::ReadBloomFilterLocation(*file_.source, reader_.column_meta(rg_, fc), reader_.file_size());
      if (!read.ok()) return read.status().WithContext(Where(fc));
      loc = bloom_locations_.emplace(fc, *read).first;
    }
    const parquet::BloomFilterLocation& where = loc->second;
    // Blocks in file order; a run of adjacent blocks is one read.
    std::vector<std::pair<uint32_t, uint64_t>> probes;  // (block, hash)
    for (uint64_t h : hashes) probes.emplace_back(where.BlockOf(h), h);
    std::sort(probes.begin(), probes.end());
    for (size_t i = 0; i < probes.size();) {
      size_t j = i + 1;
      while (j < probes.size() && probes[j].first <= probes[j - 1].first + 1) ++j;
      const uint32_t first = probes[i].first;
      const size_t run_bytes = (size_t{probes[j - 1].first} - first + 1) * parquet::BloomFilter::kBlockBytes;
      std::string run;
      RETURN_IF_ERROR(file_.source->ReadAt(where.BlockOffset(first), run_bytes, &run).WithContext(Where(fc)));
      for (size_t k = i; k < j; ++k) {
        const size_t at = size_t{probes[k].first - first} * parquet::BloomFilter::kBlockBytes;
        if (parquet::BloomBlockMayContain(std::string_view(run).substr(at, parquet::BloomFilter::kBlockBytes),
                                          probes[k].second)) {
          return true;
        }
      }
      i = j;
    }
    return false;
  }

  // The chunk's bytes before its first data page (the dictionary page), read once.
  Result<const std::string*> DictionaryRegion(int fc) {
    if (std::string* cached = Cached(dictionary_bytes_, fc)) return cached;
    const parquet::ColumnMetaData& meta = reader_.column_meta(rg_, fc);
    const auto [start, length] = parquet::ColumnChunkByteRange(meta);
    const int64_t end = std::min(meta.data_page_offset, start + length);
    std::string bytes;
    if (end > start) {
      RETURN_IF_ERROR(file_.source->ReadAt(static_cast<uint64_t>(start), static_cast<size_t>(end - start), &bytes));
    }
    return Cache(dictionary_bytes_, fc, std::move(bytes));
  }

  // Whether the dictionary of chunk `fc` holds one of `values`.
  Result<bool> DictionaryHolds(int fc, const std::vector<StatValue>& values) {
    const parquet::ColumnMetaData& meta = reader_.column_meta(rg_, fc);
    const parquet::ColumnDescriptor& d = reader_.columns()[static_cast<size_t>(fc)];
    ASSIGN_OR_RETURN(const std::string* region, DictionaryRegion(fc));
    ASSIGN_OR_RETURN(parquet::Codec codec, parquet::FromThrift(meta.codec));
    parquet::PageReader pages(*region, codec);
    parquet::Page page;
    Status st = pages.NextHeader(&page);
    if (st.ok() && page.header.type != parquet::PageType::DICTIONARY_PAGE) return true;  // not what we expect
    if (st.ok()) st = pages.ReadBody(&page);
    if (!st.ok() || !page.header.dictionary_page_header) {
      return (st.ok() ? Status::Corruption("dictionary page without its header") : st).WithContext(Where(fc));
    }
    const int32_t count = page.header.dictionary_page_header->num_values;
    if (count < 0 || static_cast<size_t>(count) > page.data.size()) {
      return Status::Corruption("dictionary claims " + std::to_string(count) + " values").WithContext(Where(fc));
    }
    const size_t n = static_cast<size_t>(count);
    switch (d.physical_type) {
      case parquet::Type::BYTE_ARRAY: {
        std::unordered_set<std::string_view> wanted;
        for (const StatValue& v : values) {
          if (const std::string* s = std::get_if<std::string>(&v)) wanted.insert(*s);
        }
        std::vector<std::string_view> dict(n);
        RETURN_IF_ERROR(parquet::DecodePlainByteArray(page.data, n, dict.data()).WithContext(Where(fc)));
        for (std::string_view s : dict) {
          if (wanted.count(s)) return true;
        }
        return false;
      }
      case parquet::Type::INT32: {
        std::vector<int32_t> dict(n);
        RETURN_IF_ERROR(parquet::DecodePlainInt32(page.data, n, dict.data()).WithContext(Where(fc)));
        for (int32_t x : dict) {
          for (const StatValue& v : values) {
            if (const int64_t* i = std::get_if<int64_t>(&v); i && *i == x) return true;
          }
        }
        return false;
      }
      case parquet::Type::INT64: {
        std::vector<int64_t> dict(n);
        RETURN_IF_ERROR(parquet::DecodePlainInt64(page.data, n, dict.data()).WithContext(Where(fc)));
        for (int64_t x : dict) {
          int64_t micros = x;
          if (d.field.type == ColumnType::kTimestamp && !parquet::TimestampToMicros(x, d.time_unit, &micros)) continue;
          for (const StatValue& v : values) {
            if (const int64_t* i = std::get_if<int64_t>(&v); i && *i == micros) return true;
          }
        }
        return false;
      }
      case parquet::Type::DOUBLE: {
        std::vector<double> dict(n);
        RETURN_IF_ERROR(parquet::DecodePlainDouble(page.data, n, dict.data()).WithContext(Where(fc)));
        for (double x : dict) {
          for (const StatValue& v : values) {
            if (const double* y = std::get_if<double>(&v); y && *y == x) return true;
          }
        }
        return false;
      }
      default: return true;
    }
  }

  Result<const parquet::OffsetIndex*> OffsetIndexOf(int fc) {
    std::optional<parquet::OffsetIndex>* entry = Cached(offset_indexes_, fc);
    if (entry == nullptr) {
      std::optional<parquet::OffsetIndex> index;
      if (reader_.HasOffsetIndex(rg_, fc)) {
        ASSIGN_OR_RETURN(parquet::OffsetIndex oi, reader_.ReadOffsetIndex(rg_, fc));
        if (!oi.page_locations.empty()) index = std::move(oi);
      }
      entry = Cache(offset_indexes_, fc, std::move(index));
    }
    return *entry ? &**entry : nullptr;
  }

  int64_t PageEnd(const parquet::OffsetIndex& oi, size_t i) const {
    return i + 1 < oi.page_locations.size() ? oi.page_locations[i + 1].first_row_index : num_rows_;
  }

  // The rows the page index cannot rule out.
  Result<RowRanges> PageRanges() {
    RowRanges ranges{{0, num_rows_}};
    std::vector<int> used_columns;
    for (const SummaryConjunct& conj : ctx_.summary.conjuncts) {
      RowRanges conj_ranges;
      bool usable = true;
      for (const ColumnPredicate& p : conj.any_of) {
        const int fc = FileColumn(p.column);
        if (fc < 0 || !reader_.HasColumnIndex(rg_, fc) || !reader_.HasOffsetIndex(rg_, fc)) {
          usable = false;
          break;
        }
        ASSIGN_OR_RETURN(const parquet::ColumnIndex* ci, ColumnIndexOf(fc));
        ASSIGN_OR_RETURN(const parquet::OffsetIndex* oi, OffsetIndexOf(fc));
        if (oi == nullptr || ci->null_pages.size() != oi->page_locations.size()) {
          usable = false;
          break;
        }
        const parquet::ColumnDescriptor& d = reader_.columns()[static_cast<size_t>(fc)];
        for (size_t i = 0; i < oi->page_locations.size(); ++i) {
          const int64_t begin = oi->page_locations[i].first_row_index;
          const int64_t end = PageEnd(*oi, i);
          UnitBounds b;
          b.num_values = end - begin;
          b.all_null = ci->null_pages[i];
          b.bounds_exact = d.physical_type != parquet::Type::BYTE_ARRAY;
          if (ci->null_counts) b.null_count = (*ci->null_counts)[i];
          if (!b.all_null) {
            Result<StatValue> lo = parquet::DecodeStatValue(ci->min_values[i], d);
            Result<StatValue> hi = parquet::DecodeStatValue(ci->max_values[i], d);
            // NaN bounds (a page of NaNs) order nothing: leave them unknown.
            auto usable_bound = [](const Result<StatValue>& v) {
              if (!v.ok()) return false;
              const double* x = std::get_if<double>(&*v);
              return x == nullptr || !std::isnan(*x);
            };
            if (usable_bound(lo) && usable_bound(hi)) {
              b.min = *lo;
              b.max = *hi;
            }
          }
          // Disjuncts on different columns (or the same one) add pages out of row order.
          if (MayMatch(p, b)) conj_ranges.emplace_back(begin, end);
        }
        used_columns.push_back(fc);
      }
      if (usable) ranges = Intersect(ranges, Normalize(std::move(conj_ranges)));
    }
    std::sort(used_columns.begin(), used_columns.end());
    used_columns.erase(std::unique(used_columns.begin(), used_columns.end()), used_columns.end());
    for (int fc : used_columns) {
      ASSIGN_OR_RETURN(const parquet::OffsetIndex* oi, OffsetIndexOf(fc));
      for (size_t i = 0; i < oi->page_locations.size(); ++i) {
        layers_->pages_by_page_index.considered++;
        if (Intersect(ranges, {{oi->page_locations[i].first_row_index, PageEnd(*oi, i)}}).empty()) {
          layers_->pages_by_page_index.pruned++;
        }
      }
    }
    return ranges;
  }

  Result<const parquet::ColumnIndex*> ColumnIndexOf(int fc) {
    auto it = column_indexes_.find(fc);
    if (it == column_indexes_.end()) {
      ASSIGN_OR_RETURN(parquet::ColumnIndex ci, reader_.ReadColumnIndex(rg_, fc));
      it = column_indexes_.emplace(fc, std::move(ci)).first;
    }
    return &it->second;
  }

  // ctx_.other_columns for the rows of `ranges` (`rows` of them) into *out. A small selection (a
  // needle, a page of search results) costs mostly per column — a dictionary page decompressed to
  // look up a few entries, a page per value — so its columns are shared among
  // ctx_.column_threads threads, the largest chunks first; a large one is read on this thread
  // only, as the scan's other workers are then busy with row groups of their own.
  Status ReadOtherColumns(const RowRanges& ranges, size_t rows, ScanBatch* out) {
    std::vector<int> columns = ctx_.other_columns;
    const int threads = std::min(ctx_.column_threads, static_cast<int>(columns.size()));
    if (threads <= 1 || rows > ctx_.max_parallel_column_rows) {
      for (int c : columns) {
        ASSIGN_OR_RETURN(out->columns[static_cast<size_t>(c)], ReadColumn(c, ranges));
        out->present[static_cast<size_t>(c)] = 1;
      }
      return Status::OK();
    }
    const auto chunk_bytes = [&](int c) -> int64_t {
      const int fc = FileColumn(c);
      return fc < 0 ? 0 : reader_.column_meta(rg_, fc).total_compressed_size;
    };
    std::stable_sort(columns.begin(), columns.end(), [&](int a, int b) { return chunk_bytes(a) > chunk_bytes(b); });
    std::vector<Status> status(columns.size());
    std::atomic<size_t> next{0};
    const auto work = [&] {
      for (size_t i = next.fetch_add(1); i < columns.size(); i = next.fetch_add(1)) {
        Result<Column> column = ReadColumn(columns[i], ranges);
        if (column.ok()) {
          out->columns[static_cast<size_t>(columns[i])] = std::move(*column);
        } else {
          status[i] = column.status();
        }
      }
    };
    std::vector<std::thread> helpers;
    for (int t = 1; t < threads; ++t) helpers.emplace_back(work);
    work();
    for (std::thread& h : helpers) h.join();
    for (size_t i = 0; i < columns.size(); ++i) {
      RETURN_IF_ERROR(status[i]);
      out->present[static_cast<size_t>(columns[i])] = 1;
    }
    return Status::OK();
  }

  // Table-level column `c` for the rows in `ranges`, in order.
  Result<Column> ReadColumn(int c, const RowRanges& ranges) {
    const size_t rows = static_cast<size_t>(Total(ranges));
    if (c == ctx_.num_stored) return DatePathColumn(file_.day, rows);
    const int fc = FileColumn(c);
    if (fc < 0) return NullColumn(PhysicalType(ctx_.types[static_cast<size_t>(c)]), rows);
    return ReadChunkRows(fc, ranges);
  }

  // The bytes of chunk `fc` that hold `ranges`: the dictionary region and the pages overlapping the
  // ranges (per the OffsetIndex), or the whole chunk.
  struct LoadedChunk {
    std::string bytes;
    // Segments of the decoded column: (first row in the row group, rows), in order.
    std::vector<std::pair<int64_t, int64_t>> segments;
    int64_t num_values = 0;
    int64_t chunk_start = 0;
  };

  Status LoadChunk(int fc, const RowRanges& ranges, LoadedChunk* loaded) {
    const parquet::ColumnMetaData& meta = reader_.column_meta(rg_, fc);
    const auto [chunk_start, chunk_length] = parquet::ColumnChunkByteRange(meta);
    loaded->chunk_start = chunk_start;
    const bool full = ranges.size() == 1 && ranges[0].first == 0 && ranges[0].second == num_rows_;
    ASSIGN_OR_RETURN(const parquet::OffsetIndex* oi, full ? Result<const parquet::OffsetIndex*>(nullptr)
                                                          : OffsetIndexOf(fc));
    std::vector<std::pair<int64_t, int64_t>>& segments = loaded->segments;
    std::string& bytes = loaded->bytes;
    int64_t& num_values = loaded->num_values;
    if (oi == nullptr || oi->page_locations.front().offset < chunk_start) {
      // The whole chunk; a dictionary page read for pruning is not read again.
      int64_t have = 0;
      const std::string* cached = Cached(dictionary_bytes_, fc);
      if (cached != nullptr && static_cast<int64_t>(cached->size()) <= chunk_length) {
        bytes = *cached;
        have = static_cast<int64_t>(bytes.size());
      }
      std::string rest;
      RETURN_IF_ERROR(file_.source->ReadAt(static_cast<uint64_t>(chunk_start + have),
                                           static_cast<size_t>(chunk_length - have), &rest));
      if (bytes.empty()) {
        bytes = std::move(rest);
      } else {
        bytes += rest;
      }
      segments.emplace_back(0, num_rows_);
      num_values = meta.num_values;
    } else {
      const std::vector<parquet::PageLocation>& locs = oi->page_locations;
      // The runs of needed pages that are adjacent in the file (each read at once): (first page,
      // last page).
      std::vector<std::pair<size_t, size_t>> runs;
      size_t r = 0;
      for (size_t i = 0; i < locs.size();) {
        const int64_t begin = locs[i].first_row_index;
        const int64_t end = PageEnd(*oi, i);
        while (r < ranges.size() && ranges[r].second <= begin) ++r;
        if (r == ranges.size()) break;
        if (ranges[r].first >= end) {
          ++i;
          continue;
        }
        size_t j = i;
        while (j + 1 < locs.size() &&
               locs[j + 1].offset == locs[j].offset + locs[j].compressed_page_size) {
          const int64_t next_begin = locs[j + 1].first_row_index;
          const int64_t next_end = PageEnd(*oi, j + 1);
          size_t rr = r;
          while (rr < ranges.size() && ranges[rr].second <= next_begin) ++rr;
          if (rr == ranges.size() || ranges[rr].first >= next_end) break;
          ++j;
        }
        runs.emplace_back(i, j);
        i = j + 1;
      }
      const auto run_end = [&](size_t j) { return locs[j].offset + locs[j].compressed_page_size; };
      size_t total = 0;
      for (const auto& [i, j] : runs) total += static_cast<size_t>(run_end(j) - locs[i].offset);
      size_t first_run = 0;
      if (chunk_start < locs.front().offset) {
        const std::string* cached = Cached(dictionary_bytes_, fc);
        const bool have =
            cached != nullptr && static_cast<int64_t>(cached->size()) == locs.front().offset - chunk_start;
        if (!have && !runs.empty() && runs[0].first == 0) {
          // The dictionary and the first needed page are adjacent: one read for both.
          RETURN_IF_ERROR(file_.source->ReadAt(static_cast<uint64_t>(chunk_start),
                                               static_cast<size_t>(run_end(runs[0].second) - chunk_start), &bytes));
          first_run = 1;
        } else {
          ASSIGN_OR_RETURN(const std::string* region, DictionaryRegionUpTo(fc, locs.front().offset));
          bytes.reserve(region->size() + total);
          bytes = *region;
        }
      }
      for (size_t k = 0; k < runs.size(); ++k) {
        const auto [i, j] = runs[k];
        const int64_t begin = locs[i].first_row_index;
        const int64_t end_row = PageEnd(*oi, j);
        segments.emplace_back(begin, end_row - begin);
        num_values += end_row - begin;
        if (k < first_run) continue;  // read with the dictionary
        const int64_t offset = locs[i].offset;
        std::string run;
        RETURN_IF_ERROR(file_.source->ReadAt(static_cast<uint64_t>(offset),
                                             static_cast<size_t>(run_end(j) - offset), &run));
        if (bytes.empty()) {
          bytes = std::move(run);
          bytes.reserve(total);
        } else {
          bytes += run;
        }
      }
    }
    return Status::OK();
  }

  // `ranges` as positions among the rows of `segments` (LoadedChunk), in order.
  Result<parquet::ColumnChunkReader::PositionRanges> WantedPositions(
      int fc, const RowRanges& ranges, const std::vector<std::pair<int64_t, int64_t>>& segments) const {
    parquet::ColumnChunkReader::PositionRanges wanted;
    size_t s = 0;
    int64_t seg_base = 0;  // position of segment s's first row
    for (const auto& [b, e] : ranges) {
      for (int64_t row = b; row < e;) {
        while (s < segments.size() && segments[s].first + segments[s].second <= row) {
          seg_base += segments[s].second;
          ++s;
        }
        if (s == segments.size() || segments[s].first > row) {
          return Status::Internal("row " + std::to_string(row) + " is in no page read").WithContext(Where(fc));
        }
        const int64_t until = std::min(e, segments[s].first + segments[s].second);
        const int64_t from = seg_base + (row - segments[s].first);
        const int64_t to = seg_base + (until - segments[s].first);
        if (!wanted.empty() && wanted.back().second == from) {
          wanted.back().second = to;
        } else {
          wanted.emplace_back(from, to);
        }
        row = until;
      }
    }
    return wanted;
  }

  Result<std::unique_ptr<parquet::ColumnChunkReader>> MakeChunkReader(int fc, LoadedChunk* loaded) const {
    const parquet::ColumnMetaData& meta = reader_.column_meta(rg_, fc);
    const parquet::ColumnDescriptor& d = reader_.columns()[static_cast<size_t>(fc)];
    Result<std::unique_ptr<parquet::ColumnChunkReader>> chunk = parquet::ColumnChunkReader::Make(
        d, meta.codec, std::move(loaded->bytes), loaded->chunk_start, loaded->num_values);
    if (!chunk.ok()) return chunk.status().WithContext(Where(fc));
    return chunk;
  }

  Result<Column> ReadChunkRows(int fc, const RowRanges& ranges) {
    const parquet::ColumnDescriptor& d = reader_.columns()[static_cast<size_t>(fc)];
    LoadedChunk loaded;
    RETURN_IF_ERROR(LoadChunk(fc, ranges, &loaded));
    ASSIGN_OR_RETURN(parquet::ColumnChunkReader::PositionRanges wanted, WantedPositions(fc, ranges, loaded.segments));
    ASSIGN_OR_RETURN(std::unique_ptr<parquet::ColumnChunkReader> chunk, MakeChunkReader(fc, &loaded));
    Column out(d.field.type);
    out.Reserve(static_cast<size_t>(Total(ranges)));
    Status st = chunk->ReadRanges(wanted, &out);
    if (!st.ok()) return st.WithContext(Where(fc));
    if (out.size() != static_cast<size_t>(Total(ranges))) {
      return Status::Corruption("decoded " + std::to_string(out.size()) + " values, expected " +
                                std::to_string(Total(ranges)))
          .WithContext(Where(fc));
    }
    return out;
  }

  // Runs the filter over the candidate rows `ranges`: *selected gets the indexes (among the
  // candidates) of the rows it keeps, and the filter columns of *out are read and marked present.
  // True when those columns hold the selected rows only, false when they hold every candidate.
  Result<bool> Filter(const RowRanges& ranges, int64_t candidate_rows, ScanBatch* out,
                      std::vector<uint32_t>* selected) {
    const size_t table_width = static_cast<size_t>(ctx_.num_stored) + 1;
    const auto column = [&](int c) -> Column& {
      out->present[static_cast<size_t>(c)] = 1;
      return out->columns[static_cast<size_t>(c)];
    };
    if (ctx_.filter_columns.size() == 1) {
      const int c = ctx_.filter_columns[0];
      if (ctx_.prefilter == nullptr && ctx_.string_keys.column == c) {
        ASSIGN_OR_RETURN(bool by_keys, SelectByStringKeys(c, ranges, &column(c), selected));
        if (by_keys) return true;
      }
      ASSIGN_OR_RETURN(bool by_dictionary, SelectByDictionary(*ctx_.filter, c, ranges, &column(c), selected));
      if (by_dictionary) return true;
    }
    EvalInput in;
    in.columns.assign(table_width, nullptr);
    if (ctx_.prefilter != nullptr) {
      // The selective conjunct on one column first; the other filter columns are then read only
      // for the pages of the rows it kept.
      const int x = ctx_.prefilter_column;
      std::vector<uint32_t> kept;
      Column& xs = column(x);
      bool gathered = false;
      if (ctx_.string_keys.column == x) {
        ASSIGN_OR_RETURN(gathered, SelectByStringKeys(x, ranges, &xs, &kept));
      }
      if (!gathered) {
        ASSIGN_OR_RETURN(gathered, SelectByDictionary(*ctx_.prefilter, x, ranges, &xs, &kept));
      }
      if (!gathered) {
        ASSIGN_OR_RETURN(xs, ReadColumn(x, ranges));
        in.columns[static_cast<size_t>(x)] = &xs;
        in.num_rows = static_cast<size_t>(candidate_rows);
        Status st = ctx_.prefilter->Select(in, nullptr, &kept);
        if (!st.ok()) return st.WithContext(file_.path + ": row group " + std::to_string(rg_));
        if (kept.size() != xs.size()) xs = Gather(xs, kept);
      }
      if (kept.empty()) {
        selected->clear();
        return true;
      }
      const RowRanges kept_ranges = RangesOfRows(CandidateRows(ranges, kept));
      in.columns[static_cast<size_t>(x)] = &xs;
      for (int c : ctx_.filter_columns) {
        if (c == x) continue;
        ASSIGN_OR_RETURN(column(c), ReadColumn(c, kept_ranges));
        in.columns[static_cast<size_t>(c)] = &out->columns[static_cast<size_t>(c)];
      }
      in.num_rows = kept.size();
      std::vector<uint32_t> hits;  // indexes among `kept`
      Status st = ctx_.filter->Select(in, nullptr, &hits);
      if (!st.ok()) return st.WithContext(file_.path + ": row group " + std::to_string(rg_));
      selected->clear();
      selected->reserve(hits.size());
      for (uint32_t h : hits) selected->push_back(kept[h]);
      if (hits.size() != kept.size()) {
        for (int c : ctx_.filter_columns) column(c) = Gather(out->columns[static_cast<size_t>(c)], hits);
      }
      return true;
    }
    in.num_rows = static_cast<size_t>(candidate_rows);
    for (int c : ctx_.filter_columns) {
      ASSIGN_OR_RETURN(column(c), ReadColumn(c, ranges));
      in.columns[static_cast<size_t>(c)] = &out->columns[static_cast<size_t>(c)];
    }
    Status st = ctx_.filter->Select(in, nullptr, selected);
    if (!st.ok()) return st.WithContext(file_.path + ": row group " + std::to_string(rg_));
    return false;
  }

  // The rows of `ranges` whose column `c` holds one of ctx_.string_keys' texts: *selected gets
  // their indexes among the candidates, *values their values. False (nothing done) when the file
  // lacks the column: the evaluator then decides over its NULLs.
  Result<bool> SelectByStringKeys(int c, const RowRanges& ranges, Column* values, std::vector<uint32_t>* selected) {
    const int fc = FileColumn(c);
    if (fc < 0) return false;
    LoadedChunk loaded;
    RETURN_IF_ERROR(LoadChunk(fc, ranges, &loaded));
    ASSIGN_OR_RETURN(parquet::ColumnChunkReader::PositionRanges wanted, WantedPositions(fc, ranges, loaded.segments));
    ASSIGN_OR_RETURN(std::unique_ptr<parquet::ColumnChunkReader> chunk, MakeChunkReader(fc, &loaded));
    *values = Column(ColumnType::kString);
    const StringKeys& keys = ctx_.string_keys;
    Status st = chunk->SelectStrings(wanted, [&keys](std::string_view v) { return keys.Contains(v); }, selected, values);
    if (!st.ok()) return st.WithContext(Where(fc));
    return true;
  }

  // `filter` (reading table column `c` only) over `ranges` when c's chunk has a dictionary:
  // the filter runs once per dictionary entry (and once for NULL), and the rows of
  // dictionary-encoded pages are selected by their index; a page the writer fell back to PLAIN
  // for is filtered row by row. *selected gets the selected candidate rows (indexes among the rows
  // of `ranges`), *values the column's values of those rows only. False (nothing done) when this
  // does not apply, or when the filter fails on a dictionary entry (which a row may never hold:
  // the row-level path then decides).
  Result<bool> SelectByDictionary(const ExprEvaluator& filter, int c, const RowRanges& ranges, Column* values,
                                  std::vector<uint32_t>* selected) {
    if (c == ctx_.num_stored) return false;
    const int fc = FileColumn(c);
    if (fc < 0 || !HasDictionaryPage(reader_.column_meta(rg_, fc))) return false;
    const parquet::ColumnDescriptor& d = reader_.columns()[static_cast<size_t>(fc)];
    LoadedChunk loaded;
    RETURN_IF_ERROR(LoadChunk(fc, ranges, &loaded));
    ASSIGN_OR_RETURN(parquet::ColumnChunkReader::PositionRanges wanted, WantedPositions(fc, ranges, loaded.segments));
    ASSIGN_OR_RETURN(std::unique_ptr<parquet::ColumnChunkReader> chunk, MakeChunkReader(fc, &loaded));

    EvalInput in;
    in.columns.assign(static_cast<size_t>(ctx_.num_stored) + 1, nullptr);
    Column dictionary(d.field.type);  // the entries, then NULL
    std::vector<uint8_t> entry_selected;
    std::vector<uint32_t> dictionary_hits;  // the entries the filter keeps
    std::vector<uint32_t> hits;
    std::vector<uint32_t> indices;
    std::vector<uint32_t> candidates;  // plain pages: candidate index of each value in `page_values`
    *values = Column(d.field.type);
    selected->clear();
    size_t r = 0;
    int64_t candidate_base = 0;  // candidate index of wanted[r].first
    while (r < wanted.size()) {
      parquet::DataPageInfo info;
      Column page_values(d.field.type);
      bool as_indices = false, done = false;
      Status st = chunk->NextDataPageIndices(&info, &indices, &page_values, &as_indices, &done);
      if (!st.ok()) return st.WithContext(Where(fc));
      if (done) break;
      if (as_indices && entry_selected.empty()) {
        chunk->AppendDictionary(&dictionary);
        dictionary.AppendNull();
        in.columns[static_cast<size_t>(c)] = &dictionary;
        in.num_rows = dictionary.size();
        if (!filter.Select(in, nullptr, &dictionary_hits).ok()) return false;
        entry_selected.assign(dictionary.size(), 0);
        for (uint32_t h : dictionary_hits) entry_selected[h] = 1;
      }
      const int64_t first = info.first_row_index;
      const int64_t end = first + info.num_rows;
      Column part(d.field.type);
      candidates.clear();
      // The wanted positions of this page, with their candidate indexes.
      for (; r < wanted.size() && wanted[r].first < end; ++r) {
        const int64_t from = std::max(wanted[r].first, first);
        const int64_t to = std::min(wanted[r].second, end);
        const uint32_t first_candidate = static_cast<uint32_t>(candidate_base + (from - wanted[r].first));
        const size_t count = static_cast<size_t>(to - from);
        if (as_indices && !dictionary_hits.empty()) {
          // kNullIndex (above every index) becomes the NULL entry, the last one.
          const uint32_t null_entry = static_cast<uint32_t>(dictionary.size() - 1);
          const uint32_t* index = indices.data() + (from - first);
          for (size_t i = 0; i < count; ++i) {
            const uint32_t entry = std::min(index[i], null_entry);
            if (entry_selected[entry]) {
              selected->push_back(first_candidate + static_cast<uint32_t>(i));
              values->AppendFrom(dictionary, entry);
            }
          }
        } else if (!as_indices) {
          for (size_t i = 0; i < count; ++i) {
            part.AppendFrom(page_values, static_cast<size_t>(from - first) + i);
            candidates.push_back(first_candidate + static_cast<uint32_t>(i));
          }
        }
        if (wanted[r].second > end) break;  // the range goes on in the next page
        candidate_base += wanted[r].second - wanted[r].first;
      }
      if (!as_indices && !candidates.empty()) {
        in.columns[static_cast<size_t>(c)] = &part;
        in.num_rows = part.size();
        st = filter.Select(in, nullptr, &hits);
        if (!st.ok()) return st.WithContext(file_.path + ": row group " + std::to_string(rg_));
        for (uint32_t h : hits) {
          selected->push_back(candidates[h]);
          values->AppendFrom(part, h);
        }
      }
    }
    if (r < wanted.size()) {
      return Status::Corruption("the column chunk ends before row " + std::to_string(wanted[r].first))
          .WithContext(Where(fc));
    }
    return true;
  }

  // The bytes from the chunk start to `first_page_offset` (the dictionary page).
  Result<const std::string*> DictionaryRegionUpTo(int fc, int64_t first_page_offset) {
    std::string* cached = Cached(dictionary_bytes_, fc);
    const parquet::ColumnMetaData& meta = reader_.column_meta(rg_, fc);
    const int64_t start = parquet::ColumnChunkByteRange(meta).first;
    if (cached != nullptr && static_cast<int64_t>(cached->size()) == first_page_offset - start) return cached;
    std::string bytes;
    RETURN_IF_ERROR(file_.source->ReadAt(static_cast<uint64_t>(start), static_cast<size_t>(first_page_offset - start),
                                         &bytes));
    return Cache(dictionary_bytes_, fc, std::move(bytes));
  }

  // The per-column caches below are shared by the threads of ReadOtherColumns, each of which
  // works on columns of its own: only the maps' structure needs the lock, not the entries.
  template <typename Map>
  typename Map::mapped_type* Cached(Map& map, int fc) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = map.find(fc);
    return it == map.end() ? nullptr : &it->second;
  }
  template <typename Map>
  typename Map::mapped_type* Cache(Map& map, int fc, typename Map::mapped_type value) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    typename Map::mapped_type& slot = map[fc];
    slot = std::move(value);
    return &slot;
  }

  const ScanContext& ctx_;
  const ScanFile& file_;
  const parquet::FileReader& reader_;
  const int rg_;
  ScanCounters* counters_;
  ScanCounters uncounted_;
  ScanCounters* layers_;  // where the pruning layers count (uncounted_ for a later slice)
  const int64_t num_rows_;
  std::map<int, parquet::BloomFilter> blooms_;  // whole filters (long IN lists)
  std::map<int, parquet::BloomFilterLocation> bloom_locations_;  // headers (block probes)
  std::mutex cache_mu_;  // dictionary_bytes_, offset_indexes_ (Cached/Cache)
  std::map<int, std::string> dictionary_bytes_;
  std::map<int, std::optional<parquet::OffsetIndex>> offset_indexes_;
  std::map<int, parquet::ColumnIndex> column_indexes_;
};

}  // namespace

bool StringKeys::Contains(std::string_view value) const {
  for (const std::string& t : texts) {
    if (t.size() != value.size()) continue;
    if (t.size() >= 8) {  // most values differ in their first bytes: no memcmp call for them
      uint64_t a = 0, b = 0;
      std::memcpy(&a, t.data(), 8);
      std::memcpy(&b, value.data(), 8);
      if (a != b) continue;
    }
    if (std::memcmp(t.data(), value.data(), t.size()) == 0) return true;
  }
  return false;
}

StringKeys StringKeysOf(const Expr& conjunct) {
  StringKeys keys;
  const bool eq = conjunct.kind == ExprKind::kCompare && conjunct.compare == CompareOp::kEq;
  const bool in = conjunct.kind == ExprKind::kInList && !conjunct.negated;
  if ((!eq && !in) || conjunct.args.size() < 2) return keys;
  const Expr& column = *conjunct.args[0];
  if (column.kind != ExprKind::kColumnRef || column.type != SqlType::kVarchar) return keys;
  for (size_t i = 1; i < conjunct.args.size(); ++i) {
    const Expr& a = *conjunct.args[i];
    if (!a.IsConstant() || a.type != SqlType::kVarchar || a.constant.type() != SqlType::kVarchar) return keys;
    if (!a.constant.is_null()) keys.texts.push_back(a.constant.AsString());
  }
  keys.column = column.index;
  return keys;
}

void ScanCounters::Add(const ScanCounters& o) {
  rows_scanned += o.rows_scanned;
  auto add = [](PruneCount* a, const PruneCount& b) {
    a->considered += b.considered;
    a->pruned += b.pruned;
  };
  add(&row_groups_by_stats, o.row_groups_by_stats);
  add(&row_groups_by_bloom, o.row_groups_by_bloom);
  add(&row_groups_by_dictionary, o.row_groups_by_dictionary);
  add(&pages_by_page_index, o.pages_by_page_index);
}

EvalInput ScanBatch::Input() const {
  EvalInput in;
  in.num_rows = num_rows;
  in.columns.assign(columns.size(), nullptr);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (present[i]) in.columns[i] = &columns[i];
  }
  return in;
}

void ScanBatch::Keep(const std::vector<uint32_t>& rows) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (present[i]) columns[i] = Gather(columns[i], rows);
  }
  if (!key_hashes.empty()) {
    std::vector<KeyHash> h;
    std::vector<uint8_t> nulls;
    h.reserve(rows.size());
    nulls.reserve(rows.size());
    for (uint32_t r : rows) {
      h.push_back(key_hashes[r]);
      nulls.push_back(key_nulls[r]);
    }
    key_hashes = std::move(h);
    key_nulls = std::move(nulls);
  }
  if (!row_numbers.empty()) {
    std::vector<uint32_t> numbers;
    numbers.reserve(rows.size());
    for (uint32_t r : rows) numbers.push_back(row_numbers[r]);
    row_numbers = std::move(numbers);
  }
  num_rows = rows.size();
}

Result<std::unique_ptr<ScanFile>> OpenScanFile(const std::string& path, int64_t day, const lake::TableDef& table,
                                               ScanControl* control) {
  auto file = std::make_unique<ScanFile>();
  file->path = path;
  file->day = day;
  ASSIGN_OR_RETURN(std::shared_ptr<RandomAccessFile> raw, RandomAccessFile::Open(path));
  file->source = std::make_shared<CountingSource>(parquet::InputSource::FromFile(std::move(raw)), control);
  ASSIGN_OR_RETURN(file->reader, parquet::FileReader::Open(file->source));
  file->file_column.assign(table.columns.size(), -1);
  for (size_t c = 0; c < table.columns.size(); ++c) {
    const int fc = file->reader->ColumnIndexOf(table.columns[c].name);
    if (fc < 0) continue;
    const ColumnType stored = file->reader->fields()[static_cast<size_t>(fc)].type;
    if (stored != table.columns[c].type) {
      return Status::InvalidArgument(path + ": column '" + table.columns[c].name + "' is " + ColumnTypeName(stored) +
                                     " in the file but " + ColumnTypeName(table.columns[c].type) +
                                     " in table '" + table.name + "'");
    }
    file->file_column[c] = fc;
  }
  return file;
}

Result<bool> PruneRowGroup(const ScanContext& ctx, const ScanFile& file, int rg, ScanCounters* counters) {
  return RowGroupScan(ctx, file, rg, counters, true).Prune();
}

Status ScanRowGroup(const ScanContext& ctx, const ScanFile& file, int rg, ScanCounters* counters, ScanBatch* out) {
  return RowGroupScan(ctx, file, rg, counters, true).Scan(0, std::numeric_limits<int64_t>::max(), out);
}

Status ScanRowGroupSlice(const ScanContext& ctx, const ScanFile& file, int rg, int64_t row_begin, int64_t row_end,
                         ScanCounters* counters, ScanBatch* out) {
  return RowGroupScan(ctx, file, rg, counters, row_begin == 0).Scan(row_begin, row_end, out);
}

std::optional<std::pair<int64_t, int64_t>> Int64Bounds(const ScanFile& file, int rg, int col) {
  if (col < 0 || static_cast<size_t>(col) >= file.file_column.size()) return std::nullopt;
  const int fc = file.file_column[static_cast<size_t>(col)];
  if (fc < 0) return std::nullopt;
  Result<std::optional<parquet::ColumnStatistics>> stats = file.reader->ReadStatistics(rg, fc);
  if (!stats.ok() || !*stats || !(*stats)->min || !(*stats)->max) return std::nullopt;
  const int64_t* lo = std::get_if<int64_t>(&*(*stats)->min);
  const int64_t* hi = std::get_if<int64_t>(&*(*stats)->max);
  if (lo == nullptr || hi == nullptr) return std::nullopt;
  return std::make_pair(*lo, *hi);
}

}  // namespace loglake::query
