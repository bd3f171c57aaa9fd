#include "cli/output_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace foresight::cli {
namespace {
namespace fs = std::filesystem;

std::string Contents(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() /
        ("output_file_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(OutputFileTest, WritesTheWholeContents) {
  const fs::path path = dir_ / "out.csv";
  EXPECT_EQ(CheckOutputFile(path.string()), "");
  std::ofstream(path) << "an older, longer file that must not show through\n";
  EXPECT_EQ(WriteOutputFile(path.string(), "a,b\n1,2\n"), "");
  EXPECT_EQ(Contents(path), "a,b\n1,2\n");
}

// A typo in a path is reported before the run, with the reason.
TEST_F(OutputFileTest, CheckSaysWhyAPathCannotBeWritten) {
  EXPECT_EQ(
      CheckOutputFile((dir_ / "missing" / "out.csv").string()),
      "directory " + (dir_ / "missing").string() + " does not exist: create it or write elsewhere");
  EXPECT_EQ(CheckOutputFile(dir_.string()), "is a directory, not a file");
  EXPECT_EQ(CheckOutputFile("out.csv"), "");  // in the working directory
}

TEST_F(OutputFileTest, WriteSaysWhyItFailedAndLeavesNoFile) {
  EXPECT_EQ(WriteOutputFile((dir_ / "missing" / "out.csv").string(), "x"),
            "No such file or directory");
  EXPECT_FALSE(fs::exists(dir_ / "missing"));
  // /dev/full accepts the open and fails the write, as a full disk does.
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  EXPECT_EQ(WriteOutputFile("/dev/full", std::string(1 << 16, 'x')), "No space left on device");
  EXPECT_TRUE(fs::exists("/dev/full"));  // a device is never removed
}

TEST_F(OutputFileTest, SameFileSeesThroughSpellingsAndLinks) {
  const fs::path path = dir_ / "report.html";
  EXPECT_TRUE(SameFile(path.string(), (dir_ / "." / "report.html").string()));  // not created
  EXPECT_FALSE(SameFile(path.string(), (dir_ / "decisions.csv").string()));
  std::ofstream(path) << "x";
  fs::create_symlink(path, dir_ / "link.html");
  EXPECT_TRUE(SameFile(path.string(), (dir_ / "link.html").string()));
}

}  // namespace
}  // namespace foresight::cli
