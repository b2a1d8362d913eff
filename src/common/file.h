// Files on the local disk, with the durability primitives the lake's contract rests on.
//
// WritableFile appends through a buffer; Sync() makes what was written durable (fsync).
// RandomAccessFile reads at offsets (pread) and is safe to share between threads.
// PublishFile() is the one way a finished file enters the lake: fsync the temp file, rename it
// over the final name, fsync the directory, so a reader sees either nothing or the whole file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace loglake {

class WritableFile {
 public:
  // Creates (or truncates) `path`.
  static Result<std::unique_ptr<WritableFile>> Create(const std::string& path);
  ~WritableFile();
  WritableFile(const WritableFile&) = delete;
  WritableFile& operator=(const WritableFile&) = delete;

  Status Append(std::string_view data);
  Status Append(const void* data, size_t n) { return Append(std::string_view(static_cast<const char*>(data), n)); }
  // Bytes appended so far (including buffered ones): the offset the next Append writes at.
  uint64_t Tell() const { return offset_; }
  Status Flush();
  // Flush() + fsync.
  Status Sync();
  Status Close();
  const std::string& path() const { return path_; }

 private:
  WritableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Status WriteAll(std::string_view data);  // unbuffered write(2) loop
  int fd_;
  std::string path_;
  std::string buffer_;
  uint64_t offset_ = 0;
};

class RandomAccessFile {
 public:
  static Result<std::shared_ptr<RandomAccessFile>> Open(const std::string& path);
  ~RandomAccessFile();
  RandomAccessFile(const RandomAccessFile&) = delete;
  RandomAccessFile& operator=(const RandomAccessFile&) = delete;

  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Reads exactly n bytes at offset into *out; a short file is Corruption naming the file.
  Status ReadAt(uint64_t offset, size_t n, std::string* out) const;

 private:
  RandomAccessFile(int fd, std::string path, uint64_t size) : fd_(fd), path_(std::move(path)), size_(size) {}
  int fd_;
  std::string path_;
  uint64_t size_;
};

// Creates `dir` and its missing parents (mkdir -p).
Status CreateDirectories(const std::string& dir);
// fsyncs a directory so that renames and creations inside it are durable.
Status SyncDirectory(const std::string& dir);
// Moves the fully written, closed `temp_path` to `final_path` durably:
// fsync(temp) → rename → fsync(parent of final_path). Both must be on one filesystem.
Status PublishFile(const std::string& temp_path, const std::string& final_path);
Status ReadFileToString(const std::string& path, std::string* out);
// Writes `data` to `path` atomically and durably (temp file in the same folder + PublishFile).
Status WriteFileAtomically(const std::string& path, std::string_view data);

}  // namespace loglake
