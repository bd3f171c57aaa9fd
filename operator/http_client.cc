// The cpprest-free parts of http_client.h.
#include "operator/http_client.h"

#include <algorithm>
#include <cctype>

namespace foresight::op {

std::optional<std::string> FindHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() &&
        std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        }))
      return v;
  }
  return std::nullopt;
}

bool LineSplitter::Feed(std::string_view chunk) {
  pending_.append(chunk);
  size_t start = 0;
  while (true) {
    const size_t nl = pending_.find('\n', start);
    if (nl == std::string::npos) break;
    std::string_view line(pending_.data() + start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = nl + 1;
    if (!on_line_(line)) {
      pending_.erase(0, start);
      return false;
    }
  }
  pending_.erase(0, start);
  return true;
}

bool LineSplitter::Flush() {
  if (pending_.empty()) return true;
  std::string last = std::move(pending_);
  pending_.clear();
  return on_line_(last);
}

}  // namespace foresight::op
