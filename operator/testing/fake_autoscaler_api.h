// FakeAutoscalerApi: the target's scale and the autoscaler's status as a fake
// API server keeps them, with its optimistic concurrency: every write bumps the
// resourceVersion, and a scale write naming an older one conflicts. Records
// every call (sample-controller style) for tests to check.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "operator/autoscaler_api.h"

namespace foresight::op::testing {

class FakeAutoscalerApi : public AutoscalerApi {
 public:
  std::optional<ScaleInfo> scale = ScaleInfo{4, 4, "1"};  // nullopt: the target does not exist
  std::vector<std::string> actions;
  nlohmann::json status_on_server = nlohmann::json::object();
  std::vector<nlohmann::json> statuses;  // status_on_server after each status write
  // Runs after each GetScale: another writer acting between our read and write.
  std::function<void()> after_get = [] {};

  // Someone else (kubectl scale, a rollout) sets the replicas.
  void ExternalScale(int32_t replicas) {
    scale->spec_replicas = replicas;
    scale->resource_version = std::to_string(std::stoi(scale->resource_version) + 1);
  }

  Result<ScaleInfo> GetScale(const std::string& ns, const ScaleTargetRef& t) override {
    actions.push_back("get-scale " + ns + "/" + t.name);
    if (!scale) return Status::NotFound("deployments.apps \"" + t.name + "\" not found");
    ScaleInfo read = *scale;
    after_get();
    return read;
  }
  Status SetReplicas(const std::string& ns, const ScaleTargetRef& t, int32_t replicas,
                     const std::string& resource_version) override {
    const std::string action = "scale " + ns + "/" + t.name + " " + std::to_string(replicas) +
                               " if at " + resource_version;
    if (resource_version != scale->resource_version) {
      actions.push_back(action + ": conflict");
      return Status::Conflict("Operation cannot be fulfilled on deployments.apps \"" + t.name +
                              "\": the object has been modified");
    }
    actions.push_back(action);
    ExternalScale(replicas);
    return Status::Ok();
  }
  Status PatchStatus(const std::string& ns, const std::string& name,
                     const nlohmann::json& status) override {
    actions.push_back("patch-status " + ns + "/" + name);
    status_on_server.merge_patch(status);  // RFC 7386, as the API server applies it
    statuses.push_back(status_on_server);
    return Status::Ok();
  }
  int Count(const std::string& prefix) const {
    int n = 0;
    for (const auto& a : actions) n += a.rfind(prefix, 0) == 0;
    return n;
  }
};

}  // namespace foresight::op::testing
