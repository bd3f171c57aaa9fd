#include "operator/work_queue.h"

#include <algorithm>
#include <cmath>

namespace foresight::op {

WorkQueue::WorkQueue(Clock& clock, RateLimit limit)
    : clock_(clock), limit_(limit), tokens_(limit.bucket_burst), last_refill_(clock.Now()) {}

void WorkQueue::Add(const std::string& key) {
  std::lock_guard lock(mu_);
  AddLocked(key);
}

void WorkQueue::AddLocked(const std::string& key) {
  if (shutting_down_ || dirty_.count(key)) return;
  dirty_.insert(key);
  if (processing_.count(key)) return;  // Done() re-queues it
  ready_.push_back(key);
  ready_cv_.notify_one();
}

void WorkQueue::AddAfter(const std::string& key, std::chrono::milliseconds delay) {
  std::lock_guard lock(mu_);
  if (shutting_down_) return;
  if (delay <= std::chrono::milliseconds::zero()) {
    AddLocked(key);
    return;
  }
  // One pending time per key, the earliest: a reconcile that requeues itself
  // while an older requeue is pending must not double the key's cadence.
  const Timestamp due = clock_.Now() + delay;
  auto pending = delayed_by_key_.find(key);
  if (pending != delayed_by_key_.end()) {
    if (pending->second <= due) return;
    auto range = delayed_.equal_range(pending->second);
    for (auto it = range.first; it != range.second; ++it) {
      if (it->second == key) {
        delayed_.erase(it);
        break;
      }
    }
  }
  delayed_by_key_[key] = due;
  delayed_.emplace(due, key);
}

std::chrono::milliseconds WorkQueue::BucketDelayLocked() {
  // Token bucket: refill at bucket_qps up to the burst, take one token; a
  // negative balance is the wait until that token would exist.
  Timestamp now = clock_.Now();
  double elapsed = std::chrono::duration<double>(now - last_refill_).count();
  last_refill_ = now;
  tokens_ = std::min<double>(limit_.bucket_burst, tokens_ + elapsed * limit_.bucket_qps);
  tokens_ -= 1.0;
  if (tokens_ >= 0.0) return std::chrono::milliseconds::zero();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double>(-tokens_ / limit_.bucket_qps));
}

void WorkQueue::AddRateLimited(const std::string& key) {
  std::chrono::milliseconds delay;
  {
    std::lock_guard lock(mu_);
    int n = failures_[key]++;
    // base * 2^n, capped; computed in floating point so large n cannot overflow.
    double seconds = std::chrono::duration<double>(limit_.base_delay).count() * std::pow(2.0, n);
    double cap = std::chrono::duration<double>(limit_.max_delay).count();
    std::chrono::milliseconds backoff = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::duration<double>(std::min(seconds, cap)));
    delay = std::max(backoff, BucketDelayLocked());
  }
  AddAfter(key, delay);
}

void WorkQueue::Forget(const std::string& key) {
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

int WorkQueue::Retries(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

std::optional<std::string> WorkQueue::Get() {
  std::unique_lock lock(mu_);
  ready_cv_.wait(lock, [&] { return !ready_.empty() || shutting_down_; });
  if (ready_.empty()) return std::nullopt;
  std::string key = ready_.front();
  ready_.pop_front();
  processing_.insert(key);
  dirty_.erase(key);
  return key;
}

std::optional<std::string> WorkQueue::TryGet() {
  std::lock_guard lock(mu_);
  if (ready_.empty()) return std::nullopt;
  std::string key = ready_.front();
  ready_.pop_front();
  processing_.insert(key);
  dirty_.erase(key);
  return key;
}

void WorkQueue::Done(const std::string& key) {
  std::lock_guard lock(mu_);
  processing_.erase(key);
  if (dirty_.count(key) && !shutting_down_) {
    ready_.push_back(key);
    ready_cv_.notify_one();
  }
}

void WorkQueue::PromoteDue() {
  std::lock_guard lock(mu_);
  Timestamp now = clock_.Now();
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    std::string key = delayed_.begin()->second;
    delayed_.erase(delayed_.begin());
    delayed_by_key_.erase(key);
    AddLocked(key);
  }
}

std::optional<Timestamp> WorkQueue::NextDue() const {
  std::lock_guard lock(mu_);
  if (delayed_.empty()) return std::nullopt;
  return delayed_.begin()->first;
}

size_t WorkQueue::Depth() const {
  std::lock_guard lock(mu_);
  return ready_.size();
}

void WorkQueue::ShutDown() {
  std::lock_guard lock(mu_);
  shutting_down_ = true;
  ready_cv_.notify_all();
}

}  // namespace foresight::op
