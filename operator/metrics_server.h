// MetricsServer: the operator's own HTTP endpoint.
//   GET /metrics  the registry in the Prometheus text format 0.0.4
//   GET /healthz  200 "ok" while the process serves at all (liveness)
//   GET /readyz   200 "ok" once `ready()` returns true, 503 before (readiness)
// Anything else is 404; methods other than GET and HEAD are 405.
// cpprest's http_listener does the serving; no cpprest type is visible here.
// Thread-safety: requests are served on cpprest's threads; `ready` must be
// safe to call from them.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "operator/metrics_registry.h"
#include "operator/status.h"

namespace foresight::op {

struct MetricsServerOptions {
  std::string address = "0.0.0.0";  // "127.0.0.1" in tests
  int port = 8080;
};

class MetricsServer {
 public:
  // Listens at once. kUnavailable when the address cannot be bound.
  // REQUIRES: registry outlives the server; ready is not null.
  static Result<std::unique_ptr<MetricsServer>> Start(const MetricsServerOptions& options,
                                                      const MetricsRegistry& registry,
                                                      std::function<bool()> ready);
  ~MetricsServer();  // Stop()s
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // Stops listening; waits for requests in flight. Idempotent.
  void Stop();
  // "http://127.0.0.1:8080"
  const std::string& url() const;

 private:
  struct Impl;
  explicit MetricsServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace foresight::op
