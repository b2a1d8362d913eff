#include "ingest/table_stream.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "ingest/record_batch.h"
#include "test_util.h"

namespace loglake::ingest {
namespace {

using testing_util::FreshTempDir;

// A lake stand-in: a flush's records stored under the flush's first LSN, so publishing the same
// range again replaces rather than adds — as the real sink's deterministic file names do.
struct FakeLake {
  std::mutex mu;
  std::map<Lsn, std::vector<std::string>> files;  // by range.from
  std::map<Lsn, Lsn> range_end;
  int publish_calls = 0;
  // Failure injection for the next call: fail before storing, or store and then fail (a crash
  // between publishing and the checkpoint).
  bool fail_before = false;
  bool fail_after = false;

  std::vector<std::string> AllRecords() {
    std::lock_guard<std::mutex> lock(mu);
    std::vector<std::string> out;
    for (const auto& [from, records] : files) out.insert(out.end(), records.begin(), records.end());
    return out;
  }
};

class FakeSink : public FlushSink {
 public:
  explicit FakeSink(FakeLake* lake) : lake_(lake) {}
  Status Publish(const FlushRange& range, const EntryReader& entries) override {
    std::vector<std::string> records;
    RETURN_IF_ERROR(entries([&](Lsn lsn, std::string_view payload) {
      EXPECT_GE(lsn, range.from);
      EXPECT_LT(lsn, range.to);
      records.emplace_back(payload);
      return Status::OK();
    }));
    std::lock_guard<std::mutex> lock(lake_->mu);
    ++lake_->publish_calls;
    if (lake_->fail_before) {
      lake_->fail_before = false;
      return Status::IOError("injected: disk went away before publishing");
    }
    auto [it, inserted] = lake_->range_end.emplace(range.from, range.to);
    if (!inserted) {
      EXPECT_EQ(it->second, range.to) << "a replayed flush must cover the same range";
    }
    lake_->files[range.from] = std::move(records);
    if (lake_->fail_after) {
      lake_->fail_after = false;
      return Status::IOError("injected: crash after publishing");
    }
    return Status::OK();
  }

 private:
  FakeLake* lake_;
};

std::unique_ptr<TableStream> OpenStream(const std::string& dir, FakeLake* lake, StreamOptions options = {},
                                        uint64_t segment_bytes = 64ull << 20, int64_t now = 1'000'000) {
  Result<std::unique_ptr<TableStream>> s =
      TableStream::Open(WalOptions{dir, segment_bytes, 4ull << 30}, options, std::make_unique<FakeSink>(lake), now);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

void AppendRecords(TableStream& stream, int first, int count) {
  for (int i = first; i < first + count; ++i) {
    Result<Lsn> lsn = stream.Append("record-" + std::to_string(i), 1'000'000);
    ASSERT_TRUE(lsn.ok()) << lsn.status().ToString();
  }
}

std::vector<std::string> Records(int first, int count) {
  std::vector<std::string> out;
  for (int i = first; i < first + count; ++i) out.push_back("record-" + std::to_string(i));
  return out;
}

TEST(TableStream, FlushPublishesExactlyTheBufferedRecordsOnce) {
  const std::string dir = FreshTempDir("stream-flush");
  FakeLake lake;
  auto stream = OpenStream(dir, &lake);
  AppendRecords(*stream, 0, 10);
  EXPECT_GT(stream->status().buffered_bytes, 0u);
  ASSERT_TRUE(stream->Flush().ok());
  EXPECT_EQ(lake.AllRecords(), Records(0, 10));
  EXPECT_EQ(stream->status().buffered_bytes, 0u);
  EXPECT_EQ(stream->status().flushes, 1u);
  ASSERT_TRUE(stream->Flush().ok());  // nothing new: no publish
  EXPECT_EQ(lake.publish_calls, 1);

  AppendRecords(*stream, 10, 5);
  ASSERT_TRUE(stream->Flush().ok());
  EXPECT_EQ(lake.AllRecords(), Records(0, 15));
  EXPECT_EQ(lake.files.size(), 2u);

  // Restart after clean flushes: nothing to replay, nothing published again.
  stream.reset();
  stream = OpenStream(dir, &lake);
  EXPECT_EQ(stream->status().replayed_flushes, 0u);
  EXPECT_EQ(stream->status().buffered_bytes, 0u);
  EXPECT_EQ(lake.publish_calls, 2);
}

TEST(TableStream, BufferHintsSizeAndInterval) {
  const std::string dir = FreshTempDir("stream-hints");
  FakeLake lake;
  StreamOptions options;
  options.buffer_bytes = 1000;
  options.buffer_interval_micros = 5'000'000;
  auto stream = OpenStream(dir, &lake, options);
  EXPECT_FALSE(stream->FlushDue(1'000'000));
  ASSERT_TRUE(stream->Append("small", 1'000'000).ok());
  EXPECT_FALSE(stream->FlushDue(2'000'000));
  EXPECT_TRUE(stream->FlushDue(6'000'000));  // the oldest record is 5 s old
  ASSERT_TRUE(stream->Flush().ok());
  EXPECT_FALSE(stream->FlushDue(60'000'000));
  ASSERT_TRUE(stream->Append(std::string(1200, 'x'), 7'000'000).ok());
  EXPECT_TRUE(stream->FlushDue(7'000'000));  // size reached at once
}

TEST(TableStream, RecordsOfAKilledProcessAreBufferedAgainAtStart) {
  const std::string dir = FreshTempDir("stream-kill");
  FakeLake lake;
  auto stream = OpenStream(dir, &lake);
  AppendRecords(*stream, 0, 7);
  stream.reset();  // as kill -9: no flush
  EXPECT_EQ(lake.publish_calls, 0);
  StreamOptions options;
  options.buffer_interval_micros = 10;
  stream = OpenStream(dir, &lake, options, 64ull << 20, /*now=*/2'000'000);
  EXPECT_GT(stream->status().buffered_bytes, 0u);
  EXPECT_TRUE(stream->FlushDue(3'000'000));
  ASSERT_TRUE(stream->Flush().ok());
  EXPECT_EQ(lake.AllRecords(), Records(0, 7));
}

TEST(TableStream, AFailedFlushIsRetriedOverTheSameRange) {
  const std::string dir = FreshTempDir("stream-retry");
  FakeLake lake;
  auto stream = OpenStream(dir, &lake);
  AppendRecords(*stream, 0, 5);
  lake.fail_before = true;
  EXPECT_FALSE(stream->Flush().ok());
  EXPECT_TRUE(lake.files.empty());
  AppendRecords(*stream, 5, 3);  // after the marker: the next flush's
  ASSERT_TRUE(stream->Flush().ok());
  EXPECT_EQ(lake.AllRecords(), Records(0, 5));
  ASSERT_TRUE(stream->Flush().ok());
  EXPECT_EQ(lake.AllRecords(), Records(0, 8));
  EXPECT_EQ(lake.files.size(), 2u);
}

TEST(TableStream, CrashBetweenMarkerAndPublishIsFinishedByReplay) {
  const std::string dir = FreshTempDir("stream-crash-marker");
  FakeLake lake;
  auto stream = OpenStream(dir, &lake);
  AppendRecords(*stream, 0, 6);
  lake.fail_before = true;
  EXPECT_FALSE(stream->Flush().ok());
  AppendRecords(*stream, 6, 2);
  stream.reset();  // crash with the marker in the WAL and nothing published
  stream = OpenStream(dir, &lake);
  EXPECT_EQ(stream->status().replayed_flushes, 1u);
  EXPECT_EQ(lake.AllRecords(), Records(0, 6));  // exactly the marker's range
  EXPECT_GT(stream->status().buffered_bytes, 0u);  // records 6 and 7 wait for the next flush
  ASSERT_TRUE(stream->Flush().ok());
  EXPECT_EQ(lake.AllRecords(), Records(0, 8));
}

TEST(TableStream, CrashBetweenPublishAndCheckpointRepublishesTheSameFiles) {
  const std::string dir = FreshTempDir("stream-crash-publish");
  FakeLake lake;
  auto stream = OpenStream(dir, &lake);
  AppendRecords(*stream, 0, 4);
  lake.fail_after = true;
  EXPECT_FALSE(stream->Flush().ok());
  EXPECT_EQ(lake.AllRecords(), Records(0, 4));
  stream.reset();
  stream = OpenStream(dir, &lake);
  EXPECT_EQ(stream->status().replayed_flushes, 1u);
  EXPECT_EQ(lake.publish_calls, 2);
  EXPECT_EQ(lake.AllRecords(), Records(0, 4));  // replaced, not doubled
  EXPECT_EQ(stream->status().buffered_bytes, 0u);
  stream.reset();
  stream = OpenStream(dir, &lake);  // the checkpoint now covers it
  EXPECT_EQ(lake.publish_calls, 2);
}

TEST(TableStream, ConcurrentAppendsAndFlushesPublishEveryRecordExactlyOnce) {
  const std::string dir = FreshTempDir("stream-concurrent");
  FakeLake lake;
  auto stream = OpenStream(dir, &lake, {}, /*segment_bytes=*/8192);
  constexpr int kThreads = 4, kPerThread = 300;
  std::atomic<bool> done{false};
  std::thread flusher([&] {
    while (!done) {
      Status st = stream->Flush();
      EXPECT_TRUE(st.ok()) << st.ToString();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) writers.emplace_back([&, t] { AppendRecords(*stream, t * kPerThread, kPerThread); });
  for (auto& w : writers) w.join();
  done = true;
  flusher.join();
  ASSERT_TRUE(stream->Flush().ok());
  std::vector<std::string> all = lake.AllRecords();
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  const std::set<std::string> unique(all.begin(), all.end());
  EXPECT_EQ(unique.size(), all.size());
  const std::vector<std::string> expected = Records(0, kThreads * kPerThread);
  EXPECT_EQ(unique, std::set<std::string>(expected.begin(), expected.end()));
  // Published segments are gone: what is left is the newest segment.
  EXPECT_EQ(stream->wal().segment_count(), 1u);
}

TEST(RecordBatch, RoundTripsAndRejectsOtherBytes) {
  RecordBatch batch;
  batch.received_micros = -5;
  batch.source = "POST /v1/tables/t/records from 127.0.0.1";
  batch.body = "{\"a\":1}\n{\"a\":2}";
  const std::string encoded = EncodeRecordBatch(batch);
  Result<RecordBatch> decoded = DecodeRecordBatch(encoded);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->received_micros, -5);
  EXPECT_EQ(decoded->source, batch.source);
  EXPECT_EQ(decoded->body, batch.body);
  EXPECT_EQ(DecodeRecordBatch("{\"a\":1}").status().code(), StatusCode::kCorruption);
  std::string overrun = encoded.substr(0, 20);
  EXPECT_EQ(DecodeRecordBatch(overrun).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace loglake::ingest
