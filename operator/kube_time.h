// Kubernetes timestamps on the wire: metav1.Time ("2006-01-02T15:04:05Z",
// seconds) and metav1.MicroTime ("2006-01-02T15:04:05.000000Z"), always UTC.
#pragma once

#include <optional>
#include <string>

#include "operator/clock.h"

namespace foresight::op {

std::string FormatKubeTime(Timestamp t);       // seconds precision
std::string FormatKubeMicroTime(Timestamp t);  // microseconds (our clock has milliseconds)
// Parses either form (and fractional seconds of any length); nullopt if malformed.
std::optional<Timestamp> ParseKubeTime(const std::string& text);

}  // namespace foresight::op
