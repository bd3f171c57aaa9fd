#include "operator/unreachable_hold.h"

namespace foresight::op {
namespace {

bool IsTransportFailure(const Status& s) {
  return s.code() == StatusCode::kUnavailable || s.code() == StatusCode::kDeadlineExceeded;
}

}  // namespace

std::optional<Status> UnreachableHold::Held() {
  std::lock_guard lock(mu_);
  if (!held_until_) return std::nullopt;
  const Timestamp now = clock_.Now();
  if (now >= *held_until_) {
    held_until_ = now + kUnreachableHold;  // this caller probes; the others wait for it
    return std::nullopt;
  }
  auto whole_seconds = [](auto d) {
    return std::to_string(std::chrono::ceil<std::chrono::seconds>(d).count()) + "s";
  };
  return Status(last_failure_.code(), "Prometheus not asked: it could not be reached " +
                                          whole_seconds(now - failed_at_) + " ago (" +
                                          last_failure_.message() + "); asking again in " +
                                          whole_seconds(*held_until_ - now));
}

void UnreachableHold::Observe(const Status& outcome) {
  std::lock_guard lock(mu_);
  if (IsTransportFailure(outcome)) {
    failed_at_ = clock_.Now();
    held_until_ = failed_at_ + kUnreachableHold;
    last_failure_ = outcome;
  } else {
    held_until_.reset();
  }
}

Result<InstantValue> UnreachableHold::QueryInstant(const std::string& query,
                                                   std::optional<Timestamp> at) {
  if (std::optional<Status> held = Held()) return *held;
  Result<InstantValue> r = source_.QueryInstant(query, at);
  Observe(r.status());
  return r;
}

Result<RangeSeries> UnreachableHold::QueryRange(const RangeQuery& q) {
  if (std::optional<Status> held = Held()) return *held;
  Result<RangeSeries> r = source_.QueryRange(q);
  Observe(r.status());
  return r;
}

}  // namespace foresight::op
