// The input format the SQL fuzz targets share: the bytes up to the first NUL are the SQL text;
// the bytes after it make one typed parameter per `?` in the text (at most 64), so most inputs
// pass the parameter-count check and reach the binder, while a `?` inside a string or comment
// exercises the mismatch error. Parameter bytes run dry into zeros.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "query/types.h"

namespace loglake::fuzz {

class ParamBytes {
 public:
  ParamBytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Byte() { return at_ < size_ ? data_[at_++] : 0; }
  uint64_t Word() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | Byte();
    return v;
  }
  std::string Text() {
    const size_t n = Byte() % 32;
    std::string s;
    for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(Byte()));
    return s;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

// Timestamps fall in [timestamp_base, timestamp_base + timestamp_span) microseconds.
inline query::Value MakeParam(ParamBytes* bytes, int64_t timestamp_base, uint64_t timestamp_span) {
  using query::Value;
  switch (bytes->Byte() % 8) {
    case 0: return Value::Varchar(bytes->Text());
    case 1: return Value::Integer(static_cast<int32_t>(bytes->Word()));
    case 2: return Value::Bigint(static_cast<int64_t>(bytes->Word()));
    case 3: {
      const uint64_t bits = bytes->Word();
      double d;
      std::memcpy(&d, &bits, sizeof d);
      return Value::Double(d);
    }
    case 4: return Value::Boolean(bytes->Byte() & 1);
    case 5: return Value::Timestamp(timestamp_base + static_cast<int64_t>(bytes->Word() % timestamp_span));
    case 6: return Value::Null(query::SqlType::kUnknown);
    default: return Value::Varchar("' OR 1=1 --");
  }
}

struct QueryInput {
  std::string_view sql;
  std::vector<query::Value> params;
};

inline QueryInput SplitQueryInput(const uint8_t* data, size_t size, int64_t timestamp_base, uint64_t timestamp_span) {
  const uint8_t* nul = static_cast<const uint8_t*>(std::memchr(data, 0, size));
  const size_t sql_size = nul != nullptr ? static_cast<size_t>(nul - data) : size;
  QueryInput input;
  input.sql = std::string_view(reinterpret_cast<const char*>(data), sql_size);
  ParamBytes bytes(nul != nullptr ? nul + 1 : data + size, nul != nullptr ? size - sql_size - 1 : 0);
  size_t marks = 0;
  for (char c : input.sql) marks += c == '?' ? 1 : 0;
  for (size_t i = 0; i < marks && i < 64; ++i) input.params.push_back(MakeParam(&bytes, timestamp_base, timestamp_span));
  return input;
}

}  // namespace loglake::fuzz
