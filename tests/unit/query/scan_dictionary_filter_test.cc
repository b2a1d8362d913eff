// A filter on one dictionary-encoded column is evaluated once per dictionary entry and rows are
// selected by their index (scan_row_group.cc SelectByDictionary); a selective `=`/IN conjunct
// runs before the other filter columns are read (the prefilter). Both must select exactly the
// rows that evaluating the filter row by row selects: with NULLs, with page-index ranges, and in
// a chunk whose writer fell back from the dictionary to PLAIN part-way.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "parquet/reader.h"
#include "scan_test_util.h"
#include "test_util.h"

namespace loglake::query {
namespace {

using namespace scantest;  // NOLINT

// Does chunk `column` of some row group of `path` have a dictionary page and also PLAIN data
// pages (the writer's fallback)?
bool HasFallbackPages(const std::string& path, const std::string& column) {
  auto raw = RandomAccessFile::Open(path);
  EXPECT_TRUE(raw.ok());
  auto reader = parquet::FileReader::Open(*raw);
  EXPECT_TRUE(reader.ok());
  const int fc = (*reader)->ColumnIndexOf(column);
  for (int rg = 0; rg < (*reader)->num_row_groups(); ++rg) {
    const parquet::ColumnMetaData& meta = (*reader)->column_meta(rg, fc);
    if (!meta.dictionary_page_offset || !meta.encoding_stats) continue;
    for (const parquet::PageEncodingStats& s : *meta.encoding_stats) {
      // PLAIN for strings, DELTA_BINARY_PACKED for integers.
      if (s.page_type == parquet::PageType::DATA_PAGE && s.encoding != parquet::Encoding::RLE_DICTIONARY &&
          s.count > 0) {
        return true;
      }
    }
  }
  return false;
}

// Two days: day 1 dictionary-encoded throughout; day 2 with a dictionary limit so small that
// the key and status chunks fall back to PLAIN once their values stop repeating (row 120).
//   key     day 1: one of 12 agent strings; day 2: two agents, then agent + row number;
//           NULL every 7th row
//   status  day 1: 200/404/500/503 by a different cycle; day 2: 200/503, then 100 + row;
//           NULL every 11th row
//   time    sorted (the page index narrows time ranges)
class DictionaryFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lake_ = testing_util::FreshTempDir("scan_dictionary_filter");
    for (int day = 1; day <= 2; ++day) {
      std::vector<TestRow> rows;
      for (int i = 0; i < 600; ++i) {
        TestRow r;
        r.id = day * 1000 + i;
        r.time = Micros(2024, 3, day) + i * 60 * kMicrosPerSecond;
        const std::string agent = "agent-" + std::string(1, static_cast<char>('a' + (i * 5) % 12)) + "/";
        static const int kStatus[] = {200, 404, 500, 503, 200};
        if (day == 2 && i < 120) {
          // Few distinct values (the dictionary's sample pages), then many: PLAIN fallback.
          if (i % 7 != 3) r.key = agent.substr(0, 6) + (i % 2 ? "c/1.0" : "e/1.0");
          if (i % 11 != 5) r.status = i % 3 ? 200 : 503;
        } else {
          if (i % 7 != 3) r.key = agent + (day == 2 ? std::to_string(i) : "1.0");
          if (i % 11 != 5) r.status = day == 2 ? 100 + i : kStatus[(i / 3) % 5];
        }
        rows.push_back(r);
        all_.push_back(r);
      }
      parquet::WriterOptions o = SmallWriterOptions(t_);
      o.bloom_columns.clear();  // the key is not unique here; blooms are not under test
      o.page_bytes = 320;       // several pages per chunk, the dictionary's sample page included
      if (day == 2) o.dictionary_bytes_limit = 64;
      paths_.push_back(WriteDayFile(lake_, t_, "d.parquet", rows, o));
    }
  }

  std::vector<int64_t> Run(ExprPtr filter) {
    plan_ = PlanFor(t_, std::move(filter));
    QueryOptions o;
    o.threads = 1;
    o.dedup = false;
    ScanRun r = RunPlan(lake_, plan_, o);
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    return Sorted(r.ids);
  }

  std::vector<int64_t> Expected(const std::function<bool(const TestRow&)>& keep) const {
    std::vector<int64_t> ids;
    for (const TestRow& r : all_) {
      if (keep(r)) ids.push_back(r.id);
    }
    return Sorted(ids);
  }

  lake::TableDef t_ = TestTable();
  std::string lake_;
  std::vector<std::string> paths_;
  std::vector<TestRow> all_;
  QueryPlan plan_;
};

TEST_F(DictionaryFilterTest, TheSecondDayLeavesItsDictionary) {
  EXPECT_FALSE(HasFallbackPages(paths_[0], "key"));
  EXPECT_TRUE(HasFallbackPages(paths_[1], "key"));
  EXPECT_TRUE(HasFallbackPages(paths_[1], "status"));
}

TEST_F(DictionaryFilterTest, ContainsLikeOnStrings) {
  const auto has = [](const TestRow& r, const char* s) { return r.key && r.key->find(s) != std::string::npos; };
  std::vector<int64_t> want = Expected([&](const TestRow& r) { return has(r, "t-c/"); });
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(Run(Like(Col(t_, "key"), "%t-c/%")), want);
  // The same predicate over two columns goes row by row: it must agree.
  EXPECT_EQ(Run(And(Like(Col(t_, "key"), "%t-c/%"), Cmp(Col(t_, "id"), CompareOp::kGe, Lit(Value::Bigint(0))))),
            want);
  EXPECT_EQ(Run(Logic(ExprKind::kLike, [&] {
              std::vector<ExprPtr> v;
              v.push_back(Col(t_, "key"));
              v.push_back(Str("%nothing%"));
              return v;
            }())),
            std::vector<int64_t>{});
}

TEST_F(DictionaryFilterTest, NotLikeLeavesNullsOut) {
  ExprPtr like = Like(Col(t_, "key"), "agent-a%");
  like->negated = true;
  EXPECT_EQ(Run(std::move(like)), Expected([](const TestRow& r) { return r.key && r.key->rfind("agent-a", 0) != 0; }));
}

TEST_F(DictionaryFilterTest, PredicatesTrueForNull) {
  EXPECT_EQ(Run(IsNull(Col(t_, "key"))), Expected([](const TestRow& r) { return !r.key; }));
  EXPECT_EQ(Run(Or(IsNull(Col(t_, "key")), Like(Col(t_, "key"), "%-b/%"))),
            Expected([](const TestRow& r) { return !r.key || r.key->find("-b/") != std::string::npos; }));
  EXPECT_EQ(Run(IsNull(Col(t_, "status"))), Expected([](const TestRow& r) { return !r.status; }));
}

TEST_F(DictionaryFilterTest, IntegersAndInLists) {
  EXPECT_EQ(Run(Cmp(Col(t_, "status"), CompareOp::kGe, Int(500))),
            Expected([](const TestRow& r) { return r.status && *r.status >= 500; }));
  std::vector<ExprPtr> values;
  values.push_back(Str("agent-d/1.0"));
  values.push_back(Str("agent-k/1.0"));
  EXPECT_EQ(Run(In(Col(t_, "key"), std::move(values))), Expected([](const TestRow& r) {
              return r.key && (*r.key == "agent-d/1.0" || *r.key == "agent-k/1.0");
            }));
}

TEST_F(DictionaryFilterTest, WithPageIndexRanges) {
  // Time narrows the candidate rows to some pages; the key filter then runs on those only.
  const int64_t lo = Micros(2024, 3, 2) + 130 * 60 * kMicrosPerSecond;
  const int64_t hi = Micros(2024, 3, 2) + 410 * 60 * kMicrosPerSecond;
  std::vector<int64_t> want = Expected([&](const TestRow& r) {
    return r.time >= lo && r.time < hi && r.key && r.key->find("-e/") != std::string::npos;
  });
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(Run(And(And(Cmp(Col(t_, "time"), CompareOp::kGe, Ts(lo)), Cmp(Col(t_, "time"), CompareOp::kLt, Ts(hi))),
                    Like(Col(t_, "key"), "%-e/%"))),
            want);
}

TEST_F(DictionaryFilterTest, SelectiveConjunctFirst) {
  // key = '…' runs first (dictionary or PLAIN), status is read for the rows it kept.
  std::vector<int64_t> want = Expected([](const TestRow& r) {
    return r.key && *r.key == "agent-f/1.0" && r.status && *r.status >= 404;
  });
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(Run(And(Cmp(Col(t_, "status"), CompareOp::kGe, Int(404)), Cmp(Col(t_, "key"), CompareOp::kEq, Str("agent-f/1.0")))),
            want);
  // A key no row holds: nothing else is read, nothing returned.
  EXPECT_EQ(Run(And(Cmp(Col(t_, "key"), CompareOp::kEq, Str("agent-zz")), Cmp(Col(t_, "status"), CompareOp::kGe, Int(0)))),
            std::vector<int64_t>{});
  // The outputs of the selected rows are the right ones (late materialization by positions).
  plan_ = PlanFor(t_, And(Cmp(Col(t_, "key"), CompareOp::kEq, Str("agent-f/1.0")), IsNull(Col(t_, "status"))),
                  {"id", "time"});
  QueryOptions o;
  o.threads = 1;
  o.dedup = false;
  ScanRun r = RunPlan(lake_, plan_, o);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  std::set<int64_t> want_times;
  for (const TestRow& row : all_) {
    if (row.key && *row.key == "agent-f/1.0" && !row.status) want_times.insert(row.time);
  }
  ASSERT_FALSE(want_times.empty());
  EXPECT_EQ(std::set<int64_t>(r.times.begin(), r.times.end()), want_times);
  EXPECT_EQ(r.ids.size(), want_times.size());
}

}  // namespace
}  // namespace loglake::query
