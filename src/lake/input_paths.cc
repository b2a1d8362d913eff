#include "lake/input_paths.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace loglake::lake {
namespace {

namespace fs = std::filesystem;

bool IsHidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// The absolute, normalized form of `p`, without a trailing separator ("data/" is "data").
fs::path Canonical(const fs::path& p, std::error_code& ec) {
  fs::path c = fs::weakly_canonical(p, ec);
  if (!c.empty() && !c.has_filename()) c = c.parent_path();
  return c;
}

// Whether `p` is `dir` or lies below it (both canonical).
bool IsInside(const fs::path& p, const fs::path& dir) {
  if (dir.empty()) return false;
  auto [dir_end, p_at] = std::mismatch(dir.begin(), dir.end(), p.begin(), p.end());
  return dir_end == dir.end();
}

Status ListDirectory(const std::string& dir, const fs::path& exclude, std::vector<std::string>* out) {
  std::error_code ec;
  if (IsInside(Canonical(dir, ec), exclude)) {
    return Status::InvalidArgument(dir + " is inside the table being written (--lake, --table)");
  }
  std::vector<std::string> found;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& p = it->path();
    if (it->is_directory(ec)) {
      if (IsHidden(p) || IsInside(Canonical(p, ec), exclude)) it.disable_recursion_pending();
    } else if (!ec && !IsHidden(p) && it->is_regular_file(ec)) {
      found.push_back(p.string());
    }
    if (ec) break;
  }
  if (ec) return Status::IOError("cannot list " + dir + ": " + ec.message());
  if (found.empty()) return Status::InvalidArgument(dir + " holds no file to convert");
  std::sort(found.begin(), found.end());
  out->insert(out->end(), found.begin(), found.end());
  return Status::OK();
}

}  // namespace

Result<std::vector<std::string>> ExpandInputPaths(const std::vector<std::string>& inputs,
                                                  const std::string& exclude_dir) {
  std::error_code ec;
  const fs::path exclude = exclude_dir.empty() ? fs::path() : Canonical(exclude_dir, ec);
  if (ec) return Status::IOError("cannot resolve " + exclude_dir + ": " + ec.message());
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    if (input == "-") {
      files.push_back(input);
      continue;
    }
    const fs::file_status st = fs::status(input, ec);
    if (ec || !fs::exists(st)) {
      return Status::IOError("cannot read " + input + ": " + (ec ? ec.message() : "no such file or directory"));
    }
    if (fs::is_directory(st)) {
      RETURN_IF_ERROR(ListDirectory(input, exclude, &files));
    } else {
      files.push_back(input);
    }
  }
  return files;
}

}  // namespace loglake::lake
