// Status conditions in the metav1.Condition shape (type, status, reason,
// message, lastTransitionTime, observedGeneration). lastTransitionTime moves
// only when the status flips, as the HPA's conditions do.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "operator/clock.h"

namespace foresight::op {

// Sets condition `type` in the `conditions` array (created if null).
void SetCondition(nlohmann::json& conditions, const std::string& type, bool status,
                  const std::string& reason, const std::string& message, Timestamp now,
                  int64_t observed_generation);

// The condition of `type`, or null.
const nlohmann::json* FindCondition(const nlohmann::json& conditions, const std::string& type);

}  // namespace foresight::op
