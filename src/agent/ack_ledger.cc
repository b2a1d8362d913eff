#include "agent/ack_ledger.h"

#include <algorithm>

namespace loglake::agent {

void AckLedger::Register(uint64_t id, const std::string& input, const std::string& path, const FileIdentity& identity,
                         uint64_t acknowledged) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[id];
  e.checkpoint = CheckpointEntry{input, path, identity, acknowledged};
  e.read = acknowledged;
  dirty_ = true;
}

void AckLedger::UpdatePath(uint64_t id, const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.checkpoint.path == path) return;
  it->second.checkpoint.path = path;
  dirty_ = true;
}

void AckLedger::UpdateIdentity(uint64_t id, const FileIdentity& identity) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  it->second.checkpoint.identity = identity;
  dirty_ = true;
}

void AckLedger::NoteRead(uint64_t id, uint64_t read, uint64_t size) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  it->second.read = read;
  it->second.size = size;
}

void AckLedger::Acknowledge(const std::vector<SourceProgress>& progress) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const SourceProgress& p : progress) {
    auto it = entries_.find(p.source_id);
    if (it == entries_.end()) continue;  // retired (truncated) meanwhile
    if (p.end_offset > it->second.checkpoint.offset) {
      it->second.checkpoint.offset = p.end_offset;
      dirty_ = true;
    }
    DropIfDone(it);
  }
}

void AckLedger::Close(uint64_t id, uint64_t final_offset) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  it->second.closed = true;
  it->second.final_offset = final_offset;
  DropIfDone(it);
}

void AckLedger::Retire(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.erase(id) > 0) dirty_ = true;
}

void AckLedger::DropIfDone(std::map<uint64_t, Entry>::iterator it) {
  if (it->second.closed && it->second.checkpoint.offset >= it->second.final_offset) {
    entries_.erase(it);
    dirty_ = true;
  }
}

std::vector<CheckpointEntry> AckLedger::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<CheckpointEntry> out;
  out.reserve(entries_.size());
  for (const auto& [id, e] : entries_) out.push_back(e.checkpoint);
  return out;
}

std::vector<SourceStatus> AckLedger::Status() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<SourceStatus> out;
  for (const auto& [id, e] : entries_) {
    out.push_back(SourceStatus{e.checkpoint.input, e.checkpoint.path, e.checkpoint.offset, e.read,
                               std::max(e.size, e.read)});
  }
  return out;
}

bool AckLedger::TakeDirty() {
  std::lock_guard<std::mutex> lock(mu_);
  const bool was = dirty_;
  dirty_ = false;
  return was;
}

}  // namespace loglake::agent
