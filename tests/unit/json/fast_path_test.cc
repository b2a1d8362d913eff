// The record parser's fast path (json/fast_path.h) must leave exactly the row the simdjson path
// leaves, take only records that path accepts, and frame exactly what RecordFramer frames. These
// tests run the same texts through a parser with and without the fast path and compare.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "json/framing.h"
#include "json/record_parser.h"

namespace loglake::json {
namespace {

RecordLayout TestLayout(bool with_extra = true, bool extra_nullable = true) {
  RecordLayout layout;
  layout.fields = {{"time", ColumnType::kTimestamp, false}, {"s", ColumnType::kString, true},
                   {"i32", ColumnType::kInt32, true},       {"i64", ColumnType::kInt64, true},
                   {"d", ColumnType::kDouble, true},        {"b", ColumnType::kBool, true},
                   {"ts", ColumnType::kTimestamp, true},    {"req", ColumnType::kString, false},
                   {"a_rather_long_column_name", ColumnType::kString, true}};
  layout.time_field = 0;
  if (with_extra) {
    layout.fields.push_back({"extra", ColumnType::kString, extra_nullable});
    layout.extra_field = static_cast<int>(layout.fields.size()) - 1;
  }
  return layout;
}

// One parsed record, as text: the status, the time and every column's value.
std::string Outcome(RecordParser& parser, const Status& status) {
  std::string out = status.ok() ? "ok" : "error: " + status.message();
  out += parser.time_micros().has_value() ? " time=" + std::to_string(*parser.time_micros()) : " no time";
  if (!status.ok()) return out;
  ColumnBatch batch(parser.layout().fields);
  parser.AppendTo(&batch);
  for (size_t i = 0; i < batch.columns.size(); ++i) {
    const Column& c = batch.columns[i];
    out += " | " + batch.fields[i].name + "=";
    if (c.IsNull(0)) {
      out += "NULL";
      continue;
    }
    switch (c.type()) {
      case ColumnType::kString: out += "[" + std::string(c.String(0)) + "]"; break;
      case ColumnType::kInt32: out += std::to_string(c.Int32(0)); break;
      case ColumnType::kInt64:
      case ColumnType::kTimestamp: out += std::to_string(c.Int64(0)); break;
      case ColumnType::kDouble: {
        const double d = c.Double(0);
        uint64_t bits;
        std::memcpy(&bits, &d, sizeof bits);  // tells -0.0 from 0.0
        out += std::to_string(bits);
        break;
      }
      case ColumnType::kBool: out += c.Bool(0) ? "true" : "false"; break;
    }
  }
  return out;
}

// Compares the two paths on `text`, parsing it in place inside a buffer with other bytes after it
// (as the framer's buffer has).
class TwoPaths {
 public:
  explicit TwoPaths(RecordLayout layout) : fast_(layout), slow_(layout) { slow_.set_fast_path_for_testing(false); }

  void Check(const std::string& text) {
    const std::string expected = Outcome(slow_, slow_.Parse(text));
    EXPECT_EQ(Outcome(fast_, fast_.Parse(text)), expected) << "record: " << text;
    std::string buffer = text + "\"}]x1,\n" + std::string(RecordParser::kPadding, '"');
    EXPECT_EQ(Outcome(fast_, fast_.ParsePadded(std::string_view(buffer.data(), text.size()))), expected)
        << "record (padded): " << text;
  }

  // The NDJSON fast path on `input`: if it takes an object, that object is what the framer frames
  // first, and it parses the same way.
  void CheckLeading(const std::string& input) {
    std::string buffer = input + std::string(RecordParser::kPadding, '\0');
    const size_t n = fast_.ParseLeadingObject(std::string_view(buffer.data(), input.size()));
    if (n == 0) return;
    ++taken_;
    const std::string got = Outcome(fast_, Status::OK());
    RecordFramer framer;
    framer.Feed(input);
    framer.Finish();
    std::optional<FramedRecord> first = framer.Next();
    ASSERT_TRUE(first.has_value()) << input;
    EXPECT_TRUE(first->error.ok()) << input;
    EXPECT_EQ(first->text, input.substr(0, n)) << input;
    EXPECT_EQ(got, Outcome(slow_, slow_.Parse(input.substr(0, n)))) << input;
  }

  int taken() const { return taken_; }

 private:
  RecordParser fast_;
  RecordParser slow_;
  int taken_ = 0;
};

const char* const kPrefix = R"({"time":"2026-11-22T01:38:18.123Z","req":"r")";

TEST(FastPathTest, AgreesOnHandPickedRecords) {
  TwoPaths paths(TestLayout());
  const std::vector<std::string> members = {
      "",
      R"("s":"plain")",
      R"("s":"caf\u00e9 \n \" \\ \/ \b\f\r\t")",
      R"("s":"\u0041\u00e9\u20ac")",
      R"("s":"\ud83d\ude00")",
      R"("s":"\ud800")",
      R"("s":"\udc00")",
      "\"s\":\"\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80 \xC3\xA9\"",
      "\"s\":\"\xFF\"",
      "\"s\":\"\xC3\"",
      "\"s\":\"\xC0\xAF\"",
      "\"s\":\"\xE0\x80\xAF\"",
      "\"s\":\"\xED\xA0\x80\"",
      "\"s\":\"\xF4\x90\x80\x80\"",
      "\"s\":\"\xF0\x8F\xBF\xBF\"",
      "\"s\":\"raw\ttab\"",
      R"("s":"bad \x escape")",
      R"("s":"\u12")",
      R"("s":200)",
      R"("s":-1.50e+3)",
      R"("s":true)",
      R"("s":false)",
      R"("s":null)",
      R"("s": { "a" : [1, 2.0, "x\u00e9"] , "b":{} } )",
      R"("s":[])",
      R"("s":{})",
      R"("s":[[[[]]]])",
      R"("s":01)",
      R"("s":1.)",
      R"("s":.5)",
      R"("s":-)",
      R"("s":1e)",
      R"("s":1x)",
      R"("s":tru)",
      R"("s":nul)",
      R"("s":"a" "b")",
      R"("i32":200)",
      R"("i32":-0)",
      R"("i32":2147483647)",
      R"("i32":2147483648)",
      R"("i32":-2147483648)",
      R"("i32":-2147483649)",
      R"("i32":1500.0)",
      R"("i32":1.5e3)",
      R"("i32":15000e-1)",
      R"("i32":1.5)",
      R"("i32":1e400)",
      R"("i32":"200")",
      R"("i32":"-7")",
      R"("i32":" 200")",
      R"("i32":"")",
      R"("i32":"\u0032")",
      R"("i32":true)",
      R"("i32":[1])",
      R"("i32":{"v":1})",
      R"("i32":null)",
      R"("i64":9223372036854775807)",
      R"("i64":-9223372036854775808)",
      R"("i64":9223372036854775808)",
      R"("i64":999999999999999999)",
      R"("i64":9007199254740993.000)",
      R"("i64":123456789012345678901234567890)",
      R"("i64":0.1)",
      R"("d":12.5)",
      R"("d":42)",
      R"("d":"0.005")",
      R"("d":1e308)",
      R"("d":1e309)",
      R"("d":5e-324)",
      R"("d":1e-400)",
      R"("d":-0)",
      R"("d":-0.0)",
      R"("d":0.1)",
      R"("d":123456789012345678)",
      R"("d":9007199254740993)",
      R"("d":"NaN")",
      R"("d":false)",
      R"("b":true)",
      R"("b":false)",
      R"("b":1)",
      R"("b":"true")",
      R"("b":truex)",
      R"("ts":"2026-11-22T01:38:18Z")",
      R"("ts":"2026-11-22T01:38:18.1Z")",
      R"("ts":"2026-11-22T01:38:18.123456789Z")",
      R"("ts":"2026-11-22T01:38:18.1234567890Z")",
      R"("ts":"2026-11-22T01:38:18.Z")",
      R"("ts":"2026-11-22T01:38:60Z")",
      R"("ts":"2016-12-31T23:59:60.5Z")",
      R"("ts":"2026-11-22T24:00:00Z")",
      R"("ts":"2026-02-29T00:00:00Z")",
      R"("ts":"2024-02-29T00:00:00Z")",
      R"("ts":"2026-13-01T00:00:00Z")",
      R"("ts":"2026-00-01T00:00:00Z")",
      R"("ts":"2026-11-00T00:00:00Z")",
      R"("ts":"0000-01-01T00:00:00Z")",
      R"("ts":"9999-12-31T23:59:59.999999Z")",
      R"("ts":"2026-11-22t01:38:18z")",
      R"("ts":"2026-11-22 01:38:18")",
      R"("ts":"2026-11-22T10:38:18+09:00")",
      R"("ts":"2026-11-22")",
      R"("ts":"2026-1a-22T01:38:18Z")",
      R"("ts":"2026-11-22X01:38:18Z")",
      R"("ts":"yesterday")",
      R"("ts":"1795311498")",
      R"("ts":1795311498)",
      R"("ts":1795311498.123456789)",
      R"("ts":1795311498123)",
      R"("ts":-0.0000001)",
      R"("ts":1e30)",
      R"("ts":253402300800000)",
      R"("ts":true)",
      R"("ts":null)",
      R"("a_rather_long_column_name":"x")",
      R"("a_rather_long_column_nam":"x")",
      R"("a_rather_long_column_namex":"x")",
      R"("u":1,"v":{"w":[1,2,{"x":null}]},"z":"q\"uote")",
      R"("u":1,"v":2,"u":3)",
      R"("s":1,"s":2)",
      R"("s":1,"s":null)",
      R"("extra":{"a":1},"c":2)",
      R"("k\u0065y":"v")",
      R"("i\u0033\u0032":7)",
      R"("":0)",
      "\"caf\xC3\xA9\":1",
      R"("u":{"k":1,"k":2})",
      R"("u":[1,2,])",
      R"("u":[1 2])",
      R"("u":{"k" 1})",
      R"("u":{"k":1,})",
      R"("u":{1:2})",
      R"("u":[1}])",
      R"("u":1.0E+2)",
      R"("u":123456789012345678901234567890)",
      R"(  "s"  :  "x"  ,  "i32"  :  1  )",
      "\"s\":\"x\"\n,\n\"i32\"\n:\n1\n",
      "\"s\":\"x\"\r\n,\t\"i32\":1",
      R"("u":)" + std::string(70, '[') + std::string(70, ']'),
      R"("s":)" + std::string(70, '{') + std::string(70, '}'),
  };
  for (const std::string& m : members) {
    paths.Check(std::string(kPrefix) + (m.empty() ? "" : ",") + m + "}");
    paths.Check(std::string("{") + m + (m.empty() ? "" : ",") + (kPrefix + 1) + "}");
  }
  for (const std::string text :
       {"{}", "{", "{\"time\":1", "{\"time\":1,\"req\":\"r\"", "{\"time\":1,\"req\":\"r\"}}",
        "{\"time\":1,\"req\":\"r\"} x", "{\"time\":1,\"req\":\"r\"}  \r\n", "{\"time\":1,\"req\":\"r\",}",
        "{\"time\":1,\"req\":\"r\" \"s\":1}", "{\"time\":null,\"req\":\"r\"}", "{\"req\":\"r\"}",
        "{\"time\":1}", "{\"time\":1,\"req\":null}", "{\"time\":1,\"req\":\"r\",\"ts\":1,\"ts\":2}", "[1]",
        " {\"time\":1,\"req\":\"r\"}", "{\"time\":1,\"req\":\"r\"}\n{\"time\":2,\"req\":\"r\"}"}) {
    paths.Check(text);
  }
}

TEST(FastPathTest, AgreesOnIsoTimestampsDigitByDigit) {
  // The fast path reads YYYY-MM-DDThh:mm:ss.fffZ as words: every position of every field, with
  // digits and non-digits, must convert (or be refused) as the general parser does.
  TwoPaths paths(TestLayout());
  std::mt19937 rng(42);
  const std::string base = "2024-02-29T23:59:58.123456789Z";
  const char kBytes[] = "0123456789:-.TZ /\x7F";
  for (size_t digits : {0, 1, 3, 5, 6, 7, 9}) {
    const std::string shape = digits == 0 ? base.substr(0, 19) + "Z" : base.substr(0, 20 + digits) + "Z";
    paths.Check(std::string(kPrefix) + R"(,"ts":")" + shape + "\"}");
    for (size_t i = 0; i + 1 < shape.size(); ++i) {
      for (int k = 0; k < 3; ++k) {
        std::string t = shape;
        t[i] = kBytes[rng() % (sizeof(kBytes) - 1)];
        paths.Check(std::string(kPrefix) + R"(,"ts":")" + t + "\"}");
        paths.Check(R"({"req":"r","time":")" + t + "\"}");
      }
    }
  }
  for (int i = 0; i < 2000; ++i) {
    char t[40];
    std::snprintf(t, sizeof t, "%04u-%02u-%02uT%02u:%02u:%02u.%06uZ", static_cast<unsigned>(rng() % 10000),
                  static_cast<unsigned>(rng() % 14), static_cast<unsigned>(rng() % 33),
                  static_cast<unsigned>(rng() % 26), static_cast<unsigned>(rng() % 62),
                  static_cast<unsigned>(rng() % 62), static_cast<unsigned>(rng() % 1000000));
    paths.Check(R"({"req":"r","time":")" + std::string(t) + "\"}");
  }
}

TEST(FastPathTest, AgreesWithoutExtraColumnAndWithNonNullableExtra) {
  for (const RecordLayout& layout : {TestLayout(false), TestLayout(true, false)}) {
    TwoPaths paths(layout);
    paths.Check(std::string(kPrefix) + "}");
    paths.Check(std::string(kPrefix) + R"(,"s":"x"})");
    paths.Check(std::string(kPrefix) + R"(,"color":"red"})");
    paths.Check(std::string(kPrefix) + R"(,"extra":"red"})");
  }
}

// Random records built from pieces that exercise every branch of both paths, then mutated.
class RecordGenerator {
 public:
  explicit RecordGenerator(uint32_t seed) : rng_(seed) {}

  std::string Record() {
    // Most records have the required keys, so that many are valid.
    std::string out = Pick(4) == 0 ? "{" : R"({"time":"2026-11-22T01:38:18Z","req":"r")";
    const bool started = out.size() > 1;
    const int n = Pick(8);
    for (int i = 0; i < n; ++i) {
      if (i > 0 || started) out += Space() + "," + Space();
      out += Key() + Space() + ":" + Space() + Value(0);
    }
    out += Space() + "}";
    return out;
  }

  std::string Mutate(std::string s) {
    static const char kAlphabet[] = "{}[]\",:\\ \n\t0123456789.eE+-tfnulrsa\x80\xC3\xA9\xFF";
    const int edits = 1 + Pick(3);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      const size_t pos = static_cast<size_t>(Pick(static_cast<int>(s.size())));
      const char c = kAlphabet[Pick(static_cast<int>(sizeof(kAlphabet) - 1))];
      switch (Pick(3)) {
        case 0: s.erase(pos, 1); break;
        case 1: s.insert(pos, 1, c); break;
        default: s[pos] = c; break;
      }
    }
    return s;
  }

  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }

 private:
  std::string Space() {
    static const char* const kSpaces[] = {"", "", "", "", " ", "\t", "\r\n", "\n  "};
    return kSpaces[Pick(8)];
  }
  std::string Key() {
    static const char* const kKeys[] = {"\"time\"", "\"req\"", "\"s\"",     "\"i32\"", "\"i64\"",
                                        "\"d\"",    "\"b\"",   "\"ts\"",    "\"u\"",   "\"v\"",
                                        "\"w\"",    "\"x\"",   "\"extra\"", "\"t\\u0069me\"", "\"\"",
                                        "\"a_rather_long_column_name\""};
    return kKeys[Pick(16)];
  }
  std::string Value(int depth) {
    static const char* const kScalars[] = {
        "\"2026-11-22T01:38:18Z\"", "\"2026-11-22T01:38:18.123456Z\"", "\"2024-02-29T23:59:59.9999999Z\"",
        "\"2026-11-22T10:38:18+09:00\"", "\"2026-11-22\"", "1795311498", "1795311498123.5", "\"1795311498\"",
        "\"x\"", "\"\"", "\"caf\\u00e9\"", "\"\\ud83d\\ude00\"", "\"a\\\"b\\\\c\"", "\"\xC3\xA9\xE2\x82\xAC\"",
        "\"\xED\xA0\x80\"", "0", "-0", "200", "-7", "2147483648", "1.5", "1500.0", "1e3", "1E-2", "-0.0",
        "9223372036854775807", "9223372036854775808", "1e400", "\"200\"", "\"1.5\"", "true", "false", "null",
        "\"\\u0000\"", "\"bad\\q\""};
    if (depth < 3 && Pick(6) == 0) {
      const bool object = Pick(2) == 0;
      std::string out = object ? "{" : "[";
      const int n = Pick(4);
      for (int i = 0; i < n; ++i) {
        if (i > 0) out += Space() + "," + Space();
        if (object) out += Key() + Space() + ":" + Space();
        out += Value(depth + 1);
      }
      return out + Space() + (object ? "}" : "]");
    }
    return kScalars[Pick(static_cast<int>(sizeof(kScalars) / sizeof(kScalars[0])))];
  }

  std::mt19937 rng_;
};

TEST(FastPathTest, AgreesOnRandomAndMutatedRecords) {
  RecordGenerator gen(20261122);
  TwoPaths paths(TestLayout());
  TwoPaths no_extra(TestLayout(false));
  for (int i = 0; i < 4000; ++i) {
    std::string record = gen.Record();
    if (gen.Pick(2) == 0) record = gen.Mutate(record);
    paths.Check(record);
    if (i % 4 == 0) no_extra.Check(record);
  }
}

TEST(FastPathTest, LeadingObjectIsWhatTheFramerFrames) {
  RecordGenerator gen(7);
  TwoPaths paths(TestLayout());
  const std::string good = std::string(kPrefix) + R"(,"s":"x","u":[1,{"v":"}"}]})";
  const std::vector<std::string> inputs = {
      good + "\n" + good,
      good + good,
      good + " \r\n",
      good + ",",
      good + "]",
      good.substr(0, good.size() - 1),
      std::string(kPrefix) + ",\n\"s\":1}",
      std::string(kPrefix) + ",\"s\":\"a\nb\"}",
      std::string(kPrefix) + "}\n{\"a\":1}",
  };
  for (const std::string& input : inputs) paths.CheckLeading(input);
  for (int i = 0; i < 4000; ++i) {
    std::string input = gen.Record();
    if (gen.Pick(2) == 0) input = gen.Mutate(input);
    input += gen.Pick(2) == 0 ? "\n" + gen.Record() : gen.Record();
    paths.CheckLeading(input);
  }
  EXPECT_GT(paths.taken(), 100);  // the fast path does take records
}

TEST(FastPathTest, LeadingObjectStopsAtTheEndOfItsInput) {
  RecordParser parser(TestLayout());
  const std::string record = std::string(kPrefix) + "}";
  std::string buffer = record + std::string(RecordParser::kPadding, ' ');
  EXPECT_EQ(parser.ParseLeadingObject(std::string_view(buffer.data(), record.size())), record.size());
  // The same bytes cut short: the rest, though readable, is not part of the input.
  for (size_t cut = 1; cut < record.size(); ++cut) {
    EXPECT_EQ(parser.ParseLeadingObject(std::string_view(buffer.data(), cut)), 0u) << cut;
  }
  // Objects spread over lines are left to the framer.
  const std::string two_lines = std::string(kPrefix) + "\n}";
  buffer = two_lines + std::string(RecordParser::kPadding, ' ');
  EXPECT_EQ(parser.ParseLeadingObject(std::string_view(buffer.data(), two_lines.size())), 0u);
  EXPECT_TRUE(parser.Parse(two_lines).ok());  // framed, it is fine
}

}  // namespace
}  // namespace loglake::json
