// Helpers shared by the unit tests.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

namespace loglake::testing_util {

// A new, empty directory under $LOGLAKE_TEST_TMP (set by ctest) or the system temp dir.
inline std::string FreshTempDir(const std::string& name) {
  const char* base = std::getenv("LOGLAKE_TEST_TMP");
  std::filesystem::path dir = std::filesystem::path(base ? base : std::filesystem::temp_directory_path().string()) /
                              (name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// Regular files under `dir`, as paths relative to it, sorted; empty if `dir` does not exist.
inline std::vector<std::string> FilesUnder(const std::string& dir) {
  std::vector<std::string> out;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(std::filesystem::relative(e.path(), dir).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace loglake::testing_util
