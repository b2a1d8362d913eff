#include "common/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace loglake {
namespace {

constexpr size_t kWriteBufferBytes = 256 * 1024;

Status ErrnoStatus(const std::string& what, const std::string& path) {
  return Status::IOError(what + " " + path + ": " + std::strerror(errno));
}

std::string ParentDirectory(const std::string& path) {
  std::filesystem::path p(path);
  std::string parent = p.parent_path().string();
  return parent.empty() ? "." : parent;
}

}  // namespace

Result<std::unique_ptr<WritableFile>> WritableFile::Create(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot create", path);
  return std::unique_ptr<WritableFile>(new WritableFile(fd, path));
}

WritableFile::~WritableFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status WritableFile::Append(std::string_view data) {
  offset_ += data.size();
  if (buffer_.size() + data.size() < kWriteBufferBytes) {
    buffer_.append(data);
    return Status::OK();
  }
  RETURN_IF_ERROR(Flush());
  if (data.size() >= kWriteBufferBytes) return WriteAll(data);  // large appends skip the copy
  buffer_.append(data);
  return Status::OK();
}

Status WritableFile::Flush() {
  RETURN_IF_ERROR(WriteAll(buffer_));
  buffer_.clear();
  return Status::OK();
}

Status WritableFile::WriteAll(std::string_view data) {
  if (fd_ < 0) return Status::IOError("write to closed file " + path_);
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write", path_);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return Status::OK();
}

Status WritableFile::Sync() {
  RETURN_IF_ERROR(Flush());
  if (::fsync(fd_) != 0) return ErrnoStatus("cannot fsync", path_);
  return Status::OK();
}

Status WritableFile::Close() {
  if (fd_ < 0) return Status::OK();
  Status s = Flush();
  if (::close(fd_) != 0 && s.ok()) s = ErrnoStatus("cannot close", path_);
  fd_ = -1;
  return s;
}

Result<std::shared_ptr<RandomAccessFile>> RandomAccessFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Status s = ErrnoStatus("cannot stat", path);
    ::close(fd);
    return s;
  }
  return std::shared_ptr<RandomAccessFile>(new RandomAccessFile(fd, path, static_cast<uint64_t>(st.st_size)));
}

RandomAccessFile::~RandomAccessFile() { ::close(fd_); }

Status RandomAccessFile::ReadAt(uint64_t offset, size_t n, std::string* out) const {
  if (offset > size_ || n > size_ - offset) {
    return Status::Corruption(path_ + ": read of " + std::to_string(n) + " bytes at offset " +
                              std::to_string(offset) + " runs past the end of the file (" +
                              std::to_string(size_) + " bytes)");
  }
  out->resize(n);
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd_, out->data() + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot read", path_);
    }
    if (r == 0) return Status::Corruption(path_ + ": file shrank while being read");
    done += static_cast<size_t>(r);
  }
  return Status::OK();
}

Status CreateDirectories(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create directory " + dir + ": " + ec.message());
  return Status::OK();
}

Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open directory", dir);
  Status s;
  if (::fsync(fd) != 0) s = ErrnoStatus("cannot fsync directory", dir);
  ::close(fd);
  return s;
}

Status PublishFile(const std::string& temp_path, const std::string& final_path) {
  int fd = ::open(temp_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", temp_path);
  if (::fsync(fd) != 0) {
    Status s = ErrnoStatus("cannot fsync", temp_path);
    ::close(fd);
    return s;
  }
  ::close(fd);
  if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    return ErrnoStatus("cannot rename " + temp_path + " to", final_path);
  }
  return SyncDirectory(ParentDirectory(final_path));
}

Status ReadFileToString(const std::string& path, std::string* out) {
  ASSIGN_OR_RETURN(auto file, RandomAccessFile::Open(path));
  return file->ReadAt(0, file->size(), out);
}

Status WriteFileAtomically(const std::string& path, std::string_view data) {
  std::string temp = path + ".tmp";
  {
    ASSIGN_OR_RETURN(auto f, WritableFile::Create(temp));
    RETURN_IF_ERROR(f->Append(data));
    RETURN_IF_ERROR(f->Close());
  }
  return PublishFile(temp, path);
}

}  // namespace loglake
