// The stop signals of the long-running commands (serve, agent).
#pragma once

#include <signal.h>

namespace loglake::cli {

// Blocks SIGTERM and SIGINT in the calling thread and ignores SIGPIPE (a peer closing a socket is
// an error value, not a death), returning the set to sigwait() on. The commands take their stop
// signals by sigwait() on a thread, never by a handler: call this before any thread starts, so
// that every thread inherits the mask.
inline sigset_t BlockStopSignals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return stop_signals;
}

}  // namespace loglake::cli
