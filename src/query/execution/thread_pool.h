// RunOnThreads: the executor's parallelism. The scan hands work units out from a shared queue, so
// all it needs is N workers running one loop each; the calling thread is worker 0, so a query
// with threads = 1 starts no thread at all.
#pragma once

#include <functional>

namespace loglake::query {

// Runs body(0) .. body(threads - 1) concurrently and returns when all have returned.
// threads <= 0 means std::thread::hardware_concurrency().
void RunOnThreads(int threads, const std::function<void(int worker)>& body);

// The number of workers `threads` asks for (0: all cores, at least 1).
int EffectiveThreads(int threads);

}  // namespace loglake::query
