#include "lake/input_paths.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/file.h"
#include "test_util.h"

namespace loglake::lake {
namespace {

namespace fs = std::filesystem;

void Touch(const std::string& path) {
  fs::create_directories(fs::path(path).parent_path());
  ASSERT_TRUE(WriteFileAtomically(path, "{}\n").ok()) << path;
}

TEST(InputPathsTest, DirectoriesExpandToTheirFilesInPathOrder) {
  const std::string root = testing_util::FreshTempDir("input_paths");
  // Firehose-like keys, written out of order; hidden files and folders; the lake inside the tree.
  for (const char* rel : {"archive/2024/05/02/00/s-2024-05-02-00-10.gz", "archive/2024/05/01/23/s-2024-05-01-23-55.gz",
                          "archive/2024/05/01/23/s-2024-05-01-23-50.gz", "archive/2024/05/01/09/b.json",
                          "archive/.hidden.gz", "archive/.tmp/x.gz", "archive/lake/access_log/2024/05/01/part.parquet",
                          "single.ndjson"}) {
    Touch(root + "/" + rel);
  }
  auto files = ExpandInputPaths({root + "/single.ndjson", "-", root + "/archive/"}, root + "/archive/lake/access_log/");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  const std::string a = root + "/archive/";
  EXPECT_EQ(*files, (std::vector<std::string>{root + "/single.ndjson", "-", a + "2024/05/01/09/b.json",
                                              a + "2024/05/01/23/s-2024-05-01-23-50.gz",
                                              a + "2024/05/01/23/s-2024-05-01-23-55.gz",
                                              a + "2024/05/02/00/s-2024-05-02-00-10.gz"}));
  // With no lake inside, its files are inputs like any other.
  auto all = ExpandInputPaths({root + "/archive"}, root + "/elsewhere");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 5u);
}

TEST(InputPathsTest, MissingEmptyAndInsideTheLakeAreErrorsNamingThePath) {
  const std::string root = testing_util::FreshTempDir("input_paths_errors");
  fs::create_directories(root + "/empty/.hidden");
  Touch(root + "/empty/.hidden/x.gz");
  Touch(root + "/lake/access_log/2024/a.ndjson");

  auto missing = ExpandInputPaths({root + "/nope.gz"}, root + "/lake");
  EXPECT_EQ(missing.status().code(), StatusCode::kIOError);
  EXPECT_NE(missing.status().message().find("nope.gz"), std::string::npos);

  auto empty = ExpandInputPaths({root + "/empty"}, root + "/lake");
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(empty.status().message().find("holds no file to convert"), std::string::npos);

  auto inside = ExpandInputPaths({root + "/lake/access_log/2024"}, root + "/lake/access_log/");
  EXPECT_EQ(inside.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(inside.status().message().find("inside the table being written"), std::string::npos);
}

}  // namespace
}  // namespace loglake::lake
