#include "lake/file_naming.h"

#include <sys/random.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <mutex>

#include "common/time.h"

namespace loglake::lake {
namespace {

constexpr int64_t kSecondsPerDay = 86'400;

// splitmix64 finalizer: spreads the bits of a weak fallback seed.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t DrawRandom() {
  uint64_t value = 0;
  if (::getrandom(&value, sizeof(value), 0) == static_cast<ssize_t>(sizeof(value))) return value;
  // getrandom() only fails on kernels older than 3.17; the clock, pid and an address still make
  // a collision between two processes improbable.
  uint64_t clock = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  return Mix(clock ^ Mix(static_cast<uint64_t>(::getpid())) ^ reinterpret_cast<uintptr_t>(&value));
}

struct ProcessState {
  std::mutex mu;
  pid_t pid = -1;
  uint64_t random = 0;
  uint64_t seq = 0;
};

ProcessState& State() {
  static ProcessState state;
  return state;
}

// Returns this process's random value and, when `seq` is set, the next counter value. A forked
// child inherits the parent's state, so the pid is checked and the state renewed when it changed.
void Identity(uint64_t* random, uint64_t* seq) {
  ProcessState& s = State();
  std::lock_guard<std::mutex> lock(s.mu);
  pid_t pid = ::getpid();
  if (pid != s.pid) {
    s.pid = pid;
    s.random = DrawRandom();
    s.seq = 0;
  }
  *random = s.random;
  if (seq != nullptr) *seq = ++s.seq;
}

}  // namespace

std::string FormatFileName(std::string_view prefix, int64_t created_micros, uint64_t random, uint64_t seq,
                           std::string_view extension) {
  int64_t seconds = created_micros / kMicrosPerSecond;
  if (created_micros % kMicrosPerSecond < 0) --seconds;
  int64_t days = seconds / kSecondsPerDay;
  int64_t second_of_day = seconds % kSecondsPerDay;
  if (second_of_day < 0) {
    second_of_day += kSecondsPerDay;
    --days;
  }
  CivilDate date = CivilFromDays(days);
  char stamp[32];
  std::snprintf(stamp, sizeof(stamp), "%04d%02d%02dT%02d%02d%02dZ", date.year, date.month, date.day,
                static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
                static_cast<int>(second_of_day % 60));
  char ids[48];
  std::snprintf(ids, sizeof(ids), "%016llx-%06llu", static_cast<unsigned long long>(random),
                static_cast<unsigned long long>(seq));
  std::string name;
  name.reserve(prefix.size() + extension.size() + 64);
  name.append(prefix).append("-").append(stamp).append("-").append(ids).append(".").append(extension);
  return name;
}

std::string UniqueFileName(std::string_view prefix, std::string_view extension) {
  uint64_t random = 0;
  uint64_t seq = 0;
  Identity(&random, &seq);
  return FormatFileName(prefix, NowMicros(), random, seq, extension);
}

uint64_t ProcessRandom() {
  uint64_t random = 0;
  Identity(&random, nullptr);
  return random;
}

std::string TempFileName(std::string_view name) {
  std::string temp;
  temp.reserve(name.size() + 5);
  temp.append(".").append(name).append(".tmp");
  return temp;
}

bool IsHiddenName(std::string_view name) { return !name.empty() && (name[0] == '.' || name[0] == '_'); }

}  // namespace loglake::lake
