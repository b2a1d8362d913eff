#include "ingest/wal_format.h"

#include <xxhash.h>

#include <cstdio>
#include <cstring>

namespace loglake::ingest {
namespace {

void PutU32(uint32_t v, char* p) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (8 * i));
}
void PutU64(uint64_t v, char* p) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(v >> (8 * i));
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}
uint64_t GetU64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

// Over everything after the checksum field: size, type, padding and payload, contiguous.
uint64_t Checksum(Lsn lsn, const char* entry, size_t payload_size) {
  return XXH3_64bits_withSeed(entry + 8, kEntryHeaderBytes - 8 + payload_size, lsn);
}

bool KnownType(uint8_t t) {
  return t == static_cast<uint8_t>(EntryType::kRecords) || t == static_cast<uint8_t>(EntryType::kMarker);
}

}  // namespace

std::string SegmentFileName(Lsn first_lsn) {
  char name[32];
  std::snprintf(name, sizeof(name), "%020llu.wal", static_cast<unsigned long long>(first_lsn));
  return name;
}

bool ParseSegmentFileName(std::string_view name, Lsn* first_lsn) {
  if (name.size() != 24 || name.substr(20) != ".wal") return false;
  Lsn v = 0;
  for (char c : name.substr(0, 20)) {
    if (c < '0' || c > '9') return false;
    const Lsn digit = static_cast<Lsn>(c - '0');
    if (v > (UINT64_MAX - digit) / 10) return false;
    v = v * 10 + digit;
  }
  *first_lsn = v;
  return true;
}

std::string EncodeSegmentHeader(Lsn first_lsn) {
  std::string h(kSegmentMagic);
  h.resize(kSegmentHeaderBytes);
  PutU64(first_lsn, h.data() + 8);
  return h;
}

bool DecodeSegmentHeader(std::string_view bytes, Lsn* first_lsn) {
  if (bytes.size() < kSegmentHeaderBytes || bytes.substr(0, 8) != kSegmentMagic) return false;
  *first_lsn = GetU64(bytes.data() + 8);
  return true;
}

void AppendEntry(Lsn lsn, EntryType type, std::string_view payload, std::string* out) {
  const size_t at = out->size();
  out->resize(at + kEntryHeaderBytes);
  char* header = out->data() + at;
  PutU32(static_cast<uint32_t>(payload.size()), header + 8);
  header[12] = static_cast<char>(type);
  out->append(payload);
  header = out->data() + at;  // append may have moved the buffer
  PutU64(Checksum(lsn, header, payload.size()), header);
}

EntryCheck DecodeEntry(std::string_view bytes, Lsn lsn, EntryView* out) {
  if (bytes.size() < kEntryHeaderBytes) return EntryCheck::kTruncated;
  const char* h = bytes.data();
  const uint32_t size = GetU32(h + 8);
  const uint8_t type = static_cast<uint8_t>(h[12]);
  if (size > kMaxEntryPayloadBytes || !KnownType(type) || h[13] != 0 || h[14] != 0 || h[15] != 0) {
    return EntryCheck::kDamaged;
  }
  if (bytes.size() - kEntryHeaderBytes < size) return EntryCheck::kTruncated;
  const std::string_view payload = bytes.substr(kEntryHeaderBytes, size);
  if (Checksum(lsn, h, size) != GetU64(h)) return EntryCheck::kDamaged;
  out->type = static_cast<EntryType>(type);
  out->payload = payload;
  out->encoded_bytes = kEntryHeaderBytes + size;
  return EntryCheck::kOk;
}

}  // namespace loglake::ingest
