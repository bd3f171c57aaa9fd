#include "cli/output_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace foresight::cli {
namespace fs = std::filesystem;

namespace {

std::string ErrnoReason(int error, const char* otherwise) {
  return error != 0 ? std::string(std::strerror(error)) : otherwise;
}

}  // namespace

std::string CheckOutputFile(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return "is a directory, not a file";
  if (fs::exists(path, ec)) {
    return access(path.c_str(), W_OK) == 0 ? "" : ErrnoReason(errno, "cannot be written");
  }
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec)) {
    return "directory " + dir.string() + " does not exist: create it or write elsewhere";
  }
  return access(dir.c_str(), W_OK) == 0
             ? ""
             : "directory " + dir.string() + ": " + ErrnoReason(errno, "cannot be written");
}

std::string WriteOutputFile(const std::string& path, const std::string& contents) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return ErrnoReason(errno, "cannot be opened");
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.close();  // flushes: a full disk shows here
  if (out) return "";
  const std::string why = ErrnoReason(errno, "write failed");
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) fs::remove(path, ec);
  return why;
}

bool SameFile(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (fs::equivalent(a, b, ec)) return true;
  std::error_code ec_a, ec_b;
  const fs::path canonical_a = fs::weakly_canonical(a, ec_a);
  const fs::path canonical_b = fs::weakly_canonical(b, ec_b);
  return !ec_a && !ec_b && canonical_a == canonical_b;
}

}  // namespace foresight::cli
