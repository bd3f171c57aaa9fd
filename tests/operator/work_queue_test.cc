#include "operator/work_queue.h"

#include <gtest/gtest.h>

#include <thread>

#include "operator/testing/fake_clock.h"

namespace foresight::op {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(WorkQueueTest, DuplicateAddsBeforeProcessingCollapse) {
  testing::FakeClock clock;
  WorkQueue q(clock);
  q.Add("ns/a");
  q.Add("ns/a");
  q.Add("ns/b");
  EXPECT_EQ(q.Depth(), 2u);
  EXPECT_EQ(q.TryGet(), "ns/a");
  EXPECT_EQ(q.TryGet(), "ns/b");
  EXPECT_EQ(q.TryGet(), std::nullopt);
}

TEST(WorkQueueTest, KeyAddedWhileProcessingWaitsForDone) {
  // Two workers must never reconcile the same object at once.
  testing::FakeClock clock;
  WorkQueue q(clock);
  q.Add("ns/a");
  ASSERT_EQ(q.TryGet(), "ns/a");
  q.Add("ns/a");  // an event arrives mid-reconcile
  EXPECT_EQ(q.TryGet(), std::nullopt) << "handed out while still processing";
  q.Done("ns/a");
  EXPECT_EQ(q.TryGet(), "ns/a") << "the change seen mid-reconcile must be processed";
  q.Done("ns/a");
  EXPECT_EQ(q.TryGet(), std::nullopt);
}

TEST(WorkQueueTest, RateLimitedRetriesBackOffExponentiallyUntilForgotten) {
  testing::FakeClock clock;
  WorkQueue q(clock, {.base_delay = milliseconds(100), .max_delay = seconds(1)});
  // Expected delays: 100 ms, 200 ms, 400 ms, 800 ms, then the 1 s cap.
  const milliseconds expected[] = {milliseconds(100), milliseconds(200),  milliseconds(400),
                                   milliseconds(800), milliseconds(1000), milliseconds(1000)};
  for (milliseconds delay : expected) {
    q.AddRateLimited("ns/a");
    clock.Advance(delay - milliseconds(1));
    q.PromoteDue();
    EXPECT_EQ(q.TryGet(), std::nullopt) << "ready before " << delay.count() << " ms";
    clock.Advance(milliseconds(1));
    q.PromoteDue();
    ASSERT_EQ(q.TryGet(), "ns/a") << "not ready after " << delay.count() << " ms";
    q.Done("ns/a");
  }
  EXPECT_EQ(q.Retries("ns/a"), 6);
  q.Forget("ns/a");
  EXPECT_EQ(q.Retries("ns/a"), 0);
  q.AddRateLimited("ns/a");
  clock.Advance(milliseconds(100));
  q.PromoteDue();
  EXPECT_EQ(q.TryGet(), "ns/a") << "after Forget the backoff starts again at the base delay";
}

TEST(WorkQueueTest, GlobalBucketLimitsBurstsOfDistinctKeys) {
  testing::FakeClock clock;
  // Burst of 2 tokens refilled at 1/s: the third distinct failing key waits ~1 s
  // even though its own backoff is only 1 ms.
  WorkQueue q(clock, {.base_delay = milliseconds(1),
                      .max_delay = seconds(10),
                      .bucket_qps = 1,
                      .bucket_burst = 2});
  q.AddRateLimited("ns/a");
  q.AddRateLimited("ns/b");
  q.AddRateLimited("ns/c");
  clock.Advance(milliseconds(1));
  q.PromoteDue();
  EXPECT_EQ(q.Depth(), 2u);
  clock.Advance(milliseconds(999));
  q.PromoteDue();
  EXPECT_EQ(q.Depth(), 3u);
}

TEST(WorkQueueTest, ShutDownReleasesBlockedWorkers) {
  testing::FakeClock clock;
  WorkQueue q(clock);
  std::optional<std::string> got = "unset";
  std::thread worker([&] { got = q.Get(); });
  q.ShutDown();
  worker.join();
  EXPECT_EQ(got, std::nullopt);
}

}  // namespace
}  // namespace foresight::op

namespace foresight::op {
namespace {

TEST(WorkQueueTest, AKeyHasOnePendingRequeueTheEarliest) {
  testing::FakeClock clock;
  WorkQueue q(clock);
  q.AddAfter("ns/a", std::chrono::seconds(30));
  q.AddAfter("ns/a", std::chrono::seconds(30));  // a second requeue while one is pending
  q.AddAfter("ns/a", std::chrono::seconds(10));  // an earlier one replaces it
  clock.Advance(std::chrono::seconds(10));
  q.PromoteDue();
  ASSERT_EQ(q.TryGet(), "ns/a");
  q.Done("ns/a");
  clock.Advance(std::chrono::seconds(30));
  q.PromoteDue();
  EXPECT_EQ(q.TryGet(), std::nullopt) << "the replaced and duplicate requeues must not fire";
}

}  // namespace
}  // namespace foresight::op
