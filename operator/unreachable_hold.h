// UnreachableHoldHttpClient: an HttpClient decorator that stops sending to a server it could
// not reach, for a while. A hung or unreachable Prometheus costs each query its whole timeout
// (twice, with the retry), and a decision makes two queries: without a hold every decision of
// every autoscaler reading from it would keep a worker about 40 s, and autoscalers on a healthy
// Prometheus would wait behind them. After a transport failure (no HTTP answer: refused, reset,
// DNS, TLS, or no answer within the timeout) requests fail at once, saying why, for
// kUnreachableHold; then one request goes through to find out whether the server is back. An
// HTTP answer, whatever its status, is the request's own outcome and holds nothing (a query
// too slow for Prometheus gets its 503 timeout answer, prometheus_client.h).
// Stream() is passed through.
// Thread-safety: as the wrapped client.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "operator/clock.h"
#include "operator/http_client.h"

namespace foresight::op {

// Tunable: how long a server that could not be reached is not sent to (one decision
// interval at the default 30s).
inline constexpr std::chrono::seconds kUnreachableHold{30};

class UnreachableHoldHttpClient final : public HttpClient {
 public:
  UnreachableHoldHttpClient(std::shared_ptr<HttpClient> inner, Clock& clock)
      : inner_(std::move(inner)), clock_(clock) {}

  Result<HttpResponse> Send(const HttpRequest& request) override;
  Result<HttpResponse> Stream(const HttpRequest& request, const ChunkCallback& on_chunk,
                              const CancelFlag* cancel) override {
    return inner_->Stream(request, on_chunk, cancel);
  }

 private:
  // The error to answer with while held; nullopt when the request may go (then, if the hold
  // just ended, this caller is the one probe: the others stay held until it has an answer).
  std::optional<Status> Held();

  const std::shared_ptr<HttpClient> inner_;
  Clock& clock_;
  std::mutex mu_;
  std::optional<Timestamp> held_until_;  // guarded by mu_
  Timestamp failed_at_;                  // guarded by mu_
  Status failure_;                       // guarded by mu_
};

}  // namespace foresight::op
