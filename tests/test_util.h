// Helpers shared by the unit tests.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

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

}  // namespace loglake::testing_util
