#include "server/openapi.h"

namespace loglake::server {
namespace {

constexpr std::string_view kDocument = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "loglake query API",
    "version": "1",
    "description": "Run SQL (the Trino/Athena dialect of docs/sql.md) over the lake: submit a query, poll its state, page through its results. Queries run a few at a time (the rest queue), results are kept for result_ttl_seconds, and the limits of the [query] settings apply (README \"Query API\"). A token bound to tenants sees only their records."
  },
  "servers": [{"url": "/"}],
  "security": [{"bearer": []}],
  "paths": {
    "/v1/queries": {
      "post": {
        "summary": "Submit a query",
        "description": "Parses and binds at once: a syntax, name or type error is answered 400 with line:column and nothing is queued. Every submission is written to the audit log, a refused one (400, 401, 403, 429, 503) too.",
        "operationId": "submitQuery",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/QueryRequest"}}}},
        "responses": {
          "200": {"description": "Queued", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/QueryRef"}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "403": {"$ref": "#/components/responses/Error"},
          "429": {"description": "Too many queries are queued (max_queued); retry after the Retry-After seconds", "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "503": {"description": "The server is shutting down; retry after the Retry-After seconds", "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    },
    "/v1/queries/estimate": {
      "post": {
        "summary": "Estimate the bytes a query would read",
        "description": "The compressed size of the data files in the day partitions the query's time predicates select (no file is opened). An upper bound of bytes_scanned.",
        "operationId": "estimateQuery",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/QueryRequest"}}}},
        "responses": {
          "200": {"description": "The estimate", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Estimate"}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "403": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/queries/{id}": {
      "parameters": [{"$ref": "#/components/parameters/QueryId"}],
      "get": {
        "summary": "The state of a query",
        "operationId": "getQuery",
        "responses": {
          "200": {"description": "The query", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/QueryStatus"}}}},
          "401": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"}
        }
      },
      "delete": {
        "summary": "Cancel a query",
        "description": "A queued or running query becomes CANCELLED; a finished one is left as it is.",
        "operationId": "cancelQuery",
        "responses": {
          "200": {"description": "The query's state after the request", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/QueryRef"}}}},
          "401": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/queries/{id}/results": {
      "parameters": [{"$ref": "#/components/parameters/QueryId"}],
      "get": {
        "summary": "A page of a succeeded query's rows",
        "operationId": "getQueryResults",
        "parameters": [
          {"name": "next_token", "in": "query", "required": false, "description": "The next_token of the previous page; absent for the first page.", "schema": {"type": "string"}},
          {"name": "max_results", "in": "query", "required": false, "description": "Rows per page, 1 to 1000 (default 1000; larger values are taken as 1000).", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1000}}
        ],
        "responses": {
          "200": {"description": "A page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ResultPage"}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"},
          "409": {"description": "The query has not succeeded: error.state says where it is, and for FAILED or CANCELLED error.code and error.message say why", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    },
    "/v1/tables": {
      "get": {
        "summary": "The tables the server serves, with their columns",
        "operationId": "listTables",
        "responses": {
          "200": {"description": "The tables", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tables"}}}},
          "401": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/openapi.json": {
      "get": {
        "summary": "This document",
        "operationId": "getOpenApi",
        "security": [],
        "responses": {"200": {"description": "OpenAPI 3.0 document", "content": {"application/json": {"schema": {"type": "object"}}}}}
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer", "description": "A token of the config's [[tokens]] with the query (or admin) scope. Without tokens configured the server is open and listens on loopback only."}
    },
    "parameters": {
      "QueryId": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}
    },
    "responses": {
      "Error": {"description": "An error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "QueryRequest": {
        "type": "object",
        "required": ["sql"],
        "properties": {
          "sql": {"type": "string", "description": "One SELECT; ? marks a parameter."},
          "params": {"type": "array", "description": "Values for the ?s in order: a string is varchar, an integer bigint, another number double, true/false boolean, null NULL; or a typed value.", "items": {"$ref": "#/components/schemas/Param"}},
          "dedup": {"type": "boolean", "default": true, "description": "false: raw rows, duplicates (same dedup key on the same day) included."}
        }
      },
      "Param": {
        "nullable": true,
        "oneOf": [
          {"type": "string"}, {"type": "number"}, {"type": "boolean"},
          {"type": "object", "required": ["type", "value"], "properties": {
            "type": {"type": "string", "enum": ["timestamp", "varchar", "bigint", "double", "boolean"]},
            "value": {"nullable": true, "description": "timestamp: ISO-8601 text with Z or an offset, e.g. 2024-05-01T09:00:00+09:00"}}}
        ]
      },
      "QueryRef": {
        "type": "object",
        "properties": {"id": {"type": "string"}, "state": {"$ref": "#/components/schemas/State"}}
      },
      "State": {"type": "string", "enum": ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"]},
      "QueryStatus": {
        "type": "object",
        "properties": {
          "id": {"type": "string"},
          "state": {"$ref": "#/components/schemas/State"},
          "sql": {"type": "string"},
          "submitted_at": {"type": "string", "format": "date-time"},
          "started_at": {"type": "string", "format": "date-time", "nullable": true},
          "finished_at": {"type": "string", "format": "date-time", "nullable": true},
          "elapsed_seconds": {"type": "number", "description": "From submission to the end (or to now while not finished)."},
          "stats": {"$ref": "#/components/schemas/Stats"},
          "error": {"$ref": "#/components/schemas/ErrorDetail"}
        }
      },
      "Stats": {
        "type": "object",
        "properties": {
          "rows_returned": {"type": "integer"}, "rows_scanned": {"type": "integer"},
          "bytes_scanned": {"type": "integer", "description": "Compressed bytes read from storage."},
          "files_considered": {"type": "integer"}, "files_pruned": {"type": "integer"},
          "row_groups_considered": {"type": "integer"}, "row_groups_pruned": {"type": "integer"},
          "duplicates_dropped": {"type": "integer"}
        }
      },
      "ResultPage": {
        "type": "object",
        "properties": {
          "columns": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "type": {"type": "string"}}}},
          "rows": {"type": "array", "items": {"type": "array", "items": {}}, "description": "Values as loglake query --format json writes them: numbers, booleans, strings; timestamps as \"2024-05-01 12:34:56.123456\" (UTC); NULL as null."},
          "next_token": {"type": "string", "nullable": true, "description": "Pass it to get the next page; null on the last page."}
        }
      },
      "Estimate": {
        "type": "object",
        "properties": {"bytes": {"type": "integer"}, "files": {"type": "integer"}, "days": {"type": "integer"}}
      },
      "Tables": {
        "type": "object",
        "properties": {"tables": {"type": "array", "items": {"type": "object", "properties": {
          "name": {"type": "string"}, "time_column": {"type": "string"}, "dedup_key": {"type": "string", "nullable": true},
          "columns": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "type": {"type": "string"}}}}}}}}
      },
      "ErrorDetail": {
        "type": "object",
        "properties": {
          "code": {"type": "string", "description": "invalid_request, invalid_query, unauthorized, forbidden, not_found, not_ready, too_many_queries, shutting_down, timeout, cancelled, range_too_large, bytes_limit, too_many_rows, memory_limit, limit_exceeded, internal"},
          "message": {"type": "string"},
          "state": {"$ref": "#/components/schemas/State"}
        }
      },
      "Error": {
        "type": "object",
        "properties": {"error": {"$ref": "#/components/schemas/ErrorDetail"}}
      }
    }
  }
}
)json";

}  // namespace

std::string_view OpenApiDocument() { return kDocument; }

}  // namespace loglake::server
