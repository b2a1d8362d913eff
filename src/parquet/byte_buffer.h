// ByteBuffer: a growable array of bytes for the writer's hot paths.
//
// Unlike std::string it never zero-fills what it grows into (Extend hands out uninitialized room
// that the caller fills) and its appends are inline, so encoders can reserve a run's worst case
// once and then store values through a raw pointer. Capacity is kept by clear(): a buffer reused
// page after page stops allocating once it has seen the largest page.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace loglake::parquet {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_; }
  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  std::string_view view() const { return std::string_view(data_.get(), size_); }

  // Ensures room for `extra` more bytes without moving the buffer again.
  void Reserve(size_t extra) {
    if (capacity_ - size_ < extra) Grow(extra);
  }
  // Grows by n uninitialized bytes and returns where they start.
  char* Extend(size_t n) {
    Reserve(n);
    char* p = data_.get() + size_;
    size_ += n;
    return p;
  }
  void Append(const void* bytes, size_t n) {
    if (n > 0) std::memcpy(Extend(n), bytes, n);
  }
  void Append(std::string_view bytes) { Append(bytes.data(), bytes.size()); }
  // Where the next byte goes; callers that wrote through it (after Reserve) commit with set_size.
  char* end() { return data_.get() + size_; }
  void set_size(size_t n) { size_ = n; }  // n <= capacity()
  void clear() { size_ = 0; }
  // Frees the memory.
  void Release() {
    data_.reset();
    size_ = capacity_ = 0;
  }

 private:
  void Grow(size_t extra) {
    size_t cap = capacity_ < 256 ? 256 : capacity_ * 2;
    while (cap - size_ < extra) cap *= 2;
    auto bigger = std::make_unique_for_overwrite<char[]>(cap);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = cap;
  }

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace loglake::parquet
