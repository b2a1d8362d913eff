// Column statistics and page-index bounds decoded into loglake values.
//
// Parquet stores min/max as the PLAIN encoding of a value without length prefix (little-endian
// ints, IEEE doubles, raw string bytes, one byte for a bool). Which bounds are trusted:
//   - min_value/max_value always (they follow the column's logical sort order);
//   - the deprecated min/max only for numeric and bool columns: old writers compared strings as
//     signed bytes, so for strings they are not bounds;
//   - a double bound that is NaN is dropped; a min of +0.0 reads as -0.0 and a max of -0.0 as
//     +0.0, as the specification asks readers to do.
// Timestamps are converted to microseconds (bounds that overflow are dropped).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/status.h"
#include "parquet/metadata.h"
#include "parquet/schema.h"

namespace loglake::parquet {

// One bound: int32, int64, timestamp (µs) and bool columns give int64_t; double columns give
// double; string columns give the bytes.
using StatValue = std::variant<int64_t, double, std::string>;

struct ColumnStatistics {
  std::optional<int64_t> null_count;
  std::optional<int64_t> distinct_count;
  std::optional<StatValue> min;
  std::optional<StatValue> max;
  // As the file states them: false means the bound may be lower/higher than any actual value
  // (a truncated string); absent means the file does not say.
  std::optional<bool> min_is_exact;
  std::optional<bool> max_is_exact;
};

// Decodes one PLAIN-encoded bound of `col`; Corruption when its size does not fit the type.
// For a timestamp that does not fit in int64 microseconds, Corruption as well.
Result<StatValue> DecodeStatValue(std::string_view plain, const ColumnDescriptor& col);

// Applies the rules above. Bounds that cannot be decoded are Corruption.
Result<ColumnStatistics> DecodeStatistics(const Statistics& stats, const ColumnDescriptor& col);

// For display: the PLAIN-encoded `plain` value of any primitive element, rendered by its logical
// type where loglake knows it (timestamps as ISO-8601, strings quoted and escaped, ints in
// decimal) and as hex bytes otherwise. Never fails: a malformed value renders as hex with a mark.
std::string FormatPlainValue(std::string_view plain, const SchemaElement& leaf);

}  // namespace loglake::parquet
