// A real Prometheus server (Debian's /usr/bin/prometheus) for integration
// tests: temp storage, 127.0.0.1 on a free port, optional history backfilled
// beforehand with `promtool tsdb create-blocks-from openmetrics`, optional
// scrape targets. Start() waits (bounded) for /-/ready; the destructor stops
// the process (SIGTERM, then SIGKILL after a bounded wait).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/operator/support/test_env.h"

namespace foresight::op::testsupport {

struct PrometheusSetup {
  std::string openmetrics;                 // backfilled before start when not empty
  std::vector<std::string> scrape_targets;  // host:port, job "foresight", 1 s interval
  std::string lookback_delta = "5m";
};

class PrometheusProcess {
 public:
  PrometheusProcess() = default;
  ~PrometheusProcess() { Stop(); }

  // Empty string on success, otherwise what went wrong (with the log).
  std::string Start(const PrometheusSetup& setup,
                    std::chrono::milliseconds ready_timeout = std::chrono::seconds(60));
  void Stop();
  void Signal(int signal) {
    if (process_) process_->Signal(signal);
  }
  bool running() { return process_ && process_->Running(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return ReadFile(dir_.File("prometheus.log")); }

 private:
  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace foresight::op::testsupport
