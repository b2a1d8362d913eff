#include "agent/checkpoint.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/file.h"
#include "test_util.h"

namespace loglake::agent {
namespace {

CheckpointEntry Entry(const std::string& path, uint64_t inode, uint64_t offset) {
  CheckpointEntry e;
  e.input = "access_log";
  e.path = path;
  e.identity = FileIdentity{2049, inode, 1024, 0x0123456789abcdefull};
  e.offset = offset;
  return e;
}

TEST(CheckpointFormatTest, RoundTripsEveryField) {
  CheckpointState state;
  state.generation = 7;
  state.entries.push_back(Entry("/var/log/app.log", 12, 345));
  state.entries.push_back(Entry("/var/log/odd name %\n\twith controls", 13, 0));
  const std::string text = EncodeCheckpoint(state);
  Result<CheckpointState> back = DecodeCheckpoint(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->generation, 7u);
  ASSERT_EQ(back->entries.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(back->entries[i].input, state.entries[i].input);
    EXPECT_EQ(back->entries[i].path, state.entries[i].path);
    EXPECT_EQ(back->entries[i].identity, state.entries[i].identity);
    EXPECT_EQ(back->entries[i].offset, state.entries[i].offset);
  }
}

TEST(CheckpointFormatTest, EmptyTornAndDamagedFilesAreCorruption) {
  CheckpointState state;
  state.generation = 3;
  state.entries.push_back(Entry("/a.log", 1, 100));
  const std::string text = EncodeCheckpoint(state);
  EXPECT_EQ(DecodeCheckpoint("").status().code(), StatusCode::kCorruption);
  // Every strict prefix is torn.
  for (size_t n = 1; n < text.size(); ++n) {
    EXPECT_FALSE(DecodeCheckpoint(text.substr(0, n)).ok()) << n;
  }
  std::string flipped = text;
  flipped[text.find("100")] = '9';  // offset 900 instead of 100
  Result<CheckpointState> bad = DecodeCheckpoint(flipped);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("CRC"), std::string::npos);
}

TEST(CheckpointStoreTest, AlternatesSlotsAndFallsBackToThePreviousGenerationWhenTheNewestIsDamaged) {
  const std::string dir = testing_util::FreshTempDir("agent-checkpoint");
  Result<CheckpointStore> store = CheckpointStore::Open(dir);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Load().ok());
  ASSERT_TRUE(store->Save({Entry("/a.log", 1, 100)}).ok());
  ASSERT_TRUE(store->Save({Entry("/a.log", 1, 200)}).ok());
  ASSERT_TRUE(store->Save({Entry("/a.log", 1, 300)}).ok());  // slot 0 again, generation 3

  Result<CheckpointStore> reopened = CheckpointStore::Open(dir);
  Result<CheckpointStore::Loaded> loaded = reopened->Load();
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->problems.empty());
  EXPECT_EQ(loaded->state.generation, 3u);
  EXPECT_EQ(loaded->state.entries.at(0).offset, 300u);

  // Tear the newest slot: the previous generation is used, and the problem is named.
  std::string text;
  ASSERT_TRUE(ReadFileToString(store->SlotPath(0), &text).ok());
  { std::ofstream(store->SlotPath(0), std::ios::trunc) << text.substr(0, text.size() / 2); }
  Result<CheckpointStore> again = CheckpointStore::Open(dir);
  loaded = again->Load();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->problems.size(), 1u);
  EXPECT_NE(loaded->problems[0].find("checkpoint-0"), std::string::npos);
  EXPECT_EQ(loaded->state.generation, 2u);
  EXPECT_EQ(loaded->state.entries.at(0).offset, 200u);
  // The next save overwrites the damaged slot, not the good one.
  ASSERT_TRUE(again->Save({Entry("/a.log", 1, 400)}).ok());
  loaded = CheckpointStore::Open(dir)->Load();
  EXPECT_TRUE(loaded->problems.empty());
  EXPECT_EQ(loaded->state.entries.at(0).offset, 400u);

  // Both slots empty: nothing to resume, two problems reported.
  { std::ofstream(store->SlotPath(0), std::ios::trunc); }
  { std::ofstream(store->SlotPath(1), std::ios::trunc); }
  loaded = CheckpointStore::Open(dir)->Load();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->problems.size(), 2u);
  EXPECT_TRUE(loaded->state.entries.empty());
  EXPECT_TRUE(loaded->slot.empty());
}

}  // namespace
}  // namespace loglake::agent
