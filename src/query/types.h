// SQL types and scalar values of the query engine (the Trino/Athena dialect).
//
// Every expression has a SqlType. At run time a vector of values of a SqlType is a loglake
// Column (common/column.h) of its PhysicalType(): DATE is int32 days since 1970-01-01,
// INTERVAL DAY TO SECOND is int64 microseconds, INTERVAL YEAR TO MONTH is int32 months,
// TIMESTAMP is int64 microseconds since the epoch, UTC. kUnknown is the type of a bare NULL
// literal; the binder coerces it to the type its context needs, so the executor never sees it
// except as a constant.
//
// A Value is one scalar of any SqlType, or NULL of that type: literals, bound `?` parameters,
// statistics bounds, result cells.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/column.h"

namespace loglake::query {

enum class SqlType : uint8_t {
  kUnknown,
  kBoolean,
  kInteger,  // int32
  kBigint,   // int64
  kDouble,
  kVarchar,
  kTimestamp,
  kDate,
  kIntervalDayTime,
  kIntervalYearMonth,
};

// Trino's spelling: "boolean", "integer", "bigint", "double", "varchar", "timestamp", "date",
// "interval day to second", "interval year to month", "unknown".
const char* SqlTypeName(SqlType type);
// The type named in CAST(x AS <name>) and in typed literals (case-insensitive; accepts the
// aliases int, varchar(n) is not needed); nullopt for anything else.
std::optional<SqlType> ParseSqlTypeName(std::string_view name);

ColumnType PhysicalType(SqlType type);
// The SqlType of a table column.
SqlType SqlTypeOf(ColumnType type);

bool IsNumeric(SqlType type);  // integer, bigint, double

class Value {
 public:
  Value() = default;  // NULL of type kUnknown

  static Value Null(SqlType type);
  static Value Boolean(bool v);
  static Value Integer(int32_t v);
  static Value Bigint(int64_t v);
  static Value Double(double v);
  static Value Varchar(std::string v);
  static Value Timestamp(int64_t micros);
  static Value Date(int32_t days);
  static Value IntervalDayTime(int64_t micros);
  static Value IntervalYearMonth(int32_t months);

  SqlType type() const { return type_; }
  bool is_null() const { return null_; }

  // Accessors for non-null values of the matching physical type: boolean → AsBool; integer,
  // date, interval year to month → AsInt32 (AsInt64 widens); bigint, timestamp, interval day to
  // second → AsInt64; double → AsDouble; varchar → AsString.
  bool AsBool() const { return int_ != 0; }
  int32_t AsInt32() const { return static_cast<int32_t>(int_); }
  int64_t AsInt64() const { return int_; }
  double AsDouble() const { return double_; }
  const std::string& AsString() const { return string_; }

  // Trino's text form: 'it''s' quoted for SQL (ToSqlLiteral) or bare (ToString): timestamps as
  // "2024-05-01 12:34:56.123456", dates as "2024-05-01", NULL as "NULL".
  std::string ToString() const;
  std::string ToSqlLiteral() const;

  // Same type, both null or both equal (doubles by bits, so NaN == NaN and -0 != +0).
  bool operator==(const Value& other) const;

 private:
  SqlType type_ = SqlType::kUnknown;
  bool null_ = true;
  int64_t int_ = 0;
  double double_ = 0;
  std::string string_;
};

// Row i of `column` as a Value of `type` (whose PhysicalType must be column.type()).
Value ValueAt(const Column& column, SqlType type, size_t i);
// Appends `v` (of a type whose PhysicalType is column->type(), or NULL) to `column`.
void AppendValue(const Value& v, Column* column);

}  // namespace loglake::query
