#include "parquet/input_source.h"

#include <utility>

namespace loglake::parquet {

namespace {

class FileSource final : public InputSource {
 public:
  explicit FileSource(std::shared_ptr<RandomAccessFile> file) : file_(std::move(file)) {}
  const std::string& name() const override { return file_->path(); }
  uint64_t size() const override { return file_->size(); }
  Status ReadAt(uint64_t offset, size_t n, std::string* out) const override { return file_->ReadAt(offset, n, out); }

 private:
  std::shared_ptr<RandomAccessFile> file_;
};

class BufferSource final : public InputSource {
 public:
  BufferSource(std::string data, std::string name) : data_(std::move(data)), name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  uint64_t size() const override { return data_.size(); }
  Status ReadAt(uint64_t offset, size_t n, std::string* out) const override {
    if (offset > data_.size() || n > data_.size() - offset) {
      return Status::Corruption(name_ + ": read of " + std::to_string(n) + " bytes at offset " +
                                std::to_string(offset) + " runs past the end (" + std::to_string(data_.size()) +
                                " bytes)");
    }
    out->assign(data_, offset, n);
    return Status::OK();
  }

 private:
  std::string data_;
  std::string name_;
};

}  // namespace

std::shared_ptr<InputSource> InputSource::FromFile(std::shared_ptr<RandomAccessFile> file) {
  return std::make_shared<FileSource>(std::move(file));
}

std::shared_ptr<InputSource> InputSource::FromBuffer(std::string data, std::string name) {
  return std::make_shared<BufferSource>(std::move(data), std::move(name));
}

}  // namespace loglake::parquet
