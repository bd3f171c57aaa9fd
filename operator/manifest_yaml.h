// Reads Kubernetes manifests written in YAML into JSON objects, reading
// scalars as kubectl does (YAML 1.1: a bare yes/no/on/off is a boolean, so a
// manifest means the same to us as to the cluster).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "operator/status.h"

namespace foresight::op {

// Every document of a (possibly multi-document) YAML text; empty documents skipped.
Result<std::vector<nlohmann::json>> ParseYamlDocuments(const std::string& text);
// The same from a file; errors name the file.
Result<std::vector<nlohmann::json>> ReadYamlFile(const std::string& path);

}  // namespace foresight::op
