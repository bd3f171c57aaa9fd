#include "operator/autoscaler_api.h"

namespace foresight::op {
namespace {

Status FromResponse(const Result<ApiResponse>& r, const std::string& what) {
  if (!r.ok()) return r.status();
  if (r->ok()) return Status::Ok();
  const std::string message = what + ": HTTP " + std::to_string(r->code) + ": " + r->ErrorMessage();
  if (r->code == 404) return Status::NotFound(message);
  if (r->code == 400 || r->code == 403 || r->code == 422) return Status::InvalidArgument(message);
  if (r->code == 409) return Status::Conflict(message);  // a precondition failed: re-read
  return Status::Unavailable(message);                   // 429, 5xx: try again later
}

}  // namespace

Result<ScaleInfo> KubeAutoscalerApi::GetScale(const std::string& ns, const ScaleTargetRef& target) {
  Result<ResourceType> type = client_.ResolveKind(target.api_version, target.kind);
  if (!type.ok()) return type.status();
  const std::string what = "get " + target.kind + " " + ns + "/" + target.name + " scale";
  Result<ApiResponse> r = client_.Get(*type, ns, target.name, "scale");
  if (Status s = FromResponse(r, what); !s.ok()) return s;
  ScaleInfo info;
  info.spec_replicas = r->body.value("spec", nlohmann::json::object()).value("replicas", 0);
  info.status_replicas = r->body.value("status", nlohmann::json::object()).value("replicas", 0);
  info.resource_version =
      r->body.value("metadata", nlohmann::json::object()).value("resourceVersion", "");
  return info;
}

Status KubeAutoscalerApi::SetReplicas(const std::string& ns, const ScaleTargetRef& target,
                                      int32_t replicas, const std::string& resource_version) {
  Result<ResourceType> type = client_.ResolveKind(target.api_version, target.kind);
  if (!type.ok()) return type.status();
  // A merge patch that names metadata.resourceVersion is a precondition: the
  // server answers 409 Conflict if the target changed since (kube-api-contract.md
  // sections 4.8 and 5.2), where a bare patch would overwrite that change.
  nlohmann::json patch = {{"spec", {{"replicas", replicas}}}};
  if (!resource_version.empty()) patch["metadata"] = {{"resourceVersion", resource_version}};
  return FromResponse(client_.MergePatch(*type, ns, target.name, patch, "scale"),
                      "scale " + target.kind + " " + ns + "/" + target.name);
}

Status KubeAutoscalerApi::PatchStatus(const std::string& ns, const std::string& name,
                                      const nlohmann::json& status) {
  return FromResponse(
      client_.MergePatch(kPredictiveAutoscalers, ns, name, {{"status", status}}, "status"),
      "update status of " + ns + "/" + name);
}

}  // namespace foresight::op
