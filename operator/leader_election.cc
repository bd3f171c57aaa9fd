#include "operator/leader_election.h"

#include <chrono>

namespace foresight::op {

LeaderElector::LeaderElector(LeaseLock& lock, Clock& clock, LeaderElectionConfig config)
    : lock_(lock), clock_(clock), config_(std::move(config)) {}

std::chrono::milliseconds LeaseCallTimeout(const LeaderElectionConfig& config) {
  return config.renew_deadline / 3;
}

bool LeaderElector::TryAcquireOrRenew(Timestamp now) {
  LeaseRecord desired{
      config_.identity,
      static_cast<int>(
          std::chrono::duration_cast<std::chrono::seconds>(config_.lease_duration).count()),
      now, now, 0};
  auto lease_valid = [&](const LeaseRecord& r) {
    return observed_time_ + std::chrono::seconds(r.lease_duration_seconds) > now;
  };

  // 1. Fast path: we hold an unexpired lease; renew against what we last wrote.
  if (observed_ && observed_->holder_identity == config_.identity && lease_valid(*observed_)) {
    desired.acquire_time = observed_->acquire_time;
    desired.lease_transitions = observed_->lease_transitions;
    if (lock_.Update(desired) == LeaseLock::Outcome::kOk) {
      observed_ = desired;
      observed_time_ = now;
      return true;
    }
  }

  // 2. Read the lease; create it when there is none.
  LeaseRecord current;
  LeaseLock::Outcome got = lock_.Get(current);
  if (got == LeaseLock::Outcome::kNotFound) {
    if (lock_.Create(desired) != LeaseLock::Outcome::kOk) return false;
    observed_ = desired;
    observed_time_ = now;
    return true;
  }
  if (got != LeaseLock::Outcome::kOk) return false;

  // 3. A changed record restarts the expiry clock, measured locally when the
  //    read returned (a slow read must not make the holder's lease look older).
  if (!observed_ || !(*observed_ == current)) {
    observed_ = current;
    observed_time_ = clock_.Now();
  }
  // 4. Held by someone else and not expired: wait.
  if (!current.holder_identity.empty() && current.holder_identity != config_.identity &&
      lease_valid(current)) {
    return false;
  }
  // 5. Taking over counts a transition; renewing keeps acquireTime.
  if (current.holder_identity == config_.identity) {
    desired.acquire_time = current.acquire_time;
    desired.lease_transitions = current.lease_transitions;
  } else {
    desired.lease_transitions = current.lease_transitions + 1;
  }
  // 6. Compare-and-swap: a 409 means another candidate won the race.
  if (lock_.Update(desired) != LeaseLock::Outcome::kOk) return false;
  observed_ = desired;
  observed_time_ = now;
  return true;
}

bool LeaderElector::Tick() {
  const Timestamp started = clock_.Now();
  if (TryAcquireOrRenew(started)) {
    last_renew_ = started;
    leading_ = true;
  }
  // Judged by the time after the calls returned: a renewal that failed slowly
  // must not stretch leadership past the deadline.
  if (leading_ && !IsLeader()) leading_ = false;  // another candidate may take over
  return leading_;
}

bool LeaderElector::IsLeader() const {
  return leading_ && clock_.Now() - last_renew_.load() < config_.renew_deadline;
}

void LeaderElector::Release() {
  if (!leading_ || !observed_) return;
  const Timestamp now = clock_.Now();
  LeaseRecord released{"", 1, now, now, observed_->lease_transitions};
  if (lock_.Update(released) == LeaseLock::Outcome::kOk) observed_ = released;
  leading_ = false;
}

}  // namespace foresight::op
