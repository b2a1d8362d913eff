// Names of the files loglake publishes into the lake.
//
// A data file is named  <prefix>-<yyyyMMddTHHmmssZ>-<16 hex>-<seq>.<extension>
//   prefix     what wrote it ("part" for data, "errors" for rejected records, ...);
//   timestamp  when the name was made (UTC, second precision), so names sort by creation time;
//   16 hex     a 64-bit value drawn from getrandom() once per process (and again after fork()),
//              so that writers on different processes or machines never pick the same name;
//   seq        a per-process counter (6+ digits), so names made by one process never repeat.
// Two names are equal only if the same process made them with the same counter value, so
// concurrent writers into one folder or bucket never collide.
//
// A file is written under its temp name `.<name>.tmp` in the same folder and then published
// (fsync, rename, fsync dir). Names starting with '.' or '_' are hidden: DuckDB, Athena, Hive,
// Trino and Spark skip them, and so must loglake's own readers (IsHiddenName()).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace loglake::lake {

// The name for explicit parts; used by tests and by writers that must reproduce a name
// (e.g. replay after a crash). `created_micros` is microseconds since the epoch.
std::string FormatFileName(std::string_view prefix, int64_t created_micros, uint64_t random, uint64_t seq,
                           std::string_view extension);

// A fresh unique name made from the clock, this process's random value and its counter.
// Thread-safe.
std::string UniqueFileName(std::string_view prefix, std::string_view extension);

// This process's 64-bit random value (drawn again in a forked child).
uint64_t ProcessRandom();

// Makes the name of the next file a writer publishes, e.g. UniqueFileName. Writers that must
// reproduce their names (the ingest server's replayable flushes) pass one that counts instead.
using FileNamer = std::function<std::string(std::string_view prefix, std::string_view extension)>;

// ".<name>.tmp": where a file is written before it is published under `name`.
std::string TempFileName(std::string_view name);

// True for names readers must skip: temp files, `_errors` and other '.' or '_' names.
bool IsHiddenName(std::string_view name);

}  // namespace loglake::lake
