#include "query/execution/hash_table_memory.h"

#include <sys/mman.h>

#include <cstdlib>
#include <new>
#include <utility>

namespace loglake::query {
namespace {

constexpr size_t kMapThreshold = size_t{1} << 21;  // one huge page

}  // namespace

ZeroedWords::ZeroedWords(size_t count) : size_(count) {
  if (count == 0) return;
  size_t bytes = count * sizeof(uint64_t);
  if (bytes >= kMapThreshold) {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
#ifdef MADV_HUGEPAGE
      madvise(p, bytes, MADV_HUGEPAGE);  // advisory: failure only costs speed
#endif
      data_ = static_cast<uint64_t*>(p);
      mapped_ = true;
      return;
    }
  }
  data_ = static_cast<uint64_t*>(std::calloc(count, sizeof(uint64_t)));
  if (data_ == nullptr) throw std::bad_alloc();
}

ZeroedWords::~ZeroedWords() { Release(); }

ZeroedWords::ZeroedWords(ZeroedWords&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)),
      mapped_(std::exchange(other.mapped_, false)) {}

ZeroedWords& ZeroedWords::operator=(ZeroedWords&& other) noexcept {
  if (this != &other) {
    Release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapped_ = std::exchange(other.mapped_, false);
  }
  return *this;
}

void ZeroedWords::Release() {
  if (data_ == nullptr) return;
  if (mapped_) {
    munmap(data_, size_ * sizeof(uint64_t));
  } else {
    std::free(data_);
  }
  data_ = nullptr;
}

}  // namespace loglake::query
