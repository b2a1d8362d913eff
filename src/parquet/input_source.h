// Where a Parquet reader's bytes come from: a file on disk, or a buffer in memory (tests, the
// fuzzer, and later objects fetched whole from a store).
//
// An InputSource is immutable and safe to read from several threads. ReadAt() reads exactly n
// bytes or fails; a range beyond the end is Corruption naming the source, which is how a file
// whose metadata points past its end is reported.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/file.h"
#include "common/status.h"

namespace loglake::parquet {

class InputSource {
 public:
  virtual ~InputSource() = default;

  // The file's path (or a label for a buffer); used in every error message.
  virtual const std::string& name() const = 0;
  virtual uint64_t size() const = 0;
  virtual Status ReadAt(uint64_t offset, size_t n, std::string* out) const = 0;

  static std::shared_ptr<InputSource> FromFile(std::shared_ptr<RandomAccessFile> file);
  static std::shared_ptr<InputSource> FromBuffer(std::string data, std::string name);
};

}  // namespace loglake::parquet
