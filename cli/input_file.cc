#include "cli/input_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace foresight::cli {

std::string OpenInputFile(const std::string& path, std::ifstream& in) {
  // A directory opens as a stream on Linux and only fails at the first read,
  // which would be reported as a missing CSV header.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return "is a directory, not a file";
  errno = 0;
  in.open(path);
  if (in) return "";
  const int error = errno;
  return error != 0 ? std::string(std::strerror(error)) : "cannot be opened";
}

}  // namespace foresight::cli
