#include "agent/http_shipper.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <zstd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace loglake::agent {
namespace {

TEST(ServerUrlTest, SplitsHostAndPrefixAndRefusesOtherSchemes) {
  std::string host, prefix;
  ASSERT_TRUE(ParseServerUrl("http://127.0.0.1:8080", &host, &prefix).ok());
  EXPECT_EQ(host, "http://127.0.0.1:8080");
  EXPECT_EQ(prefix, "");
  ASSERT_TRUE(ParseServerUrl("https://logs.example.com/loglake/", &host, &prefix).ok());
  EXPECT_EQ(host, "https://logs.example.com");
  EXPECT_EQ(prefix, "/loglake");
  EXPECT_FALSE(ParseServerUrl("127.0.0.1:8080", &host, &prefix).ok());
  EXPECT_FALSE(ParseServerUrl("ftp://x", &host, &prefix).ok());
  EXPECT_FALSE(ParseServerUrl("http://", &host, &prefix).ok());
}

TEST(AcknowledgementTest, ReadsCountsAndRejections) {
  Result<Acknowledgement> ack = ParseAcknowledgement(
      R"({"accepted":8,"rejected":2,"errors":[{"line":3,"reason":"time: not a timestamp"},{"line":9,"reason":"not JSON"}]})");
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->accepted, 8u);
  EXPECT_EQ(ack->rejected, 2u);
  ASSERT_EQ(ack->errors.size(), 2u);
  EXPECT_EQ(ack->errors[1].line, 9u);
  EXPECT_EQ(ack->errors[1].reason, "not JSON");
  EXPECT_FALSE(ParseAcknowledgement("<html>").ok());
}

// A server that answers from a script: each POST takes the next status (the last one repeats).
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<int> statuses) : statuses_(std::move(statuses)) {
    server_.Post(R"(/v1/tables/(\w+)/records)", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      const int status = statuses_[std::min(calls_, statuses_.size() - 1)];
      ++calls_;
      bodies_.push_back(req.body);  // cpp-httplib has undone the gzip
      encodings_.push_back(req.get_header_value("Content-Encoding"));
      authorizations_.push_back(req.get_header_value("Authorization"));
      res.status = status;
      if (status == 503) res.set_header("Retry-After", "1");
      res.set_content(status == 200 ? R"({"accepted":2,"rejected":0,"errors":[]})" : R"({"error":{"code":"x","message":"no"}})",
                      "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~ScriptedServer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  size_t calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  std::vector<std::string> bodies_, encodings_, authorizations_;

 private:
  httplib::Server server_;
  std::vector<int> statuses_;
  std::mutex mu_;
  size_t calls_ = 0;
  int port_ = 0;
  std::thread thread_;
};

ShipperOptions Options(const std::string& url) {
  ShipperOptions o;
  o.server_url = url;
  o.backoff = BackoffOptions{1'000, 10'000};
  return o;
}

TEST(HttpShipperTest, RetriesServerErrorsHonouringRetryAfterThenDeliversGzipped) {
  ScriptedServer server({500, 503, 200});
  AgentCounters counters;
  ShipperOptions options = Options(server.url());
  options.compression = BodyCodec::kGzip;
  options.compression_level = 6;
  options.token = "a-token-of-sixteen-chars";
  auto shipper = HttpShipper::Create(options, &counters, [](std::string_view, const std::string&) {});
  ASSERT_TRUE(shipper.ok());
  std::atomic<bool> abandon{false};
  const auto start = std::chrono::steady_clock::now();
  Result<Acknowledgement> ack = (*shipper)->Deliver("access_log", "{\"a\":1}\n{\"b\":2}\n", abandon);
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(ack.ok()) << ack.status().ToString();
  EXPECT_EQ(ack->accepted, 2u);
  EXPECT_EQ(server.calls(), 3u);
  EXPECT_EQ(counters.batches_retried.load(), 2u);
  EXPECT_GE(waited, std::chrono::milliseconds(1000)) << "Retry-After: 1 was not honoured";
  EXPECT_EQ(server.bodies_.back(), "{\"a\":1}\n{\"b\":2}\n");
  EXPECT_EQ(server.encodings_.back(), "gzip");
  EXPECT_EQ(server.authorizations_.back(), "Bearer a-token-of-sixteen-chars");
}

TEST(HttpShipperTest, GzipIsTheDefaultEncoding) {
  ScriptedServer server({200});
  AgentCounters counters;
  auto shipper = HttpShipper::Create(Options(server.url()), &counters, [](std::string_view, const std::string&) {});
  ASSERT_TRUE(shipper.ok());
  std::atomic<bool> abandon{false};
  const std::string body = "{\"uuid\":\"1\"}\n{\"uuid\":\"2\"}\n";
  ASSERT_TRUE((*shipper)->Deliver("access_log", body, abandon).ok());
  EXPECT_EQ(server.encodings_.back(), "gzip");
  EXPECT_EQ(server.bodies_.back(), body);  // as cpp-httplib's zlib decoded it
}

TEST(HttpShipperTest, ZstdBodiesDecodeToTheBatch) {
  ScriptedServer server({200});
  AgentCounters counters;
  ShipperOptions options = Options(server.url());
  options.compression = BodyCodec::kZstd;
  auto shipper = HttpShipper::Create(options, &counters, [](std::string_view, const std::string&) {});
  ASSERT_TRUE(shipper.ok());
  std::atomic<bool> abandon{false};
  const std::string body = "{\"uuid\":\"1\"}\n{\"uuid\":\"2\"}\n";
  ASSERT_TRUE((*shipper)->Deliver("access_log", body, abandon).ok());
  EXPECT_EQ(server.encodings_.back(), "zstd");
  const std::string& sent = server.bodies_.back();
  std::string decoded(ZSTD_getFrameContentSize(sent.data(), sent.size()), '\0');
  ASSERT_EQ(ZSTD_decompress(decoded.data(), decoded.size(), sent.data(), sent.size()), body.size());
  EXPECT_EQ(decoded, body);
  EXPECT_EQ(counters.bytes_sent.load(), sent.size());
}

TEST(HttpShipperTest, ConnectionErrorsAreRetriedUntilMaxAttempts) {
  AgentCounters counters;
  ShipperOptions options = Options("http://127.0.0.1:1");  // nothing listens on port 1
  options.max_attempts = 3;
  auto shipper = HttpShipper::Create(options, &counters, [](std::string_view, const std::string&) {});
  ASSERT_TRUE(shipper.ok());
  std::atomic<bool> abandon{false};
  Result<Acknowledgement> ack = (*shipper)->Deliver("t", "{}\n", abandon);
  ASSERT_FALSE(ack.ok());
  EXPECT_EQ(ack.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_NE(ack.status().message().find("3 attempts"), std::string::npos);
  EXPECT_EQ(counters.batches_retried.load(), 2u);
}

TEST(HttpShipperTest, TooLargeAndRefusedBatchesAreNotRetried) {
  AgentCounters counters;
  std::atomic<bool> abandon{false};
  {
    ScriptedServer server({413});
    auto shipper = HttpShipper::Create(Options(server.url()), &counters, [](std::string_view, const std::string&) {});
    EXPECT_EQ((*shipper)->Deliver("t", "{}\n", abandon).status().code(), StatusCode::kResourceExhausted);
    EXPECT_EQ(server.calls(), 1u);
  }
  {
    ScriptedServer server({400});
    ShipperOptions options = Options(server.url());
    options.compression = BodyCodec::kNone;
    auto shipper = HttpShipper::Create(options, &counters, [](std::string_view, const std::string&) {});
    EXPECT_EQ((*shipper)->Deliver("t", "{}\n", abandon).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(server.calls(), 1u);
    EXPECT_EQ(server.encodings_.back(), "");
  }
}

TEST(HttpShipperTest, AbandonStopsTheRetries) {
  ScriptedServer server({503});
  AgentCounters counters;
  auto shipper = HttpShipper::Create(Options(server.url()), &counters, [](std::string_view, const std::string&) {});
  std::atomic<bool> abandon{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    abandon = true;
  });
  EXPECT_EQ((*shipper)->Deliver("t", "{}\n", abandon).status().code(), StatusCode::kCancelled);
  stopper.join();
}

}  // namespace
}  // namespace loglake::agent
