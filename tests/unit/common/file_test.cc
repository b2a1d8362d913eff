#include "common/file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_util.h"

namespace loglake {
namespace {

TEST(FileTest, WriteThenReadBackAcrossBufferBoundaries) {
  std::string dir = testing_util::FreshTempDir("file_test");
  std::string big(300 * 1024, 'x');
  big[0] = 'a';
  big.back() = 'z';
  {
    auto f = WritableFile::Create(dir + "/f.tmp");
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    ASSERT_TRUE((*f)->Append("head").ok());
    ASSERT_TRUE((*f)->Append(big).ok());
    EXPECT_EQ((*f)->Tell(), 4 + big.size());
    ASSERT_TRUE((*f)->Close().ok());
  }
  ASSERT_TRUE(PublishFile(dir + "/f.tmp", dir + "/f").ok());
  EXPECT_FALSE(std::filesystem::exists(dir + "/f.tmp"));
  std::string got;
  ASSERT_TRUE(ReadFileToString(dir + "/f", &got).ok());
  EXPECT_EQ(got, "head" + big);
}

TEST(FileTest, ReadPastEndIsCorruptionNamingTheFile) {
  std::string dir = testing_util::FreshTempDir("file_test_short");
  ASSERT_TRUE(WriteFileAtomically(dir + "/short", "abc").ok());
  auto f = RandomAccessFile::Open(dir + "/short");
  ASSERT_TRUE(f.ok());
  std::string out;
  Status s = (*f)->ReadAt(2, 5, &out);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("short"), std::string::npos);
}

TEST(FileTest, OpenMissingFileIsIOError) {
  auto f = RandomAccessFile::Open("/nonexistent/loglake/file");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kIOError);
}

}  // namespace
}  // namespace loglake
