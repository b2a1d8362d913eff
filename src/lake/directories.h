// Creating lake directories durably.
//
// A published file is only durable if the directories leading to it are: after mkdir, the parent
// directory must be fsynced too, or a crash can lose the new folder and every file in it.
// DirectoryMaker creates missing levels (mkdir -p), fsyncs the parent of each level it created,
// and remembers the directories it has seen so that the hot path costs one hash lookup.
// Not thread-safe; one per writer.
#pragma once

#include <string>
#include <unordered_set>

#include "common/status.h"

namespace loglake::lake {

class DirectoryMaker {
 public:
  // Makes sure `dir` exists and that its creation (if it was created now) is durable.
  Status Ensure(const std::string& dir);

 private:
  std::unordered_set<std::string> known_;
};

}  // namespace loglake::lake
