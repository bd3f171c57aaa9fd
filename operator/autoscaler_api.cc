#include "operator/autoscaler_api.h"

namespace foresight::op {
namespace {

Status FromResponse(const Result<ApiResponse>& r, const std::string& what) {
  if (!r.ok()) return r.status();
  if (r->ok()) return Status::Ok();
  const std::string message = what + ": HTTP " + std::to_string(r->code) + ": " + r->ErrorMessage();
  if (r->code == 404) return Status::NotFound(message);
  if (r->code == 400 || r->code == 403 || r->code == 422) return Status::InvalidArgument(message);
  return Status::Unavailable(message);  // 409, 429, 5xx: try again later
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
  return info;
}

Status KubeAutoscalerApi::SetReplicas(const std::string& ns, const ScaleTargetRef& target,
                                      int32_t replicas) {
  Result<ResourceType> type = client_.ResolveKind(target.api_version, target.kind);
  if (!type.ok()) return type.status();
  return FromResponse(
      client_.MergePatch(*type, ns, target.name, {{"spec", {{"replicas", replicas}}}}, "scale"),
      "scale " + target.kind + " " + ns + "/" + target.name);
}

Status KubeAutoscalerApi::PatchStatus(const std::string& ns, const std::string& name,
                                      const nlohmann::json& status) {
  return FromResponse(
      client_.MergePatch(kPredictiveAutoscalers, ns, name, {{"status", status}}, "status"),
      "update status of " + ns + "/" + name);
}

}  // namespace foresight::op
