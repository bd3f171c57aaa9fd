// Kubernetes client configuration: where the API server is, how to trust it
// and how to authenticate, from a kubeconfig file (out of cluster, tests) or
// from the pod's service-account mount (in cluster). See
// shared/docs/kube-api-contract.md (beside the repository) section 8.
//
// Supported kubeconfig fields: current-context; contexts[].context{cluster,
// user, namespace}; clusters[].cluster{server, certificate-authority(-data),
// insecure-skip-tls-verify}; users[].user{token, tokenFile,
// client-certificate(-data), client-key(-data)}. Relative paths are relative
// to the kubeconfig's folder; *-data overrides the path; token overrides
// tokenFile. Not supported (an error names them): exec and auth-provider
// plugins, and KUBECONFIG lists of several files.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "operator/clock.h"
#include "operator/http_client.h"
#include "operator/status.h"
#include "operator/token_source.h"

namespace foresight::op {

struct KubeClientConfig {
  std::string server;          // "https://10.0.0.1:443"
  TlsOptions tls;              // PEM data already base64-decoded
  std::string token;           // a fixed bearer token (kubeconfig `token`)
  std::string token_file;      // a bearer token file, re-read (tokenFile, in cluster)
  std::string namespace_name;  // the default namespace; "default" when unset
  std::string description;     // "kubeconfig /p (context x)" or "in-cluster"
};

// Reads and resolves a kubeconfig file. `context` overrides current-context.
Result<KubeClientConfig> LoadKubeconfig(const std::string& path, const std::string& context = "");

// Same from YAML text; `path` names the file in errors and anchors relative paths.
Result<KubeClientConfig> ParseKubeconfig(const std::string& yaml, const std::string& path,
                                         const std::string& context = "");

// What in-cluster configuration reads; injectable for tests.
struct InClusterEnvironment {
  std::function<std::optional<std::string>(const std::string& name)> getenv;
  std::string token_path = "/var/run/secrets/kubernetes.io/serviceaccount/token";
  std::string ca_path = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
  std::string namespace_path = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

  // The process environment and the standard paths.
  static InClusterEnvironment Process();
};

// kNotFound when not in a cluster (KUBERNETES_SERVICE_HOST or _PORT unset or
// empty); other errors when the service-account files cannot be read.
Result<KubeClientConfig> LoadInClusterConfig(const InClusterEnvironment& env);

// The bearer token source a config implies: the fixed token, else a
// FileTokenSource on token_file, else nullptr (client certificates or none).
std::shared_ptr<TokenSource> TokenSourceFor(const KubeClientConfig& config, Clock& clock);

// HttpClientOptions for talking to the API server with this config.
HttpClientOptions HttpOptionsFor(const KubeClientConfig& config, Clock& clock);

}  // namespace foresight::op
