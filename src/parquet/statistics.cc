#include "parquet/statistics.h"

#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "common/time.h"

namespace loglake::parquet {

namespace {

template <typename T>
bool LoadExact(std::string_view plain, T* out) {
  if (plain.size() != sizeof(T)) return false;
  std::memcpy(out, plain.data(), sizeof(T));
  return true;
}

Status BadSize(std::string_view plain, const ColumnDescriptor& col) {
  return Status::Corruption("statistics value of " + std::to_string(plain.size()) + " bytes does not fit column '" +
                            col.name + "' of type " + TypeName(col.physical_type));
}

std::string Hex(std::string_view bytes) {
  std::string s = "0x";
  for (unsigned char c : bytes) s += fmt::format("{:02x}", c);
  return s;
}

// Quotes a string for display, escaping control characters, and shortens it past 64 bytes.
std::string Quote(std::string_view s) {
  constexpr size_t kMaxShown = 64;
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < kMaxShown; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  if (s.size() > kMaxShown) out += fmt::format("...({} bytes)", s.size());
  return out;
}

}  // namespace

Result<StatValue> DecodeStatValue(std::string_view plain, const ColumnDescriptor& col) {
  switch (col.physical_type) {
    case Type::BOOLEAN:
      if (plain.size() != 1) return BadSize(plain, col);
      return StatValue(int64_t{plain[0] != 0});
    case Type::INT32: {
      int32_t v;
      if (!LoadExact(plain, &v)) return BadSize(plain, col);
      return StatValue(int64_t{v});
    }
    case Type::INT64: {
      int64_t v;
      if (!LoadExact(plain, &v)) return BadSize(plain, col);
      if (col.field.type == ColumnType::kTimestamp) {
        int64_t micros;
        if (!TimestampToMicros(v, col.time_unit, &micros)) {
          return Status::Corruption("timestamp statistics value " + std::to_string(v) + " of column '" + col.name +
                                    "' does not fit in microseconds");
        }
        return StatValue(micros);
      }
      return StatValue(v);
    }
    case Type::DOUBLE: {
      double v;
      if (!LoadExact(plain, &v)) return BadSize(plain, col);
      return StatValue(v);
    }
    case Type::BYTE_ARRAY:
      return StatValue(std::string(plain));
    default:
      break;
  }
  return Status::Unimplemented("statistics of column '" + col.name + "' of type " + TypeName(col.physical_type));
}

Result<ColumnStatistics> DecodeStatistics(const Statistics& stats, const ColumnDescriptor& col) {
  ColumnStatistics out;
  out.null_count = stats.null_count;
  out.distinct_count = stats.distinct_count;
  out.min_is_exact = stats.is_min_value_exact;
  out.max_is_exact = stats.is_max_value_exact;
  const bool legacy_ok = col.physical_type != Type::BYTE_ARRAY;
  const std::optional<std::string>& min = stats.min_value ? stats.min_value : (legacy_ok ? stats.min : std::nullopt);
  const std::optional<std::string>& max = stats.max_value ? stats.max_value : (legacy_ok ? stats.max : std::nullopt);
  if (min) {
    ASSIGN_OR_RETURN(out.min, DecodeStatValue(*min, col));
  }
  if (max) {
    ASSIGN_OR_RETURN(out.max, DecodeStatValue(*max, col));
  }
  if (col.physical_type == Type::DOUBLE) {
    for (std::optional<StatValue>* bound : {&out.min, &out.max}) {
      if (*bound && std::isnan(std::get<double>(**bound))) {
        out.min.reset();  // a NaN bound tells nothing about the other one either
        out.max.reset();
      }
    }
    if (out.min && std::get<double>(*out.min) == 0.0) out.min = StatValue(-0.0);
    if (out.max && std::get<double>(*out.max) == 0.0) out.max = StatValue(0.0);
  }
  return out;
}

std::string FormatPlainValue(std::string_view plain, const SchemaElement& leaf) {
  if (!leaf.type) return Hex(plain);
  const auto malformed = [&] { return Hex(plain) + " (malformed)"; };
  switch (*leaf.type) {
    case Type::BOOLEAN:
      if (plain.size() != 1) return malformed();
      return plain[0] ? "true" : "false";
    case Type::INT32: {
      int32_t v;
      if (!LoadExact(plain, &v)) return malformed();
      if (leaf.logical_type && leaf.logical_type->kind == LogicalType::Kind::DATE) {
        return FormatDate(CivilFromDays(v));
      }
      const bool is_unsigned = leaf.logical_type ? (leaf.logical_type->kind == LogicalType::Kind::INTEGER &&
                                                    !leaf.logical_type->is_signed)
                                                 : (leaf.converted_type == ConvertedType::UINT_8 ||
                                                    leaf.converted_type == ConvertedType::UINT_16 ||
                                                    leaf.converted_type == ConvertedType::UINT_32);
      return is_unsigned ? std::to_string(static_cast<uint32_t>(v)) : std::to_string(v);
    }
    case Type::INT64: {
      int64_t v;
      if (!LoadExact(plain, &v)) return malformed();
      TimeUnit unit = TimeUnit::MICROS;
      Result<ColumnType> mapped = MapLeafType(leaf, &unit);
      if (mapped.ok() && *mapped == ColumnType::kTimestamp) {
        int64_t micros;
        if (TimestampToMicros(v, unit, &micros)) return FormatTimestampMicros(micros);
      }
      const bool is_unsigned = leaf.logical_type ? (leaf.logical_type->kind == LogicalType::Kind::INTEGER &&
                                                    !leaf.logical_type->is_signed)
                                                 : leaf.converted_type == ConvertedType::UINT_64;
      return is_unsigned ? std::to_string(static_cast<uint64_t>(v)) : std::to_string(v);
    }
    case Type::FLOAT: {
      float v;
      if (!LoadExact(plain, &v)) return malformed();
      return fmt::format("{}", v);
    }
    case Type::DOUBLE: {
      double v;
      if (!LoadExact(plain, &v)) return malformed();
      return fmt::format("{}", v);
    }
    case Type::BYTE_ARRAY: {
      TimeUnit unit;
      Result<ColumnType> mapped = MapLeafType(leaf, &unit);
      if (mapped.ok()) return Quote(plain);
      return Hex(plain);
    }
    default:
      return Hex(plain);
  }
}

}  // namespace loglake::parquet
