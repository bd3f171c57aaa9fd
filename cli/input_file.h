// Opening a file named on the command line, with the reason when it cannot be
// read: "cannot open --trace x.csv" alone leaves a user guessing between a
// typo, a directory and permissions.
#pragma once

#include <fstream>
#include <string>

namespace foresight::cli {

// Opens `path` into `in`. Returns "" on success, else why it cannot be read,
// e.g. "No such file or directory" (strerror) or "is a directory, not a file".
std::string OpenInputFile(const std::string& path, std::ifstream& in);

}  // namespace foresight::cli
