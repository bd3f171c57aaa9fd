// The Kubernetes calls one reconcile makes, as a small interface: the
// controller is tested against a fake that records them (sample-controller
// style), and runs against KubeAutoscalerApi in production.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "operator/autoscaler_spec.h"
#include "operator/kube_client.h"
#include "operator/status.h"

namespace foresight::op {

struct ScaleInfo {
  int32_t spec_replicas = 0;    // what is requested
  int32_t status_replicas = 0;  // what exists (the Scale subresource's status.replicas)
  std::string resource_version;  // the target's, when read: the precondition of a scale write
};

class AutoscalerApi {
 public:
  virtual ~AutoscalerApi() = default;
  // kNotFound when the target (or its kind) does not exist.
  virtual Result<ScaleInfo> GetScale(const std::string& ns, const ScaleTargetRef& target) = 0;
  // Sets the target's replicas on condition that it is still at `resource_version`
  // (the ScaleInfo it was decided on; empty: unconditionally), as the HPA does:
  // kConflict when anyone changed the target since it was read, so a decision
  // made on a stale count is never written; the caller reads again and decides again.
  virtual Status SetReplicas(const std::string& ns, const ScaleTargetRef& target,
                             int32_t replicas, const std::string& resource_version) = 0;
  // Merge-patches the autoscaler's status subresource with `status`.
  virtual Status PatchStatus(const std::string& ns, const std::string& name,
                             const nlohmann::json& status) = 0;
};

// Over the REST client: the target's kind is resolved by discovery, so any
// kind with a scale subresource works (within what RBAC grants).
class KubeAutoscalerApi : public AutoscalerApi {
 public:
  explicit KubeAutoscalerApi(KubeClient& client) : client_(client) {}
  Result<ScaleInfo> GetScale(const std::string& ns, const ScaleTargetRef& target) override;
  Status SetReplicas(const std::string& ns, const ScaleTargetRef& target, int32_t replicas,
                     const std::string& resource_version) override;
  Status PatchStatus(const std::string& ns, const std::string& name,
                     const nlohmann::json& status) override;

 private:
  KubeClient& client_;
};

}  // namespace foresight::op
