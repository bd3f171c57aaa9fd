#include "operator/prometheus_credentials.h"

#include "operator/encoding.h"

namespace foresight::op {
namespace {

Result<std::string> Value(const nlohmann::json& data, const std::string& secret,
                          const std::string& key) {
  const std::string where = "Secret " + secret + " (spec.metric.prometheus.authSecretRef)";
  if (!data.is_object() || !data.contains(key) || !data[key].is_string())
    return Status::InvalidArgument(where + " has no key '" + key + "'");
  Result<std::string> value = Base64Decode(data[key].get<std::string>());
  if (!value.ok()) return Status::InvalidArgument(where + " key '" + key + "': " + value.error());
  std::string v = std::move(value).value();
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r' || v.back() == ' ')) v.pop_back();
  for (unsigned char c : v) {
    // It goes into an HTTP header, where a line break would end it early.
    if (c < 0x20 || c == 0x7f)
      return Status::InvalidArgument(where + " key '" + key +
                                     "' holds a control character (a line break inside the "
                                     "value?); store the credential alone");
  }
  return v;
}

}  // namespace

Status CredentialsFromSecret(const nlohmann::json& data, const std::string& secret,
                             const PrometheusSettings& p, PrometheusOptions& options) {
  if (!p.bearer_token_key.empty()) {
    Result<std::string> token = Value(data, secret, p.bearer_token_key);
    if (!token.ok()) return token.status();
    options.bearer_token = *token;
    return Status::Ok();
  }
  Result<std::string> user = Value(data, secret, p.username_key);
  if (!user.ok()) return user.status();
  Result<std::string> password = Value(data, secret, p.password_key);
  if (!password.ok()) return password.status();
  options.basic_auth_user = *user;
  options.basic_auth_password = *password;
  return Status::Ok();
}

}  // namespace foresight::op
