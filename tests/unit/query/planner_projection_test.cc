// Partition projection: the day set a filter allows, and listing exactly those day directories.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "query/execution/table_source.h"
#include "query/planner/partition_projection.h"
#include "scan_test_util.h"
#include "test_util.h"

namespace loglake::query {
namespace {

using namespace scantest;  // NOLINT

int64_t D(int y, int m, int d) { return DaysFromCivil(y, m, d); }

class ProjectionTest : public ::testing::Test {
 protected:
  DaySet Project(const ExprPtr& filter) {
    return ProjectDays(filter.get(), t_.ColumnIndex("time"), static_cast<int>(t_.columns.size()));
  }
  ExprPtr Time() { return Col(t_, "time"); }
  ExprPtr DatePath() { return Col(t_, kDatePathColumn); }
  lake::TableDef t_ = TestTable();
};

TEST_F(ProjectionTest, NoFilterOrUnrelatedFilterIsEveryDay) {
  EXPECT_TRUE(ProjectDays(nullptr, 1, 6).IsAll());
  EXPECT_TRUE(Project(Cmp(Col(t_, "status"), CompareOp::kEq, Int(200))).IsAll());
  EXPECT_TRUE(Project(Not(Cmp(Time(), CompareOp::kLt, Ts(Micros(2024, 3, 1))))).IsAll());
  EXPECT_TRUE(Project(Cmp(Time(), CompareOp::kNe, Ts(Micros(2024, 3, 1)))).IsAll());
}

TEST_F(ProjectionTest, TimeRangesAcrossMonthAndYearBoundaries) {
  // [2023-12-30 10:00, 2024-01-02 00:00): the last day is excluded because the bound is midnight.
  DaySet s = Project(And(Cmp(Time(), CompareOp::kGe, Ts(Micros(2023, 12, 30, 10))),
                         Cmp(Time(), CompareOp::kLt, Ts(Micros(2024, 1, 2)))));
  EXPECT_EQ(s, DaySet::Range(D(2023, 12, 30), D(2024, 1, 1))) << s.ToString();
  // <= midnight includes that day.
  s = Project(And(Cmp(Time(), CompareOp::kGt, Ts(Micros(2024, 2, 28, 23, 59))),
                  Cmp(Time(), CompareOp::kLe, Ts(Micros(2024, 3, 1)))));
  EXPECT_EQ(s, DaySet::Range(D(2024, 2, 28), D(2024, 3, 1))) << s.ToString();
  EXPECT_EQ(s.Count(), 3u);  // 2024 is a leap year
  // Constant on the left.
  s = Project(Cmp(Ts(Micros(2024, 5, 3, 1)), CompareOp::kGt, Time()));
  EXPECT_EQ(s, DaySet::Range(MinPartitionDay(), D(2024, 5, 3)));
}

TEST_F(ProjectionTest, OpenRanges) {
  EXPECT_EQ(Project(Cmp(Time(), CompareOp::kGe, Ts(Micros(2024, 5, 3, 1)))),
            DaySet::Range(D(2024, 5, 3), MaxPartitionDay()));
  EXPECT_EQ(Project(Cmp(Time(), CompareOp::kLt, Ts(Micros(2024, 5, 3, 1)))),
            DaySet::Range(MinPartitionDay(), D(2024, 5, 3)));
}

TEST_F(ProjectionTest, BetweenInAndOr) {
  EXPECT_EQ(Project(Between(Time(), Ts(Micros(2024, 1, 31, 5)), Ts(Micros(2024, 2, 2, 5)))),
            DaySet::Range(D(2024, 1, 31), D(2024, 2, 2)));
  std::vector<ExprPtr> values;
  values.push_back(Ts(Micros(2024, 3, 5, 1)));
  values.push_back(Ts(Micros(2024, 3, 7, 1)));
  EXPECT_EQ(Project(In(Time(), std::move(values))), DaySet::Single(D(2024, 3, 5)).Union(DaySet::Single(D(2024, 3, 7))));
  DaySet s = Project(Or(Between(Time(), Ts(Micros(2024, 1, 1)), Ts(Micros(2024, 1, 2, 3))),
                        Cmp(DatePath(), CompareOp::kEq, Str("2024/06/30"))));
  EXPECT_EQ(s.ToString(), "2024-01-01..2024-01-02, 2024-06-30");
  // An OR with an unanalysable side constrains nothing.
  EXPECT_TRUE(Project(Or(Cmp(Time(), CompareOp::kGe, Ts(Micros(2024, 1, 1))),
                         Cmp(Col(t_, "status"), CompareOp::kEq, Int(1))))
                  .IsAll());
  // AND of the time column and datepath intersects.
  s = Project(And(Cmp(Time(), CompareOp::kGe, Ts(Micros(2024, 1, 10))),
                  Cmp(DatePath(), CompareOp::kLe, Str("2024/01/12"))));
  EXPECT_EQ(s, DaySet::Range(D(2024, 1, 10), D(2024, 1, 12)));
}

TEST_F(ProjectionTest, DatePathComparisonsAndLike) {
  EXPECT_EQ(Project(Like(DatePath(), "2024/02/%")), DaySet::Range(D(2024, 2, 1), D(2024, 2, 29)));
  EXPECT_EQ(Project(Like(DatePath(), "2023/%")), DaySet::Range(D(2023, 1, 1), D(2023, 12, 31)));
  EXPECT_EQ(Project(Like(DatePath(), "2024/03/1_")), DaySet::Range(D(2024, 3, 10), D(2024, 3, 19)));
  EXPECT_EQ(Project(Like(DatePath(), "2024/03/05")), DaySet::Single(D(2024, 3, 5)));
  EXPECT_TRUE(Project(Like(DatePath(), "%/05")).IsAll());
  EXPECT_TRUE(Project(Cmp(DatePath(), CompareOp::kEq, Str("2024/02/30"))).empty());
  EXPECT_TRUE(Project(Cmp(DatePath(), CompareOp::kEq, Str("2024/2/3"))).empty());
  // String bounds that are not dates still map to the right days.
  EXPECT_EQ(Project(Cmp(DatePath(), CompareOp::kGe, Str("2024/03"))), DaySet::Range(D(2024, 3, 1), MaxPartitionDay()));
  EXPECT_EQ(Project(Cmp(DatePath(), CompareOp::kLt, Str("2024/03"))), DaySet::Range(MinPartitionDay(), D(2024, 2, 29)));
  EXPECT_EQ(Project(Cmp(DatePath(), CompareOp::kGt, Str("2024/03/31"))), DaySet::Range(D(2024, 4, 1), MaxPartitionDay()));
  EXPECT_EQ(Project(Between(DatePath(), Str("2023/12/31"), Str("2024/01/01"))),
            DaySet::Range(D(2023, 12, 31), D(2024, 1, 1)));
}

TEST_F(ProjectionTest, CastToDateAndNulls) {
  std::vector<ExprPtr> a;
  a.push_back(Time());
  ExprPtr as_date = Expr::Make(ExprKind::kCast, SqlType::kDate, std::move(a));
  EXPECT_EQ(Project(Cmp(std::move(as_date), CompareOp::kGt, Lit(Value::Date(static_cast<int32_t>(D(2024, 1, 1)))))),
            DaySet::Range(D(2024, 1, 2), MaxPartitionDay()));
  EXPECT_TRUE(Project(Cmp(Time(), CompareOp::kEq, Lit(Value::Null(SqlType::kTimestamp)))).empty());
  EXPECT_TRUE(Project(Lit(Value::Boolean(false))).empty());
}

TEST(DaySetTest, UnionMergesAdjacentAndIntersectClips) {
  DaySet a = DaySet::Range(1, 3).Union(DaySet::Range(4, 6)).Union(DaySet::Range(10, 10));
  ASSERT_EQ(a.intervals().size(), 2u);
  EXPECT_EQ(a.Count(), 7u);
  EXPECT_EQ(a.Intersect(DaySet::Range(3, 10)).Count(), 5u);
  EXPECT_TRUE(a.Contains(10));
  EXPECT_FALSE(a.Contains(7));
  EXPECT_EQ(DaySet::All().Count(), static_cast<uint64_t>(MaxPartitionDay() - MinPartitionDay() + 1));
}

// ---- Listing day directories.

void MakeDirs(const std::string& table_dir, lake::PartitionLayout layout, const std::vector<int64_t>& days) {
  for (int64_t d : days) std::filesystem::create_directories(table_dir + "/" + lake::PartitionPath(layout, CivilFromDays(d)));
}

class ListDaysTest : public ::testing::TestWithParam<lake::PartitionLayout> {};

TEST_P(ListDaysTest, ProbedAndWalkedListingsFindExactlyTheWantedDays) {
  const lake::PartitionLayout layout = GetParam();
  const std::string dir = testing_util::FreshTempDir("list_days") + "/t";
  const std::vector<int64_t> days = {D(2023, 12, 30), D(2023, 12, 31), D(2024, 1, 1),  D(2024, 1, 31),
                                     D(2024, 2, 1),   D(2024, 2, 29),  D(2024, 3, 1),  D(2025, 6, 15)};
  MakeDirs(dir, layout, days);
  // Things that are not partitions.
  std::filesystem::create_directories(dir + "/_errors/2024/01/01");
  std::filesystem::create_directories(dir + "/.hidden/2024/01/01");
  std::filesystem::create_directories(dir + "/2024/13/01");
  std::filesystem::create_directories(dir + "/dt=2024-02-30");
  std::filesystem::create_directories(dir + "/notes");
  std::ofstream(dir + "/README") << "x";

  struct Case {
    DaySet wanted;
    std::vector<int64_t> expected;
  };
  const std::vector<Case> cases = {
      {DaySet::All(), days},
      {DaySet::Range(D(2023, 12, 31), D(2024, 1, 31)), {D(2023, 12, 31), D(2024, 1, 1), D(2024, 1, 31)}},
      {DaySet::Range(D(2024, 2, 1), D(2024, 2, 29)), {D(2024, 2, 1), D(2024, 2, 29)}},
      {DaySet::Range(D(2024, 2, 29), MaxPartitionDay()), {D(2024, 2, 29), D(2024, 3, 1), D(2025, 6, 15)}},
      {DaySet::Range(MinPartitionDay(), D(2023, 12, 31)), {D(2023, 12, 30), D(2023, 12, 31)}},
      {DaySet::Single(D(2024, 1, 1)).Union(DaySet::Range(D(2025, 1, 1), MaxPartitionDay())),
       {D(2024, 1, 1), D(2025, 6, 15)}},
      {DaySet::Range(D(2026, 1, 1), D(2026, 1, 5)), {}},
      {DaySet::None(), {}},
  };
  for (const Case& c : cases) {
    auto listing = ListDays(dir, layout, c.wanted);
    ASSERT_TRUE(listing.ok()) << listing.status().ToString();
    EXPECT_EQ(listing->days, c.expected) << c.wanted.ToString();
    EXPECT_EQ(listing->walked, c.wanted.Count() > kProbeDayLimit) << c.wanted.ToString();
  }
  // A walk skips years and months outside the set: listing 2024-02 onward reads the table
  // directory, 2024, 2025 and their months that overlap — never 2023.
  auto open = ListDays(dir, layout, DaySet::Range(D(2024, 2, 29), MaxPartitionDay()));
  ASSERT_TRUE(open.ok());
  if (layout == lake::PartitionLayout::kDatePath) {
    EXPECT_EQ(open->directories_read, 1u + 2u + 2u + 1u);
  }
}

INSTANTIATE_TEST_SUITE_P(Layouts, ListDaysTest,
                         ::testing::Values(lake::PartitionLayout::kDatePath, lake::PartitionLayout::kHiveDate));

TEST(ListDayFilesTest, SkipsHiddenAndNonParquetFiles) {
  const std::string dir = testing_util::FreshTempDir("list_files") + "/t";
  const std::string day = dir + "/2024/03/09";
  std::filesystem::create_directories(day + "/sub.parquet");
  for (const char* name : {"b.parquet", "a.parquet", ".a.parquet.tmp", "_c.parquet", "notes.txt", ".hidden.parquet"}) {
    std::ofstream(day + "/" + name) << "x";
  }
  auto files = ListDayFiles(dir, lake::PartitionLayout::kDatePath, D(2024, 3, 9));
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(*files, (std::vector<std::string>{day + "/a.parquet", day + "/b.parquet"}));
}

}  // namespace
}  // namespace loglake::query
