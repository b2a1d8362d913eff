#include "lake/error_sink.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/file.h"
#include "common/time.h"
#include "test_util.h"

namespace loglake::lake {
namespace {

namespace fs = std::filesystem;

using testing_util::FilesUnder;

std::vector<std::string> Lines(const std::string& path) {
  std::string text;
  EXPECT_TRUE(ReadFileToString(path, &text).ok());
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(ErrorSinkTest, WritesOneJsonLinePerRecordInTheRecordsDay) {
  std::string table = testing_util::FreshTempDir("error_sink_day") + "/t";
  ErrorSink sink(table, ErrorSinkOptions{});
  int64_t t = *ParseTimestampMicros("2024-03-09T23:59:59.999999Z");
  ASSERT_TRUE(sink.Add({"status: expected an integer", "in.ndjson", 12, t, "{\"status\":\"x\"}"}).ok());
  ASSERT_TRUE(sink.Add({"malformed JSON", "-", 13, std::nullopt, "{\"a\":\n"}).ok());
  // Nothing is visible before Flush.
  EXPECT_TRUE(FilesUnder(table).empty());
  EXPECT_EQ(sink.records(), 2u);
  ASSERT_TRUE(sink.Flush().ok());
  EXPECT_EQ(sink.files_written(), 2u);

  std::vector<std::string> files = FilesUnder(table);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].rfind("_errors/2024/03/09/errors-", 0), 0u) << files[0];
  EXPECT_EQ(files[1].rfind("_errors/unknown-time/errors-", 0), 0u) << files[1];
  EXPECT_EQ(files[0].substr(files[0].size() - 7), ".ndjson");

  simdjson::dom::parser parser;
  std::vector<std::string> day = Lines(table + "/" + files[0]);
  ASSERT_EQ(day.size(), 1u);
  simdjson::dom::element e = parser.parse(day[0]);
  EXPECT_EQ(std::string_view(e["error"]), "status: expected an integer");
  EXPECT_EQ(std::string_view(e["source"]), "in.ndjson");
  EXPECT_EQ(uint64_t(e["line"]), 12u);
  EXPECT_EQ(std::string_view(e["raw"]), "{\"status\":\"x\"}");
  EXPECT_TRUE(ParseTimestampMicros(std::string_view(e["received_at"])).ok());
  EXPECT_EQ(e["raw_base64"].error(), simdjson::NO_SUCH_FIELD);

  std::vector<std::string> unknown = Lines(table + "/" + files[1]);
  ASSERT_EQ(unknown.size(), 1u);
  e = parser.parse(unknown[0]);
  EXPECT_EQ(std::string_view(e["raw"]), "{\"a\":\n");
  EXPECT_EQ(uint64_t(sink.bytes_written()), day[0].size() + unknown[0].size() + 2);
}

TEST(ErrorSinkTest, InvalidUtf8KeepsTheExactBytesInBase64) {
  std::string table = testing_util::FreshTempDir("error_sink_utf8") + "/t";
  ErrorSink sink(table, ErrorSinkOptions{});
  const std::string raw("{\"path\":\"/caf\xE9\"}\x00", 17);
  ASSERT_TRUE(sink.Add({"invalid UTF-8", "in", 1, std::nullopt, raw}).ok());
  ASSERT_TRUE(sink.Flush().ok());
  ASSERT_EQ(sink.published_paths().size(), 1u);
  std::vector<std::string> lines = Lines(sink.published_paths()[0]);
  ASSERT_EQ(lines.size(), 1u);
  simdjson::dom::parser parser;
  simdjson::dom::element e = parser.parse(lines[0]);
  EXPECT_EQ(std::string_view(e["raw"]), std::string_view("{\"path\":\"/caf\xEF\xBF\xBD\"}\0", 19));
  EXPECT_EQ(std::string_view(e["raw_base64"]), "eyJwYXRoIjoiL2NhZukifQA=");
}

TEST(ErrorSinkTest, TimesOutsideThePartitionRangeGoToUnknownTime) {
  std::string table = testing_util::FreshTempDir("error_sink_range") + "/t";
  ErrorSink sink(table, ErrorSinkOptions{});
  ASSERT_TRUE(sink.Add({"time out of range", "in", 1, kMaxTimestampMicros + kMicrosPerDay, "{}"}).ok());
  ASSERT_TRUE(sink.Add({"time out of range", "in", 2, INT64_MIN, "{}"}).ok());
  ASSERT_TRUE(sink.Flush().ok());
  std::vector<std::string> files = FilesUnder(table);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].rfind("_errors/unknown-time/", 0), 0u);
  EXPECT_EQ(Lines(table + "/" + files[0]).size(), 2u);
}

TEST(ErrorSinkTest, PublishesWhenTheBufferThresholdIsReached) {
  std::string table = testing_util::FreshTempDir("error_sink_threshold") + "/t";
  ErrorSink sink(table, ErrorSinkOptions{.flush_bytes = 4096});
  const std::string raw(500, 'x');
  int64_t t = *ParseTimestampMicros("2024-01-01T00:00:00Z");
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(sink.Add({"bad", "in", static_cast<uint64_t>(i + 1), t + i * kMicrosPerDay / 10, raw}).ok());
    EXPECT_LT(sink.buffered_bytes(), 4096u);
  }
  ASSERT_TRUE(sink.Flush().ok());
  EXPECT_GT(sink.files_written(), 10u);
  size_t lines = 0;
  for (const std::string& f : FilesUnder(table)) {
    EXPECT_EQ(f.find("/."), std::string::npos) << "temp file left behind: " << f;
    lines += Lines(table + "/" + f).size();
  }
  EXPECT_EQ(lines, 100u);
}

}  // namespace
}  // namespace loglake::lake
