#include "ingest/lake_sink.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/file.h"
#include "ingest/record_batch.h"
#include "ingest/record_check.h"
#include "lake/table.h"
#include "test_util.h"

namespace loglake::ingest {
namespace {

using testing_util::FilesUnder;
using testing_util::FreshTempDir;

std::string Record(int i, const std::string& day = "2024-05-01") {
  return "{\"uuid\":\"u-" + std::to_string(i) + "\",\"time\":\"" + day + "T10:00:00Z\",\"status\":200}";
}

// A body of `good` valid records (two days) and two bad ones on known lines.
std::string Body(int first, int good) {
  std::string body;
  for (int i = first; i < first + good; ++i) body += Record(i, i % 2 ? "2024-05-01" : "2024-05-02") + "\n";
  body += "{\"uuid\":\"bad-1\",\"time\":\"2024-05-01T10:00:00Z\",\"status\":\"abc\"}\n";
  body += "{\"uuid\":\"bad-2\",\n";
  return body;
}

std::map<std::string, std::string> ReadTree(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const std::string& f : FilesUnder(dir)) {
    std::string bytes;
    EXPECT_TRUE(ReadFileToString(dir + "/" + f, &bytes).ok());
    out[f] = bytes;
  }
  return out;
}

std::unique_ptr<TableStream> OpenLakeStream(const std::string& wal, const std::string& lake) {
  auto sink = std::make_unique<LakeFlushSink>(lake, lake::AccessLogTable(), lake::ConverterOptions{});
  Result<std::unique_ptr<TableStream>> s =
      TableStream::Open(WalOptions{wal, 64ull << 20, 1ull << 30}, StreamOptions{}, std::move(sink), 1);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

void AppendBody(TableStream& stream, const std::string& body, int64_t received) {
  RecordBatch batch{received, "test", body};
  ASSERT_TRUE(stream.Append(EncodeRecordBatch(batch), received).ok());
}

TEST(RecordChecker, CountsAndLocatesRejectionsLikeTheFlush) {
  RecordChecker checker(lake::AccessLogTable(), 1 << 20);
  RecordCheck check = checker.Check(Body(0, 5), 10);
  EXPECT_EQ(check.accepted, 5u);
  EXPECT_EQ(check.rejected, 2u);
  ASSERT_EQ(check.first_problems.size(), 2u);
  EXPECT_EQ(check.first_problems[0].line, 6u);
  EXPECT_NE(check.first_problems[0].reason.find("status"), std::string::npos) << check.first_problems[0].reason;
  EXPECT_EQ(check.first_problems[1].line, 7u);
  // At most max_problems reasons, but every rejection counted.
  check = checker.Check(Body(0, 1) + Body(1, 1), 1);
  EXPECT_EQ(check.accepted, 2u);
  EXPECT_EQ(check.rejected, 4u);
  EXPECT_EQ(check.first_problems.size(), 1u);
}

TEST(LakeFlushSink, FlushWritesDayFilesAndErrorsUnderWalDerivedNames) {
  const std::string root = FreshTempDir("lake-sink");
  const std::string wal = root + "/wal", lake = root + "/lake";
  auto stream = OpenLakeStream(wal, lake);
  AppendBody(*stream, Body(0, 10), 1'714'557'600'000'000);
  AppendBody(*stream, Body(10, 10), 1'714'557'601'000'000);
  ASSERT_TRUE(stream->Flush().ok());
  const auto tree = ReadTree(lake);
  int parquet = 0, errors = 0;
  for (const auto& [path, bytes] : tree) {
    const std::string name = std::filesystem::path(path).filename().string();
    EXPECT_NE(name.find(stream->wal().id() + "-00000000000000000000-"), std::string::npos) << path;
    if (path.ends_with(".parquet")) ++parquet;
    if (path.starts_with("access_log/_errors/")) {
      ++errors;
      EXPECT_NE(bytes.find("2024-05-01T10:00:00.000000Z"), std::string::npos);  // received_at of the flush
    }
  }
  EXPECT_EQ(parquet, 2);  // one per day
  EXPECT_GE(errors, 1);
  EXPECT_TRUE(tree.count("access_log/2024/05/01/part-" + stream->wal().id() + "-00000000000000000000-000000.parquet") ||
              tree.count("access_log/2024/05/02/part-" + stream->wal().id() + "-00000000000000000000-000000.parquet"));
}

TEST(LakeFlushSink, AReplayedFlushRecreatesTheSameFilesByteForByte) {
  const std::string root = FreshTempDir("lake-sink-replay");
  const std::string wal = root + "/wal", lake = root + "/lake";
  auto stream = OpenLakeStream(wal, lake);
  AppendBody(*stream, Body(0, 50), 1'714'557'600'000'000);
  ASSERT_TRUE(stream->Flush().ok());
  const auto first = ReadTree(lake);
  ASSERT_FALSE(first.empty());

  // The same range published again (as after a crash before the checkpoint): same names and bytes.
  LakeFlushSink sink(lake, lake::AccessLogTable(), lake::ConverterOptions{});
  const FlushRange range{stream->wal().id(), 0, 0};
  std::vector<std::string> payloads;
  ASSERT_TRUE(stream->wal()
                  .Read(0, [&](Lsn, const EntryView& e) {
                    if (e.type == EntryType::kRecords) payloads.emplace_back(e.payload);
                    return Status::OK();
                  })
                  .ok());
  ASSERT_EQ(payloads.size(), 1u);
  ASSERT_TRUE(sink.Publish(range, [&](const EntryVisitor& visit) { return visit(0, payloads[0]); }).ok());
  EXPECT_EQ(ReadTree(lake), first);
  EXPECT_EQ(sink.last_report().records_written, 50u);
  EXPECT_EQ(sink.last_report().records_rejected, 2u);
}

}  // namespace
}  // namespace loglake::ingest
