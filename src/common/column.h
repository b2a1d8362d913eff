// Column: a vector of values of one logical type, with a validity mask.
//
// This is the unit of data everywhere between the JSON parser and the query engine: the record
// parser appends to columns, the Parquet writer encodes them, the Parquet reader decodes into
// them, the executor computes over them. Null slots still occupy a (zero / empty) value so that
// index i means row i in every column of a batch.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loglake {

enum class ColumnType : uint8_t {
  kString,     // UTF-8 text
  kInt32,
  kInt64,
  kDouble,
  kBool,
  kTimestamp,  // microseconds since 1970-01-01T00:00:00Z, int64
};

// "string", "int32", "int64", "double", "bool", "timestamp".
const char* ColumnTypeName(ColumnType type);
// Accepts the names above (case-insensitive) and the aliases "varchar", "int", "bigint",
// "boolean"; nullopt otherwise.
std::optional<ColumnType> ParseColumnType(std::string_view name);

struct Field {
  std::string name;
  ColumnType type = ColumnType::kString;
  bool nullable = true;
};

class Column {
 public:
  explicit Column(ColumnType type) : type_(type) { str_offsets_.push_back(0); }

  ColumnType type() const { return type_; }
  size_t size() const { return valid_.size(); }
  size_t null_count() const { return null_count_; }
  bool IsNull(size_t i) const { return valid_[i] == 0; }

  void AppendNull();
  void AppendInt32(int32_t v) { i32_.push_back(v); valid_.push_back(1); }
  void AppendInt64(int64_t v) { i64_.push_back(v); valid_.push_back(1); }
  void AppendTimestamp(int64_t micros) { AppendInt64(micros); }
  void AppendDouble(double v) { f64_.push_back(v); valid_.push_back(1); }
  void AppendBool(bool v) { b_.push_back(v ? 1 : 0); valid_.push_back(1); }
  void AppendString(std::string_view v) {
    char* dst = StringSpace(v.size());
    if (!v.empty()) std::memcpy(dst, v.data(), v.size());
    EndString(v.size());
  }
  // Readable bytes AppendStringOverread may read from the start of its value.
  static constexpr size_t kStringOverread = 32;
  // AppendString for a value with at least kStringOverread readable bytes from v.data() (a view
  // into a padded record): values up to that size move in fixed 16- or 32-byte copies that the
  // compiler inlines, instead of a call to memcpy (most values of a log record are that short).
  void AppendStringOverread(std::string_view v) {
    const size_t n = v.size();
    char* dst = StringSpace(n > kStringOverread ? n : kStringOverread);
    if (n <= 16) {
      std::memcpy(dst, v.data(), 16);
    } else if (n <= kStringOverread) {
      std::memcpy(dst, v.data(), kStringOverread);
    } else {
      std::memcpy(dst, v.data(), n);
    }
    EndString(n);
  }
  // Appends row `i` of `other` (same type).
  void AppendFrom(const Column& other, size_t i);

  int32_t Int32(size_t i) const { return i32_[i]; }
  int64_t Int64(size_t i) const { return i64_[i]; }
  int64_t Timestamp(size_t i) const { return i64_[i]; }
  double Double(size_t i) const { return f64_[i]; }
  bool Bool(size_t i) const { return b_[i] != 0; }
  std::string_view String(size_t i) const {
    return std::string_view(str_data_.data() + str_offsets_[i], str_offsets_[i + 1] - str_offsets_[i]);
  }

  // Raw storage for vectorized code. validity()[i] is 1 when row i has a value.
  const std::vector<uint8_t>& validity() const { return valid_; }
  const std::vector<int32_t>& int32_values() const { return i32_; }
  const std::vector<int64_t>& int64_values() const { return i64_; }  // also timestamps
  const std::vector<double>& double_values() const { return f64_; }
  const std::vector<uint8_t>& bool_values() const { return b_; }
  const std::vector<uint64_t>& string_offsets() const { return str_offsets_; }  // size()+1 entries
  // The bytes of every string value, back to back (string_offsets() index into it).
  std::string_view string_data() const { return std::string_view(str_data_.data(), str_size_); }

  // Bytes held by values (not capacity); used for buffer accounting.
  size_t ByteSize() const;
  void Reserve(size_t rows);
  void Clear();

 private:
  ColumnType type_;
  std::vector<uint8_t> valid_;
  size_t null_count_ = 0;
  std::vector<int32_t> i32_;
  std::vector<int64_t> i64_;
  std::vector<double> f64_;
  std::vector<uint8_t> b_;
  // Room for `n` more bytes of string data; returns where they go. Both are inlined into the
  // record parser's per-value loop: as calls they cost as much as the copy.
  [[gnu::always_inline]] char* StringSpace(size_t n) {
    if (str_data_.size() - str_size_ < n) GrowStringData(n);
    return str_data_.data() + str_size_;
  }
  [[gnu::always_inline]] void EndString(size_t n) {
    str_size_ += n;
    str_offsets_.push_back(str_size_);
    valid_.push_back(1);
  }
  void GrowStringData(size_t n);

  std::vector<uint64_t> str_offsets_;
  // String bytes: the first str_size_ are values, the rest is room to append into without
  // std::string's per-append bookkeeping (it only grows, by doubling).
  std::string str_data_;
  size_t str_size_ = 0;
};

// Rows of a table in columnar form: columns[i] holds the values of fields[i].
struct ColumnBatch {
  std::vector<Field> fields;
  std::vector<Column> columns;

  ColumnBatch() = default;
  explicit ColumnBatch(std::vector<Field> f);
  size_t num_rows() const { return columns.empty() ? 0 : columns[0].size(); }
  // Index of the field named `name`, or -1.
  int FieldIndex(std::string_view name) const;
  size_t ByteSize() const;
  void Clear();
};

}  // namespace loglake
