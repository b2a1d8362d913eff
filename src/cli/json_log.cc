#include "cli/json_log.h"

#include <cstdio>

#include "common/time.h"
#include "lake/json_text.h"

namespace loglake::cli {

void LogJsonLine(std::string_view level, const std::string& message, const std::string& fields) {
  std::string line = "{\"time\":";
  lake::AppendJsonString(&line, FormatTimestampMicros(NowMicros()));
  line += ",\"level\":";
  lake::AppendJsonString(&line, level);
  line += ",\"msg\":";
  lake::AppendJsonString(&line, message);
  line += fields;
  line += "}\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace loglake::cli
