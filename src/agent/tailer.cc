#include "agent/tailer.h"

#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace loglake::agent {

struct Tailer::Source {
  uint64_t id = 0;
  size_t input = 0;
  std::string path;
  int fd = -1;
  FileIdentity identity;
  uint64_t consumed = 0;      // bytes handed to the emitter (lines, skipped bytes)
  uint64_t size_seen = 0;
  bool in_glob = true;        // matched by the last scan
  bool seen = false;          // scratch for Scan()
  int64_t last_change_micros = 0;
  int64_t partial_since_micros = 0;  // 0: no partial line waiting
  LineSplitter splitter;

  Source(size_t max_line_bytes) : splitter(max_line_bytes) {}
};

// A new file whose first bytes are those of a file being read: the copy made by copytruncate.
// It waits until the original is found truncated (the copy then starts where the original was
// read up to) or for rotate_wait.
struct Tailer::PendingCopy {
  size_t input = 0;
  std::string path;
  int fd = -1;
  FileIdentity identity;
  uint64_t original_id = 0;
  int64_t since_micros = 0;
};

// A file found truncated: its old fingerprint and how far it had been read, for its copy.
struct Tailer::TruncatedFile {
  size_t input = 0;
  uint64_t source_id = 0;
  FileIdentity old_identity;
  uint64_t consumed = 0;
  int64_t at_micros = 0;
};

namespace {

bool HasGlobCharacters(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

std::string DirectoryOf(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

std::string Errno() { return std::strerror(errno); }

}  // namespace

Tailer::Tailer(std::vector<InputConfig> inputs, TailOptions options, AckLedger* ledger, DeadLetterFile* dead_letters,
               AgentLogger log)
    : inputs_(std::move(inputs)), options_(options), ledger_(ledger), dead_letters_(dead_letters), log_(std::move(log)) {
  options_.read_chunk_bytes = std::max(options_.read_chunk_bytes, options_.max_line_bytes + 1);
}

Tailer::~Tailer() {
  for (auto& s : sources_) ::close(s->fd);
  for (auto& p : pending_copies_) ::close(p->fd);
}

void Tailer::Resume(std::vector<CheckpointEntry> entries) { resume_ = std::move(entries); }

std::vector<std::string> Tailer::WatchDirectories() const {
  std::vector<std::string> dirs;
  for (const InputConfig& input : inputs_) {
    for (const std::string& pattern : input.paths) {
      const std::string dir = DirectoryOf(pattern);
      if (HasGlobCharacters(dir)) continue;  // polled
      if (std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) dirs.push_back(dir);
    }
  }
  return dirs;
}

bool Tailer::KnownInode(size_t input, dev_t device, ino_t inode) const {
  for (const auto& s : sources_) {
    if (s->input == input && s->identity.device == static_cast<uint64_t>(device) &&
        s->identity.inode == static_cast<uint64_t>(inode)) {
      return true;
    }
  }
  return false;
}

Tailer::Source* Tailer::AddSource(size_t input, const std::string& path, int fd, const FileIdentity& identity,
                                  uint64_t offset, bool in_glob, int64_t now_micros) {
  auto s = std::make_unique<Source>(options_.max_line_bytes);
  s->id = next_id_++;
  s->input = input;
  s->path = path;
  s->fd = fd;
  s->identity = identity;
  s->consumed = offset;
  s->in_glob = in_glob;
  s->seen = in_glob;  // opened by this scan: matched by it
  s->last_change_micros = now_micros;
  ledger_->Register(s->id, inputs_[input].name, path, identity, offset);
  sources_.push_back(std::move(s));
  return sources_.back().get();
}

void Tailer::Scan(int64_t now_micros) {
  for (auto& s : sources_) s->seen = false;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    for (const std::string& pattern : inputs_[i].paths) {
      glob_t g{};
      const int rc = ::glob(pattern.c_str(), GLOB_NOSORT, nullptr, &g);
      if (rc == 0) {
        for (size_t k = 0; k < g.gl_pathc; ++k) {
          const std::string path = g.gl_pathv[k];
          struct stat st;
          if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
          bool known = false;
          for (auto& s : sources_) {
            if (s->input == i && s->identity.device == static_cast<uint64_t>(st.st_dev) &&
                s->identity.inode == static_cast<uint64_t>(st.st_ino)) {
              s->seen = true;
              if (s->path != path) {
                s->path = path;
                ledger_->UpdatePath(s->id, path);
              }
              known = true;
            }
          }
          for (auto& p : pending_copies_) {
            if (p->input == i && p->identity.device == static_cast<uint64_t>(st.st_dev) &&
                p->identity.inode == static_cast<uint64_t>(st.st_ino)) {
              known = true;
            }
          }
          if (!known) OpenMatch(i, path, st, now_micros);
        }
      }
      ::globfree(&g);
    }
  }
  for (auto& s : sources_) {
    if (s->in_glob != s->seen) s->last_change_micros = now_micros;  // rotate_wait counts from here
    s->in_glob = s->seen;
  }
  if (!first_scan_done_) {
    ResumeRotatedWhileDown(now_micros);
    first_scan_done_ = true;
  }
}

void Tailer::OpenMatch(size_t input, const std::string& path, const struct stat& st, int64_t now_micros) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (std::find(unreadable_.begin(), unreadable_.end(), path) == unreadable_.end()) {
      unreadable_.push_back(path);
      log_("error", "cannot open " + path + ": " + Errno() + "; it is skipped until it can be opened");
    }
    return;
  }
  unreadable_.erase(std::remove(unreadable_.begin(), unreadable_.end(), path), unreadable_.end());
  Result<FileIdentity> identity = IdentifyOpenFile(fd, path);
  if (!identity.ok()) {
    log_("error", identity.status().ToString());
    ::close(fd);
    return;
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);

  // 1. A file of the checkpoint, under its name or another one.
  for (auto it = resume_.begin(); it != resume_.end(); ++it) {
    if (it->input != inputs_[input].name || !it->identity.SameInode(*identity)) continue;
    Result<IdentityMatch> match = MatchOpenFile(fd, path, it->identity);
    const CheckpointEntry entry = *it;
    resume_.erase(it);
    if (match.ok() && *match == IdentityMatch::kSame && entry.offset <= size) {
      if (entry.path != path) log_("info", "resuming " + entry.path + " under its new name " + path + " at offset " + std::to_string(entry.offset));
      AddSource(input, path, fd, *identity, entry.offset, true, now_micros);
    } else {
      log_("warn", path + " changed while the agent was down (truncated, rewritten, or its inode reused by a new file): reading it from the start");
      AddSource(input, path, fd, *identity, 0, true, now_micros);
    }
    return;
  }
  // 2. The copy of a file found truncated (copytruncate): read from where the original was.
  for (auto it = truncated_.begin(); it != truncated_.end(); ++it) {
    if (it->input != input || it->old_identity.fingerprint_bytes == 0) continue;
    Result<bool> same = PrefixMatches(fd, path, it->old_identity.fingerprint_bytes, it->old_identity.fingerprint);
    if (same.ok() && *same) {
      const uint64_t offset = std::min(it->consumed, size);
      log_("info", path + " is the copy of a truncated file: reading it from offset " + std::to_string(offset));
      truncated_.erase(it);
      AddSource(input, path, fd, *identity, offset, true, now_micros);
      return;
    }
  }
  // 3. The copy of a file being read, not yet found truncated: wait for the truncation.
  for (auto& s : sources_) {
    if (s->input != input || s->identity.fingerprint_bytes == 0) continue;
    Result<bool> same = PrefixMatches(fd, path, s->identity.fingerprint_bytes, s->identity.fingerprint);
    if (same.ok() && *same) {
      auto p = std::make_unique<PendingCopy>();
      p->input = input;
      p->path = path;
      p->fd = fd;
      p->identity = *identity;
      p->original_id = s->id;
      p->since_micros = now_micros;
      pending_copies_.push_back(std::move(p));
      return;
    }
  }
  // 4. A new file.
  const bool skip_existing = options_.read_from_end && !first_scan_done_;
  AddSource(input, path, fd, *identity, skip_existing ? size : 0, true, now_micros);
}

void Tailer::ResumeRotatedWhileDown(int64_t now_micros) {
  for (const CheckpointEntry& entry : resume_) {
    size_t input = inputs_.size();
    for (size_t i = 0; i < inputs_.size(); ++i) {
      if (inputs_[i].name == entry.input) input = i;
    }
    if (input == inputs_.size()) {
      log_("warn", "the checkpoint names input '" + entry.input + "' (" + entry.path + "), which is no longer configured; forgetting it");
      continue;
    }
    bool resumed = false;
    const std::string dir = DirectoryOf(entry.path);
    if (DIR* d = ::opendir(dir.c_str())) {
      while (dirent* e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
        if (static_cast<uint64_t>(e->d_ino) != entry.identity.inode) continue;
        const std::string path = dir + "/" + e->d_name;
        struct stat st;
        if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || KnownInode(input, st.st_dev, st.st_ino)) continue;
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        Result<FileIdentity> identity = IdentifyOpenFile(fd, path);
        Result<IdentityMatch> match = MatchOpenFile(fd, path, entry.identity);
        if (identity.ok() && match.ok() && *match == IdentityMatch::kSame && entry.offset <= static_cast<uint64_t>(st.st_size)) {
          log_("info", entry.path + " was rotated while the agent was down: resuming it as " + path + " at offset " +
                           std::to_string(entry.offset));
          AddSource(input, path, fd, *identity, entry.offset, false, now_micros);
          resumed = true;
          break;
        }
        ::close(fd);
      }
      ::closedir(d);
    }
    if (!resumed) {
      log_("warn", "checkpointed file " + entry.path + " (acknowledged up to offset " + std::to_string(entry.offset) +
                       ") is gone: whatever it held after that offset could not be shipped");
    }
  }
  resume_.clear();
}

void Tailer::ResolvePendingCopies(int64_t now_micros) {
  for (auto it = pending_copies_.begin(); it != pending_copies_.end();) {
    PendingCopy& p = **it;
    std::optional<uint64_t> offset;
    for (auto t = truncated_.begin(); t != truncated_.end(); ++t) {
      if (t->source_id == p.original_id) {
        offset = t->consumed;
        truncated_.erase(t);
        break;
      }
    }
    if (!offset && now_micros - p.since_micros >= options_.rotate_wait_micros) {
      // Never truncated: a plain copy. Its start was read from the original already.
      offset = 0;
      for (auto& s : sources_) {
        if (s->id == p.original_id) offset = s->consumed;
      }
    }
    if (!offset) {
      ++it;
      continue;
    }
    struct stat st;
    const uint64_t size = ::fstat(p.fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
    log_("info", p.path + " is a copy of a file being read: reading it from offset " + std::to_string(std::min(*offset, size)));
    AddSource(p.input, p.path, p.fd, p.identity, std::min(*offset, size), true, now_micros);
    it = pending_copies_.erase(it);
  }
}

void Tailer::Restart(Source& s, int64_t now_micros, const std::string& why) {
  ++counters_.truncations;
  log_("info", s.path + " " + why + ": reading it again from the start");
  truncated_.push_back(TruncatedFile{s.input, s.id, s.identity, s.consumed, now_micros});
  ledger_->Retire(s.id);
  Result<FileIdentity> identity = IdentifyOpenFile(s.fd, s.path);
  s.id = next_id_++;
  s.identity = identity.ok() ? *identity : s.identity;
  s.consumed = 0;
  s.size_seen = 0;
  s.partial_since_micros = 0;
  s.splitter = LineSplitter(options_.max_line_bytes);
  s.last_change_micros = now_micros;
  ledger_->Register(s.id, inputs_[s.input].name, s.path, s.identity, 0);
}

void Tailer::ReadSource(Source& s, bool final, int64_t now_micros, LineEmitter& emitter) {
  struct stat st;
  if (::fstat(s.fd, &st) != 0) {
    log_("error", "cannot stat " + s.path + ": " + Errno());
    return;
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size != s.size_seen) {
    s.last_change_micros = now_micros;
    if (size < s.consumed) {
      Restart(s, now_micros, "was truncated (copytruncate?)");
    } else if (s.identity.fingerprint_bytes > 0) {
      Result<IdentityMatch> match = MatchOpenFile(s.fd, s.path, s.identity);
      if (match.ok() && *match == IdentityMatch::kRewritten) Restart(s, now_micros, "was truncated and written again");
    }
    if (s.identity.fingerprint_bytes < kFingerprintMaxBytes && size > s.identity.fingerprint_bytes) {
      // The fingerprint grows with the file up to its full length, to tell files apart better.
      Result<FileIdentity> grown = IdentifyOpenFile(s.fd, s.path);
      if (grown.ok() && grown->SameInode(s.identity)) {
        s.identity = *grown;
        ledger_->UpdateIdentity(s.id, s.identity);
      }
    }
    s.size_seen = size;
  }

  // Per poll, one file reads at most a few chunks so that a busy file does not starve the others.
  size_t budget = final ? SIZE_MAX : 4;
  while (s.consumed < size && budget-- > 0) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(size - s.consumed, options_.read_chunk_bytes));
    chunk_.resize(want);
    ssize_t got = 0;
    do {
      got = ::pread(s.fd, chunk_.data(), want, static_cast<off_t>(s.consumed));
    } while (got < 0 && errno == EINTR);
    if (got <= 0) break;  // truncated meanwhile: the next poll sees it
    chunk_.resize(static_cast<size_t>(got));

    const bool quiet_rotated = !s.in_glob && now_micros - s.last_change_micros >= options_.rotate_wait_micros;
    const bool partial_waited = s.partial_since_micros > 0 &&
                                now_micros - s.partial_since_micros >= options_.partial_line_timeout_micros;
    const bool at_end = s.consumed + chunk_.size() >= size;
    SplitOutput out;
    s.splitter.Split(chunk_, s.consumed, at_end && (quiet_rotated || partial_waited), &out);
    for (std::string_view line : out.lines) {
      emitter.Line(s.input, line);
      ++counters_.lines;
    }
    if (at_end && (quiet_rotated || partial_waited) && !out.lines.empty() && chunk_.back() != '\n' && !s.splitter.skipping()) {
      ++counters_.partial_lines_sent;
      log_("warn", s.path + ": a last line without newline was sent as it is (" +
                       (quiet_rotated ? std::string("its file was rotated away") : "it waited partial_line_timeout") + ")");
    }
    for (const OverLongLine& o : out.over_long) {
      ++counters_.over_long_lines;
      DeadLetter letter;
      letter.input = inputs_[s.input].name;
      letter.reason = "line over max_line_bytes (" + std::to_string(options_.max_line_bytes) + " bytes); skipped";
      letter.file = s.path;
      letter.offset = static_cast<int64_t>(o.offset);
      letter.record = o.head;
      letter.head_only = true;
      const Status st2 = dead_letters_->Write(letter);
      log_(st2.ok() ? "warn" : "error", s.path + ": a line at offset " + std::to_string(o.offset) + " is over max_line_bytes; " +
                                            (st2.ok() ? "reported in " + dead_letters_->path() : st2.ToString()));
    }
    const uint64_t before = s.consumed;
    s.consumed += out.consumed;
    counters_.bytes += out.consumed;
    if (out.consumed > 0) emitter.Progress(s.input, s.id, s.consumed);
    if (out.partial && !at_end) continue;  // the chunk ended inside a line: read on from its start
    if (out.partial) {
      if (s.partial_since_micros == 0 || s.consumed != before) s.partial_since_micros = now_micros;
      break;
    }
    s.partial_since_micros = 0;
  }
  // Stopped by the budget with complete lines left: the next pass should come at once.
  if (s.consumed < size && !s.partial_since_micros && !final) backlog_ = true;
  ledger_->NoteRead(s.id, s.consumed, size);
}

void Tailer::Poll(bool scan, bool final, int64_t now_micros, LineEmitter& emitter) {
  backlog_ = false;
  if (scan || !first_scan_done_) Scan(now_micros);
  ResolvePendingCopies(now_micros);
  for (auto& s : sources_) ReadSource(*s, final, now_micros, emitter);
  // Truncated files whose copy did not show up within rotate_wait: their copy is not tailed.
  std::erase_if(truncated_, [&](const TruncatedFile& t) { return now_micros - t.at_micros > 2 * options_.rotate_wait_micros; });
  if (final) return;  // keep everything open: the checkpoint covers it
  for (auto it = sources_.begin(); it != sources_.end();) {
    Source& s = **it;
    const bool drained = s.consumed >= s.size_seen && s.partial_since_micros == 0 && !s.splitter.skipping();
    if (!s.in_glob && drained && now_micros - s.last_change_micros >= options_.rotate_wait_micros) {
      ++counters_.rotations_closed;
      ::close(s.fd);
      ledger_->Close(s.id, s.consumed);
      it = sources_.erase(it);
    } else {
      ++it;
    }
  }
}

int64_t Tailer::MicrosUntilTimer(int64_t now_micros) const {
  int64_t soonest = -1;
  const auto consider = [&](int64_t at) {
    const int64_t d = std::max<int64_t>(0, at - now_micros);
    if (soonest < 0 || d < soonest) soonest = d;
  };
  for (const auto& s : sources_) {
    if (s->partial_since_micros > 0) consider(s->partial_since_micros + options_.partial_line_timeout_micros);
    if (!s->in_glob) consider(s->last_change_micros + options_.rotate_wait_micros);
  }
  for (const auto& p : pending_copies_) consider(p->since_micros + options_.rotate_wait_micros);
  return soonest;
}

}  // namespace loglake::agent
