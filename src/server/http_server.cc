#include "server/http_server.h"

#include <httplib.h>

#include "common/ascii.h"
#include "server/firehose_api.h"
#include "server/http_answer.h"
#include "server/ingest_api.h"
#include "server/metrics_text.h"
#include "server/openapi.h"
#include "server/query_api.h"
#include "server/ui_assets.h"

namespace loglake::server {
namespace {

void Send(const HttpAnswer& answer, int retry_after_seconds, httplib::Response& res) {
  res.status = answer.status;
  if (answer.retry_after) res.set_header("Retry-After", std::to_string(retry_after_seconds));
  res.set_content(answer.body, "application/json");
}

// Encodings cpp-httplib undoes itself before the handler reads the body.
bool DecodedByHttpLibrary(const std::string& encoding) {
  return encoding == "gzip" || encoding == "deflate" || encoding == "br";
}

}  // namespace

void ResponseCounter::Count(int status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++counts_[status];
}

std::map<int, uint64_t> ResponseCounter::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

HttpServer::HttpServer(ServerOptions options, ingest::IngestService* ingest, Authorizer authorizer, QueryApi* query)
    : options_(std::move(options)),
      ingest_(ingest),
      authorizer_(std::move(authorizer)),
      query_(query),
      http_(std::make_unique<httplib::Server>()) {
  const int threads = std::max(1, options_.threads);
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http_->set_payload_max_length(options_.max_request_bytes);
  http_->set_read_timeout(options_.read_timeout_seconds, 0);
  // Answers are written as headers then body; with Nagle's algorithm the body would wait for the
  // client's delayed ACK of the headers (~40 ms on Linux) on every acknowledgement.
  http_->set_tcp_nodelay(true);
  http_->set_logger([this](const httplib::Request&, const httplib::Response& res) { responses_.Count(res.status); });
  Routes();
}

HttpServer::~HttpServer() = default;

void HttpServer::Routes() {
  FirehoseRoute();
  QueryRoutes();
  UiRoutes();
  http_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok\n", "text/plain"); });
  http_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    res.status = ready_ ? 200 : 503;
    res.set_content(ready_ ? "ready\n" : "not ready\n", "text/plain");
  });
  http_->Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
    if (std::optional<HttpAnswer> denied = authorizer_.Check(req.get_header_value("Authorization"), "admin")) {
      Send(*denied, options_.retry_after_seconds, res);
      return;
    }
    res.set_content(RenderMetrics(*ingest_, responses_.Snapshot(), query_ != nullptr ? &query_->manager() : nullptr),
                    "text/plain; version=0.0.4");
  });
  http_->Post(R"(/v1/tables/([A-Za-z0-9_]+)/records)",
              [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read) {
                if (std::optional<HttpAnswer> denied = authorizer_.Check(req.get_header_value("Authorization"), "ingest")) {
                  Send(*denied, options_.retry_after_seconds, res);
                  return;
                }
                const std::string table = req.matches[1];
                const std::string encoding = AsciiLowered(req.get_header_value("Content-Encoding"));
                const size_t limit = DecodedByHttpLibrary(encoding) ? ingest_->options().max_body_bytes
                                                                    : options_.max_request_bytes;
                std::string body;
                bool too_large = false;
                read([&](const char* data, size_t n) {
                  if (body.size() + n > limit) {
                    too_large = true;
                    return false;
                  }
                  body.append(data, n);
                  return true;
                });
                if (too_large) {
                  Send(JsonErrorAnswer(413, "body_too_large",
                                       "request body is over the limit of " + std::to_string(limit) +
                                           " bytes (max_body_bytes)"),
                       options_.retry_after_seconds, res);
                  return;
                }
                if (!ready_) {
                  Send(ErrorAnswer(Status::Cancelled("the server is shutting down; send the request again to another instance or later")),
                       options_.retry_after_seconds, res);
                  return;
                }
                const std::string source = "POST /v1/tables/" + table + "/records from " + req.remote_addr;
                Send(IngestRecords(*ingest_, table, DecodedByHttpLibrary(encoding) ? "" : encoding, body, source),
                     options_.retry_after_seconds, res);
              });
}

void HttpServer::FirehoseRoute() {
  http_->Post("/", [this](const httplib::Request& req, httplib::Response& res) {
    if (std::optional<HttpAnswer> denied = authorizer_.CheckAws(req.get_header_value("Authorization"), "ingest")) {
      Send(*denied, options_.retry_after_seconds, res);
      return;
    }
    if (!ready_) {
      Send(HttpAnswer{503, "{\"__type\":\"ServiceUnavailableException\",\"message\":\"the server is shutting down\"}", true},
           options_.retry_after_seconds, res);
      return;
    }
    Send(HandleFirehose(*ingest_, req.get_header_value("X-Amz-Target"), req.body, "Firehose from " + req.remote_addr),
         options_.retry_after_seconds, res);
  });
}

void HttpServer::QueryRoutes() {
  if (query_ == nullptr) return;
  // Every query route: the `query` scope, then the handler with the token that passed.
  auto route = [this](auto handler) {
    return [this, handler](const httplib::Request& req, httplib::Response& res) {
      AuthDecision auth = authorizer_.Authorize(req.get_header_value("Authorization"), "query");
      if (auth.denied) {
        Send(*auth.denied, options_.retry_after_seconds, res);
        return;
      }
      Send(handler(req, auth.token), options_.retry_after_seconds, res);
    };
  };
  using Req = const httplib::Request&;
  http_->Post("/v1/queries/estimate", route([this](Req req, const Token* t) { return query_->Estimate(t, req.body); }));
  // A submission is audited even when the token check refuses it (QueryApi::SubmitDenied).
  http_->Post("/v1/queries", [this](const httplib::Request& req, httplib::Response& res) {
    AuthDecision auth = authorizer_.Authorize(req.get_header_value("Authorization"), "query");
    Send(auth.denied ? query_->SubmitDenied(auth, req.body, req.remote_addr) : query_->Submit(auth.token, req.body, req.remote_addr),
         options_.retry_after_seconds, res);
  });
  http_->Get(R"(/v1/queries/([A-Za-z0-9_-]+))",
             route([this](Req req, const Token* t) { return query_->Describe(t, req.matches[1]); }));
  http_->Get(R"(/v1/queries/([A-Za-z0-9_-]+)/results)", route([this](Req req, const Token* t) {
               return query_->Results(t, req.matches[1], req.get_param_value("next_token"),
                                      req.get_param_value("max_results"));
             }));
  http_->Delete(R"(/v1/queries/([A-Za-z0-9_-]+))",
                route([this](Req req, const Token* t) { return query_->Cancel(t, req.matches[1]); }));
  http_->Get("/v1/tables", route([this](Req, const Token*) { return query_->Tables(); }));
  // The API's description is public: it holds no data.
  http_->Get("/v1/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(OpenApiDocument()), "application/json");
  });
}

void HttpServer::UiRoutes() {
  auto serve = [](std::string_view path, const httplib::Request& req, httplib::Response& res) {
    UiAnswer answer = AnswerUiRequest(path, req.get_header_value("If-None-Match"));
    res.status = answer.status;
    for (auto& [name, value] : answer.headers) res.set_header(name, value);
    if (answer.status != 304) res.set_content(answer.body.data(), answer.body.size(), std::string(answer.content_type));
  };
  http_->Get("/", [serve](const httplib::Request& req, httplib::Response& res) { serve("", req, res); });
  http_->Get(R"(/ui/(.+))", [serve](const httplib::Request& req, httplib::Response& res) {
    serve(std::string_view(req.matches[1].first, req.matches[1].second), req, res);
  });
}

Result<int> HttpServer::Bind() {
  if (options_.port == 0) {
    const int port = http_->bind_to_any_port(options_.host);
    if (port <= 0) return Status::IOError("cannot listen on " + options_.host + ": no free port");
    return port;
  }
  if (!http_->bind_to_port(options_.host, options_.port)) {
    return Status::IOError("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                           " (in use, or not an address of this machine)");
  }
  return options_.port;
}

Status HttpServer::Serve() {
  if (!http_->listen_after_bind()) return Status::IOError("the HTTP listener failed");
  return Status::OK();
}

bool HttpServer::serving() const { return http_->is_running(); }

void HttpServer::Stop() { http_->stop(); }

}  // namespace loglake::server
