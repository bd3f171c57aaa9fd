#include "operator/duration.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>

#include "operator/forecast_limits.h"

namespace foresight::op {

std::optional<std::chrono::milliseconds> ParseDurationChecked(const std::string& text,
                                                              bool& too_long) {
  too_long = false;
  if (text.empty()) return std::nullopt;
  constexpr unsigned long long kMaxMs = kMaxDurationSeconds * 1000ULL;
  unsigned long long total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t digits_end = i;
    // Saturates above the cap: the sums below then cannot overflow.
    unsigned long long n = 0;
    while (digits_end < text.size() && std::isdigit(static_cast<unsigned char>(text[digits_end]))) {
      n = std::min(n * 10 + static_cast<unsigned>(text[digits_end] - '0'), kMaxMs + 1);
      ++digits_end;
    }
    if (digits_end == i) {
      too_long = false;
      return std::nullopt;
    }
    const std::string_view rest = std::string_view(text).substr(digits_end);
    unsigned long long unit_ms = 0;
    if (rest.starts_with("ms")) {
      unit_ms = 1;
      i = digits_end + 2;
    } else if (!rest.empty() && std::string_view("smhd").find(rest[0]) != std::string_view::npos) {
      unit_ms = rest[0] == 's'   ? 1000
                : rest[0] == 'm' ? 60'000
                : rest[0] == 'h' ? 3'600'000
                                 : 86'400'000;
      i = digits_end + 1;
    } else {
      too_long = false;  // malformed first of all
      return std::nullopt;
    }
    if (n > (kMaxMs - total_ms) / unit_ms) {
      too_long = true;
      total_ms = kMaxMs + 1;  // keep checking the syntax, stay above the cap
    } else {
      total_ms += n * unit_ms;
    }
  }
  if (too_long) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(total_ms));
}

std::optional<std::chrono::milliseconds> ParseDuration(const std::string& text) {
  bool too_long = false;
  return ParseDurationChecked(text, too_long);
}

std::string FormatDuration(std::chrono::seconds d) {
  if (d.count() == 0) return "0s";
  std::string out = d.count() < 0 ? "-" : "";
  long long left = d.count() < 0 ? -d.count() : d.count();
  for (const auto& [unit, size] :
       {std::pair{'d', 86400LL}, {'h', 3600LL}, {'m', 60LL}, {'s', 1LL}}) {
    if (left >= size) {
      out += std::to_string(left / size) + unit;
      left %= size;
    }
  }
  return out;
}

}  // namespace foresight::op
