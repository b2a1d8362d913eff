// The hot path must not allocate per record once warmed up: this binary counts every operator new.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "json/framing.h"
#include "json/record_parser.h"

namespace {
std::atomic<size_t> g_allocations{0};
}  // namespace

// Every allocation form goes through malloc/free here, so that libraries' new/delete pairs match.
namespace {
void* CountedAlloc(size_t n) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
void* CountedAllocOrThrow(size_t n) {
  if (void* p = CountedAlloc(n)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(size_t n) {
  return CountedAllocOrThrow(n);
}
void* operator new[](size_t n) {
  return CountedAllocOrThrow(n);
}
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  return CountedAlloc(n);
}
void* operator new[](size_t n, const std::nothrow_t&) noexcept {
  return CountedAlloc(n);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace loglake::json {
namespace {

TEST(AllocationTest, FramingAndParsingDoNotAllocatePerRecord) {
  RecordLayout layout;
  layout.fields = {{"time", ColumnType::kTimestamp, false}, {"path", ColumnType::kString},
                   {"status", ColumnType::kInt32},          {"ms", ColumnType::kDouble},
                   {"query", ColumnType::kString},          {"extra", ColumnType::kString}};
  layout.time_field = 0;
  layout.extra_field = 5;
  RecordParser parser(layout);
  std::string input;
  for (int i = 0; i < 200; ++i) {
    input += R"({"time":"2026-11-22T01:38:18.)" + std::to_string(100000 + i) + R"(Z","path":"/a\/b\u00e9/)" +
             std::to_string(i) + R"(","status":"200","ms":)" + std::to_string(i) +
             R"(.25,"query":{"q":[1,2]},)" + R"("trace":{"id":")" + std::to_string(i * 7) +
             R"(","tags":["x","y"]}})" + "\n";
  }
  RecordFramer framer;
  auto run = [&] {
    size_t ok = 0;
    framer.Feed(input);
    while (std::optional<FramedRecord> r = framer.Next()) {
      if (r->error.ok() && parser.Parse(r->text).ok()) ++ok;
    }
    return ok;
  };
  const size_t at_start = g_allocations.load();
  ASSERT_EQ(run(), 200u);  // warm-up: buffers reach their steady size
  const size_t before = g_allocations.load();
  EXPECT_GT(before, at_start);  // the counter does count
  size_t ok = 0;
  for (int round = 0; round < 5; ++round) ok += run();
  const size_t allocations = g_allocations.load() - before;
  EXPECT_EQ(ok, 1000u);
  EXPECT_EQ(allocations, 0u);
}

}  // namespace
}  // namespace loglake::json
