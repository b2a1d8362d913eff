// /metrics: the server's counters in the Prometheus text format (version 0.0.4).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "ingest/ingest_service.h"
#include "server/query_manager.h"

namespace loglake::server {

// `queries` (null: no query API) adds the loglake_queries_* and loglake_query_* families.
std::string RenderMetrics(const ingest::IngestService& ingest, const std::map<int, uint64_t>& responses_by_code,
                          const QueryManager* queries = nullptr);

}  // namespace loglake::server
