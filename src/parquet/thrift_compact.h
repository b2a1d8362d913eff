// The Thrift compact protocol, as Parquet uses it for its footer, page headers and page index.
//
// Written from the Thrift compact protocol specification. Only what Parquet needs is here: structs,
// lists/sets, maps (skipped only), the base types; no messages/RPC.
//
// CompactWriter appends to a std::string and cannot fail. The caller brackets every struct with
// StructBegin()/StructEnd() (the outermost one too) and writes each field as FieldBegin(id, type)
// followed by its value, or with one of the Field*() shorthands. Field ids within a struct must
// increase for the short (delta) header form to be used; any order is still encoded correctly.
//
// CompactReader decodes a bounded byte span that may be hostile: it never reads outside the span,
// rejects sizes that cannot fit in the remaining bytes, limits struct/list nesting to
// kMaxNestingDepth, and can Skip() a value of any type so that fields from newer writers are
// ignored. Every failure is Status::Corruption describing what was wrong and at which offset.
// The reader does not own the bytes: they must outlive it (and any view ReadBinary returned).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace loglake::parquet {

// Wire type codes of the compact protocol. In a field header kBoolTrue/kBoolFalse carry the
// value of a bool field; as a list element type either of them means "bool".
enum class CType : uint8_t {
  kStop = 0,
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

// "i32", "struct", ... for error messages.
const char* CTypeName(CType type);

class CompactWriter {
 public:
  explicit CompactWriter(std::string* out) : out_(out) {}

  void StructBegin();
  // Writes the stop byte closing the innermost open struct.
  void StructEnd();

  // Field header; for a bool field use FieldBool() instead (the value lives in the header).
  void FieldBegin(int16_t id, CType type);
  void FieldBool(int16_t id, bool value);
  void FieldI32(int16_t id, int32_t value) { FieldBegin(id, CType::kI32); I32(value); }
  void FieldI64(int16_t id, int64_t value) { FieldBegin(id, CType::kI64); I64(value); }
  void FieldI16(int16_t id, int16_t value) { FieldBegin(id, CType::kI16); I16(value); }
  void FieldByte(int16_t id, int8_t value) { FieldBegin(id, CType::kByte); Byte(value); }
  void FieldDouble(int16_t id, double value) { FieldBegin(id, CType::kDouble); Double(value); }
  void FieldBinary(int16_t id, std::string_view value) { FieldBegin(id, CType::kBinary); Binary(value); }
  // A field holding a list of `size` elements of `elem`; the elements follow.
  void FieldListBegin(int16_t id, CType elem, uint32_t size) { FieldBegin(id, CType::kList); ListBegin(elem, size); }

  // Values (list elements, or the value after FieldBegin()).
  void ListBegin(CType elem, uint32_t size);
  void BoolElement(bool value) { out_->push_back(static_cast<char>(value ? 1 : 2)); }
  void Byte(int8_t value) { out_->push_back(static_cast<char>(value)); }
  void I16(int16_t value) { I64(value); }
  void I32(int32_t value) { I64(value); }
  void I64(int64_t value);
  void Double(double value);
  void Binary(std::string_view value);

  std::string* output() { return out_; }

 private:
  void Varint(uint64_t v);

  std::string* out_;
  int16_t last_field_id_ = 0;
  std::vector<int16_t> field_id_stack_;
};

struct FieldHeader {
  CType type = CType::kStop;  // kStop: the struct has no more fields
  int16_t id = 0;
  // For bool fields (type kBoolTrue/kBoolFalse), the value carried by the header.
  bool bool_value() const { return type == CType::kBoolTrue; }
  bool is_bool() const { return type == CType::kBoolTrue || type == CType::kBoolFalse; }
};

class CompactReader {
 public:
  static constexpr int kMaxNestingDepth = 64;

  CompactReader(const uint8_t* data, size_t size) : begin_(data), pos_(data), end_(data + size) {}
  explicit CompactReader(std::string_view data)
      : CompactReader(reinterpret_cast<const uint8_t*>(data.data()), data.size()) {}

  Status StructBegin();
  Status StructEnd();
  // Reads the next field header of the innermost struct; h->type == kStop ends the struct (the
  // caller then calls StructEnd()).
  Status ReadFieldHeader(FieldHeader* h);

  // *elem is normalized: a bool element type is reported as kBoolTrue.
  Status ListBegin(CType* elem, uint32_t* size);
  Status ReadBoolElement(bool* v);
  Status ReadByte(int8_t* v);
  Status ReadI16(int16_t* v);
  Status ReadI32(int32_t* v);
  Status ReadI64(int64_t* v);
  Status ReadDouble(double* v);
  // The view points into the input span.
  Status ReadBinary(std::string_view* v);
  Status ReadBinary(std::string* v);

  // Skips one value of `type` (for a bool field, whose value is in the header, nothing is read).
  Status Skip(CType type);

  // Bytes consumed so far.
  size_t position() const { return static_cast<size_t>(pos_ - begin_); }
  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }

 private:
  Status ReadVarint(uint64_t* v);
  Status ReadZigzag(int64_t* v);
  Status Error(const std::string& what) const;
  Status SkipValue(CType type, int depth);
  Status CheckType(uint8_t nibble, bool allow_stop) const;

  const uint8_t* begin_;
  const uint8_t* pos_;
  const uint8_t* end_;
  int16_t last_field_id_ = 0;
  std::vector<int16_t> field_id_stack_;
};

}  // namespace loglake::parquet
