// A rate-limited work queue of object keys ("namespace/name"), with the
// semantics of client-go's workqueue:
//  - a key added several times before a worker takes it is processed once;
//  - a key is never handed to two workers at once: if it is added while being
//    processed, it is queued again when Done() is called;
//  - AddRateLimited() delays a key by the larger of a per-key exponential
//    backoff and a global token bucket; Forget() resets the key's backoff.
// Delayed keys become ready when PromoteDue() sees their time has come: the
// operator calls it from a ticker, tests call it after moving a FakeTimeSource.
//
// Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "operator/clock.h"

namespace foresight::op {

struct RateLimit {
  std::chrono::milliseconds base_delay =
      std::chrono::milliseconds(5);  // first retry after 5 ms ...
  std::chrono::milliseconds max_delay =
      std::chrono::seconds(1000);  // ... doubling up to 1000 s (client-go)
  double bucket_qps = 10.0;        // overall retry rate
  int bucket_burst = 100;
};

class WorkQueue {
 public:
  WorkQueue(Clock& clock, RateLimit limit = {});

  void Add(const std::string& key);
  void AddAfter(const std::string& key, std::chrono::milliseconds delay);
  void AddRateLimited(const std::string& key);
  void Forget(const std::string& key);
  int Retries(const std::string& key) const;

  // Blocks until a key is ready or the queue is shut down (then nullopt).
  std::optional<std::string> Get();
  // Non-blocking Get.
  std::optional<std::string> TryGet();
  void Done(const std::string& key);

  // Moves delayed keys whose time has come into the ready queue.
  void PromoteDue();
  // Earliest time a delayed key becomes due, if any.
  std::optional<Timestamp> NextDue() const;

  size_t Depth() const;  // ready keys, for the work-queue depth metric
  void ShutDown();

 private:
  void AddLocked(const std::string& key);
  std::chrono::milliseconds BucketDelayLocked();

  Clock& clock_;
  const RateLimit limit_;
  mutable std::mutex mu_;
  std::condition_variable ready_cv_;
  std::deque<std::string> ready_;                  // guarded by mu_
  std::set<std::string> dirty_;                    // queued or to be re-queued; guarded by mu_
  std::set<std::string> processing_;               // guarded by mu_
  std::multimap<Timestamp, std::string> delayed_;  // guarded by mu_
  std::map<std::string, Timestamp> delayed_by_key_;  // each key's pending time; guarded by mu_
  std::map<std::string, int> failures_;            // guarded by mu_
  double tokens_;                                  // guarded by mu_
  Timestamp last_refill_;                          // guarded by mu_
  bool shutting_down_ = false;                     // guarded by mu_
};

}  // namespace foresight::op
