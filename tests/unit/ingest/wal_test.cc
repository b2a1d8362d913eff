#include "ingest/wal.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "test_util.h"

namespace loglake::ingest {
namespace {

using testing_util::FilesUnder;
using testing_util::FreshTempDir;

struct ReadEntry {
  Lsn lsn;
  EntryType type;
  std::string payload;
};

std::vector<ReadEntry> ReadAll(const Wal& wal, Lsn from) {
  std::vector<ReadEntry> out;
  Status st = wal.Read(from, [&](Lsn lsn, const EntryView& e) {
    out.push_back({lsn, e.type, std::string(e.payload)});
    return Status::OK();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

std::unique_ptr<Wal> OpenOrDie(const std::string& dir, uint64_t segment_bytes = 64ull << 20,
                               uint64_t max_bytes = 4ull << 30) {
  Result<std::unique_ptr<Wal>> wal = Wal::Open(WalOptions{dir, segment_bytes, max_bytes});
  EXPECT_TRUE(wal.ok()) << wal.status().ToString();
  return wal.ok() ? std::move(*wal) : nullptr;
}

std::string Payload(int i) { return "record batch " + std::to_string(i) + std::string(static_cast<size_t>(i % 50), 'x'); }

std::vector<std::string> SegmentPaths(const std::string& dir) {
  std::vector<std::string> out;
  for (const std::string& f : FilesUnder(dir)) {
    if (f.ends_with(".wal")) out.push_back(dir + "/" + f);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Wal, AppendsAreReadBackInOrderWithGrowingLsns) {
  const std::string dir = FreshTempDir("wal-append");
  auto wal = OpenOrDie(dir);
  std::vector<Lsn> lsns;
  for (int i = 0; i < 20; ++i) {
    Result<Lsn> lsn = wal->Append(i % 5 == 0 ? EntryType::kMarker : EntryType::kRecords, Payload(i));
    ASSERT_TRUE(lsn.ok()) << lsn.status().ToString();
    lsns.push_back(*lsn);
  }
  EXPECT_EQ(lsns.front(), 0u);
  const std::vector<ReadEntry> entries = ReadAll(*wal, wal->start());
  ASSERT_EQ(entries.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(entries[i].lsn, lsns[i]);
    EXPECT_EQ(entries[i].payload, Payload(i));
    EXPECT_EQ(entries[i].type, i % 5 == 0 ? EntryType::kMarker : EntryType::kRecords);
    if (i > 0) {
      EXPECT_EQ(lsns[i], lsns[i - 1] + kEntryHeaderBytes + Payload(i - 1).size());
    }
  }
  EXPECT_EQ(wal->end(), lsns.back() + kEntryHeaderBytes + Payload(19).size());
  // Reading from an entry in the middle starts there.
  EXPECT_EQ(ReadAll(*wal, lsns[7]).size(), 13u);
  EXPECT_TRUE(ReadAll(*wal, wal->end()).empty());
  EXPECT_EQ(wal->Read(wal->end() + 1, [](Lsn, const EntryView&) { return Status::OK(); }).code(),
            StatusCode::kInvalidArgument);
}

TEST(Wal, ReopenKeepsEntriesIdentityAndLsns) {
  const std::string dir = FreshTempDir("wal-reopen");
  std::string id;
  Lsn end = 0;
  {
    auto wal = OpenOrDie(dir);
    id = wal->id();
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(wal->Append(EntryType::kRecords, Payload(i)).ok());
    end = wal->end();
  }
  auto wal = OpenOrDie(dir);
  EXPECT_EQ(wal->id(), id);
  EXPECT_EQ(wal->end(), end);
  EXPECT_EQ(wal->recovery().discarded_tail_bytes, 0u);
  Result<Lsn> next = wal->Append(EntryType::kRecords, "after restart");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, end);
  const auto entries = ReadAll(*wal, 0);
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_EQ(entries.back().payload, "after restart");
}

TEST(Wal, ConcurrentAppendsShareFsyncsAndAllArrive) {
  const std::string dir = FreshTempDir("wal-group");
  auto wal = OpenOrDie(dir);
  constexpr int kThreads = 8, kPerThread = 100;
  std::vector<std::vector<Lsn>> lsns(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Result<Lsn> lsn = wal->Append(EntryType::kRecords, "t" + std::to_string(t) + "-" + std::to_string(i));
        ASSERT_TRUE(lsn.ok()) << lsn.status().ToString();
        lsns[t].push_back(*lsn);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<Lsn> all;
  for (const auto& v : lsns) {
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));  // one caller's appends keep their order
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  const auto entries = ReadAll(*wal, 0);
  ASSERT_EQ(entries.size(), static_cast<size_t>(kThreads * kPerThread));
  std::set<std::string> payloads;
  for (const auto& e : entries) {
    EXPECT_TRUE(all.count(e.lsn));
    payloads.insert(e.payload);
  }
  EXPECT_EQ(payloads.size(), entries.size());
  EXPECT_LT(wal->sync_count(), static_cast<uint64_t>(kThreads * kPerThread));
  EXPECT_GE(wal->sync_count(), 1u);
}

// Cuts or damages the newest segment the way a crash during a write can, then reopens.
class TornTail : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTempDir("wal-torn");
    auto wal = OpenOrDie(dir_);
    for (int i = 0; i < 3; ++i) {
      Result<Lsn> lsn = wal->Append(EntryType::kRecords, Payload(i));
      ASSERT_TRUE(lsn.ok());
      lsns_.push_back(*lsn);
    }
    end_ = wal->end();
    segment_ = SegmentPaths(dir_).back();
    size_ = std::filesystem::file_size(segment_);
  }
  void ExpectTwoEntriesThenAppendable(size_t discarded) {
    auto wal = OpenOrDie(dir_);
    EXPECT_EQ(wal->recovery().discarded_tail_bytes, discarded) << wal->recovery().discarded_reason;
    EXPECT_NE(wal->recovery().discarded_reason.find(segment_), std::string::npos);
    EXPECT_EQ(wal->end(), lsns_[2]);
    auto entries = ReadAll(*wal, 0);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[1].payload, Payload(1));
    Result<Lsn> lsn = wal->Append(EntryType::kRecords, "retried");
    ASSERT_TRUE(lsn.ok());
    EXPECT_EQ(*lsn, lsns_[2]);
    wal.reset();
    wal = OpenOrDie(dir_);
    EXPECT_EQ(wal->recovery().discarded_tail_bytes, 0u);
    entries = ReadAll(*wal, 0);
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[2].payload, "retried");
  }
  std::string dir_, segment_;
  std::vector<Lsn> lsns_;
  Lsn end_ = 0;
  uint64_t size_ = 0;
};

TEST_F(TornTail, PartialLastEntryIsCut) {
  std::filesystem::resize_file(segment_, size_ - 5);
  ExpectTwoEntriesThenAppendable(size_ - 5 - (kSegmentHeaderBytes + lsns_[2]));
}

TEST_F(TornTail, PartialHeaderIsCut) {
  std::filesystem::resize_file(segment_, kSegmentHeaderBytes + lsns_[2] + 7);
  ExpectTwoEntriesThenAppendable(7);
}

TEST_F(TornTail, DamagedLastEntryIsCut) {
  {
    std::fstream f(segment_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size_ - 3));
    f.put('#');
  }
  ExpectTwoEntriesThenAppendable(size_ - (kSegmentHeaderBytes + lsns_[2]));
}

TEST_F(TornTail, ZeroFilledTailIsCut) {
  std::filesystem::resize_file(segment_, kSegmentHeaderBytes + lsns_[2]);
  std::filesystem::resize_file(segment_, kSegmentHeaderBytes + lsns_[2] + 4096);
  ExpectTwoEntriesThenAppendable(4096);
}

TEST(Wal, RollsSegmentsAndRemovesOnlyWholeOldOnes) {
  const std::string dir = FreshTempDir("wal-roll");
  auto wal = OpenOrDie(dir, /*segment_bytes=*/4096);
  std::vector<Lsn> lsns;
  for (int i = 0; i < 600; ++i) {
    Result<Lsn> lsn = wal->Append(EntryType::kRecords, Payload(i));
    ASSERT_TRUE(lsn.ok());
    lsns.push_back(*lsn);
  }
  const size_t segments = wal->segment_count();
  EXPECT_GT(segments, 3u);
  EXPECT_EQ(SegmentPaths(dir).size(), segments);
  uint64_t on_disk = 0;
  for (const auto& p : SegmentPaths(dir)) on_disk += std::filesystem::file_size(p);
  EXPECT_EQ(wal->bytes_on_disk(), on_disk);

  // Everything before entry 300 is published: the segments holding only earlier entries go.
  ASSERT_TRUE(wal->RemoveBefore(lsns[300]).ok());
  EXPECT_LT(wal->segment_count(), segments);
  EXPECT_LE(wal->start(), lsns[300]);
  EXPECT_GT(wal->start(), 0u);
  auto entries = ReadAll(*wal, wal->start());
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().payload, Payload(599));
  EXPECT_EQ(ReadAll(*wal, lsns[300]).size(), 300u);

  // All published: only the newest segment stays, and LSNs go on from where they were.
  const Lsn end = wal->end();
  ASSERT_TRUE(wal->RemoveBefore(end).ok());
  EXPECT_EQ(wal->segment_count(), 1u);
  wal.reset();
  wal = OpenOrDie(dir, 4096);
  EXPECT_EQ(wal->end(), end);
  Result<Lsn> lsn = wal->Append(EntryType::kRecords, "next");
  ASSERT_TRUE(lsn.ok());
  EXPECT_EQ(*lsn, end);
}

TEST(Wal, DamageInAnOlderSegmentIsCorruptionNamingTheFile) {
  const std::string dir = FreshTempDir("wal-corrupt");
  auto wal = OpenOrDie(dir, 4096);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(wal->Append(EntryType::kRecords, Payload(i)).ok());
  wal.reset();
  const std::string first = SegmentPaths(dir).front();
  {
    std::fstream f(first, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put('#');
  }
  wal = OpenOrDie(dir, 4096);  // only the newest segment is scanned at start-up
  Status st = wal->Read(0, [](Lsn, const EntryView&) { return Status::OK(); });
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find(first), std::string::npos) << st.ToString();

  // A missing middle segment means acknowledged data is gone: Open refuses.
  wal.reset();
  std::filesystem::resize_file(first, 200);
  Result<std::unique_ptr<Wal>> reopened = Wal::Open(WalOptions{dir, 4096, 1ull << 30});
  EXPECT_EQ(reopened.status().code(), StatusCode::kCorruption);
  EXPECT_NE(reopened.status().message().find("acknowledged data is missing"), std::string::npos);
}

TEST(Wal, ByteLimitRefusesAppendsUntilSegmentsAreRemoved) {
  const std::string dir = FreshTempDir("wal-limit");
  auto wal = OpenOrDie(dir, 4096, /*max_bytes=*/16384);
  int accepted = 0;
  Status refused;
  for (int i = 0; i < 1000 && refused.ok(); ++i) {
    Result<Lsn> lsn = wal->Append(EntryType::kRecords, std::string(300, 'r'));
    if (lsn.ok()) {
      ++accepted;
    } else {
      refused = lsn.status();
    }
  }
  EXPECT_EQ(refused.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(refused.message().find("WAL is full"), std::string::npos);
  EXPECT_LE(wal->bytes_on_disk(), 16384u);
  EXPECT_EQ(ReadAll(*wal, 0).size(), static_cast<size_t>(accepted));
  ASSERT_TRUE(wal->RemoveBefore(wal->end()).ok());
  EXPECT_TRUE(wal->Append(EntryType::kRecords, std::string(300, 'r')).ok());
}

// A write that the OS refuses (here: RLIMIT_FSIZE, standing in for a full disk) fails the append,
// leaves no trace of it, and the log goes on once writing works again.
TEST(Wal, FailedWriteLeavesNothingAndTheLogRecovers) {
  const std::string dir = FreshTempDir("wal-fail");
  auto wal = OpenOrDie(dir);
  ASSERT_TRUE(wal->Append(EntryType::kRecords, "before").ok());
  const uint64_t size = std::filesystem::file_size(SegmentPaths(dir).back());

  std::signal(SIGXFSZ, SIG_IGN);
  rlimit old{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  rlimit tight = old;
  tight.rlim_cur = size + 10;  // the next entry does not fit
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &tight), 0);
  Result<Lsn> failed = wal->Append(EntryType::kRecords, std::string(100, 'f'));
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &old), 0);
  EXPECT_FALSE(failed.ok());

  Result<Lsn> after = wal->Append(EntryType::kRecords, "after");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  auto entries = ReadAll(*wal, 0);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].payload, "before");
  EXPECT_EQ(entries[1].payload, "after");
  wal.reset();
  wal = OpenOrDie(dir);
  entries = ReadAll(*wal, 0);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].payload, "after");
  EXPECT_EQ(wal->end(), *after + kEntryHeaderBytes + 5);
}

TEST(Wal, ANewLogGetsANewIdentity) {
  const std::string dir = FreshTempDir("wal-identity");
  std::string first_id;
  {
    auto wal = OpenOrDie(dir);
    first_id = wal->id();
    EXPECT_EQ(first_id.size(), 16u);
  }
  for (const auto& p : SegmentPaths(dir)) std::filesystem::remove(p);
  auto wal = OpenOrDie(dir);
  EXPECT_NE(wal->id(), first_id);
  EXPECT_EQ(wal->end(), 0u);
}

TEST(WalFormat, SegmentNamesRoundTripAndRejectOthers) {
  Lsn lsn = 0;
  EXPECT_EQ(SegmentFileName(1234), "00000000000000001234.wal");
  EXPECT_TRUE(ParseSegmentFileName(SegmentFileName(18446744073709551615ull), &lsn));
  EXPECT_EQ(lsn, 18446744073709551615ull);
  EXPECT_FALSE(ParseSegmentFileName("99999999999999999999.wal", &lsn));  // > 2^64-1
  EXPECT_FALSE(ParseSegmentFileName("0000000000000000123a.wal", &lsn));
  EXPECT_FALSE(ParseSegmentFileName("00000000000000001234.wal.tmp", &lsn));
  EXPECT_FALSE(ParseSegmentFileName("IDENTITY", &lsn));
}

TEST(WalFormat, AnEntryVerifiesOnlyAtItsOwnLsn) {
  std::string bytes;
  AppendEntry(4096, EntryType::kRecords, "payload", &bytes);
  EntryView view;
  ASSERT_EQ(DecodeEntry(bytes, 4096, &view), EntryCheck::kOk);
  EXPECT_EQ(view.payload, "payload");
  EXPECT_EQ(view.encoded_bytes, bytes.size());
  EXPECT_EQ(DecodeEntry(bytes, 4097, &view), EntryCheck::kDamaged);
  EXPECT_EQ(DecodeEntry(std::string_view(bytes).substr(0, bytes.size() - 1), 4096, &view), EntryCheck::kTruncated);
  std::string bad_type = bytes;
  bad_type[12] = 9;
  EXPECT_EQ(DecodeEntry(bad_type, 4096, &view), EntryCheck::kDamaged);
  EXPECT_EQ(DecodeEntry(std::string(16, '\0'), 0, &view), EntryCheck::kDamaged);
}

}  // namespace
}  // namespace loglake::ingest
