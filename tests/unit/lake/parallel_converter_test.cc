#include "lake/parallel_converter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "common/file.h"
#include "converted_rows.h"
#include "test_util.h"

namespace loglake::lake {
namespace {

std::vector<uint64_t> Sizes(std::initializer_list<uint64_t> s) { return s; }

// ShareBySize's runs as the item counts of each; checks that they cover the items in order, none
// empty.
std::vector<size_t> Runs(const std::vector<uint64_t>& sizes, size_t shares) {
  const std::vector<size_t> firsts = ShareBySize(sizes, shares);
  std::vector<size_t> counts;
  if (sizes.empty()) {
    EXPECT_TRUE(firsts.empty());
    return counts;
  }
  EXPECT_FALSE(firsts.empty());
  if (firsts.empty()) return counts;
  EXPECT_EQ(firsts[0], 0u);
  for (size_t k = 0; k < firsts.size(); ++k) {
    const size_t end = k + 1 < firsts.size() ? firsts[k + 1] : sizes.size();
    EXPECT_LT(firsts[k], end) << "empty run " << k;
    counts.push_back(end - firsts[k]);
  }
  return counts;
}

using Counts = std::vector<size_t>;

TEST(ShareBySizeTest, RunsAreContiguousAndBalancedBySize) {
  EXPECT_EQ(Runs(Sizes({10, 10, 10, 10, 10, 10}), 2), Counts({3, 3}));
  EXPECT_EQ(Runs(Sizes({100, 1, 1, 1, 1, 1}), 2), Counts({1, 5}));  // one large item is a run of its own
  EXPECT_EQ(Runs(Sizes({1, 1, 1, 1, 1, 100}), 3), Counts({4, 1, 1}));
  EXPECT_EQ(Runs(Sizes({0, 0, 0, 0, 0, 0}), 3), Counts({2, 2, 2}));  // unknown sizes count as equal
}

TEST(ShareBySizeTest, NoRunIsEmpty) {
  EXPECT_EQ(Runs(Sizes({1, 1, 1}), 8), Counts({1, 1, 1}));  // fewer items than threads
  EXPECT_EQ(Runs(Sizes({1000, 1000, 1}), 3), Counts({1, 1, 1}));  // the last must still get one
  EXPECT_TRUE(Runs({}, 4).empty());
  EXPECT_EQ(Runs(Sizes({5, 0, 7}), 1), Counts({3}));
  // Random sizes and counts: never more runs than asked, never fewer than possible.
  for (uint64_t seed = 1; seed < 300; ++seed) {
    const size_t n = 1 + seed % 17;
    const size_t threads = 1 + seed % 5;
    std::vector<uint64_t> sizes;
    for (size_t i = 0; i < n; ++i) sizes.push_back((seed * 2654435761u >> (i % 13)) % 1000);
    EXPECT_EQ(Runs(sizes, threads).size(), std::min(n, threads)) << seed;
  }
}

TEST(PlanPiecesTest, OnlyLargePlainFilesAreCut) {
  const std::string dir = testing_util::FreshTempDir("plan_pieces");
  std::string ndjson;
  for (int i = 0; i < 3000; ++i) ndjson += Record(Id("r", i), DayTime(1, i)) + "\n";
  const std::string plain = dir + "/plain.ndjson";
  ASSERT_TRUE(WriteFileAtomically(plain, ndjson).ok());
  // Told compressed by its first bytes (gzip's magic number), whatever follows: never cut, though
  // the NDJSON after the magic number has cuts everywhere.
  const std::string gz = dir + "/looks.gz";
  ASSERT_TRUE(WriteFileAtomically(gz, "\x1f\x8b" + ndjson).ok());
  const uint64_t size = ndjson.size();
  const uint64_t min_piece = size / 4;

  Result<std::vector<InputPiece>> pieces = PlanPieces({plain}, {size}, 4, min_piece);
  ASSERT_TRUE(pieces.ok()) << pieces.status().ToString();
  ASSERT_EQ(pieces->size(), 4u);
  uint64_t at = 0;
  for (size_t k = 0; k < pieces->size(); ++k) {
    const InputPiece& p = (*pieces)[k];
    EXPECT_FALSE(p.whole);
    EXPECT_EQ(p.begin, at);
    if (k + 1 < pieces->size()) {
      EXPECT_EQ(ndjson[p.end - 1], '\n');
      EXPECT_EQ(ndjson[p.end], '{');
      at = p.end;
    } else {
      EXPECT_EQ(p.end, std::numeric_limits<uint64_t>::max());  // the last runs to the file's end
    }
  }
  // One thread, a compressed file, standard input, a file under twice the piece size: whole.
  for (const auto& [inputs, sizes, threads] :
       std::vector<std::tuple<std::vector<std::string>, std::vector<uint64_t>, int>>{
           {{plain}, {size}, 1}, {{gz}, {size + 2}, 4}, {{"-"}, {0}, 4}, {{plain}, {size}, 4}}) {
    const uint64_t min = inputs[0] == plain && threads == 4 ? size : min_piece;
    pieces = PlanPieces(inputs, sizes, threads, min);
    ASSERT_TRUE(pieces.ok()) << pieces.status().ToString();
    ASSERT_EQ(pieces->size(), 1u) << inputs[0] << " " << threads;
    EXPECT_TRUE((*pieces)[0].whole);
    EXPECT_EQ((*pieces)[0].Label(), inputs[0]);
  }
}

// Inputs over four days, in time order, with rejected records among them.
struct Inputs {
  std::vector<std::string> paths;
  std::vector<uint64_t> sizes;
  size_t good = 0;
  size_t bad = 0;
};

Inputs WriteInputs(const std::string& dir, size_t files, size_t records_per_file) {
  Inputs in;
  size_t n = 0;
  for (size_t f = 0; f < files; ++f) {
    std::string text;
    for (size_t r = 0; r < records_per_file; ++r, ++n) {
      const int day = 1 + static_cast<int>(n * 4 / (files * records_per_file));
      if (n % 97 == 13) {
        text += "{\"uuid\":\"bad" + std::to_string(n) + "\",\"time\":\"not a time\"}\n";
        ++in.bad;
      } else {
        text += Record(Id("r", n), DayTime(day, static_cast<int>(n % 86400))) + "\n";
        ++in.good;
      }
    }
    const std::string path = dir + "/" + Id("part", 100 + f) + ".ndjson";
    EXPECT_TRUE(WriteFileAtomically(path, text).ok());
    in.paths.push_back(path);
    in.sizes.push_back(text.size());
  }
  return in;
}

ConvertStats Convert(const std::string& lake, const Inputs& in, int threads, ConverterOptions options = {},
                     std::vector<std::string>* done = nullptr) {
  auto c = ParallelConverter::Create(lake, AccessLogTable(), options, threads);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  if (!c.ok()) return {};
  std::mutex mu;
  Status st = (*c)->ConvertFiles(in.paths, in.sizes, [&](const std::string& input, uint64_t records) {
    std::lock_guard<std::mutex> lock(mu);
    if (done != nullptr) done->push_back(input + ":" + std::to_string(records));
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return (*c)->stats();
}

TEST(ParallelConverterTest, EveryRecordIsWrittenOrRejectedOnceWhateverTheThreads) {
  const std::string dir = testing_util::FreshTempDir("parallel_inputs");
  const Inputs in = WriteInputs(dir, 7, 900);
  ConverterOptions options;
  options.buffer_budget_bytes = 4 << 20;  // shared: each of 3 workers gets 1/3
  std::map<std::string, Row> one_thread;
  for (int threads : {1, 2, 3, 8}) {
    SCOPED_TRACE(threads);
    const std::string lake = testing_util::FreshTempDir("parallel_lake");
    std::vector<std::string> done;
    const ConvertStats s = Convert(lake, in, threads, options, &done);
    EXPECT_EQ(s.records_read, in.good + in.bad);
    EXPECT_EQ(s.records_written, in.good);
    EXPECT_EQ(s.records_rejected, in.bad);
    EXPECT_EQ(s.rejected_by_reason.at("field 'time'"), in.bad);
    uint64_t input_bytes = 0;
    for (uint64_t b : in.sizes) input_bytes += b;
    EXPECT_EQ(s.input_bytes, input_bytes);
    // Every input reported once, with its records.
    std::multiset<std::string> reported(done.begin(), done.end());
    EXPECT_EQ(reported.size(), in.paths.size());
    for (const std::string& p : in.paths) EXPECT_EQ(reported.count(p + ":900"), 1u) << p;
    // Published files: as many as the stats say, each counted in its day.
    EXPECT_EQ(s.files.size(), s.files_written);
    uint64_t per_day_records = 0, per_day_files = 0;
    for (const auto& [day, d] : s.per_day) {
      per_day_records += d.records;
      per_day_files += d.files;
    }
    EXPECT_EQ(per_day_records, in.good);
    EXPECT_EQ(per_day_files, s.files_written);
    EXPECT_EQ(s.per_day.size(), 4u);
    // A day gets at most one file per worker (time-ordered input, contiguous shares).
    for (const auto& [day, d] : s.per_day) EXPECT_LE(d.files, static_cast<uint64_t>(std::min(threads, 7))) << day;
    // The same rows as one thread wrote, each once, each in its own day's folder.
    std::map<std::string, Row> rows = ReadTable(lake + "/access_log", PartitionLayout::kDatePath);
    EXPECT_EQ(rows.size(), in.good);
    if (threads == 1) {
      one_thread = rows;
    } else {
      ASSERT_EQ(rows.size(), one_thread.size());
      for (const auto& [uuid, row] : one_thread) {
        auto it = rows.find(uuid);
        ASSERT_NE(it, rows.end()) << uuid;
        EXPECT_EQ(it->second.time, row.time);
        EXPECT_EQ(it->second.status, row.status);
      }
    }
    // The rejected records are all in error files.
    uint64_t error_lines = 0;
    for (const std::string& f : FilesUnder(lake + "/access_log")) {
      if (f.rfind("_errors/", 0) != 0) continue;
      std::string text;
      ASSERT_TRUE(ReadFileToString(lake + "/access_log/" + f, &text).ok());
      error_lines += static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
    }
    EXPECT_EQ(error_lines, in.bad);
  }
}

TEST(ParallelConverterTest, AFailingWorkerStopsTheRunAndLeavesNoTempFiles) {
  const std::string dir = testing_util::FreshTempDir("parallel_fail_inputs");
  Inputs in = WriteInputs(dir, 4, 500);
  // The last input is a directory: opening it works, reading it fails.
  ASSERT_TRUE(CreateDirectories(dir + "/not-a-file").ok());
  in.paths.push_back(dir + "/not-a-file");
  in.sizes.push_back(0);
  const std::string lake = testing_util::FreshTempDir("parallel_fail_lake");
  auto c = ParallelConverter::Create(lake, AccessLogTable(), {}, 2);
  ASSERT_TRUE(c.ok());
  Status st = (*c)->ConvertFiles(in.paths, in.sizes, nullptr);
  EXPECT_EQ(st.code(), StatusCode::kIOError) << st.ToString();
  EXPECT_NE(st.message().find("not-a-file"), std::string::npos) << st.ToString();
  c->reset();
  // What was published is complete and readable; nothing unpublished is left.
  for (const std::string& f : FilesUnder(lake)) {
    EXPECT_FALSE(IsHiddenName(fs::path(f).filename().string())) << f;
  }
  ReadTable(lake + "/access_log", PartitionLayout::kDatePath);
}

TEST(ParallelConverterTest, RejectsBadOptions) {
  EXPECT_EQ(ParallelConverter::Create("lake", AccessLogTable(), {}, 0).status().code(), StatusCode::kInvalidArgument);
  ConverterOptions options;
  options.buffer_budget_bytes = 1000;
  EXPECT_EQ(ParallelConverter::Create("lake", AccessLogTable(), options, 2).status().code(),
            StatusCode::kInvalidArgument);
}

// The "line" and "raw" of every rejected record in the table's error files.
std::map<uint64_t, std::string> RejectedLines(const std::string& table_dir) {
  std::map<uint64_t, std::string> out;
  for (const std::string& f : FilesUnder(table_dir)) {
    if (f.rfind("_errors/", 0) != 0) continue;
    std::string text;
    EXPECT_TRUE(ReadFileToString(table_dir + "/" + f, &text).ok());
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      // {"error":...,"source":...,"line":N,...,"raw":"..."}: the raw text of these records
      // has no escapes but its quotes.
      const size_t l = line.find("\"line\":");
      const size_t r = line.find("\"raw\":\"");
      EXPECT_NE(l, std::string::npos) << line;
      EXPECT_NE(r, std::string::npos) << line;
      if (l == std::string::npos || r == std::string::npos) continue;
      const uint64_t n = std::stoull(line.substr(l + 7));
      std::string raw = line.substr(r + 7);
      raw = raw.substr(0, raw.rfind('"'));
      for (size_t q; (q = raw.find("\\\"")) != std::string::npos;) raw.erase(q, 1);
      EXPECT_TRUE(out.emplace(n, raw).second) << "line " << n << " rejected twice";
    }
  }
  return out;
}

TEST(ParallelConverterTest, OneLargeFileIsSharedInPiecesAndRejectionsKeepTheirLines) {
  const std::string dir = testing_util::FreshTempDir("parallel_one_file");
  // Records over four days; some rejected (a bad time), some blank lines, in one NDJSON file.
  std::string text;
  std::map<uint64_t, std::string> bad_lines;  // line number -> text
  size_t good = 0;
  uint64_t line = 0;
  for (size_t n = 0; n < 6000; ++n) {
    ++line;
    if (n % 500 == 7) {
      text += "\n";
      continue;
    }
    if (n % 89 == 3) {
      const std::string bad = "{\"uuid\":\"bad" + std::to_string(n) + "\",\"time\":\"never\"}";
      text += bad + "\n";
      bad_lines[line] = bad;
    } else {
      text += Record(Id("r", n), DayTime(1 + static_cast<int>(n * 4 / 6000), static_cast<int>(n % 86400))) + "\n";
      ++good;
    }
  }
  const std::string path = dir + "/big.ndjson";
  ASSERT_TRUE(WriteFileAtomically(path, text).ok());

  std::map<std::string, Row> one_thread;
  for (int threads : {1, 3}) {
    SCOPED_TRACE(threads);
    const std::string lake = testing_util::FreshTempDir("parallel_one_file_lake");
    auto c = ParallelConverter::Create(lake, AccessLogTable(), {}, threads);
    ASSERT_TRUE(c.ok());
    std::vector<std::string> labels;
    std::mutex mu;
    // Pieces of at least 64 KiB: the 600 KB file makes three.
    ASSERT_TRUE((*c)->ConvertFiles({path}, {text.size()},
                                   [&](const std::string& label, uint64_t) {
                                     std::lock_guard<std::mutex> lock(mu);
                                     labels.push_back(label);
                                   },
                                   64 << 10)
                    .ok());
    const ConvertStats& s = (*c)->stats();
    EXPECT_EQ(s.records_read, good + bad_lines.size());
    EXPECT_EQ(s.records_written, good);
    EXPECT_EQ(s.records_rejected, bad_lines.size());
    EXPECT_EQ(s.input_bytes, text.size());
    std::sort(labels.begin(), labels.end());
    if (threads == 1) {
      EXPECT_EQ(labels, std::vector<std::string>{path});
    } else {
      ASSERT_EQ(labels.size(), 3u);
      EXPECT_EQ(labels[0].rfind(path + " [0, ", 0), 0u) << labels[0];
      EXPECT_NE(labels[2].find(", end)"), std::string::npos) << labels[2];
    }
    std::map<std::string, Row> rows = ReadTable(lake + "/access_log", PartitionLayout::kDatePath);
    EXPECT_EQ(rows.size(), good);
    if (threads == 1) {
      one_thread = rows;
    } else {
      EXPECT_EQ(rows.size(), one_thread.size());
      for (const auto& [uuid, row] : one_thread) {
        auto it = rows.find(uuid);
        ASSERT_NE(it, rows.end()) << uuid;
        EXPECT_EQ(it->second.time, row.time);
      }
    }
    // Each rejected record names its line in the whole file, whichever piece it was in.
    EXPECT_EQ(RejectedLines(lake + "/access_log"), bad_lines);
  }
}

}  // namespace
}  // namespace loglake::lake
