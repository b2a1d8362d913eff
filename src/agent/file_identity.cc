#include "agent/file_identity.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace loglake::agent {
namespace {

Status ErrnoError(const std::string& what, const std::string& path) {
  return Status::IOError(what + " " + path + ": " + std::strerror(errno));
}

// Reads up to n bytes at offset 0; fewer if the file is shorter.
Status ReadPrefix(int fd, const std::string& path, size_t n, std::string* out) {
  out->resize(n);
  size_t done = 0;
  while (done < n) {
    const ssize_t r = ::pread(fd, out->data() + done, n - done, static_cast<off_t>(done));
    if (r < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("cannot read", path);
    }
    if (r == 0) break;
    done += static_cast<size_t>(r);
  }
  out->resize(done);
  return Status::OK();
}

}  // namespace

bool operator==(const FileIdentity& a, const FileIdentity& b) {
  return a.device == b.device && a.inode == b.inode && a.fingerprint_bytes == b.fingerprint_bytes &&
         a.fingerprint == b.fingerprint;
}

uint64_t FingerprintHash(std::string_view bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

Result<FileIdentity> IdentifyOpenFile(int fd, const std::string& path) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return ErrnoError("cannot stat", path);
  FileIdentity id;
  id.device = static_cast<uint64_t>(st.st_dev);
  id.inode = static_cast<uint64_t>(st.st_ino);
  std::string prefix;
  RETURN_IF_ERROR(ReadPrefix(fd, path, kFingerprintMaxBytes, &prefix));
  id.fingerprint_bytes = static_cast<uint32_t>(prefix.size());
  id.fingerprint = FingerprintHash(prefix);
  return id;
}

Result<bool> PrefixMatches(int fd, const std::string& path, uint32_t bytes, uint64_t fingerprint) {
  std::string prefix;
  RETURN_IF_ERROR(ReadPrefix(fd, path, bytes, &prefix));
  return prefix.size() == bytes && FingerprintHash(prefix) == fingerprint;
}

Result<IdentityMatch> MatchOpenFile(int fd, const std::string& path, const FileIdentity& known) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return ErrnoError("cannot stat", path);
  if (static_cast<uint64_t>(st.st_dev) != known.device || static_cast<uint64_t>(st.st_ino) != known.inode) {
    return IdentityMatch::kOther;
  }
  ASSIGN_OR_RETURN(const bool same_start, PrefixMatches(fd, path, known.fingerprint_bytes, known.fingerprint));
  return same_start ? IdentityMatch::kSame : IdentityMatch::kRewritten;
}

}  // namespace loglake::agent
