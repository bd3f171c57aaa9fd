#include "operator/leader_election.h"

#include <gtest/gtest.h>

#include <functional>

#include "operator/testing/fake_clock.h"

namespace foresight::op {
namespace {

using std::chrono::milliseconds;
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
    if (Fails()) return Outcome::kError;
    if (!lease_.record) return Outcome::kNotFound;
    out = *lease_.record;
    seen_version_ = lease_.version;
    return Outcome::kOk;
  }
  Outcome Create(const LeaseRecord& r) override {
    if (Fails()) return Outcome::kError;
    if (lease_.record) return Outcome::kConflict;
    lease_.record = r;
    seen_version_ = ++lease_.version;
    return Outcome::kOk;
  }
  Outcome Update(const LeaseRecord& r) override {
    if (Fails()) return Outcome::kError;
    if (!lease_.record || seen_version_ != lease_.version) return Outcome::kConflict;
    lease_.record = r;
    seen_version_ = ++lease_.version;
    ++updates;
    return Outcome::kOk;
  }
  std::string Describe() const override { return "test/lease"; }
  int updates = 0;
  // A slow API server as this candidate sees it: every call first moves
  // `clock` on by `call_duration`, then runs `while_in_call` (what happens
  // elsewhere meanwhile), then answers, failing if `failing`.
  testing::FakeClock* clock = nullptr;
  std::chrono::milliseconds call_duration{0};
  std::function<void()> while_in_call = [] {};
  bool failing = false;

 private:
  bool Fails() {
    if (clock != nullptr) clock->Advance(call_duration);
    while_in_call();
    return lease_.failing || failing;
  }
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

// The audit's case: every lease call hangs for 10 s and then fails. Judged by
// the time before the calls, the leader still led 22 s after its last renewal
// while the standby took over at 15 s: two leaders scaling at once.
TEST(LeaderElectionTest, SlowFailingRenewalsNeverLeaveTwoLeaders) {
  SharedLease lease;
  testing::FakeClock clock;
  Candidate a(lease, clock, "a"), b(lease, clock, "b");
  ASSERT_TRUE(a.elector.Tick());
  ASSERT_FALSE(b.elector.Tick());  // b observes a's record at t=0
  a.lock.clock = &clock;
  a.lock.call_duration = seconds(10);
  a.lock.failing = true;
  // Anyone asking a while its calls hang (a worker thread) is told the truth too.
  a.lock.while_in_call = [&] {
    EXPECT_FALSE(a.elector.IsLeader() && b.elector.IsLeader()) << "two leaders while a's call hung";
  };
  const Timestamp renewed = clock.Now();
  for (int round = 0; round < 5; ++round) {
    clock.Advance(seconds(2));
    a.elector.Tick();
    // Fast-path PUT and GET each took 10 s: 22 s after the last renewal in round 0.
    EXPECT_FALSE(a.elector.IsLeader())
        << "round " << round << ", " << (clock.Now() - renewed) / milliseconds(1000)
        << " s after the last renewal";
    b.elector.Tick();
    EXPECT_FALSE(a.elector.IsLeader() && b.elector.IsLeader()) << "round " << round;
  }
  EXPECT_TRUE(b.elector.IsLeader()) << "the standby takes over once the lease expired";
}

TEST(LeaderElectionTest, LeadershipEndsAtTheRenewDeadlineWhileARenewalIsStillHanging) {
  SharedLease lease;
  testing::FakeClock clock;
  Candidate a(lease, clock, "a");
  ASSERT_TRUE(a.elector.Tick());
  const Timestamp renewed = clock.Now();
  a.lock.clock = &clock;
  a.lock.call_duration = seconds(3);
  a.lock.failing = true;
  std::vector<std::pair<int, bool>> seen;  // (seconds since renewal, IsLeader) in each call
  a.lock.while_in_call = [&] {
    seen.emplace_back((clock.Now() - renewed) / milliseconds(1000), a.elector.IsLeader());
  };
  clock.Advance(seconds(6));
  EXPECT_FALSE(a.elector.Tick());
  // The PUT answers at 9 s (still inside the 10 s deadline), the GET at 12 s.
  EXPECT_EQ(seen, (std::vector<std::pair<int, bool>>{{9, true}, {12, false}}));
}

TEST(LeaderElectionTest, RenewalThatSucceedsLateCountsFromWhenItStarted) {
  SharedLease lease;
  testing::FakeClock clock;
  Candidate a(lease, clock, "a");
  ASSERT_TRUE(a.elector.Tick());
  a.lock.clock = &clock;
  a.lock.call_duration = seconds(4);
  clock.Advance(seconds(2));
  EXPECT_TRUE(a.elector.Tick()) << "renewed at 2 s (answered at 6 s)";
  clock.Advance(seconds(4));  // 10 s: the next tick starts now and answers at 14 s
  EXPECT_TRUE(a.elector.Tick()) << "renewed at 10 s";
  clock.Advance(seconds(6));  // 20 s: the 10 s renewal is 10 s old
  EXPECT_FALSE(a.elector.IsLeader());
}

// A standby's read that returns a changed record starts the lease's expiry
// clock when the read returned: the holder may have renewed just before the
// answer, and keeps leading for RenewDeadline after that renewal.
TEST(LeaderElectionTest, SlowReadByTheStandbyDoesNotShortenTheHoldersLease) {
  SharedLease lease;
  testing::FakeClock clock;
  Candidate a(lease, clock, "a"), b(lease, clock, "b");
  ASSERT_TRUE(a.elector.Tick());
  b.lock.clock = &clock;
  b.lock.call_duration = seconds(8);
  bool renewed_meanwhile = false;
  b.lock.while_in_call = [&] {
    if (renewed_meanwhile) return;
    renewed_meanwhile = true;
    EXPECT_TRUE(a.elector.Tick());  // a renews at 8 s, while b's GET (sent at 0 s) is in flight
    a.lock.failing = true;          // and then loses the API server
  };
  EXPECT_FALSE(b.elector.Tick());
  b.lock.call_duration = milliseconds(0);
  for (int round = 0; round < 10; ++round) {
    clock.Advance(seconds(2));
    a.elector.Tick();
    b.elector.Tick();
    EXPECT_FALSE(a.elector.IsLeader() && b.elector.IsLeader())
        << "round " << round << ": b took over a lease a still led";
  }
  EXPECT_TRUE(b.elector.IsLeader());
}

TEST(LeaderElectionTest, ThreeLeaseCallsFitInTheRenewDeadline) {
  for (LeaderElectionConfig config :
       {LeaderElectionConfig{}, LeaderElectionConfig{.renew_deadline = seconds(7)}}) {
    EXPECT_LE(3 * LeaseCallTimeout(config), config.renew_deadline);
    EXPECT_GT(LeaseCallTimeout(config), milliseconds(0));
  }
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
