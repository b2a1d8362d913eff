#include "query/execution/thread_pool.h"

#include <thread>
#include <vector>

namespace loglake::query {

int EffectiveThreads(int threads) {
  if (threads > 0) return threads;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

void RunOnThreads(int threads, const std::function<void(int worker)>& body) {
  const int n = EffectiveThreads(threads);
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(n - 1));
  for (int w = 1; w < n; ++w) workers.emplace_back([&body, w] { body(w); });
  body(0);
  for (std::thread& t : workers) t.join();
}

}  // namespace loglake::query
