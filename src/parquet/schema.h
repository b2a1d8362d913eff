// The leaf columns of a Parquet schema as loglake reads them, and the mapping from Parquet types
// to loglake column types.
//
// loglake reads flat schemas: a root group whose children are all primitive, REQUIRED or
// OPTIONAL. Type mapping (anything else is Unimplemented, naming the column):
//   BOOLEAN                                         -> bool
//   INT32 [INTEGER(8|16|32, signed) | INT_8/16/32]  -> int32
//   INT64 [INTEGER(64, signed) | INT_64]            -> int64
//   INT64 TIMESTAMP(MILLIS|MICROS|NANOS) or the converted TIMESTAMP_MILLIS/MICROS
//                                                   -> timestamp (converted to microseconds;
//                                                      local-time timestamps are read as UTC)
//   DOUBLE                                          -> double
//   BYTE_ARRAY [STRING | ENUM | JSON | UTF8]        -> string (bytes are not re-validated)
// The logical type decides when present; the converted type otherwise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/column.h"
#include "common/status.h"
#include "parquet/metadata.h"

namespace loglake::parquet {

struct ColumnDescriptor {
  int index = 0;  // leaf ordinal: the position of the column's chunk in every RowGroup
  std::string name;
  Type physical_type = Type::BYTE_ARRAY;
  int16_t max_definition_level = 0;  // 1 for OPTIONAL, 0 for REQUIRED
  Field field;                       // the loglake name, type and nullability
  // Unit of the stored values of a timestamp column (converted to microseconds when read).
  TimeUnit time_unit = TimeUnit::MICROS;
};

// Describes the leaf columns of md.schema. Corruption when the schema list is malformed,
// Unimplemented (naming the column) for nested or repeated columns and unmapped types.
Result<std::vector<ColumnDescriptor>> DescribeFlatSchema(const FileMetaData& md);

// Maps one primitive schema element; *unit receives the stored unit of a timestamp.
Result<ColumnType> MapLeafType(const SchemaElement& leaf, TimeUnit* unit);

// "BYTE_ARRAY STRING", "INT64 TIMESTAMP(MICROS,UTC)", "INT32 (converted INT_16)", ...
std::string DescribeLeafType(const SchemaElement& leaf);

// Converts a stored timestamp to microseconds, flooring nanoseconds toward the past. False when
// the result does not fit in int64 (only possible for MILLIS beyond ±292,000 years).
bool TimestampToMicros(int64_t value, TimeUnit unit, int64_t* micros);

}  // namespace loglake::parquet
