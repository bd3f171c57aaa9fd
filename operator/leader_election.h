// Leader election on a coordination.k8s.io/v1 Lease, following client-go's
// tryAcquireOrRenew (tools/leaderelection/leaderelection.go; summarised in
// shared/docs/kube-api-contract.md section 9.3).
//
// Expiry is judged only by *local* observation time: a lease counts as held by
// another candidate until LeaseDuration has passed on our clock since we last
// saw its record change, so clocks need not be synchronised.
//
// The elector is driven by Tick(), called every RetryPeriod (with jitter) by
// the operator's runner; a test calls it after moving a FakeClock.
// Leadership ends RenewDeadline after the last successful renewal even while a
// slow lease call is still blocking Tick(): IsLeader() reads the clock, so the
// workers stop acting before a standby may take the lease over (LeaseDuration).
// Not thread-safe: one runner thread owns it; IsLeader() may be read from others.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "operator/clock.h"

namespace foresight::op {

struct LeaseRecord {
  std::string holder_identity;
  int lease_duration_seconds = 0;
  Timestamp acquire_time;
  Timestamp renew_time;
  int lease_transitions = 0;

  bool operator==(const LeaseRecord&) const = default;
};

// The Lease object as storage: the I/O seam of leader election.
class LeaseLock {
 public:
  enum class Outcome { kOk, kNotFound, kConflict, kError };
  virtual ~LeaseLock() = default;
  // Reads the lease; on kOk fills `record` and remembers its resourceVersion.
  virtual Outcome Get(LeaseRecord& record) = 0;
  virtual Outcome Create(const LeaseRecord& record) = 0;
  // Compare-and-swap against the resourceVersion of the last Get/Create/Update.
  virtual Outcome Update(const LeaseRecord& record) = 0;
  virtual std::string Describe() const = 0;  // "namespace/name", for logs
};

struct LeaderElectionConfig {
  std::string identity;
  // client-go's documented core-client values.
  std::chrono::milliseconds lease_duration = std::chrono::seconds(15);
  std::chrono::milliseconds renew_deadline = std::chrono::seconds(10);
  std::chrono::milliseconds retry_period = std::chrono::seconds(2);
};

class LeaderElector {
 public:
  LeaderElector(LeaseLock& lock, Clock& clock, LeaderElectionConfig config);

  // One round: acquire if not leading, renew if leading. Leadership is lost
  // when no renewal has succeeded for RenewDeadline, judged by the time after
  // the lease calls return. Returns IsLeader().
  bool Tick();
  // True while the last successful renewal is less than RenewDeadline ago.
  bool IsLeader() const;

  // Gives the lease up (holder cleared, duration 1 s) so a successor need not
  // wait for it to expire. Call on graceful shutdown while leading.
  void Release();

  const LeaderElectionConfig& config() const { return config_; }

 private:
  // `now` is when the attempt started: the renewTime it writes.
  bool TryAcquireOrRenew(Timestamp now);

  LeaseLock& lock_;
  Clock& clock_;
  const LeaderElectionConfig config_;
  std::optional<LeaseRecord> observed_;
  Timestamp observed_time_;
  // When the last successful acquire/renew started: the renewTime it wrote,
  // which no standby can have observed earlier.
  std::atomic<Timestamp> last_renew_{};
  std::atomic<bool> leading_{false};
};

// A renewal makes at most three lease calls (PUT, then GET and PUT). Each gets
// a third of RenewDeadline, so one attempt cannot outlast it; lease calls are
// not retried either, since Tick() is retried every RetryPeriod anyway.
std::chrono::milliseconds LeaseCallTimeout(const LeaderElectionConfig& config);

}  // namespace foresight::op
