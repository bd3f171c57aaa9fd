#include "operator/unknown_fields.h"

#include <algorithm>
#include <cctype>

namespace foresight::op {
namespace {

using Json = nlohmann::json;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Levenshtein distance, case-insensitive.
size_t EditDistance(const std::string& a_in, const std::string& b_in) {
  const std::string a = Lower(a_in), b = Lower(b_in);
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Tunable: a typo is at most this many edits from the field meant.
constexpr size_t kMaxTypoEdits = 2;

// The known field under `parent` spelled most like `key`, or "".
std::string Suggest(const std::string& key, const std::string& parent,
                    const std::set<std::string>& known) {
  const std::string prefix = parent.empty() ? "" : parent + ".";
  std::string best;
  size_t best_distance = kMaxTypoEdits + 1;
  for (auto it = known.lower_bound(prefix); it != known.end() && it->starts_with(prefix); ++it) {
    const std::string sibling = it->substr(prefix.size());
    if (sibling.find_first_of(".[") != std::string::npos) continue;  // deeper
    const std::string lk = Lower(key), ls = Lower(sibling);
    const bool prefix_of = ls.starts_with(lk) || lk.starts_with(ls);
    const size_t distance = prefix_of ? 1 : EditDistance(key, sibling);
    if (distance < best_distance) {
      best = sibling;
      best_distance = distance;
    }
  }
  return best;
}

bool HasKnownBelow(const std::string& path, const std::set<std::string>& known) {
  for (const char* separator : {".", "["}) {
    const std::string prefix = path + separator;
    auto it = known.lower_bound(prefix);
    if (it != known.end() && it->starts_with(prefix)) return true;
  }
  return false;
}

void Walk(const Json& value, const std::string& path, const std::set<std::string>& known,
          std::vector<policies::FieldError>& out) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      const std::string at = path.empty() ? key : path + "." + key;
      if (!known.count(at)) {
        const std::string suggestion = Suggest(key, path, known);
        out.push_back(
            {at, "unknown field " + at +
                     (suggestion.empty() ? ": remove it" : " (did you mean " + suggestion + "?)")});
      } else if (HasKnownBelow(at, known)) {
        Walk(child, at, known, out);
      }
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      const std::string at = path + "[" + std::to_string(i) + "]";
      if (HasKnownBelow(at, known)) Walk(value[i], at, known, out);
    }
  }
}

}  // namespace

std::vector<policies::FieldError> UnknownFields(const Json& value, const std::string& path,
                                                const std::set<std::string>& known) {
  std::vector<policies::FieldError> out;
  Walk(value, path, known, out);
  return out;
}

}  // namespace foresight::op
