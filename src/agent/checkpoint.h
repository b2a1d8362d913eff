// Checkpoints: how far each tailed file has been acknowledged by the server.
//
// An entry is (input, path, identity, offset): every byte of the file before `offset` is in the
// server's WAL. Only acknowledged offsets are ever written, so a restart re-sends at most what
// was in flight — at least once, never a gap.
//
// Two slots, checkpoint-0 and checkpoint-1, are written in turn, each atomically (temp file,
// fsync, rename, fsync of the directory: common/file.h WriteFileAtomically) and each carrying a
// generation number and a CRC-32 of its content. Load() takes the valid slot with the highest
// generation, so a torn, empty or damaged newest slot (a file system that lost the rename's
// data, a disk error, a person's editor) costs at most one checkpoint of progress — records sent
// again, none lost — and Load() says which slot it could not use and why.
//
// The format is text, one entry a line, readable with `cat`:
//   loglake-agent-checkpoint 1
//   generation 42
//   file <input> <device> <inode> <fingerprint_bytes> <fingerprint hex> <offset> <path, %-escaped>
//   crc32 <8 hex digits of the CRC-32 of every byte before this line>
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent/file_identity.h"
#include "common/status.h"

namespace loglake::agent {

struct CheckpointEntry {
  std::string input;  // the input's name (its table unless named otherwise)
  std::string path;   // where the file was last seen; rotation may have moved it since
  FileIdentity identity;
  uint64_t offset = 0;  // acknowledged bytes
};

struct CheckpointState {
  uint64_t generation = 0;
  std::vector<CheckpointEntry> entries;
};

std::string EncodeCheckpoint(const CheckpointState& state);
// Corruption (naming what is wrong) for anything but a complete, intact checkpoint.
Result<CheckpointState> DecodeCheckpoint(std::string_view text);

class CheckpointStore {
 public:
  // Creates `dir` if needed.
  static Result<CheckpointStore> Open(const std::string& dir);

  struct Loaded {
    CheckpointState state;             // generation 0 and no entries when there is no valid slot
    std::vector<std::string> problems;  // one sentence per slot that exists but could not be used
    std::string slot;                  // the file the state came from; empty if none
  };
  // Reads both slots; never fails on a damaged slot (that is reported in `problems`), only when
  // a slot cannot be read at all.
  Result<Loaded> Load();

  // Writes `entries` with the next generation into the slot not holding the newest state.
  Status Save(std::vector<CheckpointEntry> entries);

  const std::string& dir() const { return dir_; }
  uint64_t generation() const { return generation_; }
  std::string SlotPath(int slot) const;

 private:
  explicit CheckpointStore(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
  uint64_t generation_ = 0;  // of the newest valid slot
  int newest_slot_ = 1;      // so that the first Save() writes slot 0
};

}  // namespace loglake::agent
