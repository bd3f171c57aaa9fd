// The Prometheus credentials an autoscaler names in
// spec.metric.prometheus.authSecretRef, read from its Secret's `data`. No I/O:
// the caller fetches the Secret.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "operator/autoscaler_spec.h"
#include "operator/prometheus_client.h"
#include "operator/status.h"

namespace foresight::op {

// Sets options.bearer_token, or options.basic_auth_user and _password, from
// `data` (the Secret's base64 values) under the keys `p` names. A value's
// trailing line break and spaces are dropped (a Secret made from a file keeps
// the file's last newline); any other control character is an error, as is a
// missing key. `secret` ("namespace/name") is for the messages.
Status CredentialsFromSecret(const nlohmann::json& data, const std::string& secret,
                             const PrometheusSettings& p, PrometheusOptions& options);

}  // namespace foresight::op
