#include "tests/operator/support/prometheus_process.h"

#include <sys/stat.h>

#include <thread>

#include "operator/http_client.h"

namespace foresight::op::testsupport {

std::string PrometheusProcess::Start(const PrometheusSetup& setup,
                                     std::chrono::milliseconds ready_timeout) {
  struct stat st {};
  if (::stat(PROMETHEUS_BIN, &st) != 0) return std::string(PROMETHEUS_BIN) + " is not installed";
  const std::string data = dir_.File("data");
  if (!setup.openmetrics.empty()) {
    WriteFile(dir_.File("backfill.om"), setup.openmetrics);
    std::string out;
    const int code = RunCommand({PROMTOOL_BIN, "tsdb", "create-blocks-from", "openmetrics",
                                 dir_.File("backfill.om"), data},
                                &out, std::chrono::seconds(120));
    if (code != 0) return "promtool backfill failed (" + std::to_string(code) + "):\n" + out;
  }
  std::string config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n";
  if (!setup.scrape_targets.empty()) {
    config += "scrape_configs:\n- job_name: foresight\n  scrape_interval: 1s\n"
              "  scrape_timeout: 1s\n  static_configs:\n  - targets: [";
    for (size_t i = 0; i < setup.scrape_targets.size(); ++i)
      config += (i ? ", '" : "'") + setup.scrape_targets[i] + "'";
    config += "]\n";
  }
  WriteFile(dir_.File("prometheus.yml"), config);
  port_ = FreeLocalPort();
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{PROMETHEUS_BIN,
                               "--config.file=" + dir_.File("prometheus.yml"),
                               "--storage.tsdb.path=" + data,
                               "--web.listen-address=127.0.0.1:" + std::to_string(port_),
                               "--query.lookback-delta=" + setup.lookback_delta,
                               "--log.level=warn"},
      dir_.File("prometheus.log"));
  if (!process_->started()) return "could not start " + std::string(PROMETHEUS_BIN);

  auto client = NewCpprestHttpClient({});
  if (!client.ok()) return client.error();
  const auto deadline = std::chrono::steady_clock::now() + ready_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->Running()) return "prometheus exited early:\n" + log();
    auto r = client.value()->Send({.url = url() + "/-/ready", .timeout = std::chrono::seconds(2)});
    if (r.ok() && r->status == 200) return "";
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  Stop();
  return "prometheus was not ready within " + std::to_string(ready_timeout.count()) + "ms:\n" +
         log();
}

void PrometheusProcess::Stop() {
  if (process_) process_->Stop(std::chrono::seconds(10));
}

}  // namespace foresight::op::testsupport
