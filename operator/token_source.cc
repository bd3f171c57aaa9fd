#include "operator/token_source.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace foresight::op {
namespace {

class Static final : public TokenSource {
 public:
  explicit Static(std::string token) : token_(TrimWhitespace(std::move(token))) {}
  Result<std::string> Token() override { return token_; }
  void Invalidate() override {}

 private:
  const std::string token_;
};

}  // namespace

std::string TrimWhitespace(std::string s) {
  const char* ws = " \t\r\n\f\v";
  const auto first = s.find_first_not_of(ws);
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(ws);
  return s.substr(first, last - first + 1);
}

std::shared_ptr<TokenSource> StaticTokenSource(std::string token) {
  return std::make_shared<Static>(std::move(token));
}

FileTokenSource::FileTokenSource(std::string path, Clock& clock,
                                 std::chrono::milliseconds max_age)
    : path_(std::move(path)), clock_(clock), max_age_(max_age) {}

void FileTokenSource::Invalidate() {
  std::lock_guard lock(mu_);
  invalidated_ = true;
}

Result<std::string> FileTokenSource::Token() {
  std::lock_guard lock(mu_);
  const Timestamp now = clock_.Now();
  FileSignature sig;
  struct stat st {};
  const bool stat_ok = ::stat(path_.c_str(), &st) == 0;  // follows symlinks
  if (stat_ok) {
    sig.inode = st.st_ino;
    sig.size = static_cast<unsigned long long>(st.st_size);
    sig.mtime_ns = static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL +
                   st.st_mtim.tv_nsec;
  }
  const bool stale = invalidated_ || token_.empty() || now - read_at_ >= max_age_ ||
                     (stat_ok && !(sig == signature_));
  if (!stale) return token_;

  std::ifstream in(path_);
  std::stringstream buffer;
  if (in) buffer << in.rdbuf();
  std::string token = in ? TrimWhitespace(buffer.str()) : std::string();
  if (!in || token.empty()) {
    if (!token_.empty()) return token_;  // keep the last good token
    return Status::NotFound("token file " + path_ +
                            (in ? " is empty" : " cannot be read"));
  }
  token_ = std::move(token);
  signature_ = sig;
  read_at_ = now;
  invalidated_ = false;
  return token_;
}

}  // namespace foresight::op
