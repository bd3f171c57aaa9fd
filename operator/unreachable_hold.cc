#include "operator/unreachable_hold.h"

#include <string>

namespace foresight::op {
namespace {

bool IsTransportFailure(const Status& s) {
  return s.code() == StatusCode::kUnavailable || s.code() == StatusCode::kDeadlineExceeded;
}

std::string WholeSeconds(std::chrono::milliseconds d) {
  return std::to_string(std::chrono::ceil<std::chrono::seconds>(d).count()) + "s";
}

}  // namespace

std::optional<Status> UnreachableHoldHttpClient::Held() {
  std::lock_guard lock(mu_);
  if (!held_until_) return std::nullopt;
  const Timestamp now = clock_.Now();
  if (now >= *held_until_) {
    held_until_ = now + kUnreachableHold;  // this caller probes; the others wait for it
    return std::nullopt;
  }
  return Status(failure_.code(), "not sent: the server could not be reached " +
                                     WholeSeconds(now - failed_at_) + " ago (" +
                                     failure_.message() + "); trying again in " +
                                     WholeSeconds(*held_until_ - now));
}

Result<HttpResponse> UnreachableHoldHttpClient::Send(const HttpRequest& request) {
  if (std::optional<Status> held = Held()) return *held;
  Result<HttpResponse> r = inner_->Send(request);
  std::lock_guard lock(mu_);
  if (!r.ok() && IsTransportFailure(r.status())) {
    failed_at_ = clock_.Now();
    held_until_ = failed_at_ + kUnreachableHold;
    failure_ = r.status();
  } else if (r.ok()) {
    held_until_.reset();
  }
  return r;
}

}  // namespace foresight::op
