#include "parquet/thrift_compact.h"

#include <cstring>

namespace loglake::parquet {

namespace {

uint64_t ZigzagEncode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}

int64_t ZigzagDecode(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

// Smallest encoded size of one list element of `type`: bounds a list's claimed length by the
// bytes that are left, so a bogus length cannot drive a huge loop or allocation.
size_t MinElementSize(CType type) { return type == CType::kDouble ? 8 : 1; }

}  // namespace

const char* CTypeName(CType type) {
  switch (type) {
    case CType::kStop: return "stop";
    case CType::kBoolTrue:
    case CType::kBoolFalse: return "bool";
    case CType::kByte: return "byte";
    case CType::kI16: return "i16";
    case CType::kI32: return "i32";
    case CType::kI64: return "i64";
    case CType::kDouble: return "double";
    case CType::kBinary: return "binary";
    case CType::kList: return "list";
    case CType::kSet: return "set";
    case CType::kMap: return "map";
    case CType::kStruct: return "struct";
  }
  return "unknown";
}

// ---------------------------------------------------------------------------------------------
// CompactWriter

void CompactWriter::StructBegin() {
  field_id_stack_.push_back(last_field_id_);
  last_field_id_ = 0;
}

void CompactWriter::StructEnd() {
  out_->push_back(static_cast<char>(CType::kStop));
  last_field_id_ = field_id_stack_.empty() ? 0 : field_id_stack_.back();
  if (!field_id_stack_.empty()) field_id_stack_.pop_back();
}

void CompactWriter::FieldBegin(int16_t id, CType type) {
  const int delta = static_cast<int>(id) - static_cast<int>(last_field_id_);
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_->push_back(static_cast<char>(type));
    I16(id);
  }
  last_field_id_ = id;
}

void CompactWriter::FieldBool(int16_t id, bool value) {
  FieldBegin(id, value ? CType::kBoolTrue : CType::kBoolFalse);
}

void CompactWriter::ListBegin(CType elem, uint32_t size) {
  // Bool elements are announced as type 1, which every reader accepts.
  const int elem_code = elem == CType::kBoolFalse ? static_cast<int>(CType::kBoolTrue) : static_cast<int>(elem);
  if (size < 15) {
    out_->push_back(static_cast<char>((size << 4) | elem_code));
  } else {
    out_->push_back(static_cast<char>(0xF0 | elem_code));
    Varint(size);
  }
}

void CompactWriter::I64(int64_t value) { Varint(ZigzagEncode(value)); }

void CompactWriter::Double(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(bits >> (8 * i));  // little-endian
  out_->append(buf, sizeof(buf));
}

void CompactWriter::Binary(std::string_view value) {
  Varint(value.size());
  out_->append(value);
}

void CompactWriter::Varint(uint64_t v) {
  char buf[10];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out_->append(buf, static_cast<size_t>(n));
}

// ---------------------------------------------------------------------------------------------
// CompactReader

Status CompactReader::Error(const std::string& what) const {
  return Status::Corruption("thrift: " + what + " at byte " + std::to_string(position()));
}

Status CompactReader::ReadVarint(uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ == end_) return Error("truncated varint");
    const uint8_t b = *pos_++;
    // The 10th byte may only contribute the single top bit.
    if (shift == 63 && b > 1) return Error("varint overflows 64 bits");
    result |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) {
      *v = result;
      return Status::OK();
    }
  }
  return Error("varint longer than 10 bytes");
}

Status CompactReader::ReadZigzag(int64_t* v) {
  uint64_t u;
  RETURN_IF_ERROR(ReadVarint(&u));
  *v = ZigzagDecode(u);
  return Status::OK();
}

Status CompactReader::CheckType(uint8_t nibble, bool allow_stop) const {
  if (nibble > static_cast<uint8_t>(CType::kStruct) || (nibble == 0 && !allow_stop)) {
    return Error("invalid type code " + std::to_string(nibble));
  }
  return Status::OK();
}

Status CompactReader::StructBegin() {
  if (field_id_stack_.size() >= static_cast<size_t>(kMaxNestingDepth)) {
    return Error("structs nested deeper than " + std::to_string(kMaxNestingDepth));
  }
  field_id_stack_.push_back(last_field_id_);
  last_field_id_ = 0;
  return Status::OK();
}

Status CompactReader::StructEnd() {
  if (field_id_stack_.empty()) return Error("struct end without struct begin");
  last_field_id_ = field_id_stack_.back();
  field_id_stack_.pop_back();
  return Status::OK();
}

Status CompactReader::ReadFieldHeader(FieldHeader* h) {
  if (pos_ == end_) return Error("truncated struct (no stop byte)");
  const uint8_t b = *pos_++;
  const uint8_t type = b & 0x0F;
  RETURN_IF_ERROR(CheckType(type, /*allow_stop=*/true));
  h->type = static_cast<CType>(type);
  if (h->type == CType::kStop) {
    if ((b >> 4) != 0) return Error("malformed stop byte");
    h->id = 0;
    return Status::OK();
  }
  const int delta = b >> 4;
  if (delta != 0) {
    const int id = static_cast<int>(last_field_id_) + delta;
    if (id > INT16_MAX) return Error("field id overflows i16");
    h->id = static_cast<int16_t>(id);
  } else {
    int16_t id;
    RETURN_IF_ERROR(ReadI16(&id));
    h->id = id;
  }
  last_field_id_ = h->id;
  return Status::OK();
}

Status CompactReader::ListBegin(CType* elem, uint32_t* size) {
  if (pos_ == end_) return Error("truncated list header");
  const uint8_t b = *pos_++;
  const uint8_t type = b & 0x0F;
  RETURN_IF_ERROR(CheckType(type, /*allow_stop=*/false));
  uint64_t n = b >> 4;
  if (n == 15) RETURN_IF_ERROR(ReadVarint(&n));
  *elem = type == static_cast<uint8_t>(CType::kBoolFalse) ? CType::kBoolTrue : static_cast<CType>(type);
  if (n > remaining() / MinElementSize(*elem)) {
    return Error("list of " + std::to_string(n) + " elements is longer than the remaining " +
                 std::to_string(remaining()) + " bytes");
  }
  *size = static_cast<uint32_t>(n);
  return Status::OK();
}

Status CompactReader::ReadBoolElement(bool* v) {
  if (pos_ == end_) return Error("truncated bool");
  const uint8_t b = *pos_++;
  // 1 is true; 2 is false, and 0 was false in older revisions of the specification.
  if (b > 2) return Error("invalid bool value " + std::to_string(b));
  *v = b == 1;
  return Status::OK();
}

Status CompactReader::ReadByte(int8_t* v) {
  if (pos_ == end_) return Error("truncated byte");
  *v = static_cast<int8_t>(*pos_++);
  return Status::OK();
}

Status CompactReader::ReadI16(int16_t* v) {
  int64_t x;
  RETURN_IF_ERROR(ReadZigzag(&x));
  if (x < INT16_MIN || x > INT16_MAX) return Error("i16 value out of range");
  *v = static_cast<int16_t>(x);
  return Status::OK();
}

Status CompactReader::ReadI32(int32_t* v) {
  int64_t x;
  RETURN_IF_ERROR(ReadZigzag(&x));
  if (x < INT32_MIN || x > INT32_MAX) return Error("i32 value out of range");
  *v = static_cast<int32_t>(x);
  return Status::OK();
}

Status CompactReader::ReadI64(int64_t* v) { return ReadZigzag(v); }

Status CompactReader::ReadDouble(double* v) {
  if (remaining() < 8) return Error("truncated double");
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(pos_[i]) << (8 * i);
  pos_ += 8;
  std::memcpy(v, &bits, sizeof(bits));
  return Status::OK();
}

Status CompactReader::ReadBinary(std::string_view* v) {
  uint64_t n;
  RETURN_IF_ERROR(ReadVarint(&n));
  if (n > remaining()) {
    return Error("binary of " + std::to_string(n) + " bytes is longer than the remaining " +
                 std::to_string(remaining()) + " bytes");
  }
  *v = std::string_view(reinterpret_cast<const char*>(pos_), n);
  pos_ += n;
  return Status::OK();
}

Status CompactReader::ReadBinary(std::string* v) {
  std::string_view view;
  RETURN_IF_ERROR(ReadBinary(&view));
  v->assign(view);
  return Status::OK();
}

Status CompactReader::Skip(CType type) { return SkipValue(type, 0); }

Status CompactReader::SkipValue(CType type, int depth) {
  if (depth > kMaxNestingDepth) return Error("values nested deeper than " + std::to_string(kMaxNestingDepth));
  switch (type) {
    case CType::kBoolTrue:
    case CType::kBoolFalse:
      return Status::OK();  // a bool field's value is in its header
    case CType::kByte: {
      int8_t v;
      return ReadByte(&v);
    }
    case CType::kI16:
    case CType::kI32:
    case CType::kI64: {
      uint64_t v;
      return ReadVarint(&v);
    }
    case CType::kDouble:
      if (remaining() < 8) return Error("truncated double");
      pos_ += 8;
      return Status::OK();
    case CType::kBinary: {
      std::string_view v;
      return ReadBinary(&v);
    }
    case CType::kList:
    case CType::kSet: {
      CType elem;
      uint32_t n;
      RETURN_IF_ERROR(ListBegin(&elem, &n));
      for (uint32_t i = 0; i < n; ++i) {
        if (elem == CType::kBoolTrue) {
          bool b;
          RETURN_IF_ERROR(ReadBoolElement(&b));
        } else {
          RETURN_IF_ERROR(SkipValue(elem, depth + 1));
        }
      }
      return Status::OK();
    }
    case CType::kMap: {
      uint64_t n;
      RETURN_IF_ERROR(ReadVarint(&n));
      if (n == 0) return Status::OK();
      if (pos_ == end_) return Error("truncated map header");
      const uint8_t kv = *pos_++;
      RETURN_IF_ERROR(CheckType(kv >> 4, false));
      RETURN_IF_ERROR(CheckType(kv & 0x0F, false));
      // Each entry needs at least two bytes.
      if (n > remaining() / 2) return Error("map of " + std::to_string(n) + " entries exceeds the input");
      const CType key = static_cast<CType>(kv >> 4);
      const CType value = static_cast<CType>(kv & 0x0F);
      for (uint64_t i = 0; i < n; ++i) {
        for (CType t : {key, value}) {
          if (t == CType::kBoolTrue || t == CType::kBoolFalse) {
            bool b;
            RETURN_IF_ERROR(ReadBoolElement(&b));
          } else {
            RETURN_IF_ERROR(SkipValue(t, depth + 1));
          }
        }
      }
      return Status::OK();
    }
    case CType::kStruct: {
      RETURN_IF_ERROR(StructBegin());
      while (true) {
        FieldHeader h;
        RETURN_IF_ERROR(ReadFieldHeader(&h));
        if (h.type == CType::kStop) break;
        RETURN_IF_ERROR(SkipValue(h.type, depth + 1));
      }
      return StructEnd();
    }
    case CType::kStop:
      break;
  }
  return Error(std::string("cannot skip a value of type ") + CTypeName(type));
}

}  // namespace loglake::parquet
