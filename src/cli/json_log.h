// The log lines of the long-running commands (`loglake serve`, `loglake agent`): one JSON object
// per line on stderr, {"time": ISO-8601 UTC, "level", "msg", fields...}, flushed at once so that
// a line is whole even if the process is killed right after.
#pragma once

#include <string>
#include <string_view>

namespace loglake::cli {

// `fields` is empty or more members of the object, starting with ',' (",\"table\":\"t\"").
void LogJsonLine(std::string_view level, const std::string& message, const std::string& fields = "");

}  // namespace loglake::cli
