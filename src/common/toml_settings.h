// Reading settings from TOML files (toml++) for the commands' configuration files (`loglake
// serve --config`, `loglake agent --config`): every error names the file, the line and the key,
// and says what was expected, so a person can fix the file without reading code.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <set>
#include <string>
#include <type_traits>

#include "common/status.h"

namespace loglake {

// Parses the TOML file at `path`; InvalidArgument "<path>:<line>: <what is wrong>" otherwise.
Result<toml::table> ParseTomlFile(const std::string& path);

// InvalidArgument "<origin>:<line of node>: <message>".
Status SettingError(const std::string& origin, const toml::node& node, const std::string& message);

// Every key of `table` must be in `known`; otherwise the error lists the known keys. `where`
// follows the key in the message (e.g. " in [query]").
Status CheckSettingKeys(const std::string& origin, const toml::table& table, const std::set<std::string>& known,
                        const std::string& where);

// Reads `key` of `table` into *out when present (absent: *out keeps its default), with a type
// check: std::string from a string; an integer type from a non-negative integer times `scale`
// (e.g. 1000 for a "_ms" setting held in microseconds); a floating type from a non-negative
// integer or float.
template <typename T>
Status ReadSetting(const std::string& origin, const toml::table& table, const char* key, T* out, int64_t scale = 1) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return Status::OK();
  if constexpr (std::is_same_v<T, std::string>) {
    if (!node->is_string()) return SettingError(origin, *node, std::string(key) + ": expected a string in double quotes");
    *out = node->as_string()->get();
  } else if constexpr (std::is_floating_point_v<T>) {
    const bool number = node->is_integer() || node->is_floating_point();
    const double v = node->is_integer() ? static_cast<double>(node->as_integer()->get())
                                        : (number ? node->as_floating_point()->get() : -1.0);
    if (!number || !(v >= 0)) return SettingError(origin, *node, std::string(key) + ": expected a non-negative number");
    *out = static_cast<T>(v * static_cast<double>(scale));
  } else {
    static_assert(std::is_integral_v<T>, "ReadSetting: a string, an integer or a floating type");
    if (!node->is_integer() || node->as_integer()->get() < 0) {
      return SettingError(origin, *node, std::string(key) + ": expected a non-negative integer");
    }
    *out = static_cast<T>(node->as_integer()->get() * scale);
  }
  return Status::OK();
}

}  // namespace loglake
