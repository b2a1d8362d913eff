#include "parquet/column_writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string_view>
#include <type_traits>
#include <vector>

#include "parquet/byte_buffer.h"
#include "parquet/encoding/bit_util.h"
#include "parquet/encoding/delta_binary_packed.h"
#include "parquet/encoding/delta_byte_array.h"
#include "parquet/encoding/dictionary.h"
#include "parquet/encoding/plain.h"
#include "parquet/encoding/rle_hybrid.h"
#include "parquet/writer.h"

namespace loglake::parquet {
namespace {

// ---------------------------------------------------------------------------------------------
// Per-type policies: how to read a value from a Column, encode it, order it and hash it.

struct NoDictionary {};

template <typename T, Type kType>
struct NumericPolicy {
  using Value = T;
  using Stat = T;
  using Dict = NumericDictionary<T>;
  static constexpr Type kPhysical = kType;
  static constexpr bool kDictionary = true;
  static constexpr bool kIsString = false;
  static constexpr bool kIsBool = false;
  static constexpr bool kIsDouble = std::is_same_v<T, double>;
  static constexpr bool kIsInteger = !kIsDouble;

  static const T* Source(const Column& c) {
    if constexpr (std::is_same_v<T, int32_t>) {
      return c.int32_values().data();
    } else if constexpr (std::is_same_v<T, int64_t>) {
      return c.int64_values().data();
    } else {
      return c.double_values().data();
    }
  }
  static T At(const T* src, size_t i) { return src[i]; }
  static size_t PlainSize(T) { return sizeof(T); }
  static uint64_t Hash(T v) { return BloomFilter::Hash(v); }
  static bool Less(T a, T b) { return a < b; }
  // The specification asks for a zero minimum to be written as -0.0 and a zero maximum as +0.0,
  // so that readers need not know which zeros the column holds.
  static std::string EncodeMin(T v) {
    if constexpr (kIsDouble) {
      if (v == 0) v = -0.0;
    }
    return std::string(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  static std::string EncodeMax(T v) {
    if constexpr (kIsDouble) {
      if (v == 0) v = 0.0;
    }
    return std::string(reinterpret_cast<const char*>(&v), sizeof(T));
  }
};

using Int32Policy = NumericPolicy<int32_t, Type::INT32>;
using Int64Policy = NumericPolicy<int64_t, Type::INT64>;
using DoublePolicy = NumericPolicy<double, Type::DOUBLE>;

struct BoolPolicy {
  using Value = bool;
  using Stat = bool;
  using Dict = NoDictionary;
  static constexpr Type kPhysical = Type::BOOLEAN;
  static constexpr bool kDictionary = false;
  static constexpr bool kIsString = false;
  static constexpr bool kIsBool = true;
  static constexpr bool kIsDouble = false;
  static constexpr bool kIsInteger = false;

  static const uint8_t* Source(const Column& c) { return c.bool_values().data(); }
  static bool At(const uint8_t* src, size_t i) { return src[i] != 0; }
  static size_t PlainSize(bool) { return 1; }
  static uint64_t Hash(bool v) { return BloomFilter::Hash(std::string_view(v ? "\x01" : "\x00", 1)); }
  static bool Less(bool a, bool b) { return a < b; }
  static std::string EncodeMin(bool v) { return std::string(1, v ? '\x01' : '\x00'); }
  static std::string EncodeMax(bool v) { return EncodeMin(v); }
};

// Cuts `v` to at most kMaxStatBytes without splitting a UTF-8 sequence; the result is a lower
// bound of v. *exact tells whether nothing was cut.
std::string TruncateMin(std::string_view v, bool* exact) {
  *exact = v.size() <= kMaxStatBytes;
  if (*exact) return std::string(v);
  size_t cut = kMaxStatBytes;
  while (cut > 0 && (static_cast<uint8_t>(v[cut]) & 0xC0) == 0x80) --cut;
  return std::string(v.substr(0, cut));
}

// An upper bound of `v` of at most kMaxStatBytes: a prefix whose last ASCII byte below 0x7f is
// incremented (so the bound stays valid UTF-8). When no such byte exists, `v` itself.
std::string TruncateMax(std::string_view v, bool* exact) {
  *exact = true;
  if (v.size() <= kMaxStatBytes) return std::string(v);
  for (size_t p = kMaxStatBytes; p-- > 0;) {
    const uint8_t b = static_cast<uint8_t>(v[p]);
    if (b < 0x7f) {
      std::string bound(v.substr(0, p));
      bound.push_back(static_cast<char>(b + 1));
      *exact = false;
      return bound;
    }
  }
  return std::string(v);
}

struct StringPolicy {
  using Value = std::string_view;
  using Stat = std::string;
  using Dict = StringDictionary;
  static constexpr Type kPhysical = Type::BYTE_ARRAY;
  static constexpr bool kDictionary = true;
  static constexpr bool kIsString = true;
  static constexpr bool kIsBool = false;
  static constexpr bool kIsDouble = false;
  static constexpr bool kIsInteger = false;

  struct Src {
    const uint64_t* offsets;
    const char* data;
    const char* end;  // of data
  };
  static Src Source(const Column& c) {
    const auto& data = c.string_data();
    return {c.string_offsets().data(), data.data(), data.data() + data.size()};
  }
  static std::string_view At(Src s, size_t i) {
    return std::string_view(s.data + s.offsets[i], s.offsets[i + 1] - s.offsets[i]);
  }
  static size_t PlainSize(std::string_view v) { return 4 + v.size(); }
  static uint64_t Hash(std::string_view v) { return BloomFilter::Hash(v); }
  // Unsigned bytewise, the order the STRING logical type specifies (std::string_view compares
  // with memcmp). Bounds of PLAIN columns compare every value twice, and the first byte decides
  // most comparisons of ids and hashes: those skip the memcmp call.
  static bool Less(std::string_view a, std::string_view b) {
    if (!a.empty() && !b.empty() && a[0] != b[0]) {
      return static_cast<uint8_t>(a[0]) < static_cast<uint8_t>(b[0]);
    }
    return a < b;
  }
};

// How many values ahead dictionary lookups prefetch: far enough to cover a memory access, near
// enough that the prefetched lines are still cached when used.
constexpr size_t kPrefetchSlotAhead = 16;
constexpr size_t kPrefetchEntryAhead = 8;
// Rows in the page that decides a chunk's encoding, at most (see PageFull).
constexpr uint64_t kMaxSampleRows = 256 * 1024;
// After this many values of the sample, a column whose values are (nearly) all distinct so far
// (ids, uuids, timestamps) is taken PLAIN at once: a dictionary would hold every value plus the
// indices, and filling then unwinding it over the whole sample costs a hash insert per value.
// The page still ends where the sample would have (PageFull).
constexpr size_t kEarlyDecisionValues = 8192;
// An abandoned dictionary's hash table up to this size is kept for the next chunk (ConvertOpenPageToPlain).
constexpr size_t kKeptAbandonedTableBytes = 1 << 20;
// Dictionaries stay far below the 2 GiB a dictionary page can hold.
constexpr uint64_t kMaxDictionaryBytes = uint64_t{1} << 30;

// The pages of a column chunk, in blocks of 1 MiB: appending never moves buffered bytes (a
// growing string would copy them at every doubling), and the blocks stay allocated for the next
// row group, so a file's later row groups reuse memory the kernel has already mapped.
class ChunkBuffer {
 public:
  void Append(std::string_view data) {
    while (!data.empty()) {
      const size_t block = size_ / kBlockBytes;
      const size_t offset = size_ % kBlockBytes;
      if (block == blocks_.size()) blocks_.push_back(std::make_unique_for_overwrite<char[]>(kBlockBytes));
      const size_t n = std::min(data.size(), kBlockBytes - offset);
      std::memcpy(blocks_[block].get() + offset, data.data(), n);
      size_ += n;
      data.remove_prefix(n);
    }
  }
  Status WriteTo(WritableFile* file) const {
    for (size_t done = 0, block = 0; done < size_; ++block) {
      const size_t n = std::min(kBlockBytes, size_ - done);
      RETURN_IF_ERROR(file->Append(std::string_view(blocks_[block].get(), n)));
      done += n;
    }
    return Status::OK();
  }
  size_t size() const { return size_; }
  void Clear() { size_ = 0; }

 private:
  static constexpr size_t kBlockBytes = 1 << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t size_ = 0;
};

// ---------------------------------------------------------------------------------------------

template <typename P>
class TypedColumnWriter final : public ColumnWriter {
  using V = typename P::Value;
  using Stat = typename P::Stat;

 public:
  TypedColumnWriter(const Field& field, bool bloom, const WriterOptions& options, Compressor* compressor,
                    uint32_t dictionary_hint) {
    name_ = field.name;
    nullable_ = field.nullable;
    bloom_ = bloom;
    bloom_fpp_ = options.bloom_fpp;
    page_rows_limit_ = options.page_rows;
    page_bytes_limit_ = options.page_bytes;
    dict_bytes_limit_ = std::min(options.dictionary_bytes_limit, kMaxDictionaryBytes);
    min_compression_saving_ = options.min_compression_saving;
    delta_encodings_ = options.delta_encodings;
    if constexpr (P::kIsInteger) {
      if (delta_encodings_) fallback_encoding_ = Encoding::DELTA_BINARY_PACKED;
    }
    compressor_ = compressor;
    Reset();
    if constexpr (P::kDictionary) dict_.Reserve(dictionary_hint);
  }

  // Rows are encoded in runs: a run ends after the row at which the writer must decide
  // something (the page is full, the dictionary outgrew its limit, the early encoding decision is
  // due); AfterRun() takes that decision exactly as if it were checked after every row. Within a
  // run, the loops keep their counters and bounds in locals and store values through raw pointers.
  Status Append(const Column& column, size_t begin, size_t end) override {
    const auto src = P::Source(column);
    const uint8_t* valid = nullable_ ? column.validity().data() : nullptr;
    if constexpr (P::kIsString) {
      // Hash the slice up front so that dictionary slots can be prefetched ahead of the lookups
      // (null rows hash their empty value; it is never looked up).
      if (dict_mode_) {
        hashes_.resize(end - begin);
        for (size_t i = begin; i < end; ++i) hashes_[i - begin] = StringDictionary::Hash(P::At(src, i));
      }
    }
    size_t i = begin;
    while (i < end) {
      size_t stop;
      if constexpr (P::kDictionary) {
        stop = dict_mode_ ? DictRun(src, valid, begin, i, end) : PlainRun(src, valid, i, end);
      } else {
        stop = PlainRun(src, valid, i, end);
      }
      if (nullable_) levels_.Append(valid + i, stop - i);
      i = stop;
      RETURN_IF_ERROR(AfterRun());
    }
    return Status::OK();
  }

  uint64_t buffered_bytes() const override {
    uint64_t bytes =
        chunk_uncompressed_ + levels_.size() + indices_.size() * 4 + plain_.size() + bools_.size();
    if constexpr (P::kDictionary) bytes += dict_.plain_size();
    return bytes;
  }

  Status WriteChunk(WritableFile* file, WrittenChunk* out, bool last) override {
    RETURN_IF_ERROR(FinishPage());
    const uint64_t chunk_start = file->Tell();
    ColumnMetaData md;
    md.type = P::kPhysical;
    md.path_in_schema = {name_};
    md.codec = ToThrift(chunk_codec_);
    md.num_values = static_cast<int64_t>(chunk_rows_);
    int64_t uncompressed = static_cast<int64_t>(chunk_uncompressed_);
    int64_t compressed = static_cast<int64_t>(chunk_data_.size());
    std::vector<PageEncodingStats> encoding_stats;
    bool has_dict = false;
    if constexpr (P::kDictionary) {
      has_dict = dict_pages_ > 0;
      if (has_dict) {
        std::string_view dict_page;
        if constexpr (P::kIsString) {
          dict_page = dict_.plain();  // kept PLAIN-encoded all along
        } else {
          body_.clear();
          dict_.AppendPlain(&body_);
          dict_page = body_;
        }
        RETURN_IF_ERROR(CheckPageSize(dict_page.size()));
        ASSIGN_OR_RETURN(const std::string_view compressed_dict, CompressForChunk(dict_page));
        PageHeader header;
        header.type = PageType::DICTIONARY_PAGE;
        header.uncompressed_page_size = static_cast<int32_t>(dict_page.size());
        header.compressed_page_size = static_cast<int32_t>(compressed_dict.size());
        DictionaryPageHeader dict_header;
        dict_header.num_values = static_cast<int32_t>(dict_.size());
        dict_header.encoding = Encoding::PLAIN;
        header.dictionary_page_header = dict_header;
        std::string header_bytes;
        SerializeTo(header, &header_bytes);
        RETURN_IF_ERROR(file->Append(header_bytes));
        RETURN_IF_ERROR(file->Append(compressed_dict));
        md.dictionary_page_offset = static_cast<int64_t>(chunk_start);
        uncompressed += static_cast<int64_t>(header_bytes.size() + dict_page.size());
        compressed += static_cast<int64_t>(header_bytes.size() + compressed_dict.size());
        md.encodings.push_back(Encoding::PLAIN);  // the dictionary page
        md.encodings.push_back(Encoding::RLE_DICTIONARY);
        encoding_stats.push_back({PageType::DICTIONARY_PAGE, Encoding::PLAIN, 1});
        encoding_stats.push_back(
            {PageType::DATA_PAGE, Encoding::RLE_DICTIONARY, static_cast<int32_t>(dict_pages_)});
      }
    }
    if (plain_pages_ > 0) {
      if (!has_dict || fallback_encoding_ != Encoding::PLAIN) md.encodings.push_back(fallback_encoding_);
      encoding_stats.push_back({PageType::DATA_PAGE, fallback_encoding_, static_cast<int32_t>(plain_pages_)});
    }
    if (nullable_) md.encodings.push_back(Encoding::RLE);  // definition levels
    const uint64_t data_offset = file->Tell();
    RETURN_IF_ERROR(chunk_data_.WriteTo(file));
    md.data_page_offset = static_cast<int64_t>(data_offset);
    md.total_uncompressed_size = uncompressed;
    md.total_compressed_size = compressed;
    md.encoding_stats = std::move(encoding_stats);
    md.statistics = ChunkStatistics(has_dict);

    out->chunk = ColumnChunk();
    out->chunk.file_offset = static_cast<int64_t>(chunk_start);
    out->chunk.meta_data = std::move(md);
    out->offset_index.page_locations = locations_;
    for (PageLocation& loc : out->offset_index.page_locations) {
      loc.offset += static_cast<int64_t>(data_offset);
    }
    out->column_index = BuildColumnIndex();
    out->bloom.reset();
    if (bloom_) out->bloom = BuildBloomFilter(has_dict);
    if constexpr (P::kDictionary) {
      if (has_dict) largest_dictionary_ = std::max(largest_dictionary_, static_cast<uint32_t>(dict_.size()));
    }
    Reset(/*reuse=*/!last);
    return Status::OK();
  }

  uint32_t largest_dictionary() const override { return largest_dictionary_; }

 private:
  static constexpr uint64_t kNoLimit = std::numeric_limits<uint64_t>::max();

  // When the open page is full (see PageFull), in counts a run can watch: the page is full after
  // a row that brings it to `rows` rows (`rows_without_values` while it holds only nulls), to
  // `plain_bytes` bytes of PLAIN-encoded values (booleans: values), or to `values` non-null values.
  struct PageCaps {
    uint64_t rows_without_values;
    uint64_t rows;
    uint64_t plain_bytes;
    uint64_t values;
  };

  bool InSample() const { return (dict_mode_ || plain_sample_) && dict_pages_ == 0; }

  PageCaps Caps() const {
    PageCaps c;
    if (InSample()) {
      c.rows_without_values = page_rows_limit_;
      c.rows = std::max(page_rows_limit_, kMaxSampleRows);
      c.plain_bytes = page_bytes_limit_;
      // The early encoding decision is due at kEarlyDecisionValues values.
      c.values = dict_mode_ && indices_.size() < kEarlyDecisionValues ? kEarlyDecisionValues : kNoLimit;
    } else {
      c.rows_without_values = c.rows = page_rows_limit_;
      if (dict_mode_) {
        c.plain_bytes = kNoLimit;
        c.values = IndexCap();
      } else {
        c.plain_bytes = P::kIsBool ? page_bytes_limit_ * 8 : page_bytes_limit_;
        c.values = kNoLimit;
      }
    }
    return c;
  }

  // Indices at which a dictionary page reaches page_bytes at the current index width.
  uint64_t IndexCap() const {
    const uint64_t width = static_cast<uint64_t>(IndexWidth());
    return (page_bytes_limit_ * 8 + width - 1) / width;
  }

  // What used to follow every row: leave the dictionary when it is too large, take the early
  // encoding decision when due, finish the page when full. Idempotent.
  Status AfterRun() {
    if constexpr (P::kDictionary) {
      if (dict_mode_) {
        if (dict_.plain_size() > dict_bytes_limit_) {
          RETURN_IF_ERROR(LeaveDictionary());
        } else if (dict_pages_ == 0 && indices_.size() == kEarlyDecisionValues && NearlyAllDistinct()) {
          ConvertOpenPageToPlain();
          plain_sample_ = true;
        }
      }
    }
    if (PageFull()) RETURN_IF_ERROR(FinishPage());
    return Status::OK();
  }

  // Dictionary-encodes rows [i, end) until a decision point; returns the row after the last one
  // encoded. hashes_[r - begin] is the hash of row r (strings).
  template <typename Src>
  size_t DictRun(Src src, const uint8_t* valid, size_t begin, size_t i, size_t end) {
    const PageCaps caps = Caps();
    const bool sample = InSample();
    uint64_t values_cap = caps.values;
    uint64_t rows = page_rows_;
    uint64_t nulls = page_nulls_;
    uint64_t plain_bytes = page_plain_bytes_;
    size_t n_indices = indices_.size();
    indices_.resize(n_indices + (end - i));
    uint32_t* indices = indices_.data();
    size_t dict_size = dict_.size();
    [[maybe_unused]] Bounds bounds = LoadBounds();
    [[maybe_unused]] const uint64_t* hashes = nullptr;
    [[maybe_unused]] size_t n_hashes = 0;
    if constexpr (P::kIsString) {
      hashes = hashes_.data();
      n_hashes = hashes_.size();
    }
    size_t j = i;
    while (j < end) {
      const size_t row = j++;
      ++rows;
      if (valid != nullptr && !valid[row]) {
        ++nulls;
        if (rows >= (rows > nulls ? caps.rows : caps.rows_without_values)) break;
        continue;
      }
      const V v = P::At(src, row);
      uint32_t index;
      if constexpr (P::kIsString) {
        const size_t k = row - begin;
        if (k + kPrefetchSlotAhead < n_hashes) dict_.PrefetchSlot(hashes[k + kPrefetchSlotAhead]);
        if (k + kPrefetchEntryAhead < n_hashes) dict_.PrefetchEntry(hashes[k + kPrefetchEntryAhead]);
        index = dict_.Insert(v, hashes[k]);
      } else {
        if (row + kPrefetchSlotAhead < end) dict_.Prefetch(P::At(src, row + kPrefetchSlotAhead));
        index = dict_.Insert(v);
        bounds.Update(v);  // string bounds are computed per page from the distinct indices instead
      }
      indices[n_indices++] = index;
      plain_bytes += P::PlainSize(v);
      if (index == dict_size) {  // a new entry
        ++dict_size;
        if (dict_.plain_size() > dict_bytes_limit_) break;
        if (!sample && ((dict_size - 1) & (dict_size - 2)) == 0) values_cap = IndexCap();  // width grew
      }
      if (rows >= caps.rows || plain_bytes >= caps.plain_bytes || n_indices >= values_cap) break;
    }
    indices_.resize(n_indices);
    page_rows_ = rows;
    page_nulls_ = nulls;
    page_plain_bytes_ = plain_bytes;
    if constexpr (!P::kIsString) StoreBounds(bounds);
    return j;
  }

  // PLAIN-encodes rows [i, end) until the page is full; returns the row after the last one encoded.
  template <typename Src>
  size_t PlainRun(Src src, const uint8_t* valid, size_t i, size_t end) {
    const PageCaps caps = Caps();
    uint64_t rows = page_rows_;
    uint64_t nulls = page_nulls_;
    uint64_t plain_bytes = page_plain_bytes_;
    Bounds bounds = LoadBounds();
    size_t n_hashes = bloom_hashes_.size();
    if (bloom_) bloom_hashes_.resize(n_hashes + (end - i));
    uint64_t* hashes = bloom_hashes_.data();
    [[maybe_unused]] char* out = nullptr;
    [[maybe_unused]] const char* src_end = nullptr;
    if constexpr (P::kIsString) {
      // Worst case: every row a value. 16 bytes of slack for CopyValue's wide stores.
      plain_.Reserve(src.offsets[end] - src.offsets[i] + 4 * (end - i) + 16);
      out = plain_.end();
      src_end = src.end;
    } else if constexpr (P::kIsBool) {
      bools_.reserve(bools_.size() + (end - i));
    } else {
      plain_.Reserve(sizeof(V) * (end - i));
      out = plain_.end();
    }
    size_t j = i;
    while (j < end) {
      const size_t row = j++;
      ++rows;
      if (valid != nullptr && !valid[row]) {
        ++nulls;
        if (rows >= (rows > nulls ? caps.rows : caps.rows_without_values)) break;
        continue;
      }
      const V v = P::At(src, row);
      if constexpr (P::kIsString) {
        const uint32_t length = static_cast<uint32_t>(v.size());
        std::memcpy(out, &length, 4);
        CopyValue(out + 4, v, src_end);
        out += 4 + length;
      } else if constexpr (P::kIsBool) {
        bools_.push_back(v ? 1 : 0);
      } else {
        std::memcpy(out, &v, sizeof(V));
        out += sizeof(V);
      }
      plain_bytes += P::PlainSize(v);
      bounds.Update(v);
      if (bloom_) hashes[n_hashes++] = P::Hash(v);
      if (rows >= caps.rows || plain_bytes >= caps.plain_bytes) break;
    }
    if constexpr (!P::kIsBool) plain_.set_size(static_cast<size_t>(out - plain_.data()));
    if (bloom_) bloom_hashes_.resize(n_hashes);
    page_rows_ = rows;
    page_nulls_ = nulls;
    page_plain_bytes_ = plain_bytes;
    StoreBounds(bounds);
    return j;
  }

  // Copies a string value to `dst`, which has 16 bytes of slack: short values (most of them) move
  // in 16-byte blocks when the source has as many readable bytes, instead of a call to memcpy.
  static void CopyValue(char* dst, std::string_view v, const char* src_end) {
    const char* s = v.data();
    const size_t n = v.size();
    if (n <= 32 && static_cast<size_t>(src_end - s) >= 32) {
      std::memcpy(dst, s, 16);
      if (n > 16) std::memcpy(dst + 16, s + 16, 16);
    } else if (n > 0) {
      std::memcpy(dst, s, n);
    }
  }

  // Widens the bounds (*has, *min, *max) to include v. B is V (a run's local bounds) or Stat (the
  // page's own, which ScanIndices widens directly: a string is copied only when it is a new bound).
  template <typename B>
  static void Widen(const V& v, bool* has, B* min, B* max) {
    if constexpr (P::kIsDouble) {
      // NaN has no place in an order; bounds skip it (a page of only NaNs is handled in FinishPage).
      if (std::isnan(v)) return;
    }
    if (!*has) {
      *min = v;
      *max = v;
      *has = true;
    } else if (P::Less(v, *min)) {
      *min = v;
    } else if (P::Less(*max, v)) {
      *max = v;
    }
  }

  // The open page's bounds while a run updates them: V values (string views into the column or
  // into page_min_/page_max_), stored back as Stat at the end of the run.
  struct Bounds {
    bool has = false;
    V min{};
    V max{};
    void Update(const V& v) { Widen(v, &has, &min, &max); }
  };
  Bounds LoadBounds() const {
    Bounds b;
    b.has = page_has_bounds_;
    if (b.has) {
      b.min = V(page_min_);
      b.max = V(page_max_);
    }
    return b;
  }
  void StoreBounds(const Bounds& b) {
    if (!b.has) return;
    if constexpr (P::kIsString) {
      // Views into page_min_/page_max_ themselves mean "unchanged".
      if (b.min.data() != page_min_.data()) page_min_.assign(b.min);
      if (b.max.data() != page_max_.data()) page_max_.assign(b.max);
    } else {
      page_min_ = b.min;
      page_max_ = b.max;
    }
    page_has_bounds_ = true;
  }

  // Bit width of dictionary indices for the current dictionary size (at least 1).
  int IndexWidth() const {
    if constexpr (P::kDictionary) {
      return std::max(1, BitWidth(dict_.size() > 0 ? dict_.size() - 1 : 0));
    } else {
      return 1;
    }
  }

  bool PageFull() const {
    if ((dict_mode_ || plain_sample_) && dict_pages_ == 0) {
      // The first dictionary page decides whether the chunk keeps its dictionary (FinishPage), on
      // as large a sample as a page allows: it ends at page_bytes of PLAIN-equivalent values (the
      // size it has if it is re-encoded PLAIN), not at page_rows. A 20k-row sample undervalues
      // dictionaries whose values keep repeating over the chunk (rounded latencies, client IPs).
      // A sample taken PLAIN early still ends where the dictionary sample would have: the early
      // decision saves work, it does not change the file.
      if (page_nulls_ == page_rows_) return page_rows_ >= page_rows_limit_;  // no sample yet
      // page_plain_bytes_: the values' PLAIN size, whether the page holds them PLAIN or not.
      return page_plain_bytes_ >= page_bytes_limit_ ||
             page_rows_ >= std::max(page_rows_limit_, kMaxSampleRows);
    }
    if (page_rows_ >= page_rows_limit_) return true;
    if (dict_mode_) return indices_.size() * IndexWidth() >= page_bytes_limit_ * 8;
    return plain_.size() + bools_.size() / 8 >= page_bytes_limit_;
  }

  // Re-encodes the open page's dictionary indices as PLAIN values and drops the dictionary.
  // Only valid while no dictionary-encoded page has been emitted in this chunk.
  void ConvertOpenPageToPlain() {
    if constexpr (P::kDictionary) {
      Bounds bounds = LoadBounds();
      const size_t n = indices_.size();
      size_t n_hashes = bloom_hashes_.size();
      if (bloom_) bloom_hashes_.resize(n_hashes + n);
      if constexpr (P::kIsString) {
        plain_.Reserve(page_plain_bytes_);
        for (uint32_t idx : indices_) {
          plain_.Append(dict_.plain_value(idx));  // length prefix and bytes
          const std::string_view v = dict_.value(idx);
          bounds.Update(v);
          if (bloom_) bloom_hashes_[n_hashes++] = P::Hash(v);
        }
      } else {
        char* out = plain_.Extend(n * sizeof(V));
        for (size_t k = 0; k < n; ++k) {
          const V v = dict_.value(indices_[k]);
          std::memcpy(out + k * sizeof(V), &v, sizeof(V));
          bounds.Update(v);
          if (bloom_) bloom_hashes_[n_hashes++] = P::Hash(v);
        }
      }
      StoreBounds(bounds);
      indices_.clear();
      // Abandoned. A small table is kept for the file's next row group: a column of ids abandons
      // its dictionary after the first kEarlyDecisionValues values of every chunk, and would
      // otherwise regrow it from the initial size each time. A large one is freed.
      if (dict_.table_bytes() <= kKeptAbandonedTableBytes) {
        dict_.Clear();
      } else {
        dict_.Release();
      }
      dict_mode_ = false;
    }
  }

  // The dictionary passed its size limit: switch the rest of the chunk to PLAIN.
  Status LeaveDictionary() {
    if (dict_pages_ == 0) {
      ConvertOpenPageToPlain();
      return Status::OK();
    }
    RETURN_IF_ERROR(FinishPage());  // the open page keeps its dictionary encoding
    dict_mode_ = false;
    return Status::OK();
  }

  // At least 99% of the values so far are distinct.
  bool NearlyAllDistinct() const {
    if constexpr (P::kDictionary) {
      return dict_.size() * 100 >= indices_.size() * 99;
    } else {
      return false;
    }
  }

  // Whether the first page is smaller dictionary-encoded (dictionary included) than in the
  // fallback encoding: PLAIN, or for integers the DELTA_BINARY_PACKED form of the same values,
  // encoded here to be measured (once a chunk). Sizes and byte counts of an access log are
  // random enough for their dictionary to lose to the deltas (bytes_sent: -22%).
  bool DictionaryPaysOff() {
    if constexpr (P::kDictionary) {
      const uint64_t dict_encoded = dict_.plain_size() + indices_.size() * IndexWidth() / 8;
      if constexpr (P::kIsInteger) {
        if (fallback_encoding_ == Encoding::DELTA_BINARY_PACKED && dict_encoded < page_plain_bytes_) {
          std::vector<V> values(indices_.size());
          for (size_t k = 0; k < values.size(); ++k) values[k] = dict_.value(indices_[k]);
          body_.clear();
          AppendDeltaBinaryPacked(values.data(), values.size(), &body_);
          return dict_encoded < body_.size();
        }
      }
      return dict_encoded < page_plain_bytes_;
    } else {
      return false;
    }
  }

  // The open page's definition levels in the v1 form. A page without nulls (or without values) is
  // one RLE run, written directly rather than found by scanning the levels.
  void AppendLevels() {
    const uint64_t n = levels_.size();
    if (n >= 8 && (page_nulls_ == 0 || page_nulls_ == n)) {
      std::string run;
      AppendUleb128(&run, n << 1);
      run.push_back(page_nulls_ == 0 ? 1 : 0);
      AppendLE<uint32_t>(&body_, static_cast<uint32_t>(run.size()));
      body_.append(run);
      return;
    }
    AppendLengthPrefixedRleHybrid(reinterpret_cast<const uint8_t*>(levels_.data()), n, 1, &body_);
  }

  static Status CheckPageSize(size_t bytes) {
    if (bytes > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
      return Status::InvalidArgument("a Parquet page cannot hold " + std::to_string(bytes) +
                                     " bytes (values over 2 GiB cannot be written)");
    }
    return Status::OK();
  }

  Status FinishPage() {
    if (page_rows_ == 0) return Status::OK();
    if constexpr (P::kDictionary) {
      if (dict_mode_ && dict_pages_ == 0 && !indices_.empty() && !DictionaryPaysOff()) {
        ConvertOpenPageToPlain();
      }
    }
    const bool use_dict = dict_mode_ && !indices_.empty();
    int index_width = 0;
    if constexpr (P::kDictionary) {
      if (use_dict) index_width = ScanIndices();
    }
    if constexpr (P::kIsDouble) {
      if (!page_has_bounds_ && page_nulls_ < page_rows_) {
        // Only NaNs: the page index still needs bounds for a page that is not all null.
        page_min_ = page_max_ = std::numeric_limits<double>::quiet_NaN();
        page_has_bounds_ = true;
        page_nan_bounds_ = true;
      }
    }

    Encoding encoding = Encoding::PLAIN;
    std::string_view page = EncodePage(use_dict, index_width, &encoding);
    RETURN_IF_ERROR(CheckPageSize(page.size()));
    // The chunk's first data page decides its codec (see writer.h): values the codec barely
    // shrinks are stored raw, and the chunk's later pages skip the compressor. A first page of
    // nulls only (levels, a few bytes no codec shrinks) says nothing about the values to come:
    // the chunk keeps the codec.
    if (!codec_decided_) {
      codec_decided_ = true;
      if (!use_dict && page_nulls_ < page_rows_) {
        ASSIGN_OR_RETURN(const double ratio, CompressionRatioOfSample(page));
        const Encoding raw = RawEncodingForChunk(ratio, page.size());
        if (raw != Encoding::PLAIN || CompressionNotWorthIt(ratio)) chunk_codec_ = Codec::kUncompressed;
        if (raw != Encoding::PLAIN) {
          fallback_encoding_ = raw;
          page = EncodePage(false, 0, &encoding);
          RETURN_IF_ERROR(CheckPageSize(page.size()));
        }
      }
    }
    ASSIGN_OR_RETURN(const std::string_view compressed, CompressForChunk(page));
    RETURN_IF_ERROR(CheckPageSize(compressed.size()));

    PageHeader header;
    header.type = PageType::DATA_PAGE;
    header.uncompressed_page_size = static_cast<int32_t>(page.size());
    header.compressed_page_size = static_cast<int32_t>(compressed.size());
    DataPageHeader data_header;
    data_header.num_values = static_cast<int32_t>(page_rows_);
    data_header.encoding = encoding;
    data_header.definition_level_encoding = Encoding::RLE;
    data_header.repetition_level_encoding = Encoding::RLE;
    header.data_page_header = data_header;
    const size_t offset = chunk_data_.size();
    header_bytes_.clear();
    SerializeTo(header, &header_bytes_);
    const size_t header_size = header_bytes_.size();
    chunk_data_.Append(header_bytes_);
    chunk_data_.Append(compressed);
    locations_.push_back(PageLocation{static_cast<int64_t>(offset),
                                      static_cast<int32_t>(chunk_data_.size() - offset),
                                      static_cast<int64_t>(chunk_rows_)});
    chunk_uncompressed_ += header_size + page.size();
    if (use_dict) {
      ++dict_pages_;
    } else {
      ++plain_pages_;
    }

    // Page index entry and chunk bounds.
    const bool null_page = page_nulls_ == page_rows_;
    page_null_.push_back(null_page);
    page_null_counts_.push_back(static_cast<int64_t>(page_nulls_));
    if constexpr (P::kIsString) {
      bool exact;
      page_mins_.push_back(null_page ? std::string() : TruncateMin(page_min_, &exact));
      page_maxs_.push_back(null_page ? std::string() : TruncateMax(page_max_, &exact));
    } else {
      page_mins_.push_back(null_page ? Stat() : page_min_);
      page_maxs_.push_back(null_page ? Stat() : page_max_);
    }
    if (page_nan_bounds_) any_nan_bounds_ = true;
    if (page_has_bounds_ && !page_nan_bounds_) {
      if (!chunk_has_bounds_) {
        chunk_min_ = page_min_;
        chunk_max_ = page_max_;
        chunk_has_bounds_ = true;
      } else {
        if (P::Less(page_min_, chunk_min_)) chunk_min_ = page_min_;
        if (P::Less(chunk_max_, page_max_)) chunk_max_ = page_max_;
      }
    }
    chunk_rows_ += page_rows_;
    chunk_nulls_ += page_nulls_;

    levels_.clear();
    indices_.clear();
    plain_.clear();
    bools_.clear();
    page_rows_ = 0;
    page_nulls_ = 0;
    page_plain_bytes_ = 0;
    page_has_bounds_ = false;
    page_nan_bounds_ = false;
    plain_sample_ = false;
    return Status::OK();
  }

  // The open page, uncompressed: its levels, then its values dictionary-encoded (use_dict) or in
  // fallback_encoding_. A view of body_, or of plain_ for a PLAIN page without levels.
  std::string_view EncodePage(bool use_dict, int index_width, Encoding* encoding) {
    body_.clear();
    if (nullable_) AppendLevels();
    if (use_dict) {
      AppendDictionaryIndices(indices_.data(), indices_.size(), index_width, &body_);
      *encoding = Encoding::RLE_DICTIONARY;
      return body_;
    }
    *encoding = fallback_encoding_;
    if constexpr (P::kIsBool) {
      AppendPlainBoolean(bools_.data(), bools_.size(), &body_);
      return body_;
    } else {
      if (fallback_encoding_ == Encoding::DELTA_BINARY_PACKED) {
        if constexpr (P::kIsInteger) {
          // plain_ holds the page's values as an array of V (ByteBuffer storage is malloc-aligned).
          AppendDeltaBinaryPacked(reinterpret_cast<const V*>(plain_.data()), plain_.size() / sizeof(V), &body_);
        }
        return body_;
      }
      if (fallback_encoding_ == Encoding::DELTA_LENGTH_BYTE_ARRAY) {
        if constexpr (P::kIsString) {
          CollectPlainValues();
          AppendDeltaLengthByteArray(values_.data(), values_.size(), &body_);
        }
        return body_;
      }
      if (fallback_encoding_ == Encoding::DELTA_BYTE_ARRAY) {
        if constexpr (P::kIsString) {
          CollectPlainValues();
          AppendDeltaByteArray(values_.data(), values_.size(), &body_);
        }
        return body_;
      }
      if (!nullable_) return plain_.view();  // no levels: the values are the page
      body_.append(plain_.view());
      return body_;
    }
  }

  // Puts the open page's string values (plain_: a 4-byte length before each) in values_, as views.
  void CollectPlainValues() {
    values_.clear();
    ForEachPlainValue([&](std::string_view v) { values_.push_back(v); });
  }

  // `data` in the chunk's codec: the compressor's buffer (valid until its next call), or `data`
  // itself for an uncompressed chunk.
  Result<std::string_view> CompressForChunk(std::string_view data) {
    if (chunk_codec_ == Codec::kUncompressed) return data;
    return compressor_->Compress(data);
  }

  // The size the chunk's codec gives the tail of `page`, as a fraction of its size (1 for an
  // uncompressed chunk). The tail stands for the page: the codec works in independent 64 KiB
  // blocks anyway, and a nullable page's levels come first. Compressing whole first pages only
  // to store most of them raw cost ~2% of a conversion.
  Result<double> CompressionRatioOfSample(std::string_view page) {
    constexpr size_t kSampleBytes = 64 << 10;
    const std::string_view sample = page.substr(page.size() - std::min(page.size(), kSampleBytes));
    if (sample.empty()) return 1.0;
    ASSIGN_OR_RETURN(const std::string_view compressed, CompressForChunk(sample));
    return static_cast<double>(compressed.size()) / static_cast<double>(sample.size());
  }

  // Whether a codec leaving `ratio` of the bytes saves less than min_compression_saving.
  bool CompressionNotWorthIt(double ratio) const {
    return min_compression_saving_ > 0 && 1.0 - ratio < min_compression_saving_;
  }

  // For the chunk's first data page (not dictionary-encoded; `ratio` is what the codec leaves of
  // it): the encoding the chunk's values are stored in uncompressed, or PLAIN for the codec to
  // have them.
  //  - Strings that share prefixes with the value before (request ids "req-…", sorted URLs) go
  //    DELTA_BYTE_ARRAY when front coding alone makes them no larger than the codec would:
  //    request ids 24 -> 16 bytes a value where Snappy leaves 17, and no time compressing.
  //  - Strings the codec barely shrinks (uuids) go DELTA_LENGTH_BYTE_ARRAY: stored raw, the
  //    4-byte length PLAIN puts before every value is pure overhead (40 -> 36 bytes a uuid).
  //  - Integers were DELTA_BINARY_PACKED from the start; other types keep PLAIN.
  Encoding RawEncodingForChunk(double ratio, size_t page_size) const {
    if constexpr (P::kIsString) {
      // min_compression_saving 0 means every chunk in the file's codec, PLAIN (writer.h).
      if (!delta_encodings_ || min_compression_saving_ <= 0) return Encoding::PLAIN;
      const PrefixSharing sharing = MeasurePrefixSharing();
      // Front coding must carry its weight (1/16 of the bytes shared) to be worth its slower
      // decoding: values are rebuilt rather than viewed in place.
      if (sharing.shared * 16 >= sharing.value_bytes &&
          static_cast<double>(sharing.value_bytes - sharing.shared) <= ratio * static_cast<double>(page_size)) {
        return Encoding::DELTA_BYTE_ARRAY;
      }
      if (CompressionNotWorthIt(ratio)) return Encoding::DELTA_LENGTH_BYTE_ARRAY;
    }
    (void)ratio;
    (void)page_size;
    return Encoding::PLAIN;
  }

  struct PrefixSharing {
    uint64_t value_bytes = 0;  // the open page's values, without PLAIN's lengths
    uint64_t shared = 0;       // bytes of them each value shares with the value before
  };
  // Of the open page's PLAIN values (plain_).
  PrefixSharing MeasurePrefixSharing() const {
    PrefixSharing out;
    std::string_view prev;
    ForEachPlainValue([&](std::string_view v) {
      out.value_bytes += v.size();
      out.shared += SharedPrefixLength(prev, v);
      prev = v;
    });
    return out;
  }

  // Calls f(value) for each value of plain_ (strings: a 4-byte length before each).
  template <typename F>
  void ForEachPlainValue(F&& f) const {
    const char* p = plain_.data();
    const char* end = p + plain_.size();
    while (p < end) {
      uint32_t n;
      std::memcpy(&n, p, 4);
      f(std::string_view(p + 4, n));
      p += 4 + n;
    }
  }

  // For a dictionary-encoded page: returns the index bit width, and for strings folds each
  // distinct value of the page into the page bounds once (not once per row).
  int ScanIndices() {
    if constexpr (P::kDictionary) {
      uint32_t max_index = 0;
      if constexpr (P::kIsString) {
        if (seen_.size() < dict_.size()) seen_.resize(dict_.size(), 0);
        for (uint32_t idx : indices_) {
          max_index = std::max(max_index, idx);
          if (!seen_[idx]) {
            seen_[idx] = 1;
            Widen(dict_.value(idx), &page_has_bounds_, &page_min_, &page_max_);
          }
        }
        for (uint32_t idx : indices_) seen_[idx] = 0;
      } else {
        for (uint32_t idx : indices_) max_index = std::max(max_index, idx);
      }
      return std::max(1, BitWidth(max_index));
    } else {
      return 0;
    }
  }

  Statistics ChunkStatistics(bool has_dict) const {
    Statistics stats;
    stats.null_count = static_cast<int64_t>(chunk_nulls_);
    if (chunk_has_bounds_) {
      if constexpr (P::kIsString) {
        bool min_exact, max_exact;
        stats.min_value = TruncateMin(chunk_min_, &min_exact);
        stats.max_value = TruncateMax(chunk_max_, &max_exact);
        stats.is_min_value_exact = min_exact;
        stats.is_max_value_exact = max_exact;
      } else {
        stats.min_value = P::EncodeMin(chunk_min_);
        stats.max_value = P::EncodeMax(chunk_max_);
      }
    }
    if constexpr (P::kDictionary) {
      // Every non-null value went through the dictionary: its size is the exact distinct count.
      if (has_dict && plain_pages_ == 0 && !P::kIsDouble) {
        stats.distinct_count = static_cast<int64_t>(dict_.size());
      }
    }
    return stats;
  }

  ColumnIndex BuildColumnIndex() const {
    ColumnIndex index;
    index.null_pages = page_null_;
    index.null_counts = page_null_counts_;
    bool ascending = !any_nan_bounds_;
    bool descending = !any_nan_bounds_;
    size_t prev = page_null_.size();  // the last non-null page; none yet
    for (size_t i = 0; i < page_null_.size(); ++i) {
      if (page_null_[i]) {
        index.min_values.emplace_back();
        index.max_values.emplace_back();
        continue;
      }
      if constexpr (P::kIsString) {
        index.min_values.push_back(page_mins_[i]);
        index.max_values.push_back(page_maxs_[i]);
      } else {
        index.min_values.push_back(P::EncodeMin(page_mins_[i]));
        index.max_values.push_back(P::EncodeMax(page_maxs_[i]));
      }
      if (prev < page_null_.size()) {
        if (P::Less(page_mins_[i], page_mins_[prev]) || P::Less(page_maxs_[i], page_maxs_[prev])) {
          ascending = false;
        }
        if (P::Less(page_mins_[prev], page_mins_[i]) || P::Less(page_maxs_[prev], page_maxs_[i])) {
          descending = false;
        }
      }
      prev = i;
    }
    index.boundary_order = ascending    ? BoundaryOrder::ASCENDING
                           : descending ? BoundaryOrder::DESCENDING
                                        : BoundaryOrder::UNORDERED;
    return index;
  }

  BloomFilter BuildBloomFilter(bool has_dict) const {
    // The dictionary holds each distinct value once; values encoded PLAIN were hashed as they came.
    uint64_t values = bloom_hashes_.size();
    if constexpr (P::kDictionary) {
      if (has_dict) values += dict_.size();
    }
    BloomFilter filter(BloomFilter::OptimalNumBytes(values, bloom_fpp_));
    if constexpr (P::kDictionary) {
      if (has_dict) {
        std::vector<uint64_t> hashes(dict_.size());
        for (size_t i = 0; i < hashes.size(); ++i) hashes[i] = P::Hash(dict_.value(static_cast<uint32_t>(i)));
        filter.InsertBatch(hashes.data(), hashes.size());
      }
    }
    filter.InsertBatch(bloom_hashes_.data(), bloom_hashes_.size());
    return filter;
  }

  // `reuse`: the next chunk reuses the dictionary's hash table (cleared), else it is released
  // (clearing a table of megabytes costs more than a small file's whole chunk).
  void Reset(bool reuse = true) {
    chunk_data_.Clear();
    locations_.clear();
    page_null_.clear();
    page_null_counts_.clear();
    page_mins_.clear();
    page_maxs_.clear();
    bloom_hashes_.clear();
    chunk_rows_ = 0;
    chunk_nulls_ = 0;
    chunk_uncompressed_ = 0;
    dict_pages_ = 0;
    plain_pages_ = 0;
    chunk_has_bounds_ = false;
    any_nan_bounds_ = false;
    plain_sample_ = false;
    chunk_codec_ = compressor_->codec();
    codec_decided_ = false;
    if constexpr (P::kIsString) fallback_encoding_ = Encoding::PLAIN;  // until the codec is decided
    if constexpr (P::kDictionary) {
      if (reuse) {
        dict_.Clear();
      } else {
        dict_.Release();
      }
      dict_mode_ = true;
    } else {
      dict_mode_ = false;
    }
  }

  // Settings.
  std::string name_;
  bool nullable_ = false;
  bool bloom_ = false;
  double bloom_fpp_ = 0;
  uint64_t page_rows_limit_ = 0;
  uint64_t page_bytes_limit_ = 0;
  uint64_t dict_bytes_limit_ = 0;
  double min_compression_saving_ = 0;
  // The encoding of data pages that are not dictionary-encoded (plain_pages_ counts them):
  // PLAIN, DELTA_BINARY_PACKED for integers, DELTA_LENGTH_BYTE_ARRAY or DELTA_BYTE_ARRAY for
  // strings in an uncompressed chunk (delta_encodings_, RawEncodingForChunk).
  Encoding fallback_encoding_ = Encoding::PLAIN;
  bool delta_encodings_ = false;
  uint32_t largest_dictionary_ = 0;  // see ColumnWriter::largest_dictionary
  std::vector<std::string_view> values_;  // scratch for CollectPlainValues
  Compressor* compressor_ = nullptr;

  // The open page.
  ByteBuffer levels_;              // definition levels (nullable columns only), 0 or 1 a row
  std::vector<uint32_t> indices_;  // dictionary mode
  ByteBuffer plain_;               // PLAIN values (all types but bool)
  std::vector<uint8_t> bools_;     // PLAIN booleans, packed when the page is finished
  uint64_t page_rows_ = 0;
  uint64_t page_nulls_ = 0;
  uint64_t page_plain_bytes_ = 0;  // what the page's values would take PLAIN-encoded
  bool page_has_bounds_ = false;
  bool page_nan_bounds_ = false;
  bool plain_sample_ = false;  // the open page is a sample decided PLAIN early (see PageFull)
  Stat page_min_{};
  Stat page_max_{};

  // The chunk.
  bool dict_mode_ = false;
  typename P::Dict dict_;
  std::vector<uint8_t> seen_;  // scratch for ScanIndices
  uint64_t dict_pages_ = 0;
  uint64_t plain_pages_ = 0;  // data pages in fallback_encoding_
  ChunkBuffer chunk_data_;  // headers + compressed data pages
  Codec chunk_codec_ = Codec::kUncompressed;  // the file's codec, or kUncompressed (see FinishPage)
  bool codec_decided_ = false;                // the chunk's first data page is written
  uint64_t chunk_uncompressed_ = 0;
  uint64_t chunk_rows_ = 0;
  uint64_t chunk_nulls_ = 0;
  bool chunk_has_bounds_ = false;
  bool any_nan_bounds_ = false;
  Stat chunk_min_{};
  Stat chunk_max_{};
  std::vector<PageLocation> locations_;  // offsets relative to the first data page
  std::vector<bool> page_null_;
  std::vector<int64_t> page_null_counts_;
  std::vector<Stat> page_mins_;  // strings: already truncated for the page index
  std::vector<Stat> page_maxs_;
  std::vector<uint64_t> bloom_hashes_;  // values encoded PLAIN in bloom columns

  std::vector<uint64_t> hashes_;  // dictionary hashes of the slice being appended

  std::string body_;
  std::string header_bytes_;
};

}  // namespace

std::unique_ptr<ColumnWriter> ColumnWriter::Make(const Field& field, bool bloom, const WriterOptions& options,
                                                 Compressor* compressor, uint32_t dictionary_hint) {
  switch (field.type) {
    case ColumnType::kString:
      return std::make_unique<TypedColumnWriter<StringPolicy>>(field, bloom, options, compressor, dictionary_hint);
    case ColumnType::kInt32:
      return std::make_unique<TypedColumnWriter<Int32Policy>>(field, bloom, options, compressor, dictionary_hint);
    case ColumnType::kInt64:
    case ColumnType::kTimestamp:
      return std::make_unique<TypedColumnWriter<Int64Policy>>(field, bloom, options, compressor, dictionary_hint);
    case ColumnType::kDouble:
      return std::make_unique<TypedColumnWriter<DoublePolicy>>(field, bloom, options, compressor, dictionary_hint);
    case ColumnType::kBool:
      return std::make_unique<TypedColumnWriter<BoolPolicy>>(field, bloom, options, compressor, dictionary_hint);
  }
  return nullptr;
}

SchemaElement LeafSchemaElement(const Field& field) {
  SchemaElement e;
  e.name = field.name;
  e.repetition_type = field.nullable ? FieldRepetitionType::OPTIONAL : FieldRepetitionType::REQUIRED;
  switch (field.type) {
    case ColumnType::kString:
      e.type = Type::BYTE_ARRAY;
      e.converted_type = ConvertedType::UTF8;
      e.logical_type = LogicalType::String();
      break;
    case ColumnType::kInt32:
      e.type = Type::INT32;
      e.converted_type = ConvertedType::INT_32;
      e.logical_type = LogicalType::Integer(32, true);
      break;
    case ColumnType::kInt64:
      e.type = Type::INT64;
      e.converted_type = ConvertedType::INT_64;
      e.logical_type = LogicalType::Integer(64, true);
      break;
    case ColumnType::kTimestamp:
      e.type = Type::INT64;
      e.converted_type = ConvertedType::TIMESTAMP_MICROS;
      e.logical_type = LogicalType::Timestamp(true, TimeUnit::MICROS);
      break;
    case ColumnType::kDouble: e.type = Type::DOUBLE; break;
    case ColumnType::kBool: e.type = Type::BOOLEAN; break;
  }
  return e;
}

}  // namespace loglake::parquet
