#include "common/toml_settings.h"

namespace loglake {

Result<toml::table> ParseTomlFile(const std::string& path) {
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
}

Status SettingError(const std::string& origin, const toml::node& node, const std::string& message) {
  return Status::InvalidArgument(origin + ":" + std::to_string(node.source().begin.line) + ": " + message);
}

Status CheckSettingKeys(const std::string& origin, const toml::table& table, const std::set<std::string>& known,
                        const std::string& where) {
  for (const auto& [key, node] : table) {
    if (!known.count(std::string(key.str()))) {
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
      return SettingError(origin, node, "unknown setting '" + std::string(key.str()) + "'" + where + " (known: " + list + ")");
    }
  }
  return Status::OK();
}

}  // namespace loglake
