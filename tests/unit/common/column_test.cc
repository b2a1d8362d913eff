#include "common/column.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace loglake {
namespace {

TEST(ColumnTest, NullsKeepRowsAligned) {
  Column c(ColumnType::kString);
  c.AppendString("a");
  c.AppendNull();
  c.AppendString("");
  c.AppendString("héllo");
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c.null_count(), 1u);
  EXPECT_EQ(c.String(0), "a");
  EXPECT_TRUE(c.IsNull(1));
  EXPECT_EQ(c.String(1), "");
  EXPECT_FALSE(c.IsNull(2));
  EXPECT_EQ(c.String(3), "héllo");
}

TEST(ColumnTest, AppendFromCopiesValuesAndNulls) {
  Column a(ColumnType::kInt64);
  a.AppendInt64(INT64_MIN);
  a.AppendNull();
  Column b(ColumnType::kInt64);
  b.AppendFrom(a, 1);
  b.AppendFrom(a, 0);
  EXPECT_TRUE(b.IsNull(0));
  EXPECT_EQ(b.Int64(1), INT64_MIN);
  b.Clear();
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.null_count(), 0u);
}

// String values are stored back to back whatever their size and however they are appended (the
// fixed-size copies of AppendStringOverread write past a value, into room the next one overwrites),
// across the storage's growth and after Clear(), which keeps the room.
TEST(ColumnTest, StringDataStaysExactAcrossGrowthAndClear) {
  // A padded source, as a record's text is: the overread copies read past each value.
  std::string text;
  for (int i = 0; i < 200; ++i) text += std::to_string(i * 7919) + "|";
  text.append(Column::kStringOverread, '#');
  Column c(ColumnType::kString);
  for (int round = 0; round < 2; ++round) {
    std::vector<std::string> want;
    size_t pos = 0;
    for (size_t len = 0; len <= 70; ++len) {  // every size around the 16- and 32-byte copies
      const std::string_view v = std::string_view(text).substr(pos % 400, len);
      pos += 13;
      if (len % 3 == 0) {
        c.AppendString(v);
      } else {
        c.AppendStringOverread(v);
      }
      want.emplace_back(v);
      if (len % 10 == 0) {
        c.AppendNull();
        want.emplace_back();
      }
    }
    ASSERT_EQ(c.size(), want.size());
    std::string all;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(c.String(i), want[i]) << i;
      all += want[i];
    }
    EXPECT_EQ(c.string_data(), all) << "no bytes between or after the values";
    EXPECT_EQ(c.string_offsets().back(), all.size());
    c.Clear();
    EXPECT_EQ(c.size(), 0u);
    EXPECT_TRUE(c.string_data().empty());
  }
}

TEST(ColumnTest, ParseColumnTypeAcceptsNamesAndAliases) {
  EXPECT_EQ(ParseColumnType("BIGINT"), ColumnType::kInt64);
  EXPECT_EQ(ParseColumnType("timestamp"), ColumnType::kTimestamp);
  EXPECT_EQ(ParseColumnType("float128"), std::nullopt);
}

}  // namespace
}  // namespace loglake
