#include "lake/directories.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/file.h"

namespace loglake::lake {

Status DirectoryMaker::Ensure(const std::string& dir) {
  if (known_.count(dir) != 0) return Status::OK();
  // Walk up to the first existing ancestor, then create downwards, syncing each parent.
  std::vector<std::filesystem::path> missing;
  std::filesystem::path p = std::filesystem::path(dir).lexically_normal();
  while (!p.empty()) {
    struct stat st;
    if (::stat(p.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) {
        return Status::IOError("cannot create directory " + dir + ": " + p.string() + " is not a directory");
      }
      break;
    }
    if (errno != ENOENT) {
      return Status::IOError("cannot create directory " + dir + ": " + p.string() + ": " +
                             std::strerror(errno));
    }
    missing.push_back(p);
    std::filesystem::path parent = p.parent_path();
    if (parent == p) break;
    p = parent;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0755) != 0 && errno != EEXIST) {
      return Status::IOError("cannot create directory " + it->string() + ": " + std::strerror(errno));
    }
    std::string parent = it->parent_path().string();
    RETURN_IF_ERROR(SyncDirectory(parent.empty() ? "." : parent));
  }
  known_.insert(dir);
  return Status::OK();
}

}  // namespace loglake::lake
