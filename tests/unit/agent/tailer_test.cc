#include "agent/tailer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "common/file.h"
#include "test_util.h"

namespace loglake::agent {
namespace {

struct RecordingEmitter : public LineEmitter {
  std::vector<std::string> lines;
  std::map<uint64_t, uint64_t> progress;
  void Line(size_t, std::string_view line) override { lines.emplace_back(line); }
  void Progress(size_t, uint64_t source_id, uint64_t end_offset) override { progress[source_id] = end_offset; }
};

void Append(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::app);
  f << text;
}

std::string Records(const std::string& prefix, int from, int to) {
  std::string out;
  for (int i = from; i < to; ++i) out += "{\"uuid\":\"" + prefix + std::to_string(i) + "\"}\n";
  return out;
}

std::vector<std::string> Expected(const std::string& prefix, int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back("{\"uuid\":\"" + prefix + std::to_string(i) + "\"}");
  return out;
}

class TailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing_util::FreshTempDir("agent-tailer");
    dead_ = std::make_unique<DeadLetterFile>(dir_ + "/dead.ndjson");
    options_.rotate_wait_micros = 1'000'000;
    options_.partial_line_timeout_micros = 1'000'000;
  }
  std::unique_ptr<Tailer> Make(std::vector<std::string> paths) {
    return std::make_unique<Tailer>(std::vector<InputConfig>{{"app", "app", std::move(paths)}}, options_, &ledger_,
                                    dead_.get(), [this](std::string_view, const std::string& m) { log_.push_back(m); });
  }
  // Acknowledges everything read so far, as the shipper would.
  void AckAll(const RecordingEmitter& e) {
    std::vector<SourceProgress> p;
    for (const auto& [id, offset] : e.progress) p.push_back(SourceProgress{id, offset});
    ledger_.Acknowledge(p);
  }
  std::string dir_;
  TailOptions options_;
  AckLedger ledger_;
  std::unique_ptr<DeadLetterFile> dead_;
  std::vector<std::string> log_;
};

TEST_F(TailerTest, RenameRotationReadsTheOldFileToItsEndThenTheNewOneFromItsStart) {
  const std::string log = dir_ + "/app.log";
  Append(log, Records("a", 0, 100));
  auto tailer = Make({log});
  RecordingEmitter e;
  tailer->Poll(true, false, 1'000'000, e);
  EXPECT_EQ(e.lines, Expected("a", 0, 100));
  // Rotate: the writer still appends to the renamed file a little, then the new one starts.
  ASSERT_EQ(std::rename(log.c_str(), (log + ".1").c_str()), 0);
  Append(log + ".1", Records("a", 100, 120));
  Append(log, Records("b", 0, 50));
  tailer->Poll(true, false, 1'100'000, e);
  std::vector<std::string> want = Expected("a", 0, 120);
  for (const std::string& l : Expected("b", 0, 50)) want.push_back(l);
  EXPECT_EQ(e.lines, want);
  EXPECT_EQ(tailer->open_files(), 2u);
  // Quiet for rotate_wait and out of the globs: the old file is closed; it leaves the
  // checkpoint once acknowledged to its end.
  tailer->Poll(true, false, 2'200'000, e);
  EXPECT_EQ(tailer->open_files(), 1u);
  EXPECT_EQ(ledger_.Snapshot().size(), 2u);
  AckAll(e);
  std::vector<CheckpointEntry> snapshot = ledger_.Snapshot();
  ASSERT_EQ(snapshot.size(), 1u);
  EXPECT_EQ(snapshot[0].path, log);
  EXPECT_EQ(snapshot[0].offset, Records("b", 0, 50).size());
}

TEST_F(TailerTest, CopytruncateWithTheCopyInTheGlobLosesAndRepeatsNothing) {
  const std::string log = dir_ + "/app.log";
  Append(log, Records("a", 0, 100));
  auto tailer = Make({dir_ + "/app.log*"});
  RecordingEmitter e;
  tailer->Poll(true, false, 1'000'000, e);
  // Written, not yet read, then copied and truncated; the writer (O_APPEND) goes on at 0.
  Append(log, Records("a", 100, 130));
  std::filesystem::copy_file(log, log + ".1");
  std::filesystem::resize_file(log, 0);
  Append(log, Records("c", 0, 10));
  tailer->Poll(true, false, 1'100'000, e);
  tailer->Poll(true, false, 1'200'000, e);
  std::vector<std::string> got = e.lines;
  std::sort(got.begin(), got.end());
  std::vector<std::string> want = Expected("a", 0, 130);
  for (const std::string& l : Expected("c", 0, 10)) want.push_back(l);
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
}

TEST_F(TailerTest, TruncateAndRewriteLongerIsReadFromTheStart) {
  const std::string log = dir_ + "/app.log";
  Append(log, Records("a", 0, 10));
  auto tailer = Make({log});
  RecordingEmitter e;
  tailer->Poll(true, false, 1'000'000, e);
  { std::ofstream(log, std::ios::trunc) << Records("rewritten", 0, 40); }
  tailer->Poll(false, false, 1'100'000, e);
  std::vector<std::string> want = Expected("a", 0, 10);
  for (const std::string& l : Expected("rewritten", 0, 40)) want.push_back(l);
  EXPECT_EQ(e.lines, want);
}

TEST_F(TailerTest, ResumesFromTheCheckpointUnderItsNameOrUnderItsRotatedName) {
  const std::string log = dir_ + "/app.log";
  Append(log, Records("a", 0, 50));
  {
    auto tailer = Make({log});
    RecordingEmitter e;
    tailer->Poll(true, false, 1'000'000, e);
    AckAll(e);
  }
  std::vector<CheckpointEntry> checkpoint = ledger_.Snapshot();
  ASSERT_EQ(checkpoint.size(), 1u);

  // Down: more lines, then a rotation, then a new file.
  Append(log, Records("a", 50, 60));
  ASSERT_EQ(std::rename(log.c_str(), (log + ".1").c_str()), 0);
  Append(log, Records("b", 0, 5));
  AckLedger fresh;
  Tailer tailer(std::vector<InputConfig>{{"app", "app", {log}}}, options_, &fresh, dead_.get(),
                [this](std::string_view, const std::string& m) { log_.push_back(m); });
  tailer.Resume(checkpoint);
  RecordingEmitter e;
  tailer.Poll(true, false, 1'000'000, e);
  std::vector<std::string> got = e.lines;
  std::sort(got.begin(), got.end());
  std::vector<std::string> want = Expected("a", 50, 60);
  for (const std::string& l : Expected("b", 0, 5)) want.push_back(l);
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
  bool said = false;
  for (const std::string& m : log_) said |= m.find("rotated while the agent was down") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST_F(TailerTest, AReusedInodeIsReadFromTheStart) {
  const std::string log = dir_ + "/app.log";
  Append(log, Records("new", 0, 20));
  struct stat st;
  ASSERT_EQ(::stat(log.c_str(), &st), 0);
  // The checkpoint knows a file with this inode, 500 bytes in — with other first bytes.
  CheckpointEntry old;
  old.input = "app";
  old.path = log;
  old.identity = FileIdentity{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino), 30,
                              FingerprintHash("{\"uuid\":\"the old file's start")};
  old.offset = 500;
  auto tailer = Make({log});
  tailer->Resume({old});
  RecordingEmitter e;
  tailer->Poll(true, false, 1'000'000, e);
  EXPECT_EQ(e.lines, Expected("new", 0, 20));
}

TEST_F(TailerTest, APartialLineWaitsForItsNewlineThenForTheTimeout) {
  const std::string log = dir_ + "/app.log";
  Append(log, "{\"uuid\":\"x\"}\n{\"uuid\":");
  auto tailer = Make({log});
  RecordingEmitter e;
  tailer->Poll(true, false, 1'000'000, e);
  EXPECT_EQ(e.lines, std::vector<std::string>{"{\"uuid\":\"x\"}"});
  EXPECT_EQ(tailer->MicrosUntilTimer(1'000'000), 1'000'000);
  Append(log, "\"y\"}\n{\"uuid\":\"z\"");
  tailer->Poll(false, false, 1'500'000, e);
  EXPECT_EQ(e.lines.back(), "{\"uuid\":\"y\"}");
  EXPECT_EQ(e.lines.size(), 2u);
  tailer->Poll(false, false, 2'000'000, e);  // waited 0.5 s: not yet
  EXPECT_EQ(e.lines.size(), 2u);
  tailer->Poll(false, false, 2'600'000, e);  // waited 1.1 s: sent as it is
  ASSERT_EQ(e.lines.size(), 3u);
  EXPECT_EQ(e.lines.back(), "{\"uuid\":\"z\"");
  EXPECT_EQ(tailer->counters().partial_lines_sent, 1u);
}

TEST_F(TailerTest, AnOverLongLineGoesToTheDeadLetterFileWithItsReason) {
  options_.max_line_bytes = 64;
  const std::string log = dir_ + "/app.log";
  Append(log, "{\"ok\":1}\n" + std::string(500, 'L') + "\n{\"ok\":2}\n");
  auto tailer = Make({log});
  RecordingEmitter e;
  tailer->Poll(true, false, 1'000'000, e);
  EXPECT_EQ(e.lines, (std::vector<std::string>{"{\"ok\":1}", "{\"ok\":2}"}));
  std::string dead;
  ASSERT_TRUE(ReadFileToString(dir_ + "/dead.ndjson", &dead).ok());
  EXPECT_NE(dead.find("over max_line_bytes (64 bytes)"), std::string::npos);
  EXPECT_NE(dead.find("\"offset\":9"), std::string::npos);
  EXPECT_NE(dead.find("\"record_head\":\"LLLL"), std::string::npos);
  // The whole file is settled: the skipped line does not hold the checkpoint back.
  EXPECT_EQ(e.progress.begin()->second, 9u + 501u + 9u);
}

}  // namespace
}  // namespace loglake::agent

namespace loglake::agent {
namespace {

TEST_F(TailerTest, AFinalPollReadsToTheEndAcrossChunksThatEndInsideALine) {
  options_.max_line_bytes = 40;
  options_.read_chunk_bytes = 50;  // lines of 16-18 bytes: most chunks end inside a line
  const std::string log = dir_ + "/app.log";
  Append(log, Records("r", 0, 300));
  auto tailer = Make({log});
  RecordingEmitter e;
  tailer->Poll(true, true, 1'000'000, e);
  EXPECT_EQ(e.lines, Expected("r", 0, 300));
  EXPECT_EQ(e.progress.begin()->second, Records("r", 0, 300).size());
  // A regular poll reads a bounded amount per file, and no complete line is held as partial.
  Append(log, Records("s", 0, 300));
  tailer->Poll(false, false, 1'100'000, e);
  EXPECT_LT(e.lines.size(), 600u);
  EXPECT_TRUE(tailer->backlog());
  EXPECT_EQ(tailer->MicrosUntilTimer(1'100'000), -1);
  for (int i = 0; i < 200 && e.lines.size() < 600; ++i) tailer->Poll(false, false, 1'200'000, e);
  EXPECT_EQ(e.lines.size(), 600u);
  EXPECT_FALSE(tailer->backlog());
  EXPECT_EQ(tailer->counters().partial_lines_sent, 0u);
}

}  // namespace
}  // namespace loglake::agent
