#include "lake/input_split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/file.h"
#include "test_util.h"

namespace loglake::lake {
namespace {

std::string WriteInput(const std::string& name, const std::string& text) {
  const std::string path = testing_util::FreshTempDir("input_split") + "/" + name;
  EXPECT_TRUE(WriteFileAtomically(path, text).ok());
  return path;
}

std::vector<uint64_t> Cuts(const std::string& text, const std::vector<uint64_t>& targets) {
  const std::string path = WriteInput("in.json", text);
  Result<std::vector<uint64_t>> cuts = FindRecordCuts(path, text.size(), targets);
  EXPECT_TRUE(cuts.ok()) << cuts.status().ToString();
  return cuts.ok() ? *cuts : std::vector<uint64_t>{};
}

std::vector<uint64_t> EveryOffset(size_t size) {
  std::vector<uint64_t> all;
  for (uint64_t i = 0; i <= size; ++i) all.push_back(i);
  return all;
}

TEST(InputSplitTest, NdjsonIsCutAfterEachNewline) {
  const std::string text = "{\"a\":1}\n{\"a\":2}\r\n\n{\"a\":3}\n";
  // Every line start that is followed by a record, once each.
  EXPECT_EQ(Cuts(text, EveryOffset(text.size())), (std::vector<uint64_t>{8, 17, 18}));
  EXPECT_EQ(Cuts(text, {1}), (std::vector<uint64_t>{8}));
  EXPECT_EQ(Cuts(text, {9, 10}), (std::vector<uint64_t>{17, 18}));
  EXPECT_TRUE(Cuts(text, {19}).empty());  // no record after it
}

TEST(InputSplitTest, OnlyBetweenTopLevelObjects) {
  // Pretty-printed objects: lines inside them are never cuts.
  const std::string pretty =
      "{\n  \"a\": {\n    \"b\": 1\n  },\n  \"c\": [\n    {\"d\": 2},\n    {\"e\": 3}\n  ]\n}\n"
      "{\n  \"a\": 2\n}\n";
  const uint64_t second = pretty.find("}\n{") + 2;
  EXPECT_EQ(Cuts(pretty, EveryOffset(pretty.size())), (std::vector<uint64_t>{second}));
  // An array of records across lines: elements are separated by commas, so no cut.
  const std::string array = "[\n{\"a\":1},\n{\"a\":2}\n,{\"a\":3}\n]\n";
  EXPECT_TRUE(Cuts(array, EveryOffset(array.size())).empty());
  // Objects one after another on one line, as Firehose writes them: no newline, no cut; nor
  // inside strings, where "}{" and escaped newlines are only text.
  const std::string firehose = "{\"a\":\"}{\"}{\"a\":\"x\\n}\\n{\"}{\"a\":3}";
  EXPECT_TRUE(Cuts(firehose, EveryOffset(firehose.size())).empty());
}

// Random texts of top-level objects, some pretty-printed with nested objects and arrays, with
// strings that hold braces and escaped newlines: the cuts are exactly the line starts between
// two objects.
TEST(InputSplitTest, RandomTextsAreCutOnlyAtRecordBoundaries) {
  std::mt19937 rng(5);
  for (int round = 0; round < 40; ++round) {
    std::string text;
    std::set<uint64_t> boundaries;  // right after a newline between two records
    const int records = 1 + static_cast<int>(rng() % 30);
    for (int r = 0; r < records; ++r) {
      const bool pretty = rng() % 3 == 0;
      const char* nl = pretty ? "\n  " : "";
      std::string rec = std::string("{") + nl + "\"s\":\"a}{b\\n}\\n{\"," + nl + "\"o\":{" + nl + "\"x\":[{\"y\":1}," +
                        nl + "{\"z\":[]}]" + nl + "}," + nl + "\"n\":" + std::to_string(r) + (pretty ? "\n" : "") + "}";
      text += rec;
      switch (rng() % 4) {
        case 0: text += "\n"; break;
        case 1: text += "\r\n"; break;
        case 2: text += " \n\t\n "; break;
        default: break;  // next record right after: no cut possible
      }
      if (r + 1 < records) {
        // Cuts lie right after a newline of the gap, when the gap has one.
        for (size_t i = text.rfind('}') + 1; i < text.size(); ++i) {
          if (text[i] == '\n') boundaries.insert(i + 1);
        }
      }
    }
    // A target at every offset finds every cut there is.
    const std::vector<uint64_t> cuts = Cuts(text, EveryOffset(text.size()));
    EXPECT_EQ(std::set<uint64_t>(cuts.begin(), cuts.end()), boundaries) << "round " << round;
  }
}

TEST(InputSplitTest, LongRecordsAndFarTargets) {
  // Records of 3 MB: the cut after a target may lie more than a window away.
  std::string text;
  std::vector<uint64_t> starts;
  for (int r = 0; r < 3; ++r) {
    starts.push_back(text.size());
    text += "{\"big\":\"" + std::string(3 << 20, 'x') + "\"}\n";
  }
  EXPECT_EQ(Cuts(text, {1, starts[1] + 5}), (std::vector<uint64_t>{starts[1], starts[2]}));
  // Further than kMaxCutSearchBytes from any record start: given up.
  std::string huge = "{\"big\":\"" + std::string(kMaxCutSearchBytes + 100, 'x') + "\"}\n{\"a\":1}\n";
  EXPECT_TRUE(Cuts(huge, {1}).empty());
}

TEST(InputSplitTest, CountNewlines) {
  const std::string text = "a\nb\n\nc" + std::string(3 << 20, 'x') + "\n";
  const std::string path = WriteInput("lines.txt", text);
  for (uint64_t end : {uint64_t{0}, uint64_t{1}, uint64_t{2}, uint64_t{5}, static_cast<uint64_t>(text.size())}) {
    Result<uint64_t> n = CountNewlines(path, end);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_EQ(*n, static_cast<uint64_t>(std::count(text.begin(), text.begin() + static_cast<long>(end), '\n'))) << end;
  }
  EXPECT_FALSE(CountNewlines(path, text.size() + 1).ok());
  EXPECT_FALSE(CountNewlines(path + ".missing", 1).ok());
}

}  // namespace
}  // namespace loglake::lake
