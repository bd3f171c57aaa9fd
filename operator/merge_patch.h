// JSON merge patches (RFC 7386) that remove what is gone, not only set what is new.
#pragma once

#include <nlohmann/json.hpp>

namespace foresight::op {

// The merge patch that turns `before` into `after`: every member of `after`, and a null
// for each member of `before` that `after` lacks, at any depth of nested objects (arrays
// and scalars are replaced whole). Members left out of a merge patch are kept by the
// server, so without the nulls a field the operator stops writing (status.riskTuning when
// risk tuning is switched off) would stay on the object for good.
nlohmann::json MergePatchFrom(const nlohmann::json& before, const nlohmann::json& after);

}  // namespace foresight::op
