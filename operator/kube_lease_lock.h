// LeaseLock on a coordination.k8s.io/v1 Lease object through the REST client.
#pragma once

#include <mutex>
#include <string>

#include "operator/kube_client.h"
#include "operator/leader_election.h"

namespace foresight::op {

class KubeLeaseLock : public LeaseLock {
 public:
  KubeLeaseLock(KubeClient& client, std::string ns, std::string name)
      : client_(client), ns_(std::move(ns)), name_(std::move(name)) {}

  Outcome Get(LeaseRecord& record) override;
  Outcome Create(const LeaseRecord& record) override;
  Outcome Update(const LeaseRecord& record) override;
  std::string Describe() const override { return ns_ + "/" + name_; }

  // The last error seen, for the operator's log.
  std::string last_error() const;

 private:
  Outcome Remember(const Result<ApiResponse>& response, const char* verb);

  KubeClient& client_;
  const std::string ns_;
  const std::string name_;
  mutable std::mutex mu_;
  Json lease_;  // the object last read or written (its resourceVersion is the CAS token)
  std::string last_error_;  // guarded by mu_
};

// Conversions between a Lease's spec and a LeaseRecord, exposed for tests.
Json LeaseSpecJson(const LeaseRecord& record);
LeaseRecord LeaseRecordFromSpec(const Json& spec);

}  // namespace foresight::op
