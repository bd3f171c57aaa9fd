#include "operator/prometheus_client.h"

#include <algorithm>
#include <cstdio>

#include "operator/encoding.h"
#include "operator/prometheus_response.h"
#include "operator/unreachable_hold.h"

namespace foresight::op {
namespace {

// An answer from in front of the API (an authenticating proxy, a redirect,
// which the HTTP client does not follow) with what to fix; nullopt for the
// API's own answers, which prometheus_response.h reads.
std::optional<Status> AnswerFromInFront(const std::string& query, const std::string& base,
                                        const PrometheusOptions& options, const HttpResponse& r) {
  const std::string what =
      "query '" + query + "': Prometheus at " + base + " answered HTTP " + std::to_string(r.status);
  if (r.status == 401 || r.status == 403) {
    const char* refused =
        !options.basic_auth_user.empty() ? "the basic-auth user and password sent were refused"
        : !options.bearer_token.empty()  ? "the bearer token sent was refused"
                                         : "it wants credentials and none were sent";
    return Status::InvalidArgument(what + ": " + refused +
                                   "; name a Secret with credentials it accepts in "
                                   "spec.metric.prometheus.authSecretRef");
  }
  if (r.status >= 300 && r.status <= 399) {
    return Status::InvalidArgument(
        what + ", a redirect to '" + r.Header("Location").value_or("(no Location)") +
        "', which is not followed: set spec.metric.prometheus.address (or the operator's "
        "--prometheus-url) to the address of the Prometheus HTTP API itself");
  }
  return std::nullopt;
}

// The evaluation timeout sent with a query: shorter than the client's, so that a query too
// slow for Prometheus gets its answer (503, errorType timeout) before the client gives up. A
// client timeout then means that Prometheus did not answer at all.
std::chrono::milliseconds ServerTimeout(std::chrono::milliseconds client_timeout) {
  return client_timeout - std::min(client_timeout / 5, std::chrono::milliseconds(2000));
}

}  // namespace

std::string FormatPrometheusTime(Timestamp t) {
  const long long ms = t.time_since_epoch().count();
  char buf[32];
  if (ms % 1000 == 0) {
    std::snprintf(buf, sizeof(buf), "%lld", ms / 1000);
  } else {
    std::snprintf(buf, sizeof(buf), "%lld.%03lld", ms / 1000, ms % 1000);
  }
  return buf;
}

std::string FormatPrometheusDuration(std::chrono::milliseconds d) {
  return FormatPrometheusTime(Timestamp(d));
}

PrometheusClient::PrometheusClient(std::shared_ptr<HttpClient> http, PrometheusOptions options)
    : http_(std::move(http)), options_(std::move(options)), base_([&] {
        std::string b = options_.url;
        while (!b.empty() && b.back() == '/') b.pop_back();
        return b;
      }()) {}

Result<HttpResponse> PrometheusClient::Post(const std::string& path, const std::string& form) {
  HttpRequest req;
  req.method = "POST";
  req.url = base_ + path;
  req.timeout = options_.timeout;
  req.body = form;
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                 {"Accept", "application/json"}};
  if (!options_.basic_auth_user.empty()) {
    req.headers.emplace_back(
        "Authorization",
        "Basic " + Base64Encode(options_.basic_auth_user + ":" + options_.basic_auth_password));
  } else if (!options_.bearer_token.empty()) {
    req.headers.emplace_back("Authorization", "Bearer " + options_.bearer_token);
  }
  return http_->Send(req);
}

Result<InstantValue> PrometheusClient::QueryInstant(const std::string& query,
                                                    std::optional<Timestamp> at) {
  std::vector<std::pair<std::string, std::string>> form = {
      {"query", query}, {"timeout", FormatPrometheusDuration(ServerTimeout(options_.timeout))}};
  if (at) form.emplace_back("time", FormatPrometheusTime(*at));
  auto r = Post("/api/v1/query", FormEncode(form));
  if (!r.ok())
    return Status(r.code(), "query '" + query + "': Prometheus at " + base_ +
                                " could not be reached: " + r.error());
  if (auto s = AnswerFromInFront(query, base_, options_, *r)) return *s;
  return ParseInstantResponse(query, at, r->status, r->body);
}

Result<RangeSeries> PrometheusClient::QueryRange(const RangeQuery& q) {
  if (q.step.count() <= 0 || q.end < q.start)
    return Status::InvalidArgument("query '" + q.query + "': range needs step > 0 and start <= end");
  if ((q.end - q.start) / q.step + 1 > kMaxPointsPerQuery)
    return Status::InvalidArgument("query '" + q.query + "': range of " +
                                   std::to_string((q.end - q.start) / q.step + 1) +
                                   " points exceeds Prometheus' limit of " +
                                   std::to_string(kMaxPointsPerQuery));
  auto r =
      Post("/api/v1/query_range",
           FormEncode({{"query", q.query},
                       {"start", FormatPrometheusTime(q.start)},
                       {"end", FormatPrometheusTime(q.end)},
                       {"step", FormatPrometheusDuration(q.step)},
                       {"timeout", FormatPrometheusDuration(ServerTimeout(options_.timeout))}}));
  if (!r.ok())
    return Status(r.code(), "query '" + q.query + "': Prometheus at " + base_ +
                                " could not be reached: " + r.error());
  if (auto s = AnswerFromInFront(q.query, base_, options_, *r)) return *s;
  return ParseRangeResponse(q, r->status, r->body);
}

Result<std::unique_ptr<PrometheusClient>> NewPrometheusClient(PrometheusOptions options) {
  auto http = NewCpprestHttpClient({.tls = options.tls, .bearer_token = nullptr});
  if (!http.ok()) return http.status();
  std::shared_ptr<HttpClient> transport(std::move(http).value());
  if (options.retry)
    transport = std::make_shared<RetryingHttpClient>(transport, *options.retry, RealClock(),
                                                     DefaultJitterSource());
  transport = std::make_shared<UnreachableHoldHttpClient>(transport, RealClock());
  return std::make_unique<PrometheusClient>(std::move(transport), std::move(options));
}

}  // namespace foresight::op
