#include "operator/kube_config.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "operator/encoding.h"

namespace foresight::op {
namespace {

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + " cannot be read");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Errors all start with "kubeconfig <path>: ".
class Parser {
 public:
  Parser(const std::string& path, const std::string& context_override)
      : path_(path), context_override_(context_override) {}

  Result<KubeClientConfig> Parse(const std::string& text) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      return Err("not valid YAML: " + std::string(e.what()));
    }
    if (!root.IsMap()) return Err("the document is not a mapping");

    std::string context_name = context_override_;
    if (context_name.empty()) {
      auto cc = Scalar(root, "current-context", "current-context");
      if (!cc.ok()) return cc.status();
      context_name = *cc;
    }
    if (context_name.empty()) return Err("current-context is not set and no context was given");

    auto context = Named(root, "contexts", "context", context_name);
    if (!context.ok()) {
      if (context.code() == StatusCode::kNotFound)
        return Err((context_override_.empty() ? "current-context '" : "context '") +
                   context_name + "' is not defined in contexts");
      return context.status();
    }
    const std::string cw = "context '" + context_name + "'";
    auto cluster_name = Scalar(*context, "cluster", cw + ": cluster");
    auto user_name = Scalar(*context, "user", cw + ": user");
    auto ns = Scalar(*context, "namespace", cw + ": namespace");
    for (auto* r : {&cluster_name, &user_name, &ns})
      if (!r->ok()) return r->status();
    if (cluster_name->empty()) return Err(cw + " names no cluster");

    KubeClientConfig out;
    out.namespace_name = ns->empty() ? "default" : *ns;
    out.description = "kubeconfig " + path_ + " (context " + context_name + ")";

    auto cluster = Named(root, "clusters", "cluster", *cluster_name);
    if (!cluster.ok()) {
      if (cluster.code() == StatusCode::kNotFound)
        return Err(cw + " names cluster '" + *cluster_name + "' which is not defined");
      return cluster.status();
    }
    if (auto s = ReadCluster(*cluster, "cluster '" + *cluster_name + "'", &out); !s.ok()) return s;

    if (!user_name->empty()) {
      auto user = Named(root, "users", "user", *user_name);
      if (!user.ok()) {
        if (user.code() == StatusCode::kNotFound)
          return Err(cw + " names user '" + *user_name + "' which is not defined");
        return user.status();
      }
      if (auto s = ReadUser(*user, "user '" + *user_name + "'", &out); !s.ok()) return s;
    }
    return out;
  }

 private:
  Status Err(const std::string& m) const {
    return Status::InvalidArgument("kubeconfig " + path_ + ": " + m);
  }

  // An optional string field; "" when absent.
  Result<std::string> Scalar(const YAML::Node& map, const char* key, const std::string& what) {
    const YAML::Node n = map[key];
    if (!n || n.IsNull()) return std::string();
    if (!n.IsScalar()) return Err(what + " must be a string");
    return n.as<std::string>();
  }

  Result<bool> Bool(const YAML::Node& map, const char* key, const std::string& what) {
    const YAML::Node n = map[key];
    if (!n || n.IsNull()) return false;
    bool b = false;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, b))
      return Err(what + " must be true or false");
    return b;
  }

  // The `inner` map of the element of list `list` whose name is `name`;
  // kNotFound when there is none.
  Result<YAML::Node> Named(const YAML::Node& root, const char* list, const char* inner,
                           const std::string& name) {
    const YAML::Node items = root[list];
    if (!items || items.IsNull()) return Status::NotFound(list);
    if (!items.IsSequence()) return Err(std::string(list) + " must be a list");
    for (const auto& item : items) {
      if (!item.IsMap() || !item["name"] || !item["name"].IsScalar()) continue;
      if (item["name"].as<std::string>() != name) continue;
      const YAML::Node body = item[inner];
      if (!body || !body.IsMap())
        return Err(std::string(list) + " entry '" + name + "' has no " + inner + " mapping");
      return body;
    }
    return Status::NotFound(name);
  }

  std::string Resolve(const std::string& file) const {
    if (file.empty() || file.front() == '/') return file;
    return (std::filesystem::path(path_).parent_path() / file).string();
  }

  // `*-data` (base64 PEM) wins over the path field.
  Status DataOrFile(const YAML::Node& map, const std::string& what, const char* data_key,
                    const char* file_key, std::string* data, std::string* file) {
    auto d = Scalar(map, data_key, what + ": " + data_key);
    auto f = Scalar(map, file_key, what + ": " + file_key);
    if (!d.ok()) return d.status();
    if (!f.ok()) return f.status();
    if (!d->empty()) {
      auto decoded = Base64Decode(*d);
      if (!decoded.ok()) return Err(what + ": " + data_key + " is not valid base64");
      *data = std::move(decoded).value();
    } else if (!f->empty()) {
      *file = Resolve(*f);
      std::ifstream probe(*file);
      if (!probe) return Err(what + ": " + file_key + " " + *file + " cannot be read");
    }
    return Status::Ok();
  }

  Status ReadCluster(const YAML::Node& c, const std::string& what, KubeClientConfig* out) {
    auto server = Scalar(c, "server", what + ": server");
    if (!server.ok()) return server.status();
    if (server->empty()) return Err(what + " has no server");
    if (server->rfind("https://", 0) != 0 && server->rfind("http://", 0) != 0)
      return Err(what + ": server '" + *server + "' must start with https:// or http://");
    out->server = *server;
    while (out->server.size() > 8 && out->server.back() == '/') out->server.pop_back();
    auto insecure = Bool(c, "insecure-skip-tls-verify", what + ": insecure-skip-tls-verify");
    if (!insecure.ok()) return insecure.status();
    out->tls.insecure_skip_verify = *insecure;
    if (auto s = DataOrFile(c, what, "certificate-authority-data", "certificate-authority",
                            &out->tls.ca_data, &out->tls.ca_file);
        !s.ok())
      return s;
    if (out->tls.insecure_skip_verify && !(out->tls.ca_data.empty() && out->tls.ca_file.empty()))
      return Err(what + ": insecure-skip-tls-verify is true and a certificate authority is "
                        "given; choose one (client-go refuses both too)");
    for (const char* unsupported : {"proxy-url", "tls-server-name"})
      if (c[unsupported]) return Err(what + ": " + unsupported + " is not supported");
    return Status::Ok();
  }

  Status ReadUser(const YAML::Node& u, const std::string& what, KubeClientConfig* out) {
    for (const char* unsupported : {"exec", "auth-provider", "username", "password"})
      if (u[unsupported])
        return Err(what + ": " + unsupported + " authentication is not supported");
    auto token = Scalar(u, "token", what + ": token");
    auto token_file = Scalar(u, "tokenFile", what + ": tokenFile");
    if (!token.ok()) return token.status();
    if (!token_file.ok()) return token_file.status();
    if (!token->empty()) {
      out->token = TrimWhitespace(*token);  // token wins over tokenFile
    } else if (!token_file->empty()) {
      out->token_file = Resolve(*token_file);
      std::ifstream probe(out->token_file);
      if (!probe) return Err(what + ": tokenFile " + out->token_file + " cannot be read");
    }
    if (auto s = DataOrFile(u, what, "client-certificate-data", "client-certificate",
                            &out->tls.client_cert_data, &out->tls.client_cert_file);
        !s.ok())
      return s;
    if (auto s = DataOrFile(u, what, "client-key-data", "client-key", &out->tls.client_key_data,
                            &out->tls.client_key_file);
        !s.ok())
      return s;
    const bool has_cert = !out->tls.client_cert_data.empty() || !out->tls.client_cert_file.empty();
    const bool has_key = !out->tls.client_key_data.empty() || !out->tls.client_key_file.empty();
    if (has_cert != has_key)
      return Err(what + (has_cert ? ": client-certificate is given without client-key"
                                  : ": client-key is given without client-certificate"));
    return Status::Ok();
  }

  const std::string path_;
  const std::string context_override_;
};

}  // namespace

Result<KubeClientConfig> ParseKubeconfig(const std::string& yaml, const std::string& path,
                                         const std::string& context) {
  return Parser(path, context).Parse(yaml);
}

Result<KubeClientConfig> LoadKubeconfig(const std::string& path, const std::string& context) {
  auto text = ReadText(path);
  if (!text.ok()) return Status::NotFound("kubeconfig " + path + " cannot be read");
  return ParseKubeconfig(*text, path, context);
}

InClusterEnvironment InClusterEnvironment::Process() {
  InClusterEnvironment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  return env;
}

Result<KubeClientConfig> LoadInClusterConfig(const InClusterEnvironment& env) {
  const std::string host = env.getenv("KUBERNETES_SERVICE_HOST").value_or("");
  const std::string port = env.getenv("KUBERNETES_SERVICE_PORT").value_or("");
  if (host.empty() || port.empty())
    return Status::NotFound(
        "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must "
        "both be set");
  KubeClientConfig out;
  // An IPv6 address is bracketed (Go's net.JoinHostPort).
  const bool ipv6 = host.find(':') != std::string::npos && host.front() != '[';
  out.server = "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + port;
  out.description = "in-cluster";
  auto token = ReadText(env.token_path);
  if (!token.ok() || TrimWhitespace(*token).empty())
    return Status::NotFound("in-cluster config: service-account token " + env.token_path +
                            (token.ok() ? " is empty" : " cannot be read"));
  out.token_file = env.token_path;
  std::ifstream ca(env.ca_path);
  if (!ca) return Status::NotFound("in-cluster config: CA bundle " + env.ca_path + " cannot be read");
  out.tls.ca_file = env.ca_path;
  auto ns = ReadText(env.namespace_path);
  out.namespace_name = ns.ok() && !TrimWhitespace(*ns).empty() ? TrimWhitespace(*ns) : "default";
  return out;
}

std::shared_ptr<TokenSource> TokenSourceFor(const KubeClientConfig& config, Clock& clock) {
  if (!config.token.empty()) return StaticTokenSource(config.token);
  if (!config.token_file.empty()) return std::make_shared<FileTokenSource>(config.token_file, clock);
  return nullptr;
}

HttpClientOptions HttpOptionsFor(const KubeClientConfig& config, Clock& clock) {
  return {.tls = config.tls, .bearer_token = TokenSourceFor(config, clock)};
}

}  // namespace foresight::op
