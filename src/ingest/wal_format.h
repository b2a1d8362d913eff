// The on-disk format of the write-ahead log (docs/ingest.md has the whole picture).
//
// The log is a sequence of entries addressed by LSN: the byte position of an entry in the
// logical stream that the segment files hold back to back. A segment is named by the LSN of its
// first entry, `<20-digit LSN>.wal`, and starts with a 16-byte header:
//
//   "LLWAL001" | first LSN (u64, little-endian)
//
// then entries, never split across segments:
//
//   checksum (u64 LE) | payload size (u32 LE) | type (u8) | 3 zero bytes | payload
//
// The checksum is XXH3-64 of everything after it (size, type, padding, payload) seeded with the
// entry's own LSN, so a
// zero-filled or stale tail, an entry read at the wrong position, and a torn write all fail
// verification: the first entry that fails marks the end of what was ever written whole.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace loglake::ingest {

using Lsn = uint64_t;

inline constexpr std::string_view kSegmentMagic = "LLWAL001";
inline constexpr size_t kSegmentHeaderBytes = 16;
inline constexpr size_t kEntryHeaderBytes = 16;
// Larger sizes in a header mean damage, not data: no batch the server accepts comes near it.
inline constexpr uint32_t kMaxEntryPayloadBytes = 256u << 20;

// What an entry holds; the log itself does not interpret payloads.
enum class EntryType : uint8_t {
  kRecords = 1,  // a batch of accepted records (ingest/record_batch.h)
  kMarker = 2,   // bookkeeping of the layer above (e.g. where a flush cut the stream)
};

// "<20-digit lsn>.wal"
std::string SegmentFileName(Lsn first_lsn);
// Parses a segment file name; false for anything else in the directory.
bool ParseSegmentFileName(std::string_view name, Lsn* first_lsn);

std::string EncodeSegmentHeader(Lsn first_lsn);
bool DecodeSegmentHeader(std::string_view bytes, Lsn* first_lsn);

// Appends header + payload of the entry at `lsn` to *out.
void AppendEntry(Lsn lsn, EntryType type, std::string_view payload, std::string* out);

enum class EntryCheck {
  kOk,
  kTruncated,    // fewer bytes than the header or the payload needs
  kDamaged,      // impossible size or type, or checksum mismatch
};

struct EntryView {
  EntryType type = EntryType::kRecords;
  std::string_view payload;
  size_t encoded_bytes = 0;  // header + payload
};

// Checks the entry at the start of `bytes`, which sits at `lsn`.
EntryCheck DecodeEntry(std::string_view bytes, Lsn lsn, EntryView* out);

}  // namespace loglake::ingest
