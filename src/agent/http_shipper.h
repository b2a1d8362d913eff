// HttpShipper: one batch body to `loglake serve`, retried until the server has it.
//
// POST <server>/v1/tables/<table>/records, NDJSON, compressed with zstd (default), gzip or not. The
// server answers 200 only once the batch is in its WAL (fsync'd), with per-record rejections.
// What is retried, with Backoff (exponential, jittered), without limit unless max_attempts is set:
// connection errors and timeouts, 5xx, 429, and — since the files are the buffer and nothing is
// lost by waiting for an operator — 401/403/404 (a wrong token or table, logged as errors). A
// Retry-After header is honoured as a minimum wait. Not retried: 413 (the caller splits the
// batch) and other 4xx (the batch can never be accepted: the caller dead-letters it).
//
// https:// goes through OpenSSL (Debian's cpp-httplib is built with it). The server's certificate
// is verified, against tls_ca_file or else the system's CA store, and so is its name (the URL's
// host must be in the certificate's subjectAltName). A certificate that fails is retried like an
// outage (an operator can fix it; the files wait), logged as an error with the reason.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/agent_counters.h"
#include "agent/backoff.h"
#include "agent/body_compression.h"
#include "agent/tailer.h"
#include "common/status.h"

namespace httplib {
class Client;
}

namespace loglake::agent {

struct ShipperOptions {
  std::string server_url;                  // http[s]://host:port[/prefix]
  std::string token;                       // sent as "Authorization: Bearer <token>" when set
  BodyCodec compression = BodyCodec::kGzip;  // setting compression: "gzip", "zstd" or "none"
  int compression_level = 1;               // setting compression_level: gzip 1..12, zstd 1..19
  int64_t connect_timeout_micros = 5'000'000;   // setting connect_timeout_ms
  int64_t request_timeout_micros = 30'000'000;  // setting request_timeout_ms
  BackoffOptions backoff;
  uint64_t max_attempts = 0;               // setting max_attempts: 0 = retry without limit
  std::string tls_ca_file;                 // setting tls_ca_file: PEM CA certificate(s) to trust; "" = the system's
  bool tls_insecure_skip_verify = false;   // setting tls_insecure_skip_verify: accept any certificate and name
};

struct Rejection {
  uint64_t line = 0;  // 1-based line of the body
  std::string reason;
};

struct Acknowledgement {
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  std::vector<Rejection> errors;  // the first ones, as the server reports them
};

// Splits "http[s]://host:port/prefix" into "http://host:port" and "/prefix" (may be empty).
Status ParseServerUrl(const std::string& url, std::string* scheme_host_port, std::string* path_prefix);
// The TLS settings against the URL: they need https://, and tls_ca_file must be a readable file
// holding a PEM certificate. InvalidArgument naming the setting otherwise.
Status CheckTlsSettings(const ShipperOptions& options);
// The 200 answer's JSON; InvalidArgument if it is not one.
Result<Acknowledgement> ParseAcknowledgement(std::string_view json);

class HttpShipper {
 public:
  static Result<std::unique_ptr<HttpShipper>> Create(ShipperOptions options, AgentCounters* counters, AgentLogger log);
  ~HttpShipper();

  // Sends `body` (NDJSON) to `table` until acknowledged. ResourceExhausted: 413, split the batch.
  // InvalidArgument: refused for good (the server's message). DeadlineExceeded: max_attempts
  // reached. Cancelled: `abandon` was set while waiting to retry.
  Result<Acknowledgement> Deliver(const std::string& table, std::string_view body, const std::atomic<bool>& abandon);

 private:
  HttpShipper(ShipperOptions options, std::string path_prefix, AgentCounters* counters, AgentLogger log);
  ShipperOptions options_;
  std::string path_prefix_;
  AgentCounters* counters_;
  AgentLogger log_;
  std::unique_ptr<httplib::Client> client_;
  Backoff backoff_;
  std::string compressed_;
};

}  // namespace loglake::agent
