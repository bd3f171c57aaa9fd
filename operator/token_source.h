// TokenSource: where a bearer token comes from. A static token never changes;
// a FileTokenSource follows a projected service-account token that the kubelet
// rotates (kube-api-contract.md section 8.2).
// Thread-safety: Token() and Invalidate() may be called from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "operator/clock.h"
#include "operator/status.h"

namespace foresight::op {

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // The current token, whitespace-trimmed.
  virtual Result<std::string> Token() = 0;
  // Called after a 401: the next Token() must not return a cached value.
  virtual void Invalidate() = 0;
};

std::shared_ptr<TokenSource> StaticTokenSource(std::string token);

// Re-reads `path` when its (followed) inode, size or mtime changes, at least
// every `max_age` (client-go: one minute less ten seconds of leeway), and
// after Invalidate(). The path is re-opened each time (the kubelet swaps a
// symlink). A read error keeps the last good token; it is an error only when
// no token was ever read.
class FileTokenSource final : public TokenSource {
 public:
  // Tunable: client-go's CachedFileTokenSource period minus its leeway.
  static constexpr std::chrono::seconds kDefaultMaxAge{50};

  FileTokenSource(std::string path, Clock& clock,
                  std::chrono::milliseconds max_age = kDefaultMaxAge);

  Result<std::string> Token() override;
  void Invalidate() override;

 private:
  struct FileSignature {
    unsigned long long inode = 0, size = 0;
    long long mtime_ns = 0;
    bool operator==(const FileSignature&) const = default;
  };

  // constant after construction
  const std::string path_;
  Clock& clock_;
  const std::chrono::milliseconds max_age_;

  std::mutex mu_;
  std::string token_;            // guarded by mu_; empty until a first read
  FileSignature signature_;      // guarded by mu_
  Timestamp read_at_;            // guarded by mu_
  bool invalidated_ = true;      // guarded by mu_
};

// Trims ASCII whitespace at both ends.
std::string TrimWhitespace(std::string s);

}  // namespace foresight::op
