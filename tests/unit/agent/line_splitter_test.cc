#include "agent/line_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace loglake::agent {
namespace {

std::vector<std::string> Lines(const SplitOutput& out) { return {out.lines.begin(), out.lines.end()}; }

TEST(LineSplitterTest, CompleteLinesComeOutAndThePartialTailWaits) {
  LineSplitter splitter(100);
  SplitOutput out;
  const std::string chunk = "{\"a\":1}\n{\"b\":2}\n{\"c\":";
  splitter.Split(chunk, 0, false, &out);
  EXPECT_EQ(Lines(out), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_EQ(out.consumed, 16u);
  EXPECT_TRUE(out.partial);
  // The tail is read again with its newline.
  splitter.Split("{\"c\":3}\n", 16, false, &out);
  EXPECT_EQ(Lines(out), (std::vector<std::string>{"{\"c\":3}"}));
  EXPECT_EQ(out.consumed, 8u);
  EXPECT_FALSE(out.partial);
}

TEST(LineSplitterTest, TakePartialSendsTheUnterminatedTailAsItIs) {
  LineSplitter splitter(100);
  SplitOutput out;
  splitter.Split("x\n{\"half\":", 0, true, &out);
  EXPECT_EQ(Lines(out), (std::vector<std::string>{"x", "{\"half\":"}));
  EXPECT_EQ(out.consumed, 10u);
  EXPECT_FALSE(out.partial);
}

TEST(LineSplitterTest, BlankLinesAreConsumedAndDropped) {
  LineSplitter splitter(100);
  SplitOutput out;
  splitter.Split("\n  \r\n{}\n\t\n", 0, false, &out);
  EXPECT_EQ(Lines(out), (std::vector<std::string>{"{}"}));
  EXPECT_EQ(out.consumed, 10u);
  EXPECT_FALSE(IsBlankLine("{}"));
  EXPECT_TRUE(IsBlankLine(" \t\r"));
}

TEST(LineSplitterTest, AnOverLongLineIsReportedOnceAndSkippedAcrossChunks) {
  LineSplitter splitter(8);
  SplitOutput out;
  // A 12-byte line with its newline in the same chunk.
  splitter.Split("ok\n123456789012\nok2\n", 100, false, &out);
  EXPECT_EQ(Lines(out), (std::vector<std::string>{"ok", "ok2"}));
  ASSERT_EQ(out.over_long.size(), 1u);
  EXPECT_EQ(out.over_long[0].offset, 103u);
  EXPECT_EQ(out.over_long[0].head, "123456789012");
  EXPECT_FALSE(splitter.skipping());

  // A long line whose newline comes only in a later chunk.
  splitter.Split("a\nlonglonglong", 0, false, &out);
  EXPECT_EQ(Lines(out), (std::vector<std::string>{"a"}));
  ASSERT_EQ(out.over_long.size(), 1u);
  EXPECT_EQ(out.over_long[0].offset, 2u);
  EXPECT_EQ(out.consumed, 14u);
  EXPECT_TRUE(splitter.skipping());
  splitter.Split("stillmore", 14, false, &out);
  EXPECT_TRUE(out.lines.empty());
  EXPECT_TRUE(out.over_long.empty());
  EXPECT_EQ(out.consumed, 9u);
  splitter.Split("end\nnext\n", 23, false, &out);
  EXPECT_EQ(Lines(out), (std::vector<std::string>{"next"}));
  EXPECT_TRUE(out.over_long.empty());
  EXPECT_FALSE(splitter.skipping());
}

TEST(LineSplitterTest, ALineOfExactlyTheLimitIsARecord) {
  LineSplitter splitter(4);
  SplitOutput out;
  splitter.Split("abcd\nabcde\n", 0, false, &out);
  EXPECT_EQ(Lines(out), (std::vector<std::string>{"abcd"}));
  EXPECT_EQ(out.over_long.size(), 1u);
}

}  // namespace
}  // namespace loglake::agent
