// Named crash points for the durability tests: with LOGLAKE_CRASH_POINT=<name> in the environment,
// the process kills itself with SIGKILL the LOGLAKE_CRASH_AFTER-th time (default 1st) execution
// reaches CrashPoint("<name>") — exactly as `kill -9` at that instant would. Without the variable
// a crash point costs one relaxed load. The points and what they prove are listed in
// docs/ingest.md ("Crash points").
#pragma once

namespace loglake {

void CrashPoint(const char* name);

}  // namespace loglake
