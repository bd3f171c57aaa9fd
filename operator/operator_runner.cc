#include "operator/operator_runner.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <thread>

#include "operator/autoscaler_api.h"
#include "operator/autoscaler_controller.h"
#include "operator/event_recorder.h"
#include "operator/informer.h"
#include "operator/kube_client.h"
#include "operator/kube_config.h"
#include "operator/kube_lease_lock.h"
#include "operator/leader_election.h"
#include "operator/metrics_server.h"
#include "operator/operator_metrics.h"
#include "operator/prometheus_client.h"
#include "operator/prometheus_credentials.h"
#include "operator/retrying_http_client.h"
#include "operator/work_queue.h"

namespace foresight::op {
namespace {

constexpr std::chrono::milliseconds kTick{100};  // delayed-queue and bookkeeping cadence
constexpr std::chrono::milliseconds kStandbyRecheck{2000};

std::string DefaultIdentity() {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  std::random_device rd;
  return std::string(host) + "_" + std::to_string(rd() % 100000);
}

bool ParseBindAddress(const std::string& text, MetricsServerOptions& out) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  out.address = colon == 0 ? "0.0.0.0" : text.substr(0, colon);
  try {
    out.port = std::stoi(text.substr(colon + 1));
  } catch (...) {
    return false;
  }
  return out.port > 0 && out.port < 65536;
}

}  // namespace

ReconcileOutcome ReconcileOrReport(AutoscalerController& controller, const std::string& key,
                                   const std::optional<nlohmann::json>& object) {
  try {
    return controller.Reconcile(key, object);
  } catch (const std::exception& e) {
    return {Status::Internal(std::string("unexpected error while reconciling: ") + e.what()),
            std::nullopt};
  }
}

Result<std::string> PrometheusUrlFor(const std::string& address, const std::string& default_url) {
  if (!address.empty()) return address;
  if (!default_url.empty() && default_url != kNoDefaultPrometheus) return default_url;
  return Status::InvalidArgument(
      "spec.metric.prometheus.address is empty and the operator has no default Prometheus: set "
      "the address, or start the operator with --prometheus-url (chart value prometheus.url)");
}

namespace {

// Prometheus clients by address and credentials, created on first use.
class PrometheusClients {
 public:
  PrometheusClients(std::string default_url, KubeClient& kube)
      : default_url_(std::move(default_url)), kube_(kube) {}

  Result<MetricsSource*> For(const std::string& ns, const AutoscalerSpec& spec) {
    PrometheusOptions options;
    Result<std::string> url = PrometheusUrlFor(spec.prometheus.address, default_url_);
    if (!url.ok()) return url.status();
    options.url = *url;
    options.tls.insecure_skip_verify = spec.prometheus.insecure_skip_verify;
    options.retry = RetryPolicy{.max_attempts = 2};
    if (!spec.prometheus.auth_secret_name.empty()) {
      Status s = ReadCredentials(ns, spec.prometheus, options);
      if (!s.ok()) return s;
    }
    const std::string key = options.url + "\n" + options.basic_auth_user + "\n" +
                            options.basic_auth_password + "\n" + options.bearer_token + "\n" +
                            (options.tls.insecure_skip_verify ? "1" : "0");
    std::lock_guard lock(mu_);
    auto it = clients_.find(key);
    if (it != clients_.end()) return it->second.get();
    Result<std::unique_ptr<PrometheusClient>> client = NewPrometheusClient(options);
    if (!client.ok()) return client.status();
    MetricsSource* raw = client->get();
    clients_[key] = std::move(client).value();
    return raw;
  }

 private:
  Status ReadCredentials(const std::string& ns, const PrometheusSettings& p,
                         PrometheusOptions& options) {
    Result<ApiResponse> secret = kube_.Get({"", "v1", "secrets"}, ns, p.auth_secret_name);
    if (!secret.ok()) return secret.status();
    if (!secret->ok()) {
      return Status::InvalidArgument(
          "cannot read Secret " + ns + "/" + p.auth_secret_name +
          " named by spec.metric.prometheus.authSecretRef: " + secret->ErrorMessage() +
          " (the chart grants this with rbac.secretAccess.enabled=true)");
    }
    return CredentialsFromSecret(secret->body.value("data", nlohmann::json::object()),
                                 ns + "/" + p.auth_secret_name, p, options);
  }

  const std::string default_url_;
  KubeClient& kube_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<PrometheusClient>> clients_;
};

void SleepUnlessStopped(Clock& clock, std::chrono::milliseconds d, std::stop_token stop) {
  for (auto left = d; left.count() > 0 && !stop.stop_requested(); left -= kTick)
    clock.SleepFor(std::min(left, kTick));
}

}  // namespace

int RunOperator(const OperatorOptions& options, Logger& log, std::stop_token stop) {
  Clock& clock = RealClock();
  Result<KubeClientConfig> config = options.kubeconfig.empty()
                                        ? LoadInClusterConfig(InClusterEnvironment::Process())
                                        : LoadKubeconfig(options.kubeconfig);
  if (!config.ok()) {
    log.Error("cannot configure the Kubernetes client",
              {{"error", config.error() +
                             (options.kubeconfig.empty() && config.code() == StatusCode::kNotFound
                                  ? " (not running in a cluster: pass --kubeconfig)"
                                  : "")}});
    return 2;
  }
  Result<std::unique_ptr<HttpClient>> http = NewCpprestHttpClient(HttpOptionsFor(*config, clock));
  if (!http.ok()) {
    log.Error("cannot create the HTTP client", {{"error", http.error()}});
    return 2;
  }
  RetryingHttpClient retrying(**http, RetryPolicy{}, clock, DefaultJitterSource());
  KubeClient kube(retrying, config->server);
  MetricsServerOptions bind;
  if (!ParseBindAddress(options.metrics_bind_address, bind)) {
    log.Error("--metrics-bind-address must be HOST:PORT or :PORT",
              {{"value", options.metrics_bind_address}});
    return 2;
  }

  const std::string identity = options.identity.empty() ? DefaultIdentity() : options.identity;
  MetricsRegistry registry;
  OperatorMetrics metrics(registry);
  KubeEventRecorder events(kube, clock, "foresight-operator", identity, [&](const std::string& e) {
    log.Warn("event not recorded", {{"error", e}});
  });
  KubeAutoscalerApi api(kube);
  PrometheusClients prometheus(options.prometheus_url, kube);
  WorkQueue queue(clock);

  std::string lease_namespace = options.leader_election_namespace;
  if (lease_namespace.empty()) {
    const char* pod_ns = std::getenv("POD_NAMESPACE");
    lease_namespace = pod_ns && *pod_ns ? pod_ns : config->namespace_name;
  }
  const LeaderElectionConfig election_config{.identity = identity};
  // Lease calls get their own client, without retries and with short
  // timeouts: a renewal must not outlast the renew deadline (leader_election.h).
  KubeClient lease_kube(**http, config->server, LeaseCallTimeout(election_config));
  KubeLeaseLock lease(lease_kube, lease_namespace, options.leader_election_id);
  LeaderElector elector(lease, clock, election_config);
  // Read by the workers before each decision and by the controller just before
  // a scale write; turns false by itself once the
  // renew deadline passes, even while a renewal is still in flight.
  auto leading = [&] { return !options.leader_elect || elector.IsLeader(); };

  ControllerDeps deps;
  deps.api = &api;
  deps.events = &events;
  deps.clock = &clock;
  deps.metrics = &metrics;
  deps.decision_log = [&](const nlohmann::json& line) { log.Decision(line); };
  deps.info_log = [&](const std::string& message, const nlohmann::json& fields) {
    log.Info(message, fields);
  };
  deps.metrics_for = [&](const std::string& ns, const AutoscalerSpec& spec) {
    return prometheus.For(ns, spec);
  };
  deps.still_leading = leading;
  AutoscalerController controller(deps);

  KubeListerWatcher source(kube, kPredictiveAutoscalers, options.watch_namespace);
  InformerHandlers handlers;
  handlers.on_add = [&](const Json& o) { queue.Add(ObjectKey(o)); };
  // Our own status writes come back as updates: only a spec change (a new
  // generation) needs an immediate decision; the rest keep their cadence.
  handlers.on_update = [&](const Json& old_object, const Json& new_object) {
    if (old_object["metadata"].value("generation", 0) !=
        new_object["metadata"].value("generation", 0)) {
      queue.Add(ObjectKey(new_object));
    }
  };
  handlers.on_delete = [&](const Json& o) { queue.Add(ObjectKey(o)); };
  handlers.on_warning = [&](const std::string& m, const Json& f) { log.Warn(m, f); };
  handlers.on_info = [&](const std::string& m, const Json& f) { log.Info(m, f); };
  Informer informer(source, clock, handlers);

  Result<std::unique_ptr<MetricsServer>> server =
      MetricsServer::Start(bind, registry, [&] { return informer.HasSynced(); });
  if (!server.ok()) {
    log.Error("cannot serve metrics",
              {{"address", options.metrics_bind_address}, {"error", server.error()}});
    return 2;
  }
  log.Info("foresight operator starting",
           {{"cluster", config->description},
            {"server", config->server},
            {"identity", identity},
            {"watchNamespace", options.watch_namespace.empty() ? "(all)" : options.watch_namespace},
            {"leaderElection",
             options.leader_elect ? lease_namespace + "/" + options.leader_election_id : "off"},
            {"metrics", (*server)->url()}});

  std::jthread informer_thread([&](std::stop_token) { informer.Run(stop); });
  std::jthread ticker([&](std::stop_token) {
    while (!stop.stop_requested()) {
      queue.PromoteDue();
      metrics.workqueue_depth.WithLabels({}).Set(static_cast<double>(queue.Depth()));
      clock.SleepFor(kTick);
    }
  });
  std::jthread election;
  if (options.leader_elect) {
    election = std::jthread([&](std::stop_token) {
      std::mt19937 rng(std::random_device{}());
      std::uniform_real_distribution<double> jitter(1.0, 1.2);  // client-go's JitterFactor 1.2
      bool was_leading = false;
      while (!stop.stop_requested()) {
        const bool now_leading = elector.Tick();
        if (now_leading != was_leading) {
          log.Info(
              now_leading ? "became leader" : "stopped leading",
              {{"lease", lease.Describe()}, {"identity", identity}, {"error", lease.last_error()}});
          was_leading = now_leading;
        }
        const auto period = elector.config().retry_period;
        SleepUnlessStopped(
            clock, std::chrono::milliseconds(static_cast<long long>(period.count() * jitter(rng))),
            stop);
      }
      if (elector.IsLeader()) {
        elector.Release();
        log.Info("released the leader lease", {{"lease", lease.Describe()}});
      }
    });
  }

  std::vector<std::jthread> workers;
  for (int i = 0; i < std::max(1, options.workers); ++i) {
    workers.emplace_back([&](std::stop_token) {
      while (std::optional<std::string> key = queue.Get()) {
        if (!leading() || !informer.HasSynced()) {
          queue.Done(*key);
          queue.AddAfter(*key, kStandbyRecheck);  // a standby only watches
          continue;
        }
        const Timestamp started = clock.Now();
        ReconcileOutcome out = ReconcileOrReport(controller, *key, informer.Get(*key));
        metrics.reconcile_duration_seconds.WithLabels({}).Observe(
            std::chrono::duration<double>(clock.Now() - started).count());
        queue.Done(*key);
        if (!out.error.ok()) {
          log.Warn("reconcile failed, retrying",
                   {{"autoscaler", *key}, {"error", out.error.ToString()}});
          queue.AddRateLimited(*key);
        } else {
          queue.Forget(*key);
          if (out.requeue_after) queue.AddAfter(*key, *out.requeue_after);
        }
      }
    });
  }

  while (!stop.stop_requested()) clock.SleepFor(kTick);
  log.Info("shutting down");
  queue.ShutDown();
  workers.clear();  // joins
  election = {};    // joins, releasing the lease
  informer_thread = {};
  ticker = {};
  (*server)->Stop();
  log.Info("stopped");
  return 0;
}

}  // namespace foresight::op
