// libFuzzer target: any byte string as SQL (up to the first NUL byte), with `?` parameters made
// from the bytes after it, planned against the built-in access_log table. PlanQuery must return
// a plan or an error, never crash, trip a sanitizer, hang or recurse without bound; a plan must
// print, clone and report its columns.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "lake/table.h"
#include "query/binder.h"

namespace {

using loglake::Result;
using loglake::Status;
using loglake::query::ExprPtr;
using loglake::query::QueryPlan;
using loglake::query::SqlType;
using loglake::query::Value;

// Reads the parameter bytes in order; runs dry into zeros.
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
    size_t n = Byte() % 32;
    std::string s;
    for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(Byte()));
    return s;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

Value MakeParam(ParamBytes* bytes) {
  switch (bytes->Byte() % 8) {
    case 0: return Value::Varchar(bytes->Text());
    case 1: return Value::Integer(static_cast<int32_t>(bytes->Word()));
    case 2: return Value::Bigint(static_cast<int64_t>(bytes->Word()));
    case 3: {
      uint64_t bits = bytes->Word();
      double d;
      std::memcpy(&d, &bits, sizeof d);
      return Value::Double(d);
    }
    case 4: return Value::Boolean(bytes->Byte() & 1);
    case 5: return Value::Timestamp(static_cast<int64_t>(bytes->Word() % (uint64_t{1} << 58)));
    case 6: return Value::Null(SqlType::kUnknown);
    default: return Value::Varchar("' OR 1=1 --");
  }
}

Result<loglake::lake::TableDef> Resolve(std::string_view name) {
  if (name == "access_log") return loglake::lake::AccessLogTable();
  return Status::NotFound("no table " + std::string(name));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const uint8_t* nul = static_cast<const uint8_t*>(std::memchr(data, 0, size));
  size_t sql_size = nul != nullptr ? static_cast<size_t>(nul - data) : size;
  std::string_view sql(reinterpret_cast<const char*>(data), sql_size);
  ParamBytes bytes(nul != nullptr ? nul + 1 : data + size, nul != nullptr ? size - sql_size - 1 : 0);

  // As many parameters as `?` characters (capped): most inputs then pass the count check and
  // reach the binder; `?` inside strings or comments exercise the mismatch error.
  size_t marks = 0;
  for (char c : sql) marks += c == '?' ? 1 : 0;
  std::vector<Value> params;
  for (size_t i = 0; i < marks && i < 64; ++i) params.push_back(MakeParam(&bytes));

  Result<QueryPlan> plan = loglake::query::PlanQuery(sql, params, Resolve, 1715342400000000);
  if (plan.ok()) {
    (void)plan->ToString();
    (void)plan->ReferencedColumns();
    (void)plan->TableLevelTypes();
    for (const auto& o : plan->outputs) {
      ExprPtr copy = o.expr->Clone();
      if (!copy->SameAs(*o.expr)) __builtin_trap();
    }
  } else if (plan.status().message().empty()) {
    __builtin_trap();  // every error must say something
  }
  return 0;
}
