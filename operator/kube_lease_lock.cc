#include "operator/kube_lease_lock.h"

#include "operator/kube_time.h"

namespace foresight::op {

Json LeaseSpecJson(const LeaseRecord& r) {
  return {{"holderIdentity", r.holder_identity},
          {"leaseDurationSeconds", r.lease_duration_seconds},
          {"acquireTime", FormatKubeMicroTime(r.acquire_time)},
          {"renewTime", FormatKubeMicroTime(r.renew_time)},
          {"leaseTransitions", r.lease_transitions}};
}

LeaseRecord LeaseRecordFromSpec(const Json& spec) {
  LeaseRecord r;
  r.holder_identity = spec.value("holderIdentity", "");
  r.lease_duration_seconds = spec.value("leaseDurationSeconds", 0);
  r.acquire_time = ParseKubeTime(spec.value("acquireTime", "")).value_or(Timestamp{});
  r.renew_time = ParseKubeTime(spec.value("renewTime", "")).value_or(Timestamp{});
  r.lease_transitions = spec.value("leaseTransitions", 0);
  return r;
}

LeaseLock::Outcome KubeLeaseLock::Remember(const Result<ApiResponse>& response, const char* verb) {
  std::lock_guard lock(mu_);
  if (!response.ok()) {
    last_error_ = std::string(verb) + " lease " + Describe() + ": " + response.error();
    return Outcome::kError;
  }
  if (response->ok()) {
    lease_ = response->body;
    return Outcome::kOk;
  }
  last_error_ = std::string(verb) + " lease " + Describe() + ": HTTP " +
                std::to_string(response->code) + ": " + response->ErrorMessage();
  if (response->code == 404) return Outcome::kNotFound;
  if (response->code == 409) return Outcome::kConflict;
  return Outcome::kError;
}

LeaseLock::Outcome KubeLeaseLock::Get(LeaseRecord& record) {
  Outcome outcome = Remember(client_.Get(kLeases, ns_, name_), "get");
  if (outcome == Outcome::kOk) {
    std::lock_guard lock(mu_);
    record = LeaseRecordFromSpec(lease_.value("spec", Json::object()));
  }
  return outcome;
}

LeaseLock::Outcome KubeLeaseLock::Create(const LeaseRecord& record) {
  Json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                {"kind", "Lease"},
                {"metadata", {{"name", name_}, {"namespace", ns_}}},
                {"spec", LeaseSpecJson(record)}};
  return Remember(client_.Create(kLeases, ns_, lease), "create");
}

LeaseLock::Outcome KubeLeaseLock::Update(const LeaseRecord& record) {
  Json lease;
  {
    std::lock_guard lock(mu_);
    if (lease_.is_null())
      return Outcome::kError;  // nothing read yet: no version to compare against
    lease = lease_;
  }
  lease["spec"] = LeaseSpecJson(record);  // metadata.resourceVersion stays: compare-and-swap
  return Remember(client_.Update(kLeases, ns_, name_, lease), "update");
}

std::string KubeLeaseLock::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

}  // namespace foresight::op
