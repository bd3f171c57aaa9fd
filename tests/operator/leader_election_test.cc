#include "operator/leader_election.h"

#include <gtest/gtest.h>

#include "operator/testing/fake_clock.h"

namespace foresight::op {
namespace {

using std::chrono::seconds;

// One Lease object shared by several candidates, with resourceVersion
// compare-and-swap as the API server enforces it.
struct SharedLease {
  std::optional<LeaseRecord> record;
  long version = 0;
  bool failing = false;  // simulates an unreachable API server
};

class FakeLeaseLock : public LeaseLock {
 public:
  explicit FakeLeaseLock(SharedLease& lease) : lease_(lease) {}
  Outcome Get(LeaseRecord& out) override {
    if (lease_.failing) return Outcome::kError;
    if (!lease_.record) return Outcome::kNotFound;
    out = *lease_.record;
    seen_version_ = lease_.version;
    return Outcome::kOk;
  }
  Outcome Create(const LeaseRecord& r) override {
    if (lease_.failing) return Outcome::kError;
    if (lease_.record) return Outcome::kConflict;
    lease_.record = r;
    seen_version_ = ++lease_.version;
    return Outcome::kOk;
  }
  Outcome Update(const LeaseRecord& r) override {
    if (lease_.failing) return Outcome::kError;
    if (!lease_.record || seen_version_ != lease_.version) return Outcome::kConflict;
    lease_.record = r;
    seen_version_ = ++lease_.version;
    ++updates;
    return Outcome::kOk;
  }
  std::string Describe() const override { return "test/lease"; }
  int updates = 0;

 private:
  SharedLease& lease_;
  long seen_version_ = -1;
};

struct Candidate {
  Candidate(SharedLease& lease, testing::FakeClock& clock, std::string id)
      : lock(lease), elector(lock, clock, {.identity = std::move(id)}) {}
  FakeLeaseLock lock;
  LeaderElector elector;
};

TEST(LeaderElectionTest, FirstCandidateCreatesTheLeaseAndLeads) {
  SharedLease lease;
  testing::FakeClock clock;
  Candidate a(lease, clock, "a");
  EXPECT_TRUE(a.elector.Tick());
  ASSERT_TRUE(lease.record);
  EXPECT_EQ(lease.record->holder_identity, "a");
  EXPECT_EQ(lease.record->lease_duration_seconds, 15);
  EXPECT_EQ(lease.record->lease_transitions, 0);
}

TEST(LeaderElectionTest, OnlyOneOfTwoCandidatesLeads) {
  SharedLease lease;
  testing::FakeClock clock;
  Candidate a(lease, clock, "a"), b(lease, clock, "b");
  for (int i = 0; i < 10; ++i) {
    a.elector.Tick();
    b.elector.Tick();
    EXPECT_NE(a.elector.IsLeader(), b.elector.IsLeader()) << "round " << i;
    clock.Advance(seconds(2));
  }
  EXPECT_TRUE(a.elector.IsLeader());
}

TEST(LeaderElectionTest, StandbyTakesOverOnlyAfterLeaseDurationOfSilence) {
  SharedLease lease;
  testing::FakeClock clock;
  Candidate a(lease, clock, "a"), b(lease, clock, "b");
  a.elector.Tick();
  b.elector.Tick();  // b observes a's record at t=0
  // a dies. b's local clock must see 15 s without change before taking over.
  clock.Advance(seconds(14));
  EXPECT_FALSE(b.elector.Tick()) << "took over a lease that has not expired";
  clock.Advance(seconds(1));
  EXPECT_TRUE(b.elector.Tick());
  EXPECT_EQ(lease.record->holder_identity, "b");
  EXPECT_EQ(lease.record->lease_transitions, 1);
}

TEST(LeaderElectionTest, LeaderStepsDownWhenRenewalsFailForRenewDeadline) {
  SharedLease lease;
  testing::FakeClock clock;
  Candidate a(lease, clock, "a");
  ASSERT_TRUE(a.elector.Tick());
  lease.failing = true;
  clock.Advance(seconds(8));
  EXPECT_TRUE(a.elector.Tick()) << "8 s < renew deadline of 10 s: still leading";
  clock.Advance(seconds(2));
  EXPECT_FALSE(a.elector.Tick()) << "10 s without a renewal: must stop acting";
}

TEST(LeaderElectionTest, ReleaseLetsTheStandbyLeadImmediately) {
  SharedLease lease;
  testing::FakeClock clock;
  Candidate a(lease, clock, "a"), b(lease, clock, "b");
  a.elector.Tick();
  b.elector.Tick();
  a.elector.Release();
  EXPECT_FALSE(a.elector.IsLeader());
  EXPECT_EQ(lease.record->holder_identity, "");
  EXPECT_TRUE(b.elector.Tick()) << "an empty holder is free to take";
}

TEST(LeaderElectionTest, RenewalKeepsAcquireTimeAndTransitions) {
  SharedLease lease;
  testing::FakeClock clock;
  Candidate a(lease, clock, "a");
  a.elector.Tick();
  Timestamp acquired = lease.record->acquire_time;
  clock.Advance(seconds(2));
  a.elector.Tick();
  EXPECT_EQ(lease.record->acquire_time, acquired);
  EXPECT_EQ(lease.record->renew_time, clock.Now());
  EXPECT_EQ(a.lock.updates, 1) << "renewal uses the fast path: one PUT, no GET needed";
}

}  // namespace
}  // namespace foresight::op
