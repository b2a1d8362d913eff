#include "common/column.h"

#include <algorithm>
#include <cctype>

#include "common/ascii.h"

namespace loglake {

const char* ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kString: return "string";
    case ColumnType::kInt32: return "int32";
    case ColumnType::kInt64: return "int64";
    case ColumnType::kDouble: return "double";
    case ColumnType::kBool: return "bool";
    case ColumnType::kTimestamp: return "timestamp";
  }
  return "unknown";
}

std::optional<ColumnType> ParseColumnType(std::string_view name) {
  const std::string n = AsciiLowered(name);
  if (n == "string" || n == "varchar") return ColumnType::kString;
  if (n == "int32" || n == "int" || n == "integer") return ColumnType::kInt32;
  if (n == "int64" || n == "bigint") return ColumnType::kInt64;
  if (n == "double") return ColumnType::kDouble;
  if (n == "bool" || n == "boolean") return ColumnType::kBool;
  if (n == "timestamp") return ColumnType::kTimestamp;
  return std::nullopt;
}

void Column::AppendNull() {
  switch (type_) {
    case ColumnType::kString: str_offsets_.push_back(str_size_); break;
    case ColumnType::kInt32: i32_.push_back(0); break;
    case ColumnType::kInt64:
    case ColumnType::kTimestamp: i64_.push_back(0); break;
    case ColumnType::kDouble: f64_.push_back(0); break;
    case ColumnType::kBool: b_.push_back(0); break;
  }
  valid_.push_back(0);
  ++null_count_;
}

void Column::AppendFrom(const Column& other, size_t i) {
  if (other.IsNull(i)) {
    AppendNull();
    return;
  }
  switch (type_) {
    case ColumnType::kString: AppendString(other.String(i)); break;
    case ColumnType::kInt32: AppendInt32(other.Int32(i)); break;
    case ColumnType::kInt64:
    case ColumnType::kTimestamp: AppendInt64(other.Int64(i)); break;
    case ColumnType::kDouble: AppendDouble(other.Double(i)); break;
    case ColumnType::kBool: AppendBool(other.Bool(i)); break;
  }
}

size_t Column::ByteSize() const {
  return valid_.size() + i32_.size() * 4 + i64_.size() * 8 + f64_.size() * 8 + b_.size() +
         str_offsets_.size() * 8 + str_size_;
}

void Column::GrowStringData(size_t n) {
  str_data_.resize(std::max({str_size_ + n, str_data_.size() * 2, size_t{256}}));
}

void Column::Reserve(size_t rows) {
  valid_.reserve(rows);
  switch (type_) {
    case ColumnType::kString: str_offsets_.reserve(rows + 1); break;
    case ColumnType::kInt32: i32_.reserve(rows); break;
    case ColumnType::kInt64:
    case ColumnType::kTimestamp: i64_.reserve(rows); break;
    case ColumnType::kDouble: f64_.reserve(rows); break;
    case ColumnType::kBool: b_.reserve(rows); break;
  }
}

void Column::Clear() {
  valid_.clear();
  null_count_ = 0;
  i32_.clear();
  i64_.clear();
  f64_.clear();
  b_.clear();
  str_offsets_.assign(1, 0);
  str_size_ = 0;  // keeps str_data_'s room
}

ColumnBatch::ColumnBatch(std::vector<Field> f) : fields(std::move(f)) {
  columns.reserve(fields.size());
  for (const Field& field : fields) columns.emplace_back(field.type);
}

int ColumnBatch::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

size_t ColumnBatch::ByteSize() const {
  size_t n = 0;
  for (const Column& c : columns) n += c.ByteSize();
  return n;
}

void ColumnBatch::Clear() {
  for (Column& c : columns) c.Clear();
}

}  // namespace loglake
