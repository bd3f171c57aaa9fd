#include "operator/merge_patch.h"

namespace foresight::op {

nlohmann::json MergePatchFrom(const nlohmann::json& before, const nlohmann::json& after) {
  if (!before.is_object() || !after.is_object()) return after;
  nlohmann::json patch = nlohmann::json::object();
  for (const auto& [key, value] : after.items()) {
    auto old = before.find(key);
    patch[key] = old == before.end() ? value : MergePatchFrom(*old, value);
  }
  for (const auto& [key, value] : before.items()) {
    if (!after.contains(key)) patch[key] = nullptr;
  }
  return patch;
}

}  // namespace foresight::op
