#include "ingest/wal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>

#include "common/crash_point.h"
#include "common/file.h"

namespace loglake::ingest {
namespace {

constexpr const char* kIdentityFile = "IDENTITY";

// ENOSPC/EDQUOT become ResourceExhausted: the caller answers 503 and retries later.
Status ErrnoStatus(int err, const std::string& what, const std::string& path) {
  std::string message = what + " " + path + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) return Status::ResourceExhausted("disk full: " + message);
  return Status::IOError(std::move(message));
}

Status PWriteAll(int fd, std::string_view data, uint64_t offset, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "cannot write", path);
    }
    data.remove_prefix(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  return Status::OK();
}

std::string NewIdentity() {
  std::random_device device;
  std::mt19937_64 rng((static_cast<uint64_t>(device()) << 32) ^ device());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  uint64_t bits = rng();
  for (char& c : id) {
    c = kHex[bits & 15];
    bits >>= 4;
  }
  return id;
}

bool ValidIdentity(std::string_view id) {
  if (id.size() != 16) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Creates the segment file durably (header written to a temp name, synced, renamed, directory
// synced), so a segment that exists always has its whole header; returns it open for writing.
Result<int> CreateSegmentFile(const std::string& dir, Lsn first, std::string* path) {
  *path = dir + "/" + SegmentFileName(first);
  const std::string temp = *path + ".tmp";
  {
    ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, WritableFile::Create(temp));
    RETURN_IF_ERROR(file->Append(EncodeSegmentHeader(first)));
    RETURN_IF_ERROR(file->Sync());
    RETURN_IF_ERROR(file->Close());
  }
  RETURN_IF_ERROR(PublishFile(temp, *path));
  const int fd = ::open(path->c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "cannot open", *path);
  return fd;
}

}  // namespace

struct Wal::Ticket {
  Lsn lsn = 0;
  bool done = false;
  Status status;
};

Result<std::unique_ptr<Wal>> Wal::Open(WalOptions options) {
  if (options.dir.empty()) return Status::InvalidArgument("the WAL needs a directory");
  if (options.segment_bytes < 4096) return Status::InvalidArgument("wal segment size must be at least 4096 bytes");
  RETURN_IF_ERROR(CreateDirectories(options.dir));
  std::unique_ptr<Wal> wal(new Wal(std::move(options)));
  RETURN_IF_ERROR(wal->Recover().WithContext("recovering the WAL in " + wal->options_.dir));
  return wal;
}

Wal::~Wal() {
  if (active_fd_ >= 0) ::close(active_fd_);
}

Status Wal::Recover() {
  std::error_code ec;
  std::vector<Lsn> firsts;
  for (const auto& entry : std::filesystem::directory_iterator(options_.dir, ec)) {
    const std::string name = entry.path().filename().string();
    Lsn first = 0;
    if (ParseSegmentFileName(name, &first)) {
      firsts.push_back(first);
    } else if (name.ends_with(".wal.tmp")) {
      std::filesystem::remove(entry.path(), ec);  // a segment whose creation a crash interrupted
    }
  }
  if (ec) return Status::IOError("cannot list " + options_.dir + ": " + ec.message());
  std::sort(firsts.begin(), firsts.end());

  const std::string identity_path = options_.dir + "/" + kIdentityFile;
  std::string identity;
  const bool have_identity = ReadFileToString(identity_path, &identity).ok();
  while (!identity.empty() && (identity.back() == '\n' || identity.back() == '\r')) identity.pop_back();
  if (firsts.empty() || !have_identity || !ValidIdentity(identity)) {
    // A new log (or one whose segments are gone): a new identity, so its LSNs, which start
    // over, can never be mistaken for those of the log that was here before.
    id_ = NewIdentity();
    RETURN_IF_ERROR(WriteFileAtomically(identity_path, id_ + "\n"));
  } else {
    id_ = identity;
  }

  if (firsts.empty()) {
    std::string path;
    ASSIGN_OR_RETURN(active_fd_, CreateSegmentFile(options_.dir, 0, &path));
    segments_[0] = Segment{path, kSegmentHeaderBytes};
    bytes_on_disk_ = kSegmentHeaderBytes;
    recovery_.segments = 1;
    return Status::OK();
  }

  for (size_t i = 0; i + 1 < firsts.size(); ++i) {
    const Lsn first = firsts[i];
    Segment segment;
    segment.path = options_.dir + "/" + SegmentFileName(first);
    ASSIGN_OR_RETURN(std::shared_ptr<RandomAccessFile> file, RandomAccessFile::Open(segment.path));
    std::string header;
    RETURN_IF_ERROR(file->ReadAt(0, kSegmentHeaderBytes, &header));
    Lsn header_first = 0;
    if (!DecodeSegmentHeader(header, &header_first) || header_first != first) {
      return Status::Corruption(segment.path + ": not a WAL segment of this name (bad header)");
    }
    // A segment's entries end where the next segment starts; bytes beyond that are the tail of
    // a write that failed before the log moved on, never acknowledged.
    if (file->size() - kSegmentHeaderBytes < firsts[i + 1] - first) {
      return Status::Corruption(segment.path + ": holds " + std::to_string(file->size() - kSegmentHeaderBytes) +
                                " bytes of entries but the next segment starts " +
                                std::to_string(firsts[i + 1] - first) + " bytes later: acknowledged data is missing");
    }
    segment.file_bytes = file->size();
    bytes_on_disk_ += segment.file_bytes;
    segments_[first] = std::move(segment);
  }
  const Lsn last = firsts.back();
  Segment newest;
  RETURN_IF_ERROR(RecoverNewestSegment(last, &newest));
  bytes_on_disk_ += newest.file_bytes;
  segments_[last] = std::move(newest);
  recovery_.segments = segments_.size();
  return Status::OK();
}

Status Wal::RecoverNewestSegment(Lsn first, Segment* segment) {
  segment->path = options_.dir + "/" + SegmentFileName(first);
  std::string bytes;
  RETURN_IF_ERROR(ReadFileToString(segment->path, &bytes));
  Lsn header_first = 0;
  if (!DecodeSegmentHeader(bytes, &header_first) || header_first != first) {
    return Status::Corruption(segment->path + ": not a WAL segment of this name (bad header)");
  }
  size_t offset = kSegmentHeaderBytes;
  while (offset < bytes.size()) {
    EntryView entry;
    const EntryCheck check = DecodeEntry(std::string_view(bytes).substr(offset), first + (offset - kSegmentHeaderBytes), &entry);
    if (check != EntryCheck::kOk) {
      recovery_.discarded_tail_bytes = bytes.size() - offset;
      recovery_.discarded_reason = std::string(check == EntryCheck::kTruncated ? "partial entry" : "checksum mismatch") +
                                   " at " + segment->path + " offset " + std::to_string(offset);
      break;
    }
    offset += entry.encoded_bytes;
  }
  active_fd_ = ::open(segment->path.c_str(), O_WRONLY | O_CLOEXEC);
  if (active_fd_ < 0) return ErrnoStatus(errno, "cannot open", segment->path);
  if (offset < bytes.size()) {
    if (::ftruncate(active_fd_, static_cast<off_t>(offset)) != 0 || ::fdatasync(active_fd_) != 0) {
      return ErrnoStatus(errno, "cannot cut the torn tail of", segment->path);
    }
  }
  segment->file_bytes = offset;
  durable_end_ = next_lsn_ = first + (offset - kSegmentHeaderBytes);
  return Status::OK();
}

Result<Lsn> Wal::Append(EntryType type, std::string_view payload) {
  if (payload.size() > kMaxEntryPayloadBytes) {
    return Status::InvalidArgument("WAL entry of " + std::to_string(payload.size()) + " bytes is over the limit of " +
                                   std::to_string(kMaxEntryPayloadBytes));
  }
  const uint64_t entry_bytes = kEntryHeaderBytes + payload.size();
  std::unique_lock<std::mutex> lock(mu_);
  if (bytes_on_disk_ + pending_.size() + entry_bytes > options_.max_bytes) {
    return Status::ResourceExhausted("the WAL is full: " + std::to_string(bytes_on_disk_) + " bytes on disk, limit " +
                                     std::to_string(options_.max_bytes) +
                                     " (wal max_bytes); it shrinks as buffered records are published");
  }
  auto ticket = std::make_shared<Ticket>();
  ticket->lsn = next_lsn_;
  AppendEntry(next_lsn_, type, payload, &pending_);
  next_lsn_ += entry_bytes;
  pending_tickets_.push_back(ticket);
  while (!ticket->done) {
    if (!writing_) {
      LeadWrites(lock);
    } else {
      written_.wait(lock);
    }
  }
  if (!ticket->status.ok()) return ticket->status;
  return ticket->lsn;
}

void Wal::LeadWrites(std::unique_lock<std::mutex>& lock) {
  writing_ = true;
  std::string batch;
  batch.swap(pending_);
  std::vector<std::shared_ptr<Ticket>> tickets;
  tickets.swap(pending_tickets_);
  const Lsn batch_start = durable_end_;
  const Lsn batch_end = next_lsn_;
  auto active = std::prev(segments_.end());
  const bool roll = needs_repair_ || active->second.file_bytes >= options_.segment_bytes;
  const bool repair = needs_repair_;
  const int old_fd = active_fd_;
  const std::string old_path = active->second.path;
  const Lsn active_first = active->first;
  lock.unlock();

  // Outside the lock: new appends queue up in pending_ meanwhile and go with the next write.
  Status st;
  int fd = old_fd;
  std::string new_path;
  uint64_t offset = kSegmentHeaderBytes + (batch_start - active_first);
  if (repair && batch_start == active_first) {
    // The failed write was the segment's first: cutting it back suffices.
    if (::ftruncate(old_fd, static_cast<off_t>(kSegmentHeaderBytes)) != 0 || ::fdatasync(old_fd) != 0) {
      st = ErrnoStatus(errno, "cannot cut back", old_path);
    }
  } else if (roll) {
    if (repair) {
      // Best effort: the next segment's start marks where this one's entries end anyway.
      const int cut = ::ftruncate(old_fd, static_cast<off_t>(offset));
      (void)cut;
    }
    Result<int> created = CreateSegmentFile(options_.dir, batch_start, &new_path);
    if (created.ok()) {
      fd = *created;
      offset = kSegmentHeaderBytes;
    } else {
      st = created.status();
    }
  }
  if (st.ok() && !batch.empty()) {
    const auto write_started = std::chrono::steady_clock::now();
    st = PWriteAll(fd, batch, offset, new_path.empty() ? old_path : new_path);
    CrashPoint("wal-written-not-synced");
    if (st.ok() && ::fdatasync(fd) != 0) st = ErrnoStatus(errno, "cannot fsync", new_path.empty() ? old_path : new_path);
    syncs_.fetch_add(1, std::memory_order_relaxed);
    sync_latency_.Record(std::chrono::duration<double>(std::chrono::steady_clock::now() - write_started).count());
  }

  lock.lock();
  writing_ = false;
  if (!new_path.empty()) {
    ::close(old_fd);
    active_fd_ = fd;
    segments_[batch_start] = Segment{new_path, kSegmentHeaderBytes};
    bytes_on_disk_ += kSegmentHeaderBytes;
    needs_repair_ = false;
  } else if (repair && st.ok()) {
    bytes_on_disk_ -= segments_.rbegin()->second.file_bytes - kSegmentHeaderBytes;
    segments_.rbegin()->second.file_bytes = kSegmentHeaderBytes;
    needs_repair_ = false;
  }
  if (st.ok()) {
    durable_end_ = batch_end;
    segments_.rbegin()->second.file_bytes += batch.size();
    bytes_on_disk_ += batch.size();
    for (auto& t : tickets) t->done = true;
  } else {
    // Nothing past durable_end_ counts: fail this batch and what queued behind it (their LSNs
    // assumed this batch), and write the next batch into a fresh segment.
    needs_repair_ = true;
    for (auto& t : tickets) {
      t->status = st;
      t->done = true;
    }
    for (auto& t : pending_tickets_) {
      t->status = st;
      t->done = true;
    }
    pending_tickets_.clear();
    pending_.clear();
    next_lsn_ = durable_end_;
  }
  written_.notify_all();
}

Status Wal::Read(Lsn from, const std::function<Status(Lsn, const EntryView&)>& fn) const {
  return Read(from, end(), fn);
}

Status Wal::Read(Lsn from, Lsn to, const std::function<Status(Lsn, const EntryView&)>& fn) const {
  std::vector<std::pair<Lsn, std::string>> segments;
  Lsn end = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [first, segment] : segments_) segments.emplace_back(first, segment.path);
    if (to > durable_end_) {
      return Status::InvalidArgument("LSN " + std::to_string(to) + " is past the end of the WAL (" +
                                     std::to_string(durable_end_) + ")");
    }
    end = to;
  }
  if (from < segments.front().first || from > end) {
    return Status::InvalidArgument("LSN " + std::to_string(from) + " is outside the WAL's entries [" +
                                   std::to_string(segments.front().first) + ", " + std::to_string(end) + ")");
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    const auto& [first, path] = segments[i];
    if (first >= end) break;
    const Lsn segment_end = std::min(i + 1 < segments.size() ? segments[i + 1].first : end, end);
    if (segment_end <= from) continue;
    ASSIGN_OR_RETURN(std::shared_ptr<RandomAccessFile> file, RandomAccessFile::Open(path));
    const Lsn begin = std::max(from, first);
    std::string bytes;
    RETURN_IF_ERROR(file->ReadAt(kSegmentHeaderBytes + (begin - first), segment_end - begin, &bytes));
    size_t offset = 0;
    while (offset < bytes.size()) {
      EntryView entry;
      const Lsn lsn = begin + offset;
      if (DecodeEntry(std::string_view(bytes).substr(offset), lsn, &entry) != EntryCheck::kOk) {
        return Status::Corruption(path + " offset " + std::to_string(kSegmentHeaderBytes + (lsn - first)) +
                                  ": no valid WAL entry at LSN " + std::to_string(lsn));
      }
      RETURN_IF_ERROR(fn(lsn, entry));
      offset += entry.encoded_bytes;
    }
  }
  return Status::OK();
}

Status Wal::RemoveBefore(Lsn lsn) {
  bool removed = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    while (segments_.size() > 1) {
      auto oldest = segments_.begin();
      const Lsn next_first = std::next(oldest)->first;
      if (next_first > lsn) break;
      if (::unlink(oldest->second.path.c_str()) != 0 && errno != ENOENT) {
        return ErrnoStatus(errno, "cannot remove", oldest->second.path);
      }
      bytes_on_disk_ -= oldest->second.file_bytes;
      segments_.erase(oldest);
      removed = true;
    }
  }
  return removed ? SyncDirectory(options_.dir) : Status::OK();
}

Lsn Wal::start() const {
  std::lock_guard<std::mutex> lock(mu_);
  return segments_.begin()->first;
}

Lsn Wal::end() const {
  std::lock_guard<std::mutex> lock(mu_);
  return durable_end_;
}

uint64_t Wal::bytes_on_disk() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_on_disk_;
}

size_t Wal::segment_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return segments_.size();
}

}  // namespace loglake::ingest
