// RetryingHttpClient: an HttpClient decorator that retries 429 and 5xx
// responses (and, optionally, transport failures) with exponential backoff and
// jitter, honouring a `Retry-After: <seconds>` header, for a bounded number of
// attempts. Time and randomness are injected, so tests are deterministic.
//
// Wrap only idempotent requests: every retry re-sends the request as is.
// Stream() is passed through without retries (a consumed stream cannot be
// replayed; the watch loop above it re-lists and re-watches instead).
// Thread-safety: as safe as the wrapped client and the random source.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "operator/clock.h"
#include "operator/http_client.h"

namespace foresight::op {

struct RetryPolicy {
  // Tunables (defaults suit a reconcile loop: worst case about 2 s of waiting
  // before the 4th attempt, far below a reconcile period).
  int max_attempts = 4;                                 // first try included
  std::chrono::milliseconds initial_backoff{250};       // before the 2nd attempt
  double backoff_multiplier = 2.0;                      // growth per attempt
  std::chrono::milliseconds max_backoff{8'000};         // cap on one backoff
  double jitter_fraction = 0.2;                         // backoff * [1-j, 1+j)
  std::chrono::milliseconds max_retry_after{30'000};    // longer Retry-After: give up
  bool retry_transport_errors = true;                   // kUnavailable, kDeadlineExceeded
};

// The wait before attempt `attempt + 1` (attempt counts from 1) when the server
// gave no Retry-After. `uniform01` is a draw from [0, 1).
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int attempt, double uniform01);

// Parses a Retry-After value given in seconds ("120"); HTTP-dates and
// anything else give nullopt (the caller falls back to its backoff).
std::optional<std::chrono::seconds> ParseRetryAfterSeconds(const std::string& value);

bool IsRetryableStatus(int http_status);  // 429 and 5xx

class RetryingHttpClient final : public HttpClient {
 public:
  // REQUIRES: `inner` and `clock` outlive this object.
  RetryingHttpClient(HttpClient& inner, RetryPolicy policy, Clock& clock,
                     std::function<double()> uniform01);
  // The same, owning `inner`.
  RetryingHttpClient(std::shared_ptr<HttpClient> inner, RetryPolicy policy, Clock& clock,
                     std::function<double()> uniform01)
      : RetryingHttpClient(*inner, policy, clock, std::move(uniform01)) {
    owned_ = std::move(inner);
  }

  Result<HttpResponse> Send(const HttpRequest& request) override;
  Result<HttpResponse> Stream(const HttpRequest& request, const ChunkCallback& on_chunk,
                              const CancelFlag* cancel) override {
    return inner_.Stream(request, on_chunk, cancel);
  }

 private:
  std::shared_ptr<HttpClient> owned_;  // null when not owned
  HttpClient& inner_;
  const RetryPolicy policy_;
  Clock& clock_;
  std::function<double()> uniform01_;
};

// A thread-safe uniform [0,1) source seeded from std::random_device.
std::function<double()> DefaultJitterSource();

}  // namespace foresight::op
