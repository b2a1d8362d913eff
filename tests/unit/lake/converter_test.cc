#include "lake/converter.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "common/file.h"
#include "common/time.h"
#include "lake/file_naming.h"
#include "lake/partition.h"
#include "parquet/reader.h"
#include "compressed_text.h"
#include "converted_rows.h"
#include "test_util.h"

namespace loglake::lake {
namespace {

std::unique_ptr<Converter> MakeConverter(const std::string& lake, ConverterOptions options = {},
                                         TableDef table = AccessLogTable()) {
  auto c = Converter::Create(lake, std::move(table), options);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(c).value() : nullptr;
}

TEST(ConverterTest, GoodAndBadRecordsAcrossDays) {
  const std::string lake = testing_util::FreshTempDir("converter_e2e");
  std::string input;
  int good = 0;
  for (int i = 0; i < 30; ++i) {
    const int day = 1 + i % 3;  // interleaved days
    input +=
        Record(Id("u", i), DayTime(day, i * 100), 200 + i, i == 4 ? ",\"session\":\"s4\"" : "") +
        "\n";
    ++good;
  }
  // Concatenated objects (Firehose) and a JSON array count as records too.
  input += Record("c1", DayTime(2, 5)) + Record("c2", DayTime(2, 6)) + "\r\n";
  input += "[" + Record("a1", DayTime(3, 7)) + ",\n " + Record("a2", DayTime(3, 8)) + "]\n";
  good += 4;
  // Bad records.
  input += "{\"uuid\":\"bad1\",\"time\":\"2024-03-02T10:00:00Z\",\"status\":\"abc\"}\n";  // known day
  input += "{\"uuid\":\"bad2\",\"status\":200}\n";                                        // no time
  input += "{\"uuid\":\"bad3\",\"time\":\"2024-03-01T10:00:00Z\",\"path\":\"\xff\"}\n";   // invalid UTF-8
  input += "not json at all\n";
  input += "{\"uuid\":\"bad4\",\"time\":\n";  // truncated last line
  const int bad = 5;

  auto c = MakeConverter(lake);
  ASSERT_NE(c, nullptr);
  c->BeginSource("input.ndjson");
  ASSERT_TRUE(c->Feed(input).ok());
  ASSERT_TRUE(c->EndSource().ok());
  Status st = c->Finish();
  ASSERT_TRUE(st.ok()) << st.ToString();

  const ConvertStats& s = c->stats();
  EXPECT_EQ(s.input_bytes, input.size());
  EXPECT_EQ(s.records_read, static_cast<uint64_t>(good + bad));
  EXPECT_EQ(s.records_written, static_cast<uint64_t>(good));
  EXPECT_EQ(s.records_rejected, static_cast<uint64_t>(bad));
  EXPECT_EQ(s.files_written, 3u);
  ASSERT_EQ(s.per_day.size(), 3u);
  EXPECT_EQ(s.per_day.at("2024/03/01").records, 10u);
  EXPECT_EQ(s.per_day.at("2024/03/02").records, 12u);
  EXPECT_EQ(s.per_day.at("2024/03/03").records, 12u);
  uint64_t bytes = 0;
  for (const std::string& f : s.files) bytes += fs::file_size(f);
  EXPECT_EQ(s.bytes_written, bytes);
  EXPECT_EQ(s.rejected_by_reason.at("field 'status'"), 1u);
  EXPECT_EQ(s.rejected_by_reason.at("missing time"), 1u);
  EXPECT_EQ(s.rejected_by_reason.at("invalid UTF-8"), 1u);
  EXPECT_EQ(s.rejected_by_reason.at("malformed JSON"), 2u);

  const std::string table_dir = lake + "/access_log";
  std::map<std::string, Row> rows = ReadTable(table_dir, PartitionLayout::kDatePath);
  ASSERT_EQ(rows.size(), static_cast<size_t>(good));
  EXPECT_EQ(rows.at("u7").status, 207);
  EXPECT_EQ(rows.at("u7").time, *ParseTimestampMicros(DayTime(2, 700)));
  EXPECT_EQ(rows.at("u4").extra, "{\"session\":\"s4\"}");
  EXPECT_FALSE(rows.at("u5").extra.has_value());
  EXPECT_TRUE(rows.count("c2") && rows.count("a2"));

  // The rejected records, each with its reason, filed under its day when its time is known.
  std::vector<std::string> error_files;
  for (const std::string& f : FilesUnder(table_dir)) {
    if (f.rfind("_errors/", 0) == 0) error_files.push_back(f);
  }
  ASSERT_EQ(error_files.size(), 3u);
  EXPECT_EQ(error_files[0].rfind("_errors/2024/03/01/", 0), 0u);  // bad3
  EXPECT_EQ(error_files[1].rfind("_errors/2024/03/02/", 0), 0u);  // bad1
  EXPECT_EQ(error_files[2].rfind("_errors/unknown-time/", 0), 0u);
  std::string text;
  ASSERT_TRUE(ReadFileToString(table_dir + "/" + error_files[1], &text).ok());
  EXPECT_NE(text.find("\"error\":\"field 'status': expected int32"), std::string::npos) << text;
  EXPECT_NE(text.find("\"source\":\"input.ndjson\",\"line\":34,"), std::string::npos) << text;
  ASSERT_TRUE(ReadFileToString(table_dir + "/" + error_files[0], &text).ok());
  EXPECT_NE(text.find("\"raw_base64\":"), std::string::npos) << text;
  ASSERT_TRUE(ReadFileToString(table_dir + "/" + error_files[2], &text).ok());
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
  EXPECT_EQ(s.error_files_written, 3u);
}

TEST(ConverterTest, FilesCarryTheTableSchemaAndBloomFilters) {
  const std::string lake = testing_util::FreshTempDir("converter_meta");
  auto c = MakeConverter(lake);
  ASSERT_NE(c, nullptr);
  c->BeginSource("-");
  ASSERT_TRUE(c->Feed(Record("x", DayTime(9, 1)) + "\n").ok());
  ASSERT_TRUE(c->Finish().ok());
  ASSERT_EQ(c->stats().files.size(), 1u);
  auto file = RandomAccessFile::Open(c->stats().files[0]);
  ASSERT_TRUE(file.ok());
  auto reader = parquet::FileReader::Open(*file);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::map<std::string, std::string> kv;
  ASSERT_TRUE((*reader)->metadata().key_value_metadata.has_value());
  for (const auto& entry : *(*reader)->metadata().key_value_metadata) {
    kv[entry.key] = entry.value.value_or("");
  }
  ASSERT_TRUE(kv.count("loglake.schema"));
  auto def = ParseTableDef(kv["loglake.schema"], "metadata");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->name, "access_log");
  EXPECT_EQ(kv["loglake.version"], LOGLAKE_VERSION);
  EXPECT_TRUE((*reader)->HasBloomFilter(0, (*reader)->ColumnIndexOf("uuid")));
  EXPECT_TRUE((*reader)->HasBloomFilter(0, (*reader)->ColumnIndexOf("request_id")));
  EXPECT_FALSE((*reader)->HasBloomFilter(0, (*reader)->ColumnIndexOf("path")));
}

TEST(ConverterTest, HiveLayoutTableFromASchema) {
  const std::string lake = testing_util::FreshTempDir("converter_hive");
  auto def = ParseTableDef(
      "name = \"events\"\ntime_column = \"ts\"\npartition = \"dt=YYYY-MM-DD\"\n"
      "columns = [{name = \"id\", type = \"int64\"}, {name = \"ts\", type = \"timestamp\"}]\n",
      "events.toml");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  auto c = MakeConverter(lake, {}, *def);
  ASSERT_NE(c, nullptr);
  c->BeginSource("-");
  ASSERT_TRUE(
      c->Feed("{\"id\":1,\"ts\":1709942400}\n{\"id\":2,\"ts\":\"2024-03-08T23:59:59Z\",\"k\":true}\n").ok());
  ASSERT_TRUE(c->Finish().ok());
  std::vector<std::string> files = FilesUnder(lake + "/events");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].rfind("dt=2024-03-08/part-", 0), 0u) << files[0];
  EXPECT_EQ(files[1].rfind("dt=2024-03-09/part-", 0), 0u) << files[1];
}

// 120 days shuffled record by record, with a 2 MiB budget (half the input) and 8 open files:
// everything is written, into the right days, and accounted memory never exceeds the budget.
TEST(ConverterTest, ManyInterleavedDaysStayWithinTheBudget) {
  const std::string lake = testing_util::FreshTempDir("converter_many_days");
  std::vector<std::string> lines;
  const int64_t start = DaysFromCivil(2023, 6, 1);
  for (int d = 0; d < 120; ++d) {
    const CivilDate date = CivilFromDays(start + d);
    for (int i = 0; i < 60; ++i) {
      char time[40];
      std::snprintf(time, sizeof(time), "%04d-%02d-%02dT%02d:00:00Z", date.year, date.month, date.day,
                    i % 24);
      lines.push_back(Record(Id("d", d) + Id("-", i), time, 200,
                             ",\"filler\":\"" + std::string(300, 'x') + "\""));
    }
  }
  std::mt19937 rng(42);
  std::shuffle(lines.begin(), lines.end(), rng);
  std::string input;
  for (const std::string& l : lines) input += l + "\n";

  ConverterOptions options;
  options.buffer_budget_bytes = 2 << 20;
  options.max_open_files = 8;
  options.batch_bytes = 16 << 10;
  auto c = MakeConverter(lake, options);
  ASSERT_NE(c, nullptr);
  c->BeginSource("shuffled");
  for (size_t pos = 0; pos < input.size(); pos += 64 << 10) {
    ASSERT_TRUE(c->Feed(std::string_view(input).substr(pos, 64 << 10)).ok());
  }
  ASSERT_TRUE(c->EndSource().ok());
  ASSERT_TRUE(c->Finish().ok());
  const ConvertStats& s = c->stats();
  EXPECT_EQ(s.records_written, lines.size());
  EXPECT_EQ(s.records_rejected, 0u);
  EXPECT_LE(s.peak_buffered_bytes, options.buffer_budget_bytes);
  EXPECT_GT(s.peak_buffered_bytes, options.buffer_budget_bytes / 2);
  EXPECT_EQ(s.per_day.size(), 120u);
  uint64_t per_day_total = 0;
  for (const auto& [day, d] : s.per_day) per_day_total += d.records;
  EXPECT_EQ(per_day_total, lines.size());
  EXPECT_EQ(ReadTable(lake + "/access_log", PartitionLayout::kDatePath).size(), lines.size());
}

TEST(ConverterTest, LargeDaysAreSplitAtMaxFileBytes) {
  const std::string lake = testing_util::FreshTempDir("converter_split");
  ConverterOptions options;
  options.max_file_bytes = 16 << 10;
  options.row_group_rows = 200;
  options.batch_bytes = 32 << 10;
  auto c = MakeConverter(lake, options);
  ASSERT_NE(c, nullptr);
  c->BeginSource("-");
  std::string input;
  for (int i = 0; i < 6000; ++i) input += Record(Id("r", i), DayTime(5, i)) + "\n";
  ASSERT_TRUE(c->Feed(input).ok());
  ASSERT_TRUE(c->Finish().ok());
  EXPECT_GT(c->stats().files_written, 2u);
  EXPECT_EQ(c->stats().per_day.at("2024/03/05").files, c->stats().files_written);
  for (const std::string& f : c->stats().files) {
    // A file is finished once its row groups pass the limit: it overshoots by at most one row group.
    EXPECT_LT(fs::file_size(f), 3 * options.max_file_bytes) << f;
  }
  EXPECT_EQ(ReadTable(lake + "/access_log", PartitionLayout::kDatePath).size(), 6000u);
}

TEST(ConverterTest, IdleDaysArePublishedBeforeTheEnd) {
  const std::string lake = testing_util::FreshTempDir("converter_idle");
  ConverterOptions options;
  options.idle_records = 100;
  auto c = MakeConverter(lake, options);
  ASSERT_NE(c, nullptr);
  c->BeginSource("-");
  std::string day1, day2;
  for (int i = 0; i < 50; ++i) day1 += Record(Id("a", i), DayTime(1, i)) + "\n";
  for (int i = 0; i < 200; ++i) day2 += Record(Id("b", i), DayTime(2, i)) + "\n";
  ASSERT_TRUE(c->Feed(day1).ok());
  EXPECT_EQ(c->stats().files_written, 0u);
  ASSERT_TRUE(c->Feed(day2).ok());
  EXPECT_EQ(c->stats().files_written, 1u);  // day 1 is done
  EXPECT_EQ(c->stats().per_day.at("2024/03/01").records, 50u);
  ASSERT_TRUE(c->Finish().ok());
  EXPECT_EQ(c->stats().files_written, 2u);
}

TEST(ConverterTest, ChunkBoundariesDoNotMatter) {
  std::string input;
  for (int i = 0; i < 200; ++i) {
    input += Record(Id("r", i), DayTime(1 + i % 2, i)) + (i % 3 ? "\n" : "");
  }
  input += "{\"broken\":";
  std::vector<ConvertStats> results;
  for (size_t chunk : {input.size(), size_t{1}, size_t{7}}) {
    const std::string lake = testing_util::FreshTempDir(Id("converter_chunks_", chunk));
    auto c = MakeConverter(lake);
    ASSERT_NE(c, nullptr);
    c->BeginSource("-");
    for (size_t pos = 0; pos < input.size(); pos += chunk) {
      ASSERT_TRUE(c->Feed(input.substr(pos, chunk)).ok());
    }
    ASSERT_TRUE(c->Finish().ok());
    EXPECT_EQ(ReadTable(lake + "/access_log", PartitionLayout::kDatePath).size(), 200u);
    results.push_back(c->stats());
  }
  for (const ConvertStats& s : results) {
    EXPECT_EQ(s.records_read, 201u);
    EXPECT_EQ(s.records_written, 200u);
    EXPECT_EQ(s.records_rejected, 1u);
    EXPECT_EQ(s.rejected_by_reason.at("malformed JSON"), 1u);
  }
}

// Writes `data` into the pipe `fd` from a thread, then closes it; the first `trickle` bytes one
// write at a time, so that a reader may get them in pieces.
std::thread FeedPipe(int fd, std::string data, size_t trickle = 0) {
  return std::thread([fd, data = std::move(data), trickle] {
    for (size_t done = 0; done < data.size();) {
      const size_t n = done < trickle ? 1 : data.size() - done;
      const ssize_t w = ::write(fd, data.data() + done, n);
      if (w <= 0) break;
      done += static_cast<size_t>(w);
    }
    ::close(fd);
  });
}

TEST(ConverterTest, ReadsFilesAndPipes) {
  const std::string lake = testing_util::FreshTempDir("converter_fd");
  ASSERT_TRUE(WriteFileAtomically(lake + "/in.ndjson", Record("f1", DayTime(1, 1)) + "\n").ok());
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string data;
  for (int i = 0; i < 5000; ++i) data += Record(Id("p", i), DayTime(2, i)) + "\n";
  std::thread writer = FeedPipe(fds[1], std::move(data));
  ConverterOptions options;
  options.read_chunk_bytes = 4096;
  auto c = MakeConverter(lake, options);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->ConvertFile(lake + "/in.ndjson").ok());
  Status st = c->ConvertFd(fds[0], "pipe");
  writer.join();
  ::close(fds[0]);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_TRUE(c->Finish().ok());
  EXPECT_EQ(c->stats().records_written, 5001u);
  Status missing = c->ConvertFile(lake + "/nope.ndjson");
  EXPECT_EQ(missing.code(), StatusCode::kIOError);
  EXPECT_NE(missing.message().find("nope.ndjson"), std::string::npos);
}

TEST(ConverterTest, GzipAndZstdInputIsDecompressedAsItIsRead) {
  const std::string lake = testing_util::FreshTempDir("converter_compressed");
  std::string a, b, c;
  for (int i = 0; i < 3000; ++i) a += Record(Id("gz", i), DayTime(1 + i % 3, i)) + "\n";
  for (int i = 0; i < 2000; ++i) b += Record(Id("gzb", i), DayTime(2, i)) + "\n";
  for (int i = 0; i < 2500; ++i) c += Record(Id("zst", i), DayTime(3, i));  // concatenated, no newlines
  // Two gzip members in one file (as `cat a.gz b.gz` makes), a zstd file named like plain JSON,
  // and a compressed stream through a pipe.
  ASSERT_TRUE(WriteFileAtomically(lake + "/a.json.gz", testing_util::Gzip(a) + testing_util::Gzip(b)).ok());
  ASSERT_TRUE(WriteFileAtomically(lake + "/c.ndjson", testing_util::Zstd(c)).ok());
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string piped;
  for (int i = 0; i < 1000; ++i) piped += Record(Id("pipe", i), DayTime(4, i)) + "\n";
  std::thread writer = FeedPipe(fds[1], testing_util::Gzip(piped), /*trickle=*/8);  // the sniffing waits
  ConverterOptions options;
  options.read_chunk_bytes = 4096;
  auto conv = MakeConverter(lake, options);
  ASSERT_NE(conv, nullptr);
  ASSERT_TRUE(conv->ConvertFile(lake + "/a.json.gz").ok());
  ASSERT_TRUE(conv->ConvertFile(lake + "/c.ndjson").ok());
  Status st = conv->ConvertFd(fds[0], "pipe");
  writer.join();
  ::close(fds[0]);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_TRUE(conv->Finish().ok());
  const ConvertStats& s = conv->stats();
  EXPECT_EQ(s.records_written, 8500u);
  EXPECT_EQ(s.records_rejected, 0u);
  EXPECT_EQ(s.compressed_inputs, 3u);
  EXPECT_TRUE(s.unreadable_inputs.empty());
  EXPECT_EQ(s.input_bytes, a.size() + b.size() + c.size() + piped.size());  // JSON bytes, decompressed
  std::map<std::string, Row> rows = ReadTable(lake + "/access_log", PartitionLayout::kDatePath);
  EXPECT_EQ(rows.size(), 8500u);
  EXPECT_EQ(rows.count("gz2999") + rows.count("gzb0") + rows.count("zst2499") + rows.count("pipe999"), 4u);
}

TEST(ConverterTest, DamagedCompressedInputIsConvertedUpToTheDamage) {
  const std::string lake = testing_util::FreshTempDir("converter_damaged_gz");
  std::string text;
  for (int i = 0; i < 4000; ++i) text += Record(Id("t", i), DayTime(1, i)) + "\n";
  const std::string gz = testing_util::Gzip(text);
  ASSERT_TRUE(WriteFileAtomically(lake + "/cut.json.gz", gz.substr(0, gz.size() / 2)).ok());
  ASSERT_TRUE(WriteFileAtomically(lake + "/good.ndjson", Record("after", DayTime(2, 1)) + "\n").ok());
  auto conv = MakeConverter(lake);
  ASSERT_NE(conv, nullptr);
  // Damage ends the input, not the conversion.
  ASSERT_TRUE(conv->ConvertFile(lake + "/cut.json.gz").ok());
  ASSERT_TRUE(conv->ConvertFile(lake + "/good.ndjson").ok());
  ASSERT_TRUE(conv->Finish().ok());
  const ConvertStats& s = conv->stats();
  ASSERT_EQ(s.unreadable_inputs.size(), 1u);
  EXPECT_NE(s.unreadable_inputs[0].find("cut.json.gz: gzip stream is truncated"), std::string::npos)
      << s.unreadable_inputs[0];
  // Every whole line before the cut is a row; the line it cut is rejected, not lost.
  const size_t json = s.input_bytes - (Record("after", DayTime(2, 1)).size() + 1);
  const size_t whole_lines = static_cast<size_t>(std::count(text.begin(), text.begin() + json, '\n'));
  EXPECT_GT(whole_lines, 100u);
  EXPECT_LT(whole_lines, 4000u);
  EXPECT_EQ(s.records_written, whole_lines + 1);
  EXPECT_EQ(s.records_rejected, json > 0 && text[json - 1] != '\n' ? 1u : 0u);
  std::map<std::string, Row> rows = ReadTable(lake + "/access_log", PartitionLayout::kDatePath);
  EXPECT_EQ(rows.count("t0"), 1u);
  EXPECT_EQ(rows.count("after"), 1u);
}

TEST(ConverterTest, WriteFailureIsReportedAndLeavesNoTempFiles) {
  const std::string lake = testing_util::FreshTempDir("converter_fail");
  // A file where the day's folder must go.
  ASSERT_TRUE(CreateDirectories(lake + "/access_log/2024/03").ok());
  ASSERT_TRUE(WriteFileAtomically(lake + "/access_log/2024/03/02", "in the way").ok());
  auto c = MakeConverter(lake);
  ASSERT_NE(c, nullptr);
  c->BeginSource("-");
  ASSERT_TRUE(c->Feed(Record("a", DayTime(1, 1)) + "\n" + Record("b", DayTime(2, 1)) + "\n").ok());
  Status st = c->Finish();
  EXPECT_EQ(st.code(), StatusCode::kIOError);
  EXPECT_NE(st.message().find("2024/03/02"), std::string::npos) << st.ToString();
  c.reset();
  for (const std::string& f : FilesUnder(lake)) {
    EXPECT_FALSE(IsHiddenName(fs::path(f).filename().string())) << f;
  }
}

TEST(ConverterTest, AbandonedConversionRemovesItsTempFiles) {
  const std::string lake = testing_util::FreshTempDir("converter_abandon");
  ConverterOptions options;
  options.batch_bytes = 1024;  // opens a file early
  auto c = MakeConverter(lake, options);
  ASSERT_NE(c, nullptr);
  c->BeginSource("-");
  std::string input;
  for (int i = 0; i < 100; ++i) input += Record(Id("r", i), DayTime(1, i)) + "\n";
  ASSERT_TRUE(c->Feed(input).ok());
  bool temp_seen = false;
  for (const std::string& f : FilesUnder(lake)) temp_seen |= IsHiddenName(fs::path(f).filename().string());
  EXPECT_TRUE(temp_seen);
  c.reset();
  EXPECT_TRUE(FilesUnder(lake).empty());
}

TEST(ConverterTest, RejectsBadOptions) {
  ConverterOptions options;
  options.buffer_budget_bytes = 1000;
  EXPECT_EQ(Converter::Create("lake", AccessLogTable(), options).status().code(),
            StatusCode::kInvalidArgument);
  options = {};
  options.max_open_files = 0;
  EXPECT_FALSE(Converter::Create("lake", AccessLogTable(), options).ok());
  TableDef bad = AccessLogTable();
  bad.time_column = "nope";
  EXPECT_FALSE(Converter::Create("lake", bad, {}).ok());
}

}  // namespace
}  // namespace loglake::lake
