// Builds small QueryResults for the format tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "query/engine.h"
#include "query/types.h"

namespace loglake::query::format_test {

// A result with one column per (name, type) and the given rows of Values (NULLs allowed).
inline QueryResult MakeResult(const std::vector<std::pair<std::string, SqlType>>& columns,
                              const std::vector<std::vector<Value>>& rows) {
  QueryResult result;
  for (const auto& [name, type] : columns) {
    result.names.push_back(name);
    result.types.push_back(type);
    result.columns.emplace_back(PhysicalType(type));
  }
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) AppendValue(row[c], &result.columns[c]);
  }
  result.stats.rows_returned = rows.size();
  return result;
}

}  // namespace loglake::query::format_test
