// HttpServer: the HTTP front of `loglake serve` (cpp-httplib, a thread per connection from a
// bounded pool): the ingest API (server/ingest_api.h), the query API (server/query_api.h),
// /healthz, /readyz and /metrics.
//
// Shutdown (SIGTERM): SetReady(false) makes /readyz answer 503 so load balancers stop sending;
// Stop() closes the listening socket, and Serve() returns once the requests under way have been
// answered. Flushing the buffers is the caller's next step (IngestService::Shutdown()).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"
#include "ingest/ingest_service.h"
#include "server/auth.h"

namespace httplib {
class Server;
}

namespace loglake::server {

class QueryApi;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                        // 0: any free port (tests)
  int threads = 16;                       // requests served at once
  size_t max_request_bytes = 16u << 20;   // a body as sent (compressed or not): larger is 413
  int retry_after_seconds = 5;            // Retry-After of 503 answers
  int read_timeout_seconds = 30;
};

// Counts of answers by HTTP status, for /metrics.
class ResponseCounter {
 public:
  void Count(int status);
  std::map<int, uint64_t> Snapshot() const;

 private:
  mutable std::mutex mu_;
  std::map<int, uint64_t> counts_;
};

class HttpServer {
 public:
  // `query` (may be null: no query API) serves /v1/queries, /v1/tables and /v1/openapi.json.
  HttpServer(ServerOptions options, ingest::IngestService* ingest, Authorizer authorizer, QueryApi* query = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the listening socket; returns the port (useful with port 0).
  Result<int> Bind();
  // Serves until Stop(); returns after in-flight requests are answered.
  Status Serve();
  void SetReady(bool ready) { ready_ = ready; }
  // Whether Serve() has started accepting connections. Stop() must come after it: a stop before
  // the accept loop starts would be missed (cpp-httplib).
  bool serving() const;
  void Stop();

 private:
  void Routes();
  void FirehoseRoute();
  void QueryRoutes();
  // GET / (the search page) and GET /ui/<file>: public, like any static file; the page's API
  // calls carry the token (server/ui_assets.h).
  void UiRoutes();

  ServerOptions options_;
  ingest::IngestService* ingest_;
  Authorizer authorizer_;
  QueryApi* query_;
  std::unique_ptr<httplib::Server> http_;
  std::atomic<bool> ready_{false};
  ResponseCounter responses_;
};

}  // namespace loglake::server
