#include "common/crash_point.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

namespace loglake {
namespace {

struct Armed {
  std::string name;
  long after = 1;
};

const Armed* ArmedPoint() {
  static const Armed* armed = [] () -> const Armed* {
    const char* name = std::getenv("LOGLAKE_CRASH_POINT");
    if (name == nullptr || *name == '\0') return nullptr;
    auto* a = new Armed{name, 1};
    if (const char* after = std::getenv("LOGLAKE_CRASH_AFTER")) a->after = std::max(1L, std::atol(after));
    return a;
  }();
  return armed;
}

std::atomic<long> hits{0};

}  // namespace

void CrashPoint(const char* name) {
  const Armed* armed = ArmedPoint();
  if (armed == nullptr || armed->name != name) return;
  if (hits.fetch_add(1) + 1 < armed->after) return;
  ::kill(::getpid(), SIGKILL);
}

}  // namespace loglake
