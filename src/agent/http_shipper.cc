#include "agent/http_shipper.h"

#include <httplib.h>
#include <simdjson.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace loglake::agent {
namespace {

// Retry-After in seconds (the HTTP-date form is not used by loglake serve); 0 if absent.
int64_t RetryAfterMicros(const httplib::Response& res) {
  const std::string value = res.get_header_value("Retry-After");
  if (value.empty() || value.size() > 6) return 0;
  int64_t seconds = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return 0;
    seconds = seconds * 10 + (c - '0');
  }
  return seconds * 1'000'000;
}

std::string Shorten(std::string_view text) {
  return std::string(text.substr(0, 300)) + (text.size() > 300 ? "..." : "");
}

bool IsHttps(const std::string& url) { return url.rfind("https://", 0) == 0; }

// Why the server's certificate was refused, from OpenSSL's verify result (X509_V_OK when the chain
// was trusted but cpp-httplib found the host missing from the certificate's names).
std::string TlsVerificationProblem(long verify_result, const ShipperOptions& options) {
  const std::string trust = options.tls_ca_file.empty() ? "the system's CA certificates (set tls_ca_file to the CA that signed it)"
                                                        : "tls_ca_file " + options.tls_ca_file;
  switch (verify_result) {
    case X509_V_OK:
      return "the server's certificate does not name the host of " + options.server_url +
             " (its subjectAltName must hold that DNS name or IP address)";
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return "the server's certificate is not signed by a CA in " + trust + " (OpenSSL verify error " +
             std::to_string(verify_result) + ")";
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return "the server's certificate has expired";
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "the server's certificate is not valid yet (check the clocks)";
    default:
      return "the server's certificate was refused (OpenSSL verify error " + std::to_string(verify_result) + ")";
  }
}

}  // namespace

Status CheckTlsSettings(const ShipperOptions& options) {
  const bool tls_settings = !options.tls_ca_file.empty() || options.tls_insecure_skip_verify;
  if (tls_settings && !IsHttps(options.server_url)) {
    return Status::InvalidArgument("tls_ca_file and tls_insecure_skip_verify apply to https:// servers only; the server is " +
                                   options.server_url);
  }
  if (options.tls_ca_file.empty()) return Status::OK();
  std::ifstream in(options.tls_ca_file, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) {
    return Status::InvalidArgument("tls_ca_file " + options.tls_ca_file + " cannot be read");
  }
  // Parsed for real by OpenSSL at the first connection; this catches a wrong path or format early.
  if (text.str().find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return Status::InvalidArgument("tls_ca_file " + options.tls_ca_file +
                                   " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
  }
  return Status::OK();
}

Status ParseServerUrl(const std::string& url, std::string* scheme_host_port, std::string* path_prefix) {
  const size_t scheme_end = url.rfind("http://", 0) == 0 ? 7 : url.rfind("https://", 0) == 0 ? 8 : 0;
  if (scheme_end == 0) {
    return Status::InvalidArgument("server URL '" + url + "' must start with http:// or https:// (e.g. http://127.0.0.1:8080)");
  }
  const size_t slash = url.find('/', scheme_end);
  *scheme_host_port = url.substr(0, slash);
  *path_prefix = slash == std::string::npos ? "" : url.substr(slash);
  while (!path_prefix->empty() && path_prefix->back() == '/') path_prefix->pop_back();
  if (scheme_host_port->size() == scheme_end) return Status::InvalidArgument("server URL '" + url + "' has no host");
  return Status::OK();
}

Result<Acknowledgement> ParseAcknowledgement(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS || !root.is_object()) {
    return Status::InvalidArgument("the answer is not a JSON object: " + Shorten(json));
  }
  Acknowledgement ack;
  uint64_t n = 0;
  if (root["accepted"].get_uint64().get(n) == simdjson::SUCCESS) ack.accepted = n;
  if (root["rejected"].get_uint64().get(n) == simdjson::SUCCESS) ack.rejected = n;
  simdjson::dom::array errors;
  if (root["errors"].get_array().get(errors) == simdjson::SUCCESS) {
    for (simdjson::dom::element e : errors) {
      Rejection r;
      std::string_view reason;
      if (e["line"].get_uint64().get(n) == simdjson::SUCCESS) r.line = n;
      if (e["reason"].get_string().get(reason) == simdjson::SUCCESS) r.reason = std::string(reason);
      ack.errors.push_back(std::move(r));
    }
  }
  return ack;
}

Result<std::unique_ptr<HttpShipper>> HttpShipper::Create(ShipperOptions options, AgentCounters* counters, AgentLogger log) {
  std::string scheme_host_port, prefix;
  RETURN_IF_ERROR(ParseServerUrl(options.server_url, &scheme_host_port, &prefix));
  const int max_level = options.compression == BodyCodec::kGzip ? 12 : 19;
  if (options.compression != BodyCodec::kNone && (options.compression_level < 1 || options.compression_level > max_level)) {
    return Status::InvalidArgument("compression_level must be 1 to " + std::to_string(max_level) + " for " +
                                   ContentEncoding(options.compression));
  }
  RETURN_IF_ERROR(CheckTlsSettings(options));
  auto shipper = std::unique_ptr<HttpShipper>(new HttpShipper(std::move(options), prefix, counters, std::move(log)));
  shipper->client_ = std::make_unique<httplib::Client>(scheme_host_port);
  httplib::Client& c = *shipper->client_;
  const auto split = [](int64_t micros, auto setter) { setter(static_cast<time_t>(micros / 1'000'000), static_cast<time_t>(micros % 1'000'000)); };
  split(shipper->options_.connect_timeout_micros, [&](time_t s, time_t us) { c.set_connection_timeout(s, us); });
  split(shipper->options_.request_timeout_micros, [&](time_t s, time_t us) { c.set_read_timeout(s, us); });
  split(shipper->options_.request_timeout_micros, [&](time_t s, time_t us) { c.set_write_timeout(s, us); });
  c.set_keep_alive(true);
  c.set_tcp_nodelay(true);
  if (IsHttps(shipper->options_.server_url)) {
    if (!shipper->options_.tls_ca_file.empty()) c.set_ca_cert_path(shipper->options_.tls_ca_file);
    c.enable_server_certificate_verification(!shipper->options_.tls_insecure_skip_verify);
  }
  return shipper;
}

HttpShipper::HttpShipper(ShipperOptions options, std::string path_prefix, AgentCounters* counters, AgentLogger log)
    : options_(std::move(options)),
      path_prefix_(std::move(path_prefix)),
      counters_(counters),
      log_(std::move(log)),
      backoff_(options_.backoff, std::random_device{}()) {}

HttpShipper::~HttpShipper() = default;

Result<Acknowledgement> HttpShipper::Deliver(const std::string& table, std::string_view body,
                                             const std::atomic<bool>& abandon) {
  httplib::Headers headers;
  std::string_view payload = body;
  if (options_.compression != BodyCodec::kNone) {
    RETURN_IF_ERROR(CompressBody(options_.compression, options_.compression_level, body, &compressed_));
    payload = compressed_;
    headers.emplace("Content-Encoding", ContentEncoding(options_.compression));
  }
  if (!options_.token.empty()) headers.emplace("Authorization", "Bearer " + options_.token);
  const std::string path = path_prefix_ + "/v1/tables/" + table + "/records";
  backoff_.Reset();
  for (uint64_t attempt = 1;; ++attempt) {
    std::string problem;
    int64_t retry_after = 0;
    bool loud = false;
    httplib::Result res = client_->Post(path, headers, payload.data(), payload.size(), "application/x-ndjson");
    if (!res) {
      const httplib::Error error = res.error();
      problem = "cannot reach " + options_.server_url + ": " + httplib::to_string(error);
      if (error == httplib::Error::SSLServerVerification) {
        loud = true;
        problem += ": " + TlsVerificationProblem(client_->get_openssl_verify_result(), options_) + "; nothing is lost: the files wait";
      } else if (error == httplib::Error::SSLLoadingCerts) {
        loud = true;
        problem += ": OpenSSL cannot load the CA certificates of " +
                   (options_.tls_ca_file.empty() ? std::string("the system") : "tls_ca_file " + options_.tls_ca_file);
      } else if (error == httplib::Error::SSLConnection) {
        problem += " (the TLS handshake failed: is the server speaking https?)";
      }
    } else {
      const int status = res->status;
      if (status == 200) {
        counters_->bytes_sent.fetch_add(payload.size(), std::memory_order_relaxed);
        Result<Acknowledgement> ack = ParseAcknowledgement(res->body);
        if (!ack.ok()) {
          // The server stored the batch (200); only its counts are unreadable.
          log_("warn", "acknowledgement of a batch to " + table + " is unreadable: " + ack.status().message());
          return Acknowledgement{};
        }
        return ack;
      }
      if (status == 413) return Status::ResourceExhausted("the server refused the batch as too large: " + Shorten(res->body));
      retry_after = RetryAfterMicros(*res);
      problem = "the server answered " + std::to_string(status) + ": " + Shorten(res->body);
      if (status == 401 || status == 403 || status == 404) {
        loud = true;
        problem += " (check the token and the table; nothing is lost: the files wait)";
      } else if (status != 429 && status < 500) {
        return Status::InvalidArgument(problem);
      }
    }
    if (options_.max_attempts > 0 && attempt >= options_.max_attempts) {
      return Status::DeadlineExceeded(problem + "; gave up after " + std::to_string(attempt) + " attempts (max_attempts)");
    }
    counters_->batches_retried.fetch_add(1, std::memory_order_relaxed);
    const int64_t delay = backoff_.NextDelayMicros(retry_after);
    // The first failures of an outage are worth a line each; then one line per 10 attempts.
    if (loud || attempt <= 3 || attempt % 10 == 0) {
      log_(loud ? "error" : "warn", "batch to " + table + ": " + problem + "; attempt " + std::to_string(attempt) +
                                        ", retrying in " + std::to_string(delay / 1000) + " ms");
    }
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(delay);
    while (std::chrono::steady_clock::now() < until) {
      if (abandon.load()) return Status::Cancelled("delivery abandoned");
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          std::chrono::milliseconds(20), until - std::chrono::steady_clock::now()));
    }
  }
}

}  // namespace loglake::agent
