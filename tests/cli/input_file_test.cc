#include "cli/input_file.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace foresight::cli {
namespace {

TEST(OpenInputFileTest, OpensAReadableFile) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() / "input_file_test.csv";
  std::ofstream(path) << "timestamp,value\n";
  std::ifstream in;
  EXPECT_EQ(OpenInputFile(path.string(), in), "");
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_EQ(line, "timestamp,value");
  std::filesystem::remove(path);
}

TEST(OpenInputFileTest, SaysWhyAFileCannotBeRead) {
  std::ifstream in;
  EXPECT_EQ(OpenInputFile("/nonexistent/input.csv", in), "No such file or directory");
  std::ifstream dir;
  EXPECT_EQ(OpenInputFile(std::filesystem::temp_directory_path().string(), dir),
            "is a directory, not a file");
}

}  // namespace
}  // namespace foresight::cli
