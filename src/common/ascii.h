// ASCII-only case handling for identifiers, keywords and option names (SQL names, type names,
// format and codec names). Bytes outside A-Z are compared as they are, so UTF-8 text passes
// through untouched.
#pragma once

#include <string>
#include <string_view>

namespace loglake {

constexpr char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string AsciiLowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

constexpr bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

}  // namespace loglake
