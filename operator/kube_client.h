// A small Kubernetes REST client: the verbs the operator uses, on JSON
// objects, over the HttpClient seam. It knows URL layout and content types;
// what a status code means is the caller's business (ApiResponse carries it),
// except for transport failures, which are errors.
//
// Writes use merge patches (application/merge-patch+json), which built-in
// kinds and custom resources accept alike (kube-api-contract.md section 4.8).
//
// Thread-safety: safe for concurrent use if the HttpClient is.
#pragma once

#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

#include "operator/http_client.h"
#include "operator/informer.h"
#include "operator/status.h"

namespace foresight::op {

// Where a kind of object lives in the API.
struct ResourceType {
  std::string group;     // "" for the core group
  std::string version;   // "v1"
  std::string resource;  // plural, lower case: "deployments"
  bool namespaced = true;

  // /api/v1/namespaces/NS/RESOURCE[/NAME[/SUBRESOURCE]] or the /apis/GROUP/... form;
  // an empty namespace addresses every namespace (for list and watch).
  std::string Path(const std::string& ns, const std::string& name = "",
                   const std::string& subresource = "") const;
  std::string GroupResource() const { return group.empty() ? resource : resource + "." + group; }
};

inline const ResourceType kPredictiveAutoscalers{"autoscaling.foresight.dev", "v1alpha1",
                                                 "predictiveautoscalers"};
inline const ResourceType kCoreEvents{"", "v1", "events"};
inline const ResourceType kLeases{"coordination.k8s.io", "v1", "leases"};

struct ApiResponse {
  int code = 0;
  Json body;  // the object, or a Status for errors (null when the body is not JSON)

  bool ok() const { return code >= 200 && code < 300; }
  // The Status message of an error response, or "HTTP <code>".
  std::string ErrorMessage() const;
  // The code, the Status reason and message, for errors and logs:
  // "HTTP 403 Forbidden: leases.coordination.k8s.io \"x\" is forbidden: ...".
  std::string ErrorSummary() const;
};

class KubeClient {
 public:
  // REQUIRES: `http` outlives the client. `server` is e.g. https://10.0.0.1:443.
  // `request_timeout` bounds each request but watches (which set their own).
  KubeClient(HttpClient& http, std::string server,
             std::chrono::milliseconds request_timeout = kDefaultHttpTimeout);

  Result<ApiResponse> Get(const ResourceType& type, const std::string& ns, const std::string& name,
                          const std::string& subresource = "");
  Result<ApiResponse> List(const ResourceType& type, const std::string& ns,
                           const std::vector<std::pair<std::string, std::string>>& query = {});
  Result<ApiResponse> Create(const ResourceType& type, const std::string& ns, const Json& object);
  // PUT: optimistic concurrency through the body's metadata.resourceVersion (409 when stale).
  Result<ApiResponse> Update(const ResourceType& type, const std::string& ns,
                             const std::string& name, const Json& object,
                             const std::string& subresource = "");
  Result<ApiResponse> MergePatch(const ResourceType& type, const std::string& ns,
                                 const std::string& name, const Json& patch,
                                 const std::string& subresource = "");
  // Streams watch events; see ListerWatcher::Watch for the contract.
  Status Watch(const ResourceType& type, const std::string& ns, const std::string& resource_version,
               int timeout_seconds, const std::function<bool(const WatchEvent&)>& on_event,
               std::stop_token stop);

  // Finds the resource serving `kind` in `api_version` ("apps/v1", "v1") by
  // API discovery, so any kind with a scale subresource can be a target.
  // Results are cached; an unknown kind is kNotFound naming what was looked for.
  Result<ResourceType> ResolveKind(const std::string& api_version, const std::string& kind);

 private:
  Result<ApiResponse> Call(const std::string& method, const std::string& path,
                           const std::string& content_type, const std::string& body);

  HttpClient& http_;
  const std::string server_;
  const std::chrono::milliseconds request_timeout_;
  std::mutex mu_;
  std::map<std::string, ResourceType> kinds_;  // "apps/v1/Deployment" -> type; guarded by mu_
};

// Lists and watches one resource type (all namespaces, or one) for an Informer.
class KubeListerWatcher : public ListerWatcher {
 public:
  KubeListerWatcher(KubeClient& client, ResourceType type, std::string ns = "")
      : client_(client), type_(std::move(type)), ns_(std::move(ns)) {}
  Result<ListResult> List(const std::string& resource_version) override;
  Status Watch(const std::string& resource_version, int timeout_seconds,
               const std::function<bool(const WatchEvent&)>& on_event,
               std::stop_token stop) override;
  std::string Describe() const override { return type_.GroupResource(); }

 private:
  KubeClient& client_;
  const ResourceType type_;
  const std::string ns_;
};

}  // namespace foresight::op
