#include "lake/dedup_key.h"

#include <bit>
#include <string_view>

#include <xxhash.h>

namespace loglake::lake {
namespace {

KeyHash Hash(const void* data, size_t size) {
  const XXH128_hash_t h = XXH3_128bits(data, size);
  return KeyHash{h.low64, h.high64};
}

// XXH3 reads the bytes in memory order: the value's bytes must be little-endian.
static_assert(std::endian::native == std::endian::little, "dedup key hashing assumes a little-endian host");

}  // namespace

KeyHash HashKeyValue(const Column& keys, size_t row) {
  switch (keys.type()) {
    case ColumnType::kString: {
      const std::string_view s = keys.String(row);
      return Hash(s.data(), s.size());
    }
    case ColumnType::kInt32: {
      const int64_t v = keys.Int32(row);
      return Hash(&v, sizeof(v));
    }
    case ColumnType::kInt64:
    case ColumnType::kTimestamp: {
      const int64_t v = keys.Int64(row);
      return Hash(&v, sizeof(v));
    }
    case ColumnType::kDouble: {
      const double v = keys.Double(row);
      return Hash(&v, sizeof(v));
    }
    case ColumnType::kBool: {
      const uint8_t v = keys.Bool(row) ? 1 : 0;
      return Hash(&v, sizeof(v));
    }
  }
  return KeyHash{};
}

}  // namespace loglake::lake
