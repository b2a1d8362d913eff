#include "parquet/schema.h"

#include <algorithm>

namespace loglake::parquet {

namespace {

Status Unmapped(const SchemaElement& leaf) {
  return Status::Unimplemented("column '" + leaf.name + "' has type " + DescribeLeafType(leaf) +
                               ", which loglake does not read (supported: string, int32, int64, double, "
                               "bool, timestamp)");
}

bool IsSignedInteger(const LogicalType& t, int max_bits) {
  return t.kind == LogicalType::Kind::INTEGER && t.is_signed && t.bit_width <= max_bits;
}

}  // namespace

bool TimestampToMicros(int64_t value, TimeUnit unit, int64_t* micros) {
  switch (unit) {
    case TimeUnit::MILLIS:
      return !__builtin_mul_overflow(value, int64_t{1000}, micros);
    case TimeUnit::NANOS: {
      int64_t q = value / 1000;
      if (value % 1000 < 0) --q;  // floor, not truncation toward zero
      *micros = q;
      return true;
    }
    case TimeUnit::MICROS:
      break;
  }
  *micros = value;
  return true;
}

std::string DescribeLeafType(const SchemaElement& leaf) {
  // Appends piece by piece: GCC 12 misreports "literal" + std::string temporaries (-Wrestrict).
  std::string s = leaf.type ? TypeName(*leaf.type) : "group";
  if (leaf.type == Type::FIXED_LEN_BYTE_ARRAY && leaf.type_length) {
    s.append("(").append(std::to_string(*leaf.type_length)).append(")");
  }
  if (leaf.logical_type) {
    s.append(" ").append(leaf.logical_type->ToString());
  } else if (leaf.converted_type) {
    s.append(" (converted ").append(ConvertedTypeName(*leaf.converted_type)).append(")");
  }
  return s;
}

Result<ColumnType> MapLeafType(const SchemaElement& leaf, TimeUnit* unit) {
  if (!leaf.type) return Status::Corruption("schema element '" + leaf.name + "' has no type and no children");
  const std::optional<LogicalType>& logical = leaf.logical_type;
  const std::optional<ConvertedType>& converted = logical ? std::nullopt : leaf.converted_type;
  using K = LogicalType::Kind;
  switch (*leaf.type) {
    case Type::BOOLEAN:
      if (!logical && !converted) return ColumnType::kBool;
      break;
    case Type::INT32:
      if (logical ? IsSignedInteger(*logical, 32)
                  : (!converted || *converted == ConvertedType::INT_32 || *converted == ConvertedType::INT_16 ||
                     *converted == ConvertedType::INT_8)) {
        return ColumnType::kInt32;
      }
      break;
    case Type::INT64:
      if (logical) {
        if (IsSignedInteger(*logical, 64)) return ColumnType::kInt64;
        if (logical->kind == K::TIMESTAMP) {
          *unit = logical->unit;
          return ColumnType::kTimestamp;
        }
        break;
      }
      if (!converted || *converted == ConvertedType::INT_64) return ColumnType::kInt64;
      if (*converted == ConvertedType::TIMESTAMP_MICROS || *converted == ConvertedType::TIMESTAMP_MILLIS) {
        *unit = *converted == ConvertedType::TIMESTAMP_MILLIS ? TimeUnit::MILLIS : TimeUnit::MICROS;
        return ColumnType::kTimestamp;
      }
      break;
    case Type::DOUBLE:
      if (!logical && !converted) return ColumnType::kDouble;
      break;
    case Type::BYTE_ARRAY:
      if (logical ? (logical->kind == K::STRING || logical->kind == K::ENUM || logical->kind == K::JSON)
                  : (!converted || *converted == ConvertedType::UTF8 || *converted == ConvertedType::ENUM ||
                     *converted == ConvertedType::JSON)) {
        return ColumnType::kString;
      }
      break;
    default:
      break;
  }
  return Unmapped(leaf);
}

Result<std::vector<ColumnDescriptor>> DescribeFlatSchema(const FileMetaData& md) {
  if (md.schema.empty()) return Status::Corruption("the schema is empty (no root element)");
  const SchemaElement& root = md.schema[0];
  const int32_t num_children = root.num_children.value_or(0);
  if (num_children < 0) return Status::Corruption("the schema root declares a negative number of children");
  std::vector<ColumnDescriptor> columns;
  columns.reserve(std::min(static_cast<size_t>(num_children), md.schema.size()));
  for (int32_t i = 0; i < num_children; ++i) {
    const size_t pos = static_cast<size_t>(i) + 1;
    if (pos >= md.schema.size()) {
      return Status::Corruption("the schema root declares " + std::to_string(num_children) + " children but only " +
                                std::to_string(md.schema.size() - 1) + " elements follow");
    }
    const SchemaElement& leaf = md.schema[pos];
    if (leaf.num_children.value_or(0) > 0 || !leaf.type) {
      return Status::Unimplemented("column '" + leaf.name +
                                   "' is a nested group (struct, list or map); loglake reads flat schemas only");
    }
    const FieldRepetitionType rep = leaf.repetition_type.value_or(FieldRepetitionType::REQUIRED);
    if (rep == FieldRepetitionType::REPEATED) {
      return Status::Unimplemented("column '" + leaf.name + "' is REPEATED; loglake reads flat schemas only");
    }
    if (rep != FieldRepetitionType::REQUIRED && rep != FieldRepetitionType::OPTIONAL) {
      return Status::Corruption("column '" + leaf.name + "' has invalid repetition " + RepetitionName(rep));
    }
    ColumnDescriptor col;
    col.index = i;
    col.name = leaf.name;
    col.physical_type = *leaf.type;
    col.max_definition_level = rep == FieldRepetitionType::OPTIONAL ? 1 : 0;
    ASSIGN_OR_RETURN(col.field.type, MapLeafType(leaf, &col.time_unit));
    col.field.name = leaf.name;
    col.field.nullable = rep == FieldRepetitionType::OPTIONAL;
    columns.push_back(std::move(col));
  }
  if (md.schema.size() != static_cast<size_t>(num_children) + 1) {
    return Status::Corruption("the schema has " + std::to_string(md.schema.size() - 1) +
                              " elements below the root, which declares " + std::to_string(num_children) + " children");
  }
  return columns;
}

}  // namespace loglake::parquet
