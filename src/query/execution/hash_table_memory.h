// ZeroedWords: a fixed-size, zero-initialized array of 64-bit words for large hash tables.
//
// Big tables are mapped directly from the kernel (already zero, no memset) and marked for
// transparent huge pages: a table of hundreds of MB probed at random would otherwise take a TLB
// miss on nearly every probe, which in a virtual machine costs more than the cache miss itself.
// Small tables come from the heap.
#pragma once

#include <cstddef>
#include <cstdint>

namespace loglake::query {

class ZeroedWords {
 public:
  ZeroedWords() = default;
  explicit ZeroedWords(size_t count);
  ~ZeroedWords();
  ZeroedWords(ZeroedWords&& other) noexcept;
  ZeroedWords& operator=(ZeroedWords&& other) noexcept;
  ZeroedWords(const ZeroedWords&) = delete;
  ZeroedWords& operator=(const ZeroedWords&) = delete;

  uint64_t* data() { return data_; }
  const uint64_t* data() const { return data_; }
  size_t size() const { return size_; }
  uint64_t& operator[](size_t i) { return data_[i]; }
  const uint64_t& operator[](size_t i) const { return data_[i]; }

 private:
  void Release();

  uint64_t* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;
};

}  // namespace loglake::query
