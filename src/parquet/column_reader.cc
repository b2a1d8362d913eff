#include "parquet/column_reader.h"

#include <algorithm>
#include <cstring>

#include "parquet/encoding/byte_stream_split.h"
#include "parquet/encoding/delta_binary_packed.h"
#include "parquet/encoding/delta_byte_array.h"
#include "parquet/encoding/plain.h"
#include "parquet/encoding/rle_hybrid.h"

namespace loglake::parquet {

namespace {

std::string Int(int64_t v) { return std::to_string(v); }

Status UnsupportedEncoding(Encoding encoding, const ColumnDescriptor& col) {
  return Status::Unimplemented("encoding " + EncodingName(encoding) + " for a " + TypeName(col.physical_type) +
                               " column is not supported");
}

// Smallest PLAIN encoding of one value: bounds a dictionary's claimed size by its page.
size_t MinPlainSize(Type type) {
  switch (type) {
    case Type::INT64:
    case Type::DOUBLE: return 8;
    default: return 4;  // INT32, and BYTE_ARRAY's length prefix
  }
}

}  // namespace

Result<std::unique_ptr<ColumnChunkReader>> ColumnChunkReader::Make(const ColumnDescriptor& col,
                                                                   CompressionCodec codec, std::string chunk,
                                                                   int64_t chunk_offset, int64_t num_values) {
  ASSIGN_OR_RETURN(Codec c, FromThrift(codec));
  return std::unique_ptr<ColumnChunkReader>(
      new ColumnChunkReader(col, c, std::move(chunk), chunk_offset, num_values));
}

ColumnChunkReader::ColumnChunkReader(const ColumnDescriptor& col, Codec codec, std::string chunk,
                                     int64_t chunk_offset, int64_t num_values)
    : col_(col),
      chunk_(std::move(chunk)),
      chunk_offset_(chunk_offset),
      num_values_(num_values),
      pages_(chunk_, codec) {}

Status ColumnChunkReader::ReadAll(Column* out) {
  out->Reserve(out->size() + static_cast<size_t>(num_values_));
  DataPageInfo info;
  bool done = false;
  while (true) {
    RETURN_IF_ERROR(NextDataPage(&info, out, &done));
    if (done) return Status::OK();
  }
}

Status ColumnChunkReader::NextDataHeader(Page* page, DataPageInfo* info, bool* done) {
  *done = false;
  while (values_seen_ < num_values_) {
    if (pages_.AtEnd()) {
      return Status::Corruption("column chunk ends after " + Int(values_seen_) + " of the " + Int(num_values_) +
                                " values its metadata promises");
    }
    const uint64_t page_pos = pages_.position();
    const auto where = [&] {
      return "page at offset " + Int(chunk_offset_ + static_cast<int64_t>(page_pos));
    };
    Status st = pages_.NextHeader(page);
    if (!st.ok()) return st.WithContext(where());
    const PageHeader& h = page->header;
    if (h.type == PageType::DICTIONARY_PAGE) {
      st = AcceptDictionaryPage(*page, pages_.TakeStoredBody());
      if (!st.ok()) return st.WithContext("dictionary " + where());
      continue;
    }
    if (h.type != PageType::DATA_PAGE && h.type != PageType::DATA_PAGE_V2) {
      pages_.SkipBody();  // INDEX_PAGE and page types from the future carry no values
      continue;
    }

    int32_t page_values = 0;
    Encoding encoding = Encoding::PLAIN;
    if (h.type == PageType::DATA_PAGE) {
      if (!h.data_page_header) return Status::Corruption("DATA_PAGE without a data_page_header").WithContext(where());
      page_values = h.data_page_header->num_values;
      encoding = h.data_page_header->encoding;
    } else {
      if (!h.data_page_header_v2) {
        return Status::Corruption("DATA_PAGE_V2 without a data_page_header_v2").WithContext(where());
      }
      page_values = h.data_page_header_v2->num_values;
      encoding = h.data_page_header_v2->encoding;
      if (h.data_page_header_v2->num_rows != page_values) {
        return Status::Corruption("DATA_PAGE_V2 has " + Int(page_values) + " values but " +
                                  Int(h.data_page_header_v2->num_rows) + " rows in a flat column")
            .WithContext(where());
      }
    }
    if (page_values < 0 || page_values > num_values_ - values_seen_) {
      return Status::Corruption("data page claims " + Int(page_values) + " values, but only " +
                                Int(num_values_ - values_seen_) + " of the chunk's " + Int(num_values_) + " remain")
          .WithContext(where());
    }
    info->ordinal = data_pages_seen_;
    info->offset = chunk_offset_ + static_cast<int64_t>(page_pos);
    info->first_row_index = values_seen_;
    info->num_rows = page_values;
    info->type = h.type;
    info->encoding = encoding;
    return Status::OK();
  }
  *done = true;
  return Status::OK();
}

void ColumnChunkReader::FinishDataPage(const DataPageInfo& info) {
  values_seen_ += info.num_rows;
  ++data_pages_seen_;
}

namespace {
std::string DataPageWhere(const DataPageInfo& info) { return "data page at offset " + Int(info.offset); }
}  // namespace

Status ColumnChunkReader::NextDataPage(DataPageInfo* info, Column* out, bool* done) {
  Page page;
  RETURN_IF_ERROR(NextDataHeader(&page, info, done));
  if (*done) return Status::OK();
  if (out == nullptr) {
    pages_.SkipBody();  // skipped data pages are never decompressed
  } else {
    Status st = pages_.ReadBody(&page);
    if (st.ok()) st = DecodeDataPage(page, static_cast<int32_t>(info->num_rows), out);
    if (!st.ok()) return st.WithContext(DataPageWhere(*info));
  }
  FinishDataPage(*info);
  return Status::OK();
}

template <typename VisitPage>
Status ColumnChunkReader::ForEachWantedPage(const PositionRanges& wanted, VisitPage&& visit) {
  size_t r = 0;
  DataPageInfo info;
  while (r < wanted.size()) {
    Page page;
    bool done = false;
    RETURN_IF_ERROR(NextDataHeader(&page, &info, &done));
    if (done) break;
    const int64_t first = info.first_row_index;
    const int64_t end = first + info.num_rows;
    while (r < wanted.size() && wanted[r].second <= first) ++r;
    if (r == wanted.size() || wanted[r].first >= end) {
      pages_.SkipBody();
      FinishDataPage(info);
      continue;
    }
    size_t non_null = 0;
    // Dictionary-encoded values stay indices: only the wanted ones are looked up.
    const bool as_indices = IsDictionaryEncoding(info.encoding);
    Status st = pages_.ReadBody(&page);
    if (st.ok()) st = DecodeLevelsAndValues(page, static_cast<int32_t>(info.num_rows), as_indices, &non_null);
    if (st.ok()) st = visit(info, as_indices, non_null, r);
    if (!st.ok()) return st.WithContext(DataPageWhere(info));
    FinishDataPage(info);
  }
  if (r < wanted.size() && wanted.back().second > values_seen_) {
    return Status::Corruption("position " + Int(wanted.back().second - 1) + " is past the chunk's " +
                              Int(values_seen_) + " values");
  }
  return Status::OK();
}

int64_t ColumnChunkReader::MaxWantedIndex(const PositionRanges& wanted, size_t r, const DataPageInfo& info,
                                          size_t non_null) const {
  const int64_t first = info.first_row_index;
  const int64_t end = first + info.num_rows;
  const bool all_valid = non_null == static_cast<size_t>(info.num_rows);
  int64_t max = -1;
  size_t level = 0;  // page position up to which `value` is counted
  size_t value = 0;  // non-null values before `level`
  for (size_t k = r; k < wanted.size() && wanted[k].first < end; ++k) {
    const size_t from = static_cast<size_t>(std::max(wanted[k].first, first) - first);
    const size_t to = static_cast<size_t>(std::min(wanted[k].second, end) - first);
    if (from >= to) continue;
    if (all_valid) {
      for (size_t i = from; i < to; ++i) max = std::max<int64_t>(max, indices_[i]);
      continue;
    }
    for (; level < from; ++level) value += levels_[level];
    for (; level < to; ++level) {
      if (levels_[level] != 0) max = std::max<int64_t>(max, indices_[value++]);
    }
  }
  return max;
}

Status ColumnChunkReader::ReadRanges(const PositionRanges& wanted, Column* out) {
  return ForEachWantedPage(wanted, [&](const DataPageInfo& info, bool as_indices, size_t non_null, size_t r) {
    const int64_t first = info.first_row_index;
    const int64_t end = first + info.num_rows;
    const size_t n = static_cast<size_t>(info.num_rows);
    if (as_indices) {
      // Only the dictionary entries the wanted values use, and those before them, are decoded.
      const int64_t max_index = MaxWantedIndex(wanted, r, info, non_null);
      if (max_index >= 0) RETURN_IF_ERROR(LoadDictionaryEntries(static_cast<size_t>(max_index) + 1));
    }
    PageCursor cursor;  // ranges come in order: levels are counted once per page
    for (size_t k = r; k < wanted.size() && wanted[k].first < end; ++k) {
      const int64_t from = std::max(wanted[k].first, first);
      const int64_t to = std::min(wanted[k].second, end);
      if (from >= to) continue;
      if (!as_indices && from == first && to == end) {
        Append(n, non_null, out);
      } else {
        AppendRange(n, non_null, static_cast<size_t>(from - first), static_cast<size_t>(to - first), as_indices,
                    &cursor, out);
      }
    }
    return Status::OK();
  });
}

Status ColumnChunkReader::SelectStrings(const PositionRanges& wanted,
                                        const std::function<bool(std::string_view)>& match,
                                        std::vector<uint32_t>* selected, Column* out) {
  if (col_.field.type != ColumnType::kString) {
    return Status::InvalidArgument("SelectStrings on a " + std::string(ColumnTypeName(col_.field.type)) + " column");
  }
  selected->clear();
  // base[k]: the index among the wanted positions of wanted[k].first.
  std::vector<uint64_t> base(wanted.size());
  uint64_t total = 0;
  for (size_t k = 0; k < wanted.size(); ++k) {
    base[k] = total;
    total += static_cast<uint64_t>(wanted[k].second - wanted[k].first);
  }
  std::vector<uint8_t> entry_matches;  // per dictionary entry, filled when the first indexed page comes
  const bool has_levels = col_.max_definition_level > 0;
  return ForEachWantedPage(wanted, [&](const DataPageInfo& info, bool as_indices, size_t, size_t r) {
    if (as_indices) RETURN_IF_ERROR(LoadDictionary());
    if (as_indices && entry_matches.size() != dict_str_.size()) {
      entry_matches.resize(dict_str_.size());
      for (size_t e = 0; e < dict_str_.size(); ++e) entry_matches[e] = match(dict_str_[e]) ? 1 : 0;
    }
    const int64_t first = info.first_row_index;
    const int64_t end = first + info.num_rows;
    size_t pos = 0;    // page position up to which `value` is counted
    size_t value = 0;  // non-null values before `pos`
    for (size_t k = r; k < wanted.size() && wanted[k].first < end; ++k) {
      const size_t from = static_cast<size_t>(std::max(wanted[k].first, first) - first);
      const size_t to = static_cast<size_t>(std::min(wanted[k].second, end) - first);
      if (has_levels) {
        for (; pos < from; ++pos) value += levels_[pos];
      } else {
        pos = value = from;
      }
      const uint64_t index_of_from =
          base[k] + static_cast<uint64_t>(first + static_cast<int64_t>(from) - wanted[k].first);
      for (size_t i = from; i < to; ++i) {
        if (has_levels && levels_[i] == 0) continue;
        const size_t v = value++;
        const bool hit = as_indices ? entry_matches[indices_[v]] != 0 : match(str_[v]);
        if (!hit) continue;
        selected->push_back(static_cast<uint32_t>(index_of_from + (i - from)));
        out->AppendString(as_indices ? dict_str_[indices_[v]] : str_[v]);
      }
      pos = to;
    }
    return Status::OK();
  });
}

Status ColumnChunkReader::NextDataPageIndices(DataPageInfo* info, std::vector<uint32_t>* indices, Column* out,
                                              bool* as_indices, bool* done) {
  Page page;
  RETURN_IF_ERROR(NextDataHeader(&page, info, done));
  if (*done) return Status::OK();
  *as_indices = IsDictionaryEncoding(info->encoding);
  Status st = pages_.ReadBody(&page);
  if (st.ok() && *as_indices) st = LoadDictionary();  // the caller looks at all of it
  const size_t n = static_cast<size_t>(info->num_rows);
  if (st.ok() && *as_indices) {
    size_t non_null = 0;
    st = DecodeLevelsAndValues(page, static_cast<int32_t>(n), true, &non_null);
    if (st.ok()) {
      if (non_null == n) {
        indices->swap(indices_);  // the caller's old buffer becomes the next page's scratch
      } else {
        indices->resize(n);
        size_t v = 0;
        for (size_t i = 0; i < n; ++i) (*indices)[i] = levels_[i] != 0 ? indices_[v++] : kNullIndex;
      }
    }
  } else if (st.ok()) {
    st = DecodeDataPage(page, static_cast<int32_t>(n), out);
  }
  if (!st.ok()) return st.WithContext(DataPageWhere(*info));
  FinishDataPage(*info);
  return Status::OK();
}


void ColumnChunkReader::AppendDictionary(Column* out) const {
  switch (col_.field.type) {
    case ColumnType::kInt32:
      for (int32_t v : dict_i32_) out->AppendInt32(v);
      break;
    case ColumnType::kInt64:
      for (int64_t v : dict_i64_) out->AppendInt64(v);
      break;
    case ColumnType::kTimestamp:
      for (int64_t v : dict_i64_) out->AppendTimestamp(v);
      break;
    case ColumnType::kDouble:
      for (double v : dict_f64_) out->AppendDouble(v);
      break;
    case ColumnType::kString:
      for (std::string_view v : dict_str_) out->AppendString(v);
      break;
    case ColumnType::kBool: break;
  }
}

Status ColumnChunkReader::AcceptDictionaryPage(const Page& page, std::string_view stored) {
  if (data_pages_seen_ > 0) return Status::Corruption("dictionary page follows a data page");
  if (has_dictionary_) return Status::Corruption("second dictionary page in one column chunk");
  if (!page.header.dictionary_page_header) return Status::Corruption("DICTIONARY_PAGE without its header");
  const DictionaryPageHeader& d = *page.header.dictionary_page_header;
  if (d.encoding != Encoding::PLAIN && d.encoding != Encoding::PLAIN_DICTIONARY) {
    return Status::Unimplemented("dictionary page encoding " + EncodingName(d.encoding));
  }
  if (col_.physical_type == Type::BOOLEAN) return Status::Corruption("BOOLEAN columns cannot have a dictionary");
  const int32_t size = page.header.uncompressed_page_size;
  if (d.num_values < 0 || static_cast<size_t>(d.num_values) > static_cast<size_t>(size) / MinPlainSize(col_.physical_type)) {
    return Status::Corruption("dictionary claims " + Int(d.num_values) + " values in " + Int(size) + " bytes");
  }
  has_dictionary_ = true;
  dictionary_stored_ = stored;
  dictionary_page_size_ = size;
  dictionary_offset_ = chunk_offset_ + page.offset;
  dictionary_count_ = static_cast<size_t>(d.num_values);
  dictionary_loaded_ = 0;
  return Status::OK();
}

namespace {

// How many whole PLAIN values of `type` the prefix `data` of a dictionary page holds, up to `max`.
size_t PlainValuesIn(std::string_view data, Type type, size_t max) {
  if (type != Type::BYTE_ARRAY) return std::min(max, data.size() / MinPlainSize(type));
  size_t n = 0;
  size_t pos = 0;
  while (n < max && data.size() - pos >= 4) {
    uint32_t len;
    std::memcpy(&len, data.data() + pos, 4);
    if (len > data.size() - pos - 4) break;
    pos += 4 + len;
    ++n;
  }
  return n;
}

}  // namespace

Status ColumnChunkReader::LoadDictionaryEntries(size_t count) {
  if (dictionary_loaded_ >= count || !has_dictionary_) return Status::OK();
  // A prefix pays only for a small share of a large compressed page; anything else is decoded
  // whole, once.
  constexpr int32_t kPrefixMinPageBytes = 256 << 10;
  const bool prefix = pages_.codec() != Codec::kUncompressed && dictionary_page_size_ >= kPrefixMinPageBytes &&
                      count <= dictionary_count_ / 2;
  // The bytes to decompress: the share of the page `count` entries take on average, and more
  // until they are all there.
  uint64_t want = prefix ? static_cast<uint64_t>(static_cast<double>(dictionary_page_size_) *
                                                 static_cast<double>(count) / static_cast<double>(dictionary_count_) * 1.25) +
                               4096
                         : static_cast<uint64_t>(dictionary_page_size_);
  // The entries decoded so far point into dictionary_data_, which is about to be rewritten: until
  // the new decode succeeds there are none.
  dictionary_loaded_ = 0;
  while (true) {
    const bool whole = want >= static_cast<uint64_t>(dictionary_page_size_);
    Result<std::string_view> data =
        pages_.DecompressStored(dictionary_stored_, dictionary_page_size_, want, &dictionary_data_);
    if (!data.ok()) return data.status().WithContext("dictionary page at offset " + Int(dictionary_offset_));
    const size_t n = whole ? dictionary_count_ : PlainValuesIn(*data, col_.physical_type, dictionary_count_);
    if (whole || n >= count) {
      Status st = DecodeDictionary(*data, n);
      if (!st.ok()) return st.WithContext("dictionary page at offset " + Int(dictionary_offset_));
      dictionary_loaded_ = n;
      return Status::OK();
    }
    want *= 2;
  }
}

Status ColumnChunkReader::DecodeDictionary(std::string_view data, size_t n) {
  switch (col_.field.type) {
    case ColumnType::kInt32:
      dict_i32_.resize(n);
      return DecodePlainInt32(data, n, dict_i32_.data());
    case ColumnType::kInt64:
    case ColumnType::kTimestamp:
      dict_i64_.resize(n);
      RETURN_IF_ERROR(DecodePlainInt64(data, n, dict_i64_.data()));
      return col_.field.type == ColumnType::kTimestamp ? ConvertTimestamps(dict_i64_.data(), n) : Status::OK();
    case ColumnType::kDouble:
      dict_f64_.resize(n);
      return DecodePlainDouble(data, n, dict_f64_.data());
    case ColumnType::kString:
      dict_str_.resize(n);
      return DecodePlainByteArray(data, n, dict_str_.data());
    case ColumnType::kBool:
      break;  // rejected by AcceptDictionaryPage
  }
  return Status::OK();
}

Status ColumnChunkReader::DecodeDataPage(const Page& page, int32_t num_values, Column* out) {
  size_t non_null = 0;
  RETURN_IF_ERROR(DecodeLevelsAndValues(page, num_values, false, &non_null));
  Append(static_cast<size_t>(num_values), non_null, out);
  return Status::OK();
}

Status ColumnChunkReader::DecodeLevelsAndValues(const Page& page, int32_t num_values, bool as_indices,
                                                size_t* non_null_out) {
  const PageHeader& h = page.header;
  const size_t n = static_cast<size_t>(num_values);
  std::string_view values = page.data;
  size_t non_null = n;
  if (col_.max_definition_level > 0) {
    levels_.resize(n);
    if (h.type == PageType::DATA_PAGE) {
      if (h.data_page_header->definition_level_encoding != Encoding::RLE) {
        return Status::Unimplemented("definition levels encoded as " +
                                     EncodingName(h.data_page_header->definition_level_encoding));
      }
      size_t consumed = 0;
      RETURN_IF_ERROR(DecodeLengthPrefixedRleHybrid(values, 1, n, levels_.data(), &consumed));
      values.remove_prefix(consumed);
    } else {
      RleHybridDecoder levels(page.v2_definition_levels, 1);
      RETURN_IF_ERROR(levels.Decode(levels_.data(), n));
    }
    non_null = 0;
    uint8_t max_level = 0;
    for (size_t i = 0; i < n; ++i) {
      non_null += levels_[i];
      max_level = std::max(max_level, levels_[i]);
    }
    if (max_level > 1) return Status::Corruption("definition level " + Int(max_level) + " exceeds the maximum of 1");
  }
  if (h.type == PageType::DATA_PAGE_V2 && h.data_page_header_v2->num_nulls != static_cast<int64_t>(n - non_null)) {
    return Status::Corruption("DATA_PAGE_V2 header says " + Int(h.data_page_header_v2->num_nulls) +
                              " nulls, its definition levels hold " + Int(static_cast<int64_t>(n - non_null)));
  }
  const Encoding encoding = h.type == PageType::DATA_PAGE ? h.data_page_header->encoding
                                                          : h.data_page_header_v2->encoding;
  *non_null_out = non_null;
  if (as_indices && IsDictionaryEncoding(encoding)) {
    if (non_null == 0) {
      indices_.clear();
      return has_dictionary_ ? Status::OK()
                             : Status::Corruption("dictionary-encoded page without a dictionary page");
    }
    return DecodeIndices(values, non_null, dictionary_size());
  }
  if (non_null > 0) RETURN_IF_ERROR(DecodeValues(encoding, values, non_null));
  return Status::OK();
}

Status ColumnChunkReader::DecodeIndices(std::string_view values, size_t n, size_t dictionary_size) {
  if (!has_dictionary_) return Status::Corruption("dictionary-encoded page without a dictionary page");
  indices_.resize(n);
  RETURN_IF_ERROR(parquet::DecodeDictionaryIndices(values, n, indices_.data()));
  uint32_t max_index = 0;
  for (size_t i = 0; i < n; ++i) max_index = std::max(max_index, indices_[i]);
  if (max_index >= dictionary_size) {
    return Status::Corruption("dictionary index " + Int(max_index) + " is outside the dictionary of " +
                              Int(static_cast<int64_t>(dictionary_size)) + " values");
  }
  return Status::OK();
}

template <typename T>
Status ColumnChunkReader::DecodeFromDictionary(std::string_view values, size_t n, const std::vector<T>& dictionary,
                                               T* out) {
  RETURN_IF_ERROR(DecodeIndices(values, n, dictionary.size()));
  for (size_t i = 0; i < n; ++i) out[i] = dictionary[indices_[i]];
  return Status::OK();
}

Status ColumnChunkReader::ConvertTimestamps(int64_t* values, size_t n) const {
  if (col_.time_unit == TimeUnit::MICROS) return Status::OK();
  for (size_t i = 0; i < n; ++i) {
    if (!TimestampToMicros(values[i], col_.time_unit, &values[i])) {
      return Status::Corruption("timestamp " + Int(values[i]) + " " + TimeUnitName(col_.time_unit) +
                                " does not fit in int64 microseconds");
    }
  }
  return Status::OK();
}

Status ColumnChunkReader::DecodeValues(Encoding encoding, std::string_view values, size_t n) {
  const bool dict = IsDictionaryEncoding(encoding);
  if (dict) RETURN_IF_ERROR(LoadDictionary());
  switch (col_.field.type) {
    case ColumnType::kBool:
      bool_.resize(n);
      if (encoding == Encoding::PLAIN) return DecodePlainBoolean(values, n, bool_.data());
      if (encoding == Encoding::RLE) {
        size_t consumed = 0;
        return DecodeLengthPrefixedRleHybrid(values, 1, n, bool_.data(), &consumed);
      }
      break;
    case ColumnType::kInt32:
      i32_.resize(n);
      if (encoding == Encoding::PLAIN) return DecodePlainInt32(values, n, i32_.data());
      if (encoding == Encoding::DELTA_BINARY_PACKED) return DecodeDeltaBinaryPacked(values, n, i32_.data());
      if (encoding == Encoding::BYTE_STREAM_SPLIT) return DecodeByteStreamSplitInt32(values, n, i32_.data());
      if (dict) return DecodeFromDictionary(values, n, dict_i32_, i32_.data());
      break;
    case ColumnType::kInt64:
    case ColumnType::kTimestamp:
      i64_.resize(n);
      if (dict) return DecodeFromDictionary(values, n, dict_i64_, i64_.data());  // already in µs
      if (encoding == Encoding::PLAIN) {
        RETURN_IF_ERROR(DecodePlainInt64(values, n, i64_.data()));
      } else if (encoding == Encoding::DELTA_BINARY_PACKED) {
        RETURN_IF_ERROR(DecodeDeltaBinaryPacked(values, n, i64_.data()));
      } else if (encoding == Encoding::BYTE_STREAM_SPLIT) {
        RETURN_IF_ERROR(DecodeByteStreamSplitInt64(values, n, i64_.data()));
      } else {
        break;
      }
      return col_.field.type == ColumnType::kTimestamp ? ConvertTimestamps(i64_.data(), n) : Status::OK();
    case ColumnType::kDouble:
      f64_.resize(n);
      if (encoding == Encoding::PLAIN) return DecodePlainDouble(values, n, f64_.data());
      if (encoding == Encoding::BYTE_STREAM_SPLIT) return DecodeByteStreamSplitDouble(values, n, f64_.data());
      if (dict) return DecodeFromDictionary(values, n, dict_f64_, f64_.data());
      break;
    case ColumnType::kString:
      str_.resize(n);
      if (encoding == Encoding::PLAIN) return DecodePlainByteArray(values, n, str_.data());
      if (encoding == Encoding::DELTA_LENGTH_BYTE_ARRAY) return DecodeDeltaLengthByteArray(values, n, str_.data());
      if (encoding == Encoding::DELTA_BYTE_ARRAY) {
        // The previous page's values are done with: reuse the arena rather than append to it (it
        // grew by the whole chunk, and every page copied all the pages before it when reserving).
        str_arena_.clear();
        return DecodeDeltaByteArray(values, n, &str_arena_, str_.data(), static_cast<uint64_t>(kMaxPageBytes));
      }
      if (dict) return DecodeFromDictionary(values, n, dict_str_, str_.data());
      break;
  }
  return UnsupportedEncoding(encoding, col_);
}

void ColumnChunkReader::Append(size_t num_levels, size_t num_non_null, Column* out) const {
  const bool all_valid = num_non_null == num_levels;
  size_t v = 0;
  // One loop per type keeps the type dispatch out of the per-value path.
  const auto scatter = [&](auto&& append_value) {
    for (size_t i = 0; i < num_levels; ++i) {
      if (all_valid || levels_[i] != 0) {
        append_value(v++);
      } else {
        out->AppendNull();
      }
    }
  };
  switch (col_.field.type) {
    case ColumnType::kBool: scatter([&](size_t k) { out->AppendBool(bool_[k] != 0); }); break;
    case ColumnType::kInt32: scatter([&](size_t k) { out->AppendInt32(i32_[k]); }); break;
    case ColumnType::kInt64: scatter([&](size_t k) { out->AppendInt64(i64_[k]); }); break;
    case ColumnType::kTimestamp: scatter([&](size_t k) { out->AppendTimestamp(i64_[k]); }); break;
    case ColumnType::kDouble: scatter([&](size_t k) { out->AppendDouble(f64_[k]); }); break;
    case ColumnType::kString: scatter([&](size_t k) { out->AppendString(str_[k]); }); break;
  }
}

void ColumnChunkReader::AppendRange(size_t num_levels, size_t num_non_null, size_t from, size_t to, bool as_indices,
                                    PageCursor* cursor, Column* out) const {
  const bool all_valid = num_non_null == num_levels;
  // v: index among the page's non-null values of the value at `from`.
  size_t v = from;
  if (!all_valid) {
    v = cursor->value;
    for (size_t i = cursor->level; i < from; ++i) v += levels_[i];
  }
  const auto scatter = [&](auto&& append_value) {
    for (size_t i = from; i < to; ++i) {
      if (all_valid || levels_[i] != 0) {
        append_value(v++);
      } else {
        out->AppendNull();
      }
    }
  };
  if (as_indices) {
    switch (col_.field.type) {
      case ColumnType::kInt32: scatter([&](size_t k) { out->AppendInt32(dict_i32_[indices_[k]]); }); break;
      case ColumnType::kInt64: scatter([&](size_t k) { out->AppendInt64(dict_i64_[indices_[k]]); }); break;
      case ColumnType::kTimestamp: scatter([&](size_t k) { out->AppendTimestamp(dict_i64_[indices_[k]]); }); break;
      case ColumnType::kDouble: scatter([&](size_t k) { out->AppendDouble(dict_f64_[indices_[k]]); }); break;
      case ColumnType::kString: scatter([&](size_t k) { out->AppendString(dict_str_[indices_[k]]); }); break;
      case ColumnType::kBool: break;  // never dictionary-encoded (AcceptDictionaryPage)
    }
  } else {
    switch (col_.field.type) {
      case ColumnType::kBool: scatter([&](size_t k) { out->AppendBool(bool_[k] != 0); }); break;
      case ColumnType::kInt32: scatter([&](size_t k) { out->AppendInt32(i32_[k]); }); break;
      case ColumnType::kInt64: scatter([&](size_t k) { out->AppendInt64(i64_[k]); }); break;
      case ColumnType::kTimestamp: scatter([&](size_t k) { out->AppendTimestamp(i64_[k]); }); break;
      case ColumnType::kDouble: scatter([&](size_t k) { out->AppendDouble(f64_[k]); }); break;
      case ColumnType::kString: scatter([&](size_t k) { out->AppendString(str_[k]); }); break;
    }
  }
  cursor->level = to;
  cursor->value = v;
}

}  // namespace loglake::parquet
