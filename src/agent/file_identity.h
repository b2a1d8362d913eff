// FileIdentity: which file a log file is, independent of its name.
//
// Rotation renames files and file systems reuse inode numbers, so neither the path nor the inode
// alone says "this is the file we were reading". The identity is device + inode + a fingerprint:
// a hash of the file's first bytes (up to kFingerprintMaxBytes) together with how many bytes were
// hashed. A file matches a known identity when device and inode agree and its first
// `fingerprint_bytes` bytes hash to the same value — so a new file that got a deleted file's
// inode is a different file, and a file truncated and written again (copytruncate,
// truncate-and-rewrite) is noticed by its changed start.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace loglake::agent {

// A longer fingerprint tells more files apart but costs a bigger read on each check.
constexpr uint32_t kFingerprintMaxBytes = 1024;

struct FileIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint32_t fingerprint_bytes = 0;  // how many leading bytes were hashed (0..kFingerprintMaxBytes)
  uint64_t fingerprint = 0;        // FingerprintHash of those bytes

  bool SameInode(const FileIdentity& other) const { return device == other.device && inode == other.inode; }
};

bool operator==(const FileIdentity& a, const FileIdentity& b);

// 64-bit FNV-1a: stable across versions (it is stored in checkpoints) and needs no library.
uint64_t FingerprintHash(std::string_view bytes);

// The identity of the open file `fd` now: its device, inode and the fingerprint of its first
// min(size, kFingerprintMaxBytes) bytes. `path` only names the file in errors.
Result<FileIdentity> IdentifyOpenFile(int fd, const std::string& path);

enum class IdentityMatch {
  kSame,       // same inode, and its first fingerprint_bytes bytes are unchanged
  kRewritten,  // same inode, but shorter than the fingerprint or different bytes: truncated or rewritten
  kOther,      // another inode: a different file
};

// True if the first `bytes` bytes of `fd` exist and hash to `fingerprint` (whatever its inode):
// how a copy of a known file (copytruncate's rotated copy) is recognised.
Result<bool> PrefixMatches(int fd, const std::string& path, uint32_t bytes, uint64_t fingerprint);

// Compares the open file `fd` with `known`. Reads the first known.fingerprint_bytes bytes.
Result<IdentityMatch> MatchOpenFile(int fd, const std::string& path, const FileIdentity& known);

}  // namespace loglake::agent
