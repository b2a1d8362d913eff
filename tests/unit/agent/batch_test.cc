#include "agent/batch.h"

#include <gtest/gtest.h>

namespace loglake::agent {
namespace {

TEST(BatchBuilderTest, ClosesByRecordsBytesAndLinger) {
  BatchBuilder by_records(0, "t", BatchLimits{3, 1 << 20, 1'000'000});
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(by_records.Full());
    ASSERT_TRUE(by_records.Add("{}", 0));
  }
  EXPECT_TRUE(by_records.Full());

  BatchBuilder by_bytes(0, "t", BatchLimits{100, 10, 1'000'000});
  ASSERT_TRUE(by_bytes.Add("12345", 0));   // 6 bytes with the newline
  EXPECT_FALSE(by_bytes.Add("12345", 0));  // would make 12 > 10: take the batch first
  Batch first = by_bytes.Take();
  EXPECT_EQ(first.body, "12345\n");
  ASSERT_TRUE(by_bytes.Add("a record longer than the limit", 0));  // alone, always taken
  EXPECT_TRUE(by_bytes.Full());

  BatchBuilder by_time(0, "t", BatchLimits{100, 1 << 20, 200});
  EXPECT_EQ(by_time.MicrosUntilDue(1000), -1);
  ASSERT_TRUE(by_time.Add("{}", 1000));
  EXPECT_FALSE(by_time.Due(1100));
  EXPECT_EQ(by_time.MicrosUntilDue(1100), 100);
  EXPECT_TRUE(by_time.Due(1200));
}

TEST(BatchBuilderTest, RecordsAndProgressTravelTogether) {
  BatchBuilder builder(2, "web", BatchLimits{});
  ASSERT_TRUE(builder.Add("{\"a\":1}", 5));
  ASSERT_TRUE(builder.Add("{\"b\":2}", 6));
  builder.NoteProgress(7, 100);
  builder.NoteProgress(7, 150);
  builder.NoteProgress(8, 10);
  Batch b = builder.Take();
  EXPECT_TRUE(builder.empty());
  EXPECT_EQ(b.input, 2u);
  EXPECT_EQ(b.table, "web");
  ASSERT_EQ(b.records(), 2u);
  EXPECT_EQ(b.Record(0), "{\"a\":1}");
  EXPECT_EQ(b.Record(1), "{\"b\":2}");
  ASSERT_EQ(b.progress.size(), 2u);
  EXPECT_EQ(b.progress[0].source_id, 7u);
  EXPECT_EQ(b.progress[0].end_offset, 150u);
  // Progress alone (blank lines skipped) is due at once.
  builder.NoteProgress(7, 160);
  EXPECT_TRUE(builder.Due(0));
  EXPECT_EQ(builder.Take().records(), 0u);
}

}  // namespace
}  // namespace loglake::agent
