#include "lake/duplicate_index.h"

#include <algorithm>
#include <charconv>

#include "lake/json_text.h"
#include "lake/table.h"
#include "parquet/encoding/bit_util.h"

namespace loglake::lake {
namespace {

constexpr char kFormatVersion[] = "1";

bool ParseUint64(std::string_view s, uint64_t* v) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && end == s.data() + s.size();
}

Status Malformed(const std::string& why) {
  return Status::Corruption(std::string("malformed '") + kDuplicatesMetadataKey + "' metadata: " + why);
}

}  // namespace

std::string EncodeDuplicateIndex(const DuplicateIndex& index) {
  std::string payload;
  parquet::AppendUleb128(&payload, index.num_groups());
  uint64_t previous_first = 0;
  for (size_t g = 0; g < index.num_groups(); ++g) {
    const uint64_t begin = index.group_begin[g];
    const uint64_t end = index.group_begin[g + 1];
    parquet::AppendUleb128(&payload, end - begin);
    parquet::AppendUleb128(&payload, index.rows[begin] - previous_first);
    previous_first = index.rows[begin];
    for (uint64_t i = begin + 1; i < end; ++i) parquet::AppendUleb128(&payload, index.rows[i] - index.rows[i - 1]);
  }
  std::string out = std::string(kFormatVersion) + " " + index.key_column + " " + std::to_string(index.num_rows) + " ";
  AppendBase64(&out, payload);
  return out;
}

Result<DuplicateIndex> DecodeDuplicateIndex(std::string_view text) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (fields.size() < 4) {
    const size_t space = fields.size() < 3 ? text.find(' ', start) : text.size();
    if (space == std::string_view::npos) return Malformed("expected 4 space-separated fields");
    fields.push_back(text.substr(start, space - start));
    start = space + 1;
  }
  if (fields[0] != kFormatVersion) return Malformed("unknown version '" + std::string(fields[0].substr(0, 16)) + "'");
  DuplicateIndex index;
  if (!IsValidColumnName(fields[1])) return Malformed("invalid key column name");
  index.key_column = std::string(fields[1]);
  if (!ParseUint64(fields[2], &index.num_rows)) return Malformed("invalid row count");
  std::string payload;
  if (!DecodeBase64(fields[3], &payload)) return Malformed("invalid base64");

  const auto* data = reinterpret_cast<const uint8_t*>(payload.data());
  const size_t size = payload.size();
  size_t pos = 0;
  uint64_t groups = 0;
  if (!parquet::ReadUleb128(data, size, &pos, &groups)) return Malformed("truncated group count");
  // Every group takes at least 3 bytes: bounds what is reserved before the bytes are read.
  if (groups > (size - pos) / 3) return Malformed("more groups than the payload holds");
  index.group_begin.reserve(groups + 1);
  uint64_t previous_first = 0;
  for (uint64_t g = 0; g < groups; ++g) {
    uint64_t count = 0;
    uint64_t delta = 0;
    if (!parquet::ReadUleb128(data, size, &pos, &count) || !parquet::ReadUleb128(data, size, &pos, &delta)) {
      return Malformed("truncated group");
    }
    if (count < 2 || count - 1 > size - pos) return Malformed("invalid group size");
    if (g > 0 && delta == 0) return Malformed("groups out of order");
    if (delta >= index.num_rows - previous_first) return Malformed("row past the end of the file");
    uint64_t row = previous_first + delta;
    previous_first = row;
    index.rows.push_back(row);
    for (uint64_t i = 1; i < count; ++i) {
      uint64_t gap = 0;
      if (!parquet::ReadUleb128(data, size, &pos, &gap)) return Malformed("truncated group");
      if (gap == 0) return Malformed("rows of a group out of order");
      if (gap >= index.num_rows - row) return Malformed("row past the end of the file");
      row += gap;
      index.rows.push_back(row);
    }
    index.group_begin.push_back(index.rows.size());
  }
  if (pos != size) return Malformed("trailing bytes");
  std::vector<uint64_t> sorted = index.rows;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) return Malformed("a row in two groups");
  return index;
}

DuplicateTracker::DuplicateTracker() = default;
DuplicateTracker::~DuplicateTracker() = default;

size_t DuplicateTracker::MemoryBytes() const {
  return blocks_.size() * kBlockRows * sizeof(KeyHash) + table_.size() * sizeof(uint64_t) +
         repeats_.capacity() * sizeof(repeats_[0]);
}

void DuplicateTracker::Add(const Column& keys) {
  const size_t n = keys.size();
  if (overflow_ || rows_ + n > kMaxRows) {
    // Past what 32-bit row numbers describe: the file gets no index; stop spending memory on it.
    const uint64_t rows = rows_ + n;
    Reset();
    overflow_ = true;
    rows_ = rows;
    return;
  }
  // Hash the batch first, then insert: the table is far larger than the caches, so each insert
  // waits for memory unless its slot was prefetched a few keys ahead.
  for (size_t i = 0; i < n; ++i) {
    const auto row = static_cast<uint32_t>(rows_ + i);
    if (row % kBlockRows == 0) blocks_.push_back(std::make_unique<KeyHash[]>(kBlockRows));
    // A NULL key is nobody's duplicate: its hash is never read.
    if (!keys.IsNull(i)) blocks_.back()[row % kBlockRows] = HashKeyValue(keys, i);
  }
  constexpr size_t kPrefetchDistance = 8;
  for (size_t i = 0; i < n; ++i) {
    if (i + kPrefetchDistance < n && !table_.empty()) {
      const KeyHash& ahead = HashOf(static_cast<uint32_t>(rows_ + i + kPrefetchDistance));
      __builtin_prefetch(&table_[static_cast<size_t>(ahead.high) & (table_.size() - 1)]);
    }
    if (keys.IsNull(i)) continue;
    const auto row = static_cast<uint32_t>(rows_ + i);
    Insert(row, HashOf(row));
  }
  rows_ += n;
}

void DuplicateTracker::Insert(uint32_t row, const KeyHash& h) {
  if ((distinct_ + 1) * 4 > table_.size() * 3) Grow();
  const size_t mask = table_.size() - 1;
  const uint32_t tag = static_cast<uint32_t>(h.high);
  size_t i = static_cast<size_t>(h.high) & mask;
  while (true) {
    const uint64_t slot = table_[i];
    if (slot == 0) {
      table_[i] = Slot(tag, row);
      ++distinct_;
      return;
    }
    const uint32_t first = SlotRow(slot);
    if (static_cast<uint32_t>(slot >> 32) == tag && HashOf(first) == h) {
      repeats_.emplace_back(first, row);
      return;
    }
    i = (i + 1) & mask;
  }
}

void DuplicateTracker::Grow() {
  std::vector<uint64_t> old = std::move(table_);
  table_.assign(old.empty() ? 1024 : old.size() * 2, 0);
  const size_t mask = table_.size() - 1;
  // The tag holds the low 32 bits of the hash, all a table of up to 2^32 slots needs to place a
  // key; a larger one reads the row's whole hash.
  const bool tag_places = mask <= 0xFFFFFFFFull;
  for (uint64_t slot : old) {
    if (slot == 0) continue;
    const uint64_t bits = tag_places ? slot >> 32 : HashOf(SlotRow(slot)).high;
    size_t i = static_cast<size_t>(bits) & mask;
    while (table_[i] != 0) i = (i + 1) & mask;
    table_[i] = slot;
  }
}

void DuplicateTracker::Reset() {
  std::vector<std::unique_ptr<KeyHash[]>>().swap(blocks_);
  std::vector<uint64_t>().swap(table_);
  std::vector<std::pair<uint32_t, uint32_t>>().swap(repeats_);
  distinct_ = 0;
  rows_ = 0;
  overflow_ = false;
}

std::optional<DuplicateIndex> DuplicateTracker::Finish(std::string key_column) {
  if (overflow_) {
    Reset();
    return std::nullopt;
  }
  DuplicateIndex index;
  index.key_column = std::move(key_column);
  index.num_rows = rows_;
  // Repeats arrive in order of their later row; sorting by (first row, later row) lines up each
  // group, and the groups by first row.
  std::sort(repeats_.begin(), repeats_.end());
  index.rows.reserve(repeats_.size() * 2);
  for (size_t i = 0; i < repeats_.size();) {
    const uint32_t first = repeats_[i].first;
    index.rows.push_back(first);
    for (; i < repeats_.size() && repeats_[i].first == first; ++i) index.rows.push_back(repeats_[i].second);
    index.group_begin.push_back(index.rows.size());
  }
  Reset();
  return index;
}

}  // namespace loglake::lake
