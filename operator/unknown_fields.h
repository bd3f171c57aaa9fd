// Fields of a manifest that no reader looked for: typos ("minReplica", "behaviour") and
// fields of other kinds, which kubectl's strict field validation refuses. The API server
// prunes them before the operator sees an object, so this is for manifests read from files
// (`foresight backtest --config`). The known fields are the ones the parser looked up
// (ParsedSpec::fields_read): one list serves both.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "policies/spec.h"

namespace foresight::op {

// Every key under `value` (at `path`, "" for a whole document) whose path is not in `known`,
// with a suggestion when a known sibling is spelled alike. A known field is searched only if
// known paths lie below it: one read whole (metadata, a list of strings) is not.
std::vector<policies::FieldError> UnknownFields(const nlohmann::json& value,
                                                const std::string& path,
                                                const std::set<std::string>& known);

}  // namespace foresight::op
