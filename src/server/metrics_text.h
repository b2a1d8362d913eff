// /metrics: the server's counters in the Prometheus text format (version 0.0.4).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "ingest/ingest_service.h"

namespace loglake::server {

std::string RenderMetrics(const ingest::IngestService& ingest, const std::map<int, uint64_t>& responses_by_code);

}  // namespace loglake::server
