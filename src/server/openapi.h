// The OpenAPI 3.0 description of the query API, served at GET /v1/openapi.json. Hand-written so
// that it says what the handlers (server/query_api.h) do in words, not only in types; the
// interop test checks that it parses and lists every route the server answers.
#pragma once

#include <string_view>

namespace loglake::server {

// The document (JSON), a constant.
std::string_view OpenApiDocument();

}  // namespace loglake::server
