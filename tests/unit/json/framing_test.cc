#include "json/framing.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace loglake::json {
namespace {

struct Out {
  std::string text;
  uint64_t line;
  bool ok;
  std::string message;
};

std::ostream& operator<<(std::ostream& os, const Out& o) {
  return os << "{line " << o.line << (o.ok ? " ok " : " error ") << "[" << o.text << "] " << o.message << "}";
}

// Frames `input` fed in chunks of `chunk` bytes (0: all at once).
std::vector<Out> Frame(std::string_view input, size_t chunk = 0, FramerOptions options = {}) {
  RecordFramer framer(options);
  std::vector<Out> out;
  auto drain = [&] {
    while (std::optional<FramedRecord> r = framer.Next()) {
      out.push_back({std::string(r->text), r->line, r->error.ok(), r->error.message()});
    }
  };
  if (chunk == 0) chunk = input.size() + 1;
  for (size_t i = 0; i < input.size(); i += chunk) {
    framer.Feed(input.substr(i, chunk));
    drain();
  }
  framer.Finish();
  drain();
  return out;
}

// Frames with several chunkings and checks they all agree; returns the result.
std::vector<Out> FrameAllWays(std::string_view input, FramerOptions options = {}) {
  std::vector<Out> whole = Frame(input, 0, options);
  for (size_t chunk : {1, 2, 3, 7, 63, 64, 65, 200}) {
    std::vector<Out> split = Frame(input, chunk, options);
    EXPECT_EQ(split.size(), whole.size()) << "chunk " << chunk;
    for (size_t i = 0; i < std::min(split.size(), whole.size()); ++i) {
      EXPECT_EQ(split[i].text, whole[i].text) << "chunk " << chunk << " record " << i;
      EXPECT_EQ(split[i].line, whole[i].line) << "chunk " << chunk << " record " << i;
      EXPECT_EQ(split[i].ok, whole[i].ok) << "chunk " << chunk << " record " << i;
      EXPECT_EQ(split[i].message, whole[i].message) << "chunk " << chunk << " record " << i;
    }
  }
  return whole;
}

void ExpectRecords(const std::vector<Out>& got, const std::vector<std::string>& texts) {
  ASSERT_EQ(got.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_TRUE(got[i].ok) << got[i];
    EXPECT_EQ(got[i].text, texts[i]);
  }
}

TEST(FramingTest, Ndjson) {
  auto got = FrameAllWays("{\"a\":1}\n{\"b\":\"x\"}\n{\"c\":[1,{\"d\":2}]}\n");
  ExpectRecords(got, {"{\"a\":1}", "{\"b\":\"x\"}", "{\"c\":[1,{\"d\":2}]}"});
  EXPECT_EQ(got[0].line, 1u);
  EXPECT_EQ(got[1].line, 2u);
  EXPECT_EQ(got[2].line, 3u);
}

TEST(FramingTest, CrlfBomBlankLinesAndNoFinalNewline) {
  auto got = FrameAllWays("\xEF\xBB\xBF{\"a\":1}\r\n\r\n  \t\n{\"b\":2}\r\n\n{\"c\":3}");
  ExpectRecords(got, {"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"});
  EXPECT_EQ(got[1].line, 4u);
  EXPECT_EQ(got[2].line, 6u);
}

TEST(FramingTest, ConcatenatedObjectsWithoutDelimiter) {
  auto got = FrameAllWays("{\"a\":1}{\"b\":2}{\"c\":\"}{\"} {\"d\":{}}");
  ExpectRecords(got, {"{\"a\":1}", "{\"b\":2}", "{\"c\":\"}{\"}", "{\"d\":{}}"});
  for (const Out& o : got) EXPECT_EQ(o.line, 1u);
}

TEST(FramingTest, StringsWithBracketsQuotesAndEscapes) {
  const std::string rec = R"({"s":"a}b]c{d[e","q":"say \"hi\" {","b":"back\\","u":"\u00e9\ud83d\ude00"})";
  ExpectRecords(FrameAllWays(rec + "\n" + rec), {rec, rec});
}

TEST(FramingTest, EscapedBackslashBeforeQuoteAtEveryBlockOffset) {
  // A backslash pair or an escaped quote straddling the 64-byte scan blocks must not confuse
  // the string state.
  for (size_t pad = 0; pad < 70; ++pad) {
    const std::string rec =
        "{\"k\":\"" + std::string(pad, 'x') + "\\\\\",\"e\":\"" + std::string(pad, 'y') + "\\\"}\"}";
    ExpectRecords(FrameAllWays(rec + rec), {rec, rec});
  }
}

TEST(FramingTest, JsonArrays) {
  auto got = FrameAllWays("[{\"a\":1},{\"b\":2}]\n[ {\"c\":3} , {\"d\":4} ]");
  ExpectRecords(got, {"{\"a\":1}", "{\"b\":2}", "{\"c\":3}", "{\"d\":4}"});
}

// Elements of a top-level array with no comma between them (invalid JSON): on one line they stay
// elements; across a line feed the array is taken as closed, and its ']' is a stray byte. So
// "}", a line feed and "{" always part two top-level records (what convert --threads cuts by).
TEST(FramingTest, ArrayElementsWithoutACommaAcrossLinesCloseTheArray) {
  ExpectRecords(FrameAllWays("[{\"a\":1}{\"b\":2}]"), {"{\"a\":1}", "{\"b\":2}"});
  ExpectRecords(FrameAllWays("[{\"a\":1},\n{\"b\":2}\n,{\"c\":3}\n]"), {"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"});
  auto got = FrameAllWays("[{\"a\":1}\n {\"b\":2}\n]\n[{\"c\":3}]");
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].text, "{\"a\":1}");
  EXPECT_EQ(got[1].text, "{\"b\":2}");
  EXPECT_FALSE(got[2].ok) << got[2];
  EXPECT_EQ(got[2].text, "]");
  EXPECT_TRUE(got[3].ok) << got[3];  // a new array starts normally
  EXPECT_EQ(got[3].text, "{\"c\":3}");
  // The same records whichever way the input is cut at "}\n{" and framed piece by piece.
  const std::string input = "[{\"a\":1},\n{\"b\":2}\n{\"c\":3}\n{\"d\":4}]";
  const size_t cut = input.find("}\n{\"c") + 2;
  std::vector<Out> pieces = Frame(input.substr(0, cut));
  for (Out& o : Frame(input.substr(cut))) {
    o.line += 2;
    pieces.push_back(o);
  }
  std::vector<Out> whole = FrameAllWays(input);
  ASSERT_EQ(pieces.size(), whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(pieces[i].text, whole[i].text) << i;
    EXPECT_EQ(pieces[i].line, whole[i].line) << i;
    EXPECT_EQ(pieces[i].ok, whole[i].ok) << i;
  }
}

TEST(FramingTest, LineFeedPartsRecordsBetweenAClosingAndAnOpeningBrace) {
  auto parts = [](std::string_view text) {
    return LineFeedPartsRecords(text.data(), 0, text.find('\n'), text.size());
  };
  EXPECT_EQ(parts("{}\n{"), RecordBreak::kYes);
  EXPECT_EQ(parts("{} \r\n \t\n{"), RecordBreak::kYes);
  EXPECT_EQ(parts("{},\n{"), RecordBreak::kNo);
  EXPECT_EQ(parts("{}\n,{"), RecordBreak::kNo);
  EXPECT_EQ(parts("]\n{"), RecordBreak::kNo);
  EXPECT_EQ(parts("\n{"), RecordBreak::kNo);  // nothing before it
  EXPECT_EQ(parts("{}\n  "), RecordBreak::kNeedMoreInput);
  EXPECT_EQ(parts("{}\n"), RecordBreak::kNeedMoreInput);
  // Blanks beyond the limit on either side: no.
  const std::string many(kMaxBlanksAroundRecordBreak, ' ');
  EXPECT_EQ(parts("{}" + many + "\n{"), RecordBreak::kNo);
  EXPECT_EQ(parts("{}\n" + many + "{"), RecordBreak::kNo);
  EXPECT_EQ(parts("{}\n" + many), RecordBreak::kNo);
  EXPECT_EQ(parts("{}" + many.substr(1) + "\n" + many.substr(1) + "{"), RecordBreak::kYes);
}

// "}", a line feed and "{" inside a record (never in valid JSON) end the record there.
TEST(FramingTest, ALineFeedBetweenBracesInsideARecordEndsIt) {
  auto got = FrameAllWays("{\"a\":\n[1,\n{\"x\":1}\n  {\"y\":2}]}\n{\"z\":3}");
  ASSERT_EQ(got.size(), 4u);
  EXPECT_FALSE(got[0].ok);
  EXPECT_EQ(got[0].text, "{\"a\":\n[1,\n{\"x\":1}");
  EXPECT_NE(got[0].message.find("a line ends after a '}' inside it"), std::string::npos) << got[0];
  EXPECT_TRUE(got[1].ok);
  EXPECT_EQ(got[1].text, "{\"y\":2}");
  EXPECT_EQ(got[1].line, 4u);
  EXPECT_FALSE(got[2].ok);  // the stray "]}"
  EXPECT_EQ(got[3].text, "{\"z\":3}");
  // Valid pretty-printed records are not affected: there '}' is followed by ',', '}' or ']'.
  ExpectRecords(FrameAllWays("{\n  \"a\": {\"b\": 1},\n  \"c\": [{\"d\": 2},\n    {\"e\": 3}\n  ]\n}\n"),
                {"{\n  \"a\": {\"b\": 1},\n  \"c\": [{\"d\": 2},\n    {\"e\": 3}\n  ]\n}"});
}

TEST(FramingTest, PrettyPrintedArrayOverManyLines) {
  const std::string input =
      "[\n"
      "  {\n"
      "    \"a\": 1,\n"
      "    \"nested\": {\n"
      "      \"x\": [1, 2]\n"
      "    }\n"
      "  },\n"
      "  {\n"
      "    \"b\": \"two\"\n"
      "  }\n"
      "]\n"
      "{\"c\":3}\n";
  auto got = FrameAllWays(input);
  ASSERT_EQ(got.size(), 3u);
  for (const Out& o : got) EXPECT_TRUE(o.ok) << o;
  EXPECT_EQ(got[0].text, "{\n    \"a\": 1,\n    \"nested\": {\n      \"x\": [1, 2]\n    }\n  }");
  EXPECT_EQ(got[0].line, 2u);
  EXPECT_EQ(got[1].line, 8u);
  EXPECT_EQ(got[2].text, "{\"c\":3}");
  EXPECT_EQ(got[2].line, 12u);
}

TEST(FramingTest, PrettyPrintedTopLevelObjects) {
  auto got = FrameAllWays("{\n  \"a\": 1,\n  \"b\": {\n    \"c\": 2\n  }\n}\n{\n\"d\": 3\n}\n");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(got[0].ok && got[1].ok);
  EXPECT_EQ(got[1].text, "{\n\"d\": 3\n}");
  EXPECT_EQ(got[1].line, 7u);
}

TEST(FramingTest, EmptyAndWhitespaceOnlyInput) {
  EXPECT_TRUE(FrameAllWays("").empty());
  EXPECT_TRUE(FrameAllWays("\n\r\n  \t\n").empty());
  EXPECT_TRUE(FrameAllWays("\xEF\xBB\xBF").empty());
  EXPECT_TRUE(FrameAllWays("[]\n[ ]").empty());
}

TEST(FramingTest, TruncatedLineResyncsOnNextObject) {
  auto got = FrameAllWays("{\"a\":1,\"b\":\n{\"c\":2}\n{\"d\":3,\"e\":[1,2\r\n\r\n{\"f\":4}\n");
  ASSERT_EQ(got.size(), 4u);
  EXPECT_FALSE(got[0].ok);
  EXPECT_EQ(got[0].text, "{\"a\":1,\"b\":");
  EXPECT_NE(got[0].message.find("incomplete"), std::string::npos) << got[0].message;
  EXPECT_TRUE(got[1].ok);
  EXPECT_EQ(got[1].text, "{\"c\":2}");
  EXPECT_EQ(got[1].line, 2u);
  EXPECT_FALSE(got[2].ok);
  EXPECT_EQ(got[2].text, "{\"d\":3,\"e\":[1,2");
  EXPECT_TRUE(got[3].ok);
  EXPECT_EQ(got[3].text, "{\"f\":4}");
  EXPECT_EQ(got[3].line, 5u);
}

TEST(FramingTest, TruncatedInsideStringResyncsOnNextLine) {
  auto got = FrameAllWays("{\"a\":\"abc\n{\"b\":\"x\\\n{\"c\":1}\n");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_FALSE(got[0].ok);
  EXPECT_EQ(got[0].text, "{\"a\":\"abc");
  EXPECT_NE(got[0].message.find("inside a string"), std::string::npos);
  EXPECT_FALSE(got[1].ok);
  EXPECT_EQ(got[1].text, "{\"b\":\"x\\");
  EXPECT_EQ(got[1].line, 2u);
  EXPECT_TRUE(got[2].ok);
  EXPECT_EQ(got[2].text, "{\"c\":1}");
  EXPECT_EQ(got[2].line, 3u);
}

TEST(FramingTest, MismatchedBracketEndsTheRecord) {
  auto got = FrameAllWays("[\n  {\"a\": [1, 2},\n  {\"b\": 2}\n]\n{\"c\":3}");
  ASSERT_EQ(got.size(), 4u);
  EXPECT_FALSE(got[0].ok);
  EXPECT_EQ(got[0].text, "{\"a\": [1, 2");
  EXPECT_NE(got[0].message.find("'}' does not match"), std::string::npos) << got[0].message;
  EXPECT_FALSE(got[1].ok);  // the stray '}' left over
  EXPECT_EQ(got[1].text, "}");
  EXPECT_TRUE(got[2].ok);
  EXPECT_EQ(got[2].text, "{\"b\": 2}");
  EXPECT_TRUE(got[3].ok);
}

TEST(FramingTest, UnterminatedAtEndOfInput) {
  auto got = FrameAllWays("{\"a\":1}\n{\"b\":{\"c\":2}\n");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(got[0].ok);
  EXPECT_FALSE(got[1].ok);
  EXPECT_EQ(got[1].text, "{\"b\":{\"c\":2}");
  EXPECT_NE(got[1].message.find("input ends"), std::string::npos);
  auto in_string = FrameAllWays("{\"b\":\"abc\\");
  ASSERT_EQ(in_string.size(), 1u);
  EXPECT_FALSE(in_string[0].ok);
  EXPECT_EQ(in_string[0].text, "{\"b\":\"abc\\");
}

TEST(FramingTest, ScalarsAndStrayBytesAreErrorsThatDoNotSwallowRecords) {
  auto got =
      FrameAllWays("42\n\"a {string}\"\n{\"a\":1}garbage{\"b\":2}\n} ]\n[1, {\"c\":3}, [4], null]\ntrue");
  std::vector<std::pair<std::string, bool>> want = {{"42", false},       {"\"a {string}\"", false},
                                                    {"{\"a\":1}", true}, {"garbage", false},
                                                    {"{\"b\":2}", true}, {"} ]", false},
                                                    {"1", false},        {"{\"c\":3}", true},
                                                    {"[4]", false},      {"null", false},
                                                    {"true", false}};
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].text, want[i].first) << i;
    EXPECT_EQ(got[i].ok, want[i].second) << got[i];
  }
  EXPECT_NE(got[0].message.find("not an object"), std::string::npos);
  EXPECT_NE(got[3].message.find("unexpected bytes"), std::string::npos);
  EXPECT_NE(got[8].message.find("array element is an array"), std::string::npos);
}

TEST(FramingTest, OversizedRecordsAreBoundedErrors) {
  FramerOptions options;
  options.max_record_bytes = 100;
  options.oversize_prefix_bytes = 20;
  const std::string big = "{\"a\":\"" + std::string(1000, 'x') + "\"}";
  const std::string exact = "{\"a\":\"" + std::string(92, 'y') + "\"}";  // exactly 100 bytes
  ASSERT_EQ(exact.size(), 100u);
  auto got = FrameAllWays(big + "\n" + exact + "\n" + exact + "z\n{\"b\":1}", options);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_FALSE(got[0].ok);
  EXPECT_EQ(got[0].text, big.substr(0, 20));
  EXPECT_NE(got[0].message.find("record of 1008 bytes is over the record size limit of 100 bytes"),
            std::string::npos)
      << got[0].message;
  EXPECT_TRUE(got[1].ok);
  EXPECT_EQ(got[1].text, exact);
  EXPECT_TRUE(got[2].ok);
  EXPECT_FALSE(got[3].ok);  // the stray "z"
  EXPECT_TRUE(got[4].ok);
  EXPECT_EQ(got[4].line, 4u);
}

TEST(FramingTest, OversizedTruncatedLineStillResyncs) {
  FramerOptions options;
  options.max_record_bytes = 64;
  options.oversize_prefix_bytes = 10;
  const std::string input =
      "{\"a\":\"" + std::string(500, 'x') + "\n{\"b\":1}\n" + std::string(300, '#') + "\n{\"c\":2}";
  auto got = FrameAllWays(input, options);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_FALSE(got[0].ok);
  EXPECT_EQ(got[0].text, "{\"a\":\"xxxx");
  EXPECT_TRUE(got[1].ok);
  EXPECT_FALSE(got[2].ok);  // 300 bytes of garbage, also over the limit
  EXPECT_EQ(got[2].text, std::string(10, '#'));
  EXPECT_NE(got[2].message.find("300 bytes"), std::string::npos);
  EXPECT_TRUE(got[3].ok);
  EXPECT_EQ(got[3].line, 4u);
}

TEST(FramingTest, MemoryStaysBoundedForAnEndlessRecord) {
  FramerOptions options;
  options.max_record_bytes = 1 << 16;
  RecordFramer framer(options);
  framer.Feed("{\"a\":[");
  std::string numbers;
  for (int i = 0; i < (1 << 15); ++i) numbers += "1,";
  for (int i = 0; i < 300; ++i) {  // 20 MB inside one never-ending array
    framer.Feed(numbers);
    EXPECT_FALSE(framer.Next().has_value());
    EXPECT_LE(framer.buffered_bytes(), options.max_record_bytes + 64 + numbers.size());
  }
  framer.Feed("1]}\n{\"b\":2}\n");
  std::optional<FramedRecord> r = framer.Next();
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->error.ok());
  EXPECT_EQ(r->text.size(), options.max_record_bytes);
  r = framer.Next();
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->error.ok());
  EXPECT_EQ(r->text, "{\"b\":2}");
  EXPECT_EQ(framer.bytes_fed(), 6 + 300 * numbers.size() + 12);
}

TEST(FramingTest, DeepNestingIsCountedBeyondTheTrackedDepth) {
  const std::string deep = "{\"a\":" + std::string(3000, '[') + std::string(3000, ']') + "}";
  ExpectRecords(FrameAllWays(deep + "\n{\"b\":1}"), {deep, "{\"b\":1}"});
}

TEST(FramingTest, RecordTextStaysValidUntilNextFeed) {
  RecordFramer framer;
  framer.Feed("{\"a\":1}\n{\"b\":2}\n{\"c\":");
  std::vector<std::string_view> texts;
  while (std::optional<FramedRecord> r = framer.Next()) texts.push_back(r->text);
  framer.Finish();
  while (std::optional<FramedRecord> r = framer.Next()) texts.push_back(r->text);
  ASSERT_EQ(texts.size(), 3u);
  EXPECT_EQ(texts[0], "{\"a\":1}");
  EXPECT_EQ(texts[1], "{\"b\":2}");
  EXPECT_EQ(texts[2], "{\"c\":");
}

// Record texts appear in the input in order, and the bytes between them are only whitespace,
// commas, the brackets of top-level arrays and byte-order marks: nothing else is skipped.
void CheckRandomInputs(const std::string& alphabet, uint32_t seed) {
  std::mt19937 rng(seed);
  for (int iter = 0; iter < 500; ++iter) {
    std::string input;
    const size_t n = rng() % 400;
    for (size_t i = 0; i < n; ++i) input.push_back(alphabet[rng() % alphabet.size()]);
    std::vector<Out> got = FrameAllWays(input);
    size_t pos = 0;
    for (const Out& o : got) {
      ASSERT_FALSE(o.text.empty());
      const size_t at = input.find(o.text, pos);
      ASSERT_NE(at, std::string::npos) << o;
      for (size_t i = pos; i < at; ++i) {
        ASSERT_NE(std::string_view(" \t\r\n,[]").find(input[i]), std::string_view::npos)
            << "byte " << i << " of [" << input << "] skipped";
      }
      pos = at + o.text.size();
    }
    for (size_t i = pos; i < input.size(); ++i) {
      ASSERT_NE(std::string_view(" \t\r\n,[]").find(input[i]), std::string_view::npos)
          << "byte " << i << " of [" << input << "] skipped";
    }
  }
}

TEST(FramingTest, RandomInputNeverCrashesAndAccountsForEveryByte) {
  CheckRandomInputs("{}[]\"\\,:ab1 \n\r\t", 1234);
}

TEST(FramingTest, RandomInputWithFewOrNoEscapesFramesTheSameInAnyChunking) {
  // Blocks without a backslash take the quote-parity path, blocks with one the byte-by-byte
  // path: every chunking moves the block boundaries, so both paths must agree on each string.
  CheckRandomInputs("{}[]\"\",:abcdefgh12 \n\t", 99);
  CheckRandomInputs("{}[]\"\",:abcdefghijklmnopqrstuvwxyz0123456789 \n\t\\", 7);
}

TEST(FramingTest, QuotesAcrossBlocksWithoutEscapes) {
  // Strings that straddle 64-byte blocks and hold brackets and braces, without any backslash.
  std::string records;
  for (size_t pad = 0; pad < 130; ++pad) {
    records += "{\"k\":\"" + std::string(pad, 'x') + "}{[\",\"n\":[1,{\"m\":\"]\"}]}\n";
  }
  std::vector<Out> got = FrameAllWays(records);
  ASSERT_EQ(got.size(), 130u);
  for (size_t pad = 0; pad < 130; ++pad) {
    EXPECT_TRUE(got[pad].ok) << got[pad];
    EXPECT_EQ(got[pad].line, pad + 1);
    EXPECT_EQ(got[pad].text.size(), pad + 29) << got[pad];
  }
}

}  // namespace
}  // namespace loglake::json
