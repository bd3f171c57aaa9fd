// PrometheusClient: a MetricsSource over the Prometheus HTTP API
// (/api/v1/query and /api/v1/query_range), sent as POST forms
// (application/x-www-form-urlencoded, which Prometheus accepts for both and
// which keeps long queries out of URLs). Answers are checked by
// prometheus_response.h: exactly one clean series or an error.
//
// Thread-safety: safe to call from several threads if the HttpClient is.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "operator/http_client.h"
#include "operator/metrics_source.h"
#include "operator/retrying_http_client.h"

namespace foresight::op {

struct PrometheusOptions {
  // Base URL, with an optional path prefix: "http://prometheus:9090" or
  // "https://example.org/prometheus".
  std::string url;
  // Client-side bound on each HTTP exchange. The query's server-side
  // evaluation `timeout` is sent 20% (at most 2 s) shorter, so that a slow
  // query is answered with Prometheus' own timeout error.
  std::chrono::milliseconds timeout{10'000};
  // Basic auth when basic_auth_user is set; otherwise bearer when
  // bearer_token is set (a token file belongs in HttpClientOptions).
  std::string basic_auth_user;
  std::string basic_auth_password;
  std::string bearer_token;
  TlsOptions tls;  // used by NewPrometheusClient only
  // NewPrometheusClient only: when set, 429/5xx answers and transport
  // failures are retried (queries are idempotent). The retries share the
  // caller's time budget, so keep max_attempts small in a reconcile loop.
  std::optional<RetryPolicy> retry;
};

class PrometheusClient final : public MetricsSource {
 public:
  // Prometheus refuses range queries of more than 11,000 points per series.
  static constexpr long kMaxPointsPerQuery = 11'000;

  PrometheusClient(std::shared_ptr<HttpClient> http, PrometheusOptions options);

  Result<InstantValue> QueryInstant(const std::string& query,
                                    std::optional<Timestamp> at) override;
  // Fails with kInvalidArgument when the range has more than
  // kMaxPointsPerQuery points; QueryRangeWindowed (history_cache.h) splits.
  Result<RangeSeries> QueryRange(const RangeQuery& q) override;

 private:
  Result<HttpResponse> Post(const std::string& path, const std::string& form);

  // constant after construction
  const std::shared_ptr<HttpClient> http_;
  const PrometheusOptions options_;
  const std::string base_;  // url without a trailing '/'
};

// A PrometheusClient over the cpprest HttpClient with options.tls, wrapped in
// a RetryingHttpClient on the real clock when options.retry is set, and in an
// UnreachableHoldHttpClient (unreachable_hold.h): after a failure to reach
// Prometheus, queries fail at once for 30 s instead of each waiting out the
// timeout.
Result<std::unique_ptr<PrometheusClient>> NewPrometheusClient(PrometheusOptions options);

// Prometheus' time format: unix seconds with millisecond decimals.
std::string FormatPrometheusTime(Timestamp t);
// Prometheus' duration as float seconds: "60", "0.5".
std::string FormatPrometheusDuration(std::chrono::milliseconds d);

}  // namespace foresight::op
