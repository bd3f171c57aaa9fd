#include "operator/retrying_http_client.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <random>

namespace foresight::op {

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int attempt, double uniform01) {
  // delay = min(max_backoff, initial * multiplier^(attempt-1)) * (1 - j + 2 j u)
  const double base = std::min<double>(
      static_cast<double>(policy.max_backoff.count()),
      static_cast<double>(policy.initial_backoff.count()) *
          std::pow(policy.backoff_multiplier, std::max(0, attempt - 1)));
  const double j = std::clamp(policy.jitter_fraction, 0.0, 1.0);
  const double factor = 1.0 - j + 2.0 * j * std::clamp(uniform01, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(std::llround(base * factor)));
}

std::optional<std::chrono::seconds> ParseRetryAfterSeconds(const std::string& value) {
  const std::string v = TrimWhitespace(value);
  if (v.empty() || v.size() > 9) return std::nullopt;
  long long seconds = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return std::chrono::seconds(seconds);
}

bool IsRetryableStatus(int http_status) {
  return http_status == 429 || (http_status >= 500 && http_status <= 599);
}

RetryingHttpClient::RetryingHttpClient(HttpClient& inner, RetryPolicy policy, Clock& clock,
                                       std::function<double()> uniform01)
    : inner_(inner), policy_(policy), clock_(clock), uniform01_(std::move(uniform01)) {}

Result<HttpResponse> RetryingHttpClient::Send(const HttpRequest& request) {
  const int attempts = std::max(1, policy_.max_attempts);
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> r = inner_.Send(request);
    bool retry;
    std::optional<std::chrono::seconds> retry_after;
    if (r.ok()) {
      retry = IsRetryableStatus(r->status);
      if (auto h = r->Header("Retry-After")) retry_after = ParseRetryAfterSeconds(*h);
    } else {
      retry = policy_.retry_transport_errors && (r.code() == StatusCode::kUnavailable ||
                                                 r.code() == StatusCode::kDeadlineExceeded);
    }
    if (!retry || attempt >= attempts) return r;
    std::chrono::milliseconds delay = BackoffDelay(policy_, attempt, uniform01_());
    if (retry_after) {
      if (*retry_after > policy_.max_retry_after) return r;  // too long to wait here
      delay = *retry_after;
    }
    clock_.SleepFor(delay);
  }
}

std::function<double()> DefaultJitterSource() {
  struct State {
    std::mutex mu;
    std::mt19937_64 rng{std::random_device{}()};
    std::uniform_real_distribution<double> dist{0.0, 1.0};
  };
  auto state = std::make_shared<State>();
  return [state] {
    std::lock_guard lock(state->mu);
    return state->dist(state->rng);
  };
}

}  // namespace foresight::op
