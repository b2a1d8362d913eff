#include "common/column.h"

#include <gtest/gtest.h>

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

TEST(ColumnTest, ParseColumnTypeAcceptsNamesAndAliases) {
  EXPECT_EQ(ParseColumnType("BIGINT"), ColumnType::kInt64);
  EXPECT_EQ(ParseColumnType("timestamp"), ColumnType::kTimestamp);
  EXPECT_EQ(ParseColumnType("float128"), std::nullopt);
}

}  // namespace
}  // namespace loglake
