#include "ingest/table_stream.h"

#include <charconv>
#include <vector>

#include "common/crash_point.h"
#include "common/file.h"

namespace loglake::ingest {
namespace {

constexpr const char* kCheckpointFile = "PUBLISHED";
constexpr size_t kMarkerPayloadBytes = 8;

std::string EncodeMarker(Lsn from) {
  std::string out(kMarkerPayloadBytes, '\0');
  for (size_t i = 0; i < kMarkerPayloadBytes; ++i) out[i] = static_cast<char>(from >> (8 * i));
  return out;
}

bool DecodeMarker(std::string_view payload, Lsn* from) {
  if (payload.size() != kMarkerPayloadBytes) return false;
  Lsn v = 0;
  for (int i = static_cast<int>(kMarkerPayloadBytes) - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(payload[i]);
  *from = v;
  return true;
}

}  // namespace

Result<std::unique_ptr<TableStream>> TableStream::Open(WalOptions wal_options, StreamOptions options,
                                                       std::unique_ptr<FlushSink> sink, int64_t now_micros) {
  ASSIGN_OR_RETURN(std::unique_ptr<Wal> wal, Wal::Open(std::move(wal_options)));
  std::unique_ptr<TableStream> stream(new TableStream(std::move(wal), options, std::move(sink)));
  RETURN_IF_ERROR(stream->Replay(now_micros).WithContext("replaying the WAL in " + stream->wal_->dir()));
  return stream;
}

std::string TableStream::CheckpointPath() const { return wal_->dir() + "/" + kCheckpointFile; }

Status TableStream::WriteCheckpoint(Lsn lsn) {
  return WriteFileAtomically(CheckpointPath(), wal_->id() + " " + std::to_string(lsn) + "\n");
}

Status TableStream::Replay(int64_t now_micros) {
  Lsn checkpoint = wal_->start();
  std::string text;
  if (ReadFileToString(CheckpointPath(), &text).ok()) {
    const size_t space = text.find(' ');
    Lsn lsn = 0;
    const char* digits = space == std::string::npos ? nullptr : text.data() + space + 1;
    const bool parsed = digits != nullptr &&
                        std::from_chars(digits, text.data() + text.size(), lsn).ec == std::errc();
    if (!parsed) return Status::Corruption(CheckpointPath() + ": not a checkpoint ('<wal id> <lsn>')");
    // A checkpoint of an earlier log (the WAL directory was wiped) says nothing about this one.
    if (text.substr(0, space) == wal_->id()) {
      if (lsn < wal_->start() || lsn > wal_->end()) {
        return Status::Corruption(CheckpointPath() + ": checkpoint LSN " + std::to_string(lsn) +
                                  " is outside the log's entries [" + std::to_string(wal_->start()) + ", " +
                                  std::to_string(wal_->end()) + "]");
      }
      checkpoint = lsn;
    }
  }
  published_to_ = checkpoint;

  struct Marker {
    Lsn from, at, after;
  };
  std::vector<Marker> markers;
  RETURN_IF_ERROR(wal_->Read(checkpoint, [&](Lsn lsn, const EntryView& entry) {
    if (entry.type != EntryType::kMarker) return Status::OK();
    Lsn from = 0;
    if (!DecodeMarker(entry.payload, &from)) {
      return Status::Corruption("flush marker at LSN " + std::to_string(lsn) + " is damaged");
    }
    markers.push_back(Marker{from, lsn, lsn + entry.encoded_bytes});
    return Status::OK();
  }));
  for (const Marker& m : markers) {
    if (m.from != published_to_) {
      return Status::Corruption("flush marker at LSN " + std::to_string(m.at) + " starts at " + std::to_string(m.from) +
                                " but the published checkpoint is " + std::to_string(published_to_.load()));
    }
    RETURN_IF_ERROR(Complete(m.from, m.at, m.after));
    ++replayed_flushes_;
  }
  RETURN_IF_ERROR(wal_->RemoveBefore(published_to_));
  if (wal_->end() > published_to_) oldest_micros_ = now_micros;
  return Status::OK();
}

Status TableStream::Complete(Lsn from, Lsn marker, Lsn after_marker) {
  const FlushRange range{wal_->id(), from, marker};
  const EntryReader reader = [&](const EntryVisitor& visit) {
    return wal_->Read(from, marker, [&](Lsn lsn, const EntryView& entry) {
      return entry.type == EntryType::kRecords ? visit(lsn, entry.payload) : Status::OK();
    });
  };
  CrashPoint("flush-marked-not-published");
  RETURN_IF_ERROR(sink_->Publish(range, reader));
  CrashPoint("flush-published-not-checkpointed");
  RETURN_IF_ERROR(WriteCheckpoint(after_marker));
  published_to_ = after_marker;
  ++flushes_;
  return Status::OK();
}

Result<Lsn> TableStream::Append(std::string_view payload, int64_t now_micros) {
  ASSIGN_OR_RETURN(Lsn lsn, wal_->Append(EntryType::kRecords, payload));
  int64_t none = 0;
  oldest_micros_.compare_exchange_strong(none, now_micros);
  return lsn;
}

bool TableStream::FlushDue(int64_t now_micros) const {
  const Lsn end = wal_->end();
  const Lsn published = published_to_;
  if (end <= published) return false;
  if (end - published >= options_.buffer_bytes) return true;
  int64_t oldest = oldest_micros_;
  if (oldest == 0) {
    // Bytes whose arrival time was not recorded (an append raced a flush): count from now.
    oldest_micros_.compare_exchange_strong(oldest, now_micros);
    return false;
  }
  return now_micros - oldest >= options_.buffer_interval_micros;
}

Status TableStream::Flush() {
  std::lock_guard<std::mutex> lock(flush_mu_);
  const int64_t oldest = oldest_micros_;
  if (!pending_) {
    const Lsn from = published_to_;
    if (wal_->end() == from) return Status::OK();
    ASSIGN_OR_RETURN(Lsn at, wal_->Append(EntryType::kMarker, EncodeMarker(from)));
    pending_ = PendingFlush{from, at, at + kEntryHeaderBytes + kMarkerPayloadBytes};
  }
  RETURN_IF_ERROR(Complete(pending_->from, pending_->marker, pending_->after_marker));
  pending_.reset();
  CrashPoint("flush-checkpointed-not-trimmed");
  // Entries that arrived during the flush lie after the marker and wait for the next one; they
  // are no older than this flush's oldest. (An append racing this store is caught by FlushDue.)
  oldest_micros_ = wal_->end() > published_to_ ? oldest : 0;
  return wal_->RemoveBefore(published_to_);
}

StreamStatus TableStream::status() const {
  StreamStatus s;
  s.published_to = published_to_;
  const Lsn end = wal_->end();
  s.buffered_bytes = end > s.published_to ? end - s.published_to : 0;
  s.flushes = flushes_;
  s.replayed_flushes = replayed_flushes_;
  s.wal_bytes = wal_->bytes_on_disk();
  s.oldest_buffered_micros = s.buffered_bytes > 0 ? oldest_micros_.load() : 0;
  s.recovery = wal_->recovery();
  return s;
}

}  // namespace loglake::ingest
