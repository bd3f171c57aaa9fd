#include "operator/conditions.h"

#include "operator/kube_time.h"

namespace foresight::op {

const nlohmann::json* FindCondition(const nlohmann::json& conditions, const std::string& type) {
  if (!conditions.is_array()) return nullptr;
  for (const nlohmann::json& c : conditions) {
    if (c.value("type", "") == type) return &c;
  }
  return nullptr;
}

void SetCondition(nlohmann::json& conditions, const std::string& type, bool status,
                  const std::string& reason, const std::string& message, Timestamp now,
                  int64_t observed_generation) {
  if (!conditions.is_array()) conditions = nlohmann::json::array();
  const std::string status_text = status ? "True" : "False";
  // Kubernetes caps condition messages at 32768 bytes.
  const std::string bounded = message.size() > 32000 ? message.substr(0, 32000) + "..." : message;
  for (nlohmann::json& c : conditions) {
    if (c.value("type", "") != type) continue;
    if (c.value("status", "") != status_text) c["lastTransitionTime"] = FormatKubeTime(now);
    c["status"] = status_text;
    c["reason"] = reason;
    c["message"] = bounded;
    c["observedGeneration"] = observed_generation;
    return;
  }
  conditions.push_back({{"type", type},
                        {"status", status_text},
                        {"reason", reason},
                        {"message", bounded},
                        {"lastTransitionTime", FormatKubeTime(now)},
                        {"observedGeneration", observed_generation}});
}

}  // namespace foresight::op
