#include "query/types.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "common/ascii.h"
#include "common/time.h"

namespace loglake::query {
namespace {

std::string FormatDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, r.ptr);
}

// "2024-05-01 12:34:56.123456": Trino's timestamp(6) text.
std::string FormatSqlTimestamp(int64_t micros) {
  std::string iso = FormatTimestampMicros(micros);  // 2024-05-01T12:34:56.123456Z
  size_t t = iso.find('T');
  if (t != std::string::npos) iso[t] = ' ';
  if (!iso.empty() && iso.back() == 'Z') iso.pop_back();
  return iso;
}

}  // namespace

const char* SqlTypeName(SqlType type) {
  switch (type) {
    case SqlType::kUnknown: return "unknown";
    case SqlType::kBoolean: return "boolean";
    case SqlType::kInteger: return "integer";
    case SqlType::kBigint: return "bigint";
    case SqlType::kDouble: return "double";
    case SqlType::kVarchar: return "varchar";
    case SqlType::kTimestamp: return "timestamp";
    case SqlType::kDate: return "date";
    case SqlType::kIntervalDayTime: return "interval day to second";
    case SqlType::kIntervalYearMonth: return "interval year to month";
  }
  return "unknown";
}

std::optional<SqlType> ParseSqlTypeName(std::string_view name) {
  struct Entry {
    const char* name;
    SqlType type;
  };
  static constexpr Entry kNames[] = {
      {"boolean", SqlType::kBoolean},   {"integer", SqlType::kInteger}, {"int", SqlType::kInteger},
      {"bigint", SqlType::kBigint},     {"double", SqlType::kDouble},   {"varchar", SqlType::kVarchar},
      {"timestamp", SqlType::kTimestamp}, {"date", SqlType::kDate},
  };
  for (const Entry& e : kNames) {
    if (EqualsIgnoreCase(name, e.name)) return e.type;
  }
  return std::nullopt;
}

ColumnType PhysicalType(SqlType type) {
  switch (type) {
    case SqlType::kBoolean: return ColumnType::kBool;
    case SqlType::kInteger:
    case SqlType::kDate:
    case SqlType::kIntervalYearMonth: return ColumnType::kInt32;
    case SqlType::kBigint:
    case SqlType::kIntervalDayTime: return ColumnType::kInt64;
    case SqlType::kDouble: return ColumnType::kDouble;
    case SqlType::kTimestamp: return ColumnType::kTimestamp;
    case SqlType::kVarchar:
    case SqlType::kUnknown: return ColumnType::kString;
  }
  return ColumnType::kString;
}

SqlType SqlTypeOf(ColumnType type) {
  switch (type) {
    case ColumnType::kString: return SqlType::kVarchar;
    case ColumnType::kInt32: return SqlType::kInteger;
    case ColumnType::kInt64: return SqlType::kBigint;
    case ColumnType::kDouble: return SqlType::kDouble;
    case ColumnType::kBool: return SqlType::kBoolean;
    case ColumnType::kTimestamp: return SqlType::kTimestamp;
  }
  return SqlType::kVarchar;
}

bool IsNumeric(SqlType type) {
  return type == SqlType::kInteger || type == SqlType::kBigint || type == SqlType::kDouble;
}

Value Value::Null(SqlType type) {
  Value v;
  v.type_ = type;
  return v;
}

Value Value::Boolean(bool b) {
  Value v;
  v.type_ = SqlType::kBoolean;
  v.null_ = false;
  v.int_ = b ? 1 : 0;
  return v;
}

Value Value::Integer(int32_t i) {
  Value v;
  v.type_ = SqlType::kInteger;
  v.null_ = false;
  v.int_ = i;
  return v;
}

Value Value::Bigint(int64_t i) {
  Value v;
  v.type_ = SqlType::kBigint;
  v.null_ = false;
  v.int_ = i;
  return v;
}

Value Value::Double(double d) {
  Value v;
  v.type_ = SqlType::kDouble;
  v.null_ = false;
  v.double_ = d;
  return v;
}

Value Value::Varchar(std::string s) {
  Value v;
  v.type_ = SqlType::kVarchar;
  v.null_ = false;
  v.string_ = std::move(s);
  return v;
}

Value Value::Timestamp(int64_t micros) {
  Value v = Bigint(micros);
  v.type_ = SqlType::kTimestamp;
  return v;
}

Value Value::Date(int32_t days) {
  Value v = Integer(days);
  v.type_ = SqlType::kDate;
  return v;
}

Value Value::IntervalDayTime(int64_t micros) {
  Value v = Bigint(micros);
  v.type_ = SqlType::kIntervalDayTime;
  return v;
}

Value Value::IntervalYearMonth(int32_t months) {
  Value v = Integer(months);
  v.type_ = SqlType::kIntervalYearMonth;
  return v;
}

std::string Value::ToString() const {
  if (null_) return "NULL";
  switch (type_) {
    case SqlType::kUnknown: return "NULL";
    case SqlType::kBoolean: return int_ != 0 ? "true" : "false";
    case SqlType::kInteger:
    case SqlType::kBigint: return std::to_string(int_);
    case SqlType::kDouble: return FormatDouble(double_);
    case SqlType::kVarchar: return string_;
    case SqlType::kTimestamp: return FormatSqlTimestamp(int_);
    case SqlType::kDate: return FormatDate(CivilFromDays(int_));
    case SqlType::kIntervalDayTime: {
      // "1 02:03:04.000005"-like text is rarely shown; plain seconds keep it unambiguous.
      return FormatDouble(static_cast<double>(int_) / 1e6) + " seconds";
    }
    case SqlType::kIntervalYearMonth: return std::to_string(int_) + " months";
  }
  return "NULL";
}

std::string Value::ToSqlLiteral() const {
  if (null_) return "NULL";
  switch (type_) {
    case SqlType::kVarchar: {
      std::string out = "'";
      for (char c : string_) {
        if (c == '\'') out += '\'';
        out += c;
      }
      return out + "'";
    }
    case SqlType::kTimestamp: return "TIMESTAMP '" + ToString() + "'";
    case SqlType::kDate: return "DATE '" + ToString() + "'";
    case SqlType::kIntervalDayTime:
      return "INTERVAL '" + FormatDouble(static_cast<double>(int_) / 1e6) + "' SECOND";
    case SqlType::kIntervalYearMonth: return "INTERVAL '" + std::to_string(int_) + "' MONTH";
    default: return ToString();
  }
}

bool Value::operator==(const Value& other) const {
  if (type_ != other.type_ || null_ != other.null_) return false;
  if (null_) return true;
  switch (type_) {
    case SqlType::kDouble: return std::memcmp(&double_, &other.double_, sizeof(double)) == 0;
    case SqlType::kVarchar: return string_ == other.string_;
    default: return int_ == other.int_;
  }
}

Value ValueAt(const Column& column, SqlType type, size_t i) {
  if (column.IsNull(i)) return Value::Null(type);
  switch (type) {
    case SqlType::kUnknown: return Value::Null(type);
    case SqlType::kBoolean: return Value::Boolean(column.Bool(i));
    case SqlType::kInteger: return Value::Integer(column.Int32(i));
    case SqlType::kBigint: return Value::Bigint(column.Int64(i));
    case SqlType::kDouble: return Value::Double(column.Double(i));
    case SqlType::kVarchar: return Value::Varchar(std::string(column.String(i)));
    case SqlType::kTimestamp: return Value::Timestamp(column.Int64(i));
    case SqlType::kDate: return Value::Date(column.Int32(i));
    case SqlType::kIntervalDayTime: return Value::IntervalDayTime(column.Int64(i));
    case SqlType::kIntervalYearMonth: return Value::IntervalYearMonth(column.Int32(i));
  }
  return Value::Null(type);
}

void AppendValue(const Value& v, Column* column) {
  if (v.is_null()) {
    column->AppendNull();
    return;
  }
  switch (column->type()) {
    case ColumnType::kString: column->AppendString(v.AsString()); break;
    case ColumnType::kInt32: column->AppendInt32(v.AsInt32()); break;
    case ColumnType::kInt64:
    case ColumnType::kTimestamp: column->AppendInt64(v.AsInt64()); break;
    case ColumnType::kDouble: column->AppendDouble(v.AsDouble()); break;
    case ColumnType::kBool: column->AppendBool(v.AsBool()); break;
  }
}

}  // namespace loglake::query
