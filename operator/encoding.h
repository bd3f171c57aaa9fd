// Small text encodings the I/O layer needs: base64 (kubeconfig *-data fields,
// HTTP basic auth) and URL/form percent-encoding (Prometheus query forms).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "operator/status.h"

namespace foresight::op {

std::string Base64Encode(std::string_view bytes);
// Accepts standard base64 with or without padding; whitespace is ignored.
Result<std::string> Base64Decode(std::string_view text);

// RFC 3986 percent-encoding: everything but ALPHA / DIGIT / "-._~" is encoded.
std::string PercentEncode(std::string_view s);
// application/x-www-form-urlencoded: k1=v1&k2=v2, both percent-encoded.
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace foresight::op
