#include "operator/kube_client.h"

#include "operator/encoding.h"

namespace foresight::op {
namespace {

constexpr char kJson[] = "application/json";
constexpr char kMergePatch[] = "application/merge-patch+json";

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string QueryString(const std::vector<std::pair<std::string, std::string>>& query) {
  return query.empty() ? "" : "?" + FormEncode(query);
}

std::string StringField(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// Tunable: how much of an error body that is not a Status goes into a message.
constexpr size_t kMaxPlainErrorChars = 200;

// An error response as ErrorSummary() tells it; a body that is not a Status
// (the throttling filter's 429 is plain text) contributes its first line.
std::string HttpErrorText(int code, const std::string& raw_body) {
  ApiResponse response{code, Json::parse(raw_body, nullptr, false)};
  if (response.body.is_object()) return response.ErrorSummary();
  std::string text = TrimWhitespace(raw_body.substr(0, raw_body.find('\n')));
  if (text.size() > kMaxPlainErrorChars) text = text.substr(0, kMaxPlainErrorChars) + "...";
  return "HTTP " + std::to_string(code) + (text.empty() ? "" : ": " + text);
}

}  // namespace

std::string ResourceType::Path(const std::string& ns, const std::string& name,
                               const std::string& subresource) const {
  std::string path = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  if (namespaced && !ns.empty()) path += "/namespaces/" + PercentEncode(ns);
  path += "/" + resource;
  if (!name.empty()) path += "/" + PercentEncode(name);
  if (!subresource.empty()) path += "/" + subresource;
  return path;
}

std::string ApiResponse::ErrorMessage() const {
  if (body.is_object() && body.contains("message") && body["message"].is_string()) {
    return body["message"].get<std::string>();
  }
  return "HTTP " + std::to_string(code);
}

std::string ApiResponse::ErrorSummary() const {
  std::string text = "HTTP " + std::to_string(code);
  if (!body.is_object()) return text;
  const std::string reason = StringField(body, "reason");
  const std::string message = StringField(body, "message");
  if (!reason.empty()) text += " " + reason;
  if (!message.empty()) text += ": " + message;
  return text;
}

KubeClient::KubeClient(HttpClient& http, std::string server,
                       std::chrono::milliseconds request_timeout)
    : http_(http),
      server_(WithoutTrailingSlash(std::move(server))),
      request_timeout_(request_timeout) {}

Result<ApiResponse> KubeClient::Call(const std::string& method, const std::string& path,
                                     const std::string& content_type, const std::string& body) {
  HttpRequest request;
  request.method = method;
  request.url = server_ + path;
  request.headers = {{"Accept", kJson}};
  request.timeout = request_timeout_;
  if (!body.empty()) {
    request.headers.emplace_back("Content-Type", content_type);
    request.body = body;
  }
  Result<HttpResponse> response = http_.Send(request);
  if (!response.ok()) return Status(response.code(), method + " " + path + ": " + response.error());
  ApiResponse out;
  out.code = response->status;
  out.body = Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (out.body.is_discarded()) out.body = nullptr;
  if (out.ok() && out.body.is_null()) {
    return Status::BadResponse(method + " " + path + ": HTTP " + std::to_string(out.code) +
                               " with a body that is not JSON");
  }
  return out;
}

Result<ApiResponse> KubeClient::Get(const ResourceType& type, const std::string& ns,
                                    const std::string& name, const std::string& subresource) {
  return Call("GET", type.Path(ns, name, subresource), "", "");
}

Result<ApiResponse> KubeClient::List(
    const ResourceType& type, const std::string& ns,
    const std::vector<std::pair<std::string, std::string>>& query) {
  return Call("GET", type.Path(ns) + QueryString(query), "", "");
}

Result<ApiResponse> KubeClient::Create(const ResourceType& type, const std::string& ns,
                                       const Json& object) {
  return Call("POST", type.Path(ns), kJson, object.dump());
}

Result<ApiResponse> KubeClient::Update(const ResourceType& type, const std::string& ns,
                                       const std::string& name, const Json& object,
                                       const std::string& subresource) {
  return Call("PUT", type.Path(ns, name, subresource), kJson, object.dump());
}

Result<ApiResponse> KubeClient::MergePatch(const ResourceType& type, const std::string& ns,
                                           const std::string& name, const Json& patch,
                                           const std::string& subresource) {
  return Call("PATCH", type.Path(ns, name, subresource), kMergePatch, patch.dump());
}

Status KubeClient::Watch(const ResourceType& type, const std::string& ns,
                         const std::string& resource_version, int timeout_seconds,
                         const std::function<bool(const WatchEvent&)>& on_event,
                         std::stop_token stop) {
  HttpRequest request;
  request.url = server_ + type.Path(ns) +
                QueryString({{"allowWatchBookmarks", "true"},
                             {"resourceVersion", resource_version},
                             {"timeoutSeconds", std::to_string(timeout_seconds)},
                             {"watch", "true"}});
  request.headers = {{"Accept", kJson}};
  // The connection may stay quiet until the server's own timeout: wait a little longer than that.
  request.timeout = std::chrono::seconds(timeout_seconds + 30);

  CancelFlag cancel;
  std::stop_callback on_stop(stop, [&] { cancel.Cancel(); });
  LineSplitter lines([&](std::string_view line) {
    if (line.empty()) return true;
    Json event = Json::parse(line, nullptr, false);
    if (event.is_discarded() || !event.is_object() || !event.contains("type")) {
      return true;  // not a watch event: nothing to apply
    }
    return on_event({event.value("type", ""), event.value("object", Json::object())});
  });
  Result<HttpResponse> response = http_.Stream(request, lines.AsChunkCallback(), &cancel);
  lines.Flush();
  if (!response.ok()) {
    if (response.code() == StatusCode::kCancelled) return Status::Ok();
    return Status(response.code(), "watch " + type.GroupResource() + ": " + response.error());
  }
  // Stream() hands an error status's body back whole, in the response.
  if (response->status == 410) {
    // Expiry reported as a plain HTTP 410: hand it on as the in-stream form.
    Json status = Json::parse(response->body, nullptr, false);
    if (!status.is_object()) status = Json{{"reason", "Expired"}};
    status["code"] = 410;
    on_event({"ERROR", status});
    return Status::Ok();
  }
  if (response->status != 200) {
    const std::string text =
        "watch " + type.GroupResource() + ": " + HttpErrorText(response->status, response->body);
    // 404: the resource is not served (its CRD deleted); the informer relists to find out.
    return response->status == 404 ? Status::NotFound(text) : Status::Unavailable(text);
  }
  return Status::Ok();
}

Result<ResourceType> KubeClient::ResolveKind(const std::string& api_version,
                                             const std::string& kind) {
  const std::string cache_key = api_version + "/" + kind;
  {
    std::lock_guard lock(mu_);
    auto it = kinds_.find(cache_key);
    if (it != kinds_.end()) return it->second;
  }
  const size_t slash = api_version.find('/');
  ResourceType type;
  type.group = slash == std::string::npos ? "" : api_version.substr(0, slash);
  type.version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
  const std::string path = type.group.empty() ? "/api/" + type.version : "/apis/" + api_version;
  Result<ApiResponse> discovery = Call("GET", path, "", "");
  if (!discovery.ok()) return discovery.status();
  if (discovery->code == 404) {
    return Status::NotFound("API version " + api_version + " is not served by the cluster");
  }
  if (!discovery->ok())
    return Status::Unavailable("discovery " + path + ": " + discovery->ErrorMessage());
  for (const Json& r : discovery->body.value("resources", Json::array())) {
    const std::string name = r.value("name", "");
    if (r.value("kind", "") != kind || name.find('/') != std::string::npos) continue;
    type.resource = name;
    type.namespaced = r.value("namespaced", true);
    std::lock_guard lock(mu_);
    kinds_[cache_key] = type;
    return type;
  }
  return Status::NotFound("kind " + kind + " is not served in " + api_version);
}

Result<ListResult> KubeListerWatcher::List(const std::string& resource_version) {
  std::vector<std::pair<std::string, std::string>> query;
  if (!resource_version.empty()) query.emplace_back("resourceVersion", resource_version);
  Result<ApiResponse> listed = client_.List(type_, ns_, query);
  if (!listed.ok()) return listed.status();
  if (listed->code == 404) {
    return Status::NotFound("list " + type_.GroupResource() + ": " + listed->ErrorSummary() +
                            " (is its CustomResourceDefinition installed?)");
  }
  if (!listed->ok()) {
    return Status::Unavailable("list " + type_.GroupResource() + ": " + listed->ErrorSummary());
  }
  ListResult out;
  out.resource_version =
      listed->body.value("metadata", Json::object()).value("resourceVersion", "");
  for (const Json& item : listed->body.value("items", Json::array())) out.items.push_back(item);
  return out;
}

Status KubeListerWatcher::Watch(const std::string& resource_version, int timeout_seconds,
                                const std::function<bool(const WatchEvent&)>& on_event,
                                std::stop_token stop) {
  return client_.Watch(type_, ns_, resource_version, timeout_seconds, on_event, stop);
}

}  // namespace foresight::op
