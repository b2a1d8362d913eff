#include "lake/partition.h"

#include <gtest/gtest.h>

namespace loglake::lake {
namespace {

TEST(PartitionTest, FormatsBothLayouts) {
  EXPECT_EQ(PartitionPath(PartitionLayout::kDatePath, CivilDate{2024, 3, 9}), "2024/03/09");
  EXPECT_EQ(PartitionPath(PartitionLayout::kHiveDate, CivilDate{2024, 3, 9}), "dt=2024-03-09");
  EXPECT_EQ(PartitionPath(PartitionLayout::kDatePath, CivilDate{0, 1, 1}), "0000/01/01");
  EXPECT_EQ(PartitionPath(PartitionLayout::kDatePath, CivilDate{9999, 12, 31}), "9999/12/31");
  char buf[kMaxPartitionPathLength];
  EXPECT_EQ(FormatPartitionPath(PartitionLayout::kHiveDate, CivilDate{1969, 12, 31}, buf),
            kMaxPartitionPathLength);
  EXPECT_EQ(std::string(buf, kMaxPartitionPathLength), "dt=1969-12-31");
}

TEST(PartitionTest, ParseIsTheInverseOfFormat) {
  for (PartitionLayout layout : {PartitionLayout::kDatePath, PartitionLayout::kHiveDate}) {
    // Every day of a leap year and of a common year round-trips.
    for (int64_t days = DaysFromCivil(2023, 1, 1); days < DaysFromCivil(2025, 1, 1); ++days) {
      CivilDate date = CivilFromDays(days);
      auto parsed = ParsePartitionPath(layout, PartitionPath(layout, date));
      ASSERT_TRUE(parsed.has_value()) << PartitionPath(layout, date);
      EXPECT_EQ(*parsed, date);
    }
  }
  auto with_slash = ParsePartitionPath(PartitionLayout::kDatePath, "2024/02/29/");
  ASSERT_TRUE(with_slash.has_value());
  EXPECT_EQ(*with_slash, (CivilDate{2024, 2, 29}));
}

TEST(PartitionTest, ParseRejectsEverythingElse) {
  const PartitionLayout d = PartitionLayout::kDatePath;
  const PartitionLayout h = PartitionLayout::kHiveDate;
  for (const char* bad :
       {"", "2024/3/09", "2024/03/9", "2024-03-09", "2024/13/01", "2024/00/10", "2023/02/29", "2024/04/31",
        "_errors", "2024/03/09/x", "2024/03", "abcd/ef/gh", "+024/03/09", "2024/03/0a", "dt=2024-03-09"}) {
    EXPECT_FALSE(ParsePartitionPath(d, bad).has_value()) << bad;
  }
  for (const char* bad : {"", "dt=2024/03/09", "2024-03-09", "dt=2024-02-30", "DT=2024-03-09", "dt=2024-03-9",
                          "dt=2024-03-09x", "x=2024-03-09"}) {
    EXPECT_FALSE(ParsePartitionPath(h, bad).has_value()) << bad;
  }
}

TEST(PartitionTest, LayoutNamesRoundTrip) {
  for (PartitionLayout layout : {PartitionLayout::kDatePath, PartitionLayout::kHiveDate}) {
    auto parsed = ParsePartitionLayout(PartitionLayoutName(layout));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, layout);
  }
  EXPECT_EQ(ParsePartitionLayout("hive"), PartitionLayout::kHiveDate);
  EXPECT_FALSE(ParsePartitionLayout("yyyy-MM-dd").has_value());
  EXPECT_EQ(PartitionDepth(PartitionLayout::kDatePath), 3);
  EXPECT_EQ(PartitionDepth(PartitionLayout::kHiveDate), 1);
}

TEST(PartitionTest, PartitionDayFloorsTowardThePast) {
  EXPECT_EQ(PartitionDay(0), 0);
  EXPECT_EQ(PartitionDay(kMicrosPerDay - 1), 0);
  EXPECT_EQ(PartitionDay(kMicrosPerDay), 1);
  EXPECT_EQ(PartitionDay(-1), -1);
  EXPECT_EQ(PartitionDay(-kMicrosPerDay), -1);
  EXPECT_EQ(PartitionDay(-kMicrosPerDay - 1), -2);
  EXPECT_EQ(CivilFromDays(PartitionDay(kMinTimestampMicros)), (CivilDate{0, 1, 1}));
  EXPECT_EQ(CivilFromDays(PartitionDay(kMaxTimestampMicros)), (CivilDate{9999, 12, 31}));
}

TEST(PartitionTest, PartitionableDates) {
  EXPECT_TRUE(IsPartitionableDate(CivilDate{2024, 2, 29}));
  EXPECT_FALSE(IsPartitionableDate(CivilDate{2023, 2, 29}));
  EXPECT_FALSE(IsPartitionableDate(CivilDate{-1, 12, 31}));
  EXPECT_FALSE(IsPartitionableDate(CivilDate{10000, 1, 1}));
  EXPECT_FALSE(IsPartitionableDate(CivilDate{2024, 0, 1}));
}

}  // namespace
}  // namespace loglake::lake
