#include "agent/file_identity.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "test_util.h"

namespace loglake::agent {
namespace {

void WriteFile(const std::string& path, const std::string& text, bool append = false) {
  std::ofstream f(path, append ? std::ios::app : std::ios::trunc);
  f << text;
}

class FileIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing_util::FreshTempDir("agent-identity"); }
  int Open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_GE(fd, 0);
    fds_.push_back(fd);
    return fd;
  }
  void TearDown() override {
    for (int fd : fds_) ::close(fd);
  }
  std::string dir_;
  std::vector<int> fds_;
};

TEST_F(FileIdentityTest, AFileKeepsItsIdentityWhenRenamedAndWhenItGrows) {
  const std::string path = dir_ + "/app.log";
  WriteFile(path, "{\"uuid\":\"a\"}\n");
  Result<FileIdentity> id = IdentifyOpenFile(Open(path), path);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->fingerprint_bytes, 13u);
  ASSERT_EQ(std::rename(path.c_str(), (path + ".1").c_str()), 0);
  WriteFile(path + ".1", "{\"uuid\":\"b\"}\n", true);
  Result<IdentityMatch> match = MatchOpenFile(Open(path + ".1"), path + ".1", *id);
  ASSERT_TRUE(match.ok());
  EXPECT_EQ(*match, IdentityMatch::kSame);
}

TEST_F(FileIdentityTest, TruncationAndRewriteAreNoticed) {
  const std::string path = dir_ + "/app.log";
  WriteFile(path, "{\"uuid\":\"first\"}\n{\"uuid\":\"second\"}\n");
  const int fd = Open(path);
  Result<FileIdentity> id = IdentifyOpenFile(fd, path);
  ASSERT_TRUE(id.ok());
  WriteFile(path, "");  // truncated (same inode)
  EXPECT_EQ(*MatchOpenFile(fd, path, *id), IdentityMatch::kRewritten);
  WriteFile(path, "{\"uuid\":\"other\"}\n{\"uuid\":\"written again, longer\"}\n");  // rewritten, longer
  EXPECT_EQ(*MatchOpenFile(fd, path, *id), IdentityMatch::kRewritten);
}

TEST_F(FileIdentityTest, AReusedInodeWithOtherContentIsNotTheKnownFile) {
  const std::string path = dir_ + "/app.log";
  WriteFile(path, "{\"uuid\":\"new file\"}\n");
  const int fd = Open(path);
  Result<FileIdentity> now = IdentifyOpenFile(fd, path);
  ASSERT_TRUE(now.ok());
  // A checkpointed file that had this device and inode, with other first bytes.
  FileIdentity old = *now;
  old.fingerprint = FingerprintHash("{\"uuid\":\"old file\"}\n");
  old.fingerprint_bytes = 20;
  EXPECT_EQ(*MatchOpenFile(fd, path, old), IdentityMatch::kRewritten);
  // Another inode is another file, whatever its content.
  FileIdentity elsewhere = *now;
  elsewhere.inode += 1;
  EXPECT_EQ(*MatchOpenFile(fd, path, elsewhere), IdentityMatch::kOther);
}

TEST_F(FileIdentityTest, TheFingerprintCoversAtMostTheFirstKibibyte) {
  const std::string path = dir_ + "/big.log";
  WriteFile(path, std::string(5000, 'x'));
  Result<FileIdentity> id = IdentifyOpenFile(Open(path), path);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->fingerprint_bytes, kFingerprintMaxBytes);
  EXPECT_EQ(id->fingerprint, FingerprintHash(std::string(kFingerprintMaxBytes, 'x')));
  // A copy with the same start is recognised by its prefix, whatever its inode.
  WriteFile(dir_ + "/copy.log", std::string(2000, 'x'));
  EXPECT_TRUE(*PrefixMatches(Open(dir_ + "/copy.log"), dir_ + "/copy.log", id->fingerprint_bytes, id->fingerprint));
  WriteFile(dir_ + "/short.log", std::string(10, 'x'));
  EXPECT_FALSE(*PrefixMatches(Open(dir_ + "/short.log"), dir_ + "/short.log", id->fingerprint_bytes, id->fingerprint));
}

TEST(FingerprintHashTest, IsStableFnv1a) {
  // Stored in checkpoints: must never change. FNV-1a 64 of "" and "a".
  EXPECT_EQ(FingerprintHash(""), 14695981039346656037ull);
  EXPECT_EQ(FingerprintHash("a"), 0xaf63dc4c8601ec8cull);
}

}  // namespace
}  // namespace loglake::agent
