// The inputs of `loglake convert`, as the command line names them.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace loglake::lake {

// The files to read, in order: each argument as given, except that a directory stands for every
// regular file below it, recursively, in byte order of their paths (Firehose's yyyy/MM/dd/HH keys
// come out in time order, which lets the converter publish each day as soon as it is done).
// Names starting with '.' are skipped (hidden and temporary files), and so is everything inside
// `exclude_dir` (the folder of the table being written, when it lies below an input directory;
// an input directory inside it is an error). "-" (standard input) passes through. A path that
// does not exist, and a directory holding no file to read, are errors naming it.
Result<std::vector<std::string>> ExpandInputPaths(const std::vector<std::string>& inputs,
                                                  const std::string& exclude_dir);

}  // namespace loglake::lake
