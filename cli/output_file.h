// Writing a file named on the command line so that it is whole or absent: a run that fails,
// or a disk that fills up, must not leave a truncated CSV or report that looks like a result.
#pragma once

#include <string>

namespace foresight::cli {

// Why `path` cannot be written, or "" when it looks writable: its directory exists and may be
// written, and it is not itself a directory. Checked before a long run, so that a typo in a
// path fails at once rather than after the run, with nothing to show for it.
std::string CheckOutputFile(const std::string& path);

// Writes `contents` to `path`, replacing the file. Returns "" on success, else why it failed
// (e.g. strerror's "No space left on device"); a regular file left half-written is removed.
std::string WriteOutputFile(const std::string& path, const std::string& contents);

// Whether `a` and `b` name the same file: the same path written two ways, or two names (links)
// of one existing file.
bool SameFile(const std::string& a, const std::string& b);

}  // namespace foresight::cli
