#include "operator/manifest_yaml.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

namespace foresight::op {
namespace {

using Json = nlohmann::json;

Json ScalarToJson(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted: always a string
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
    return nullptr;
  static const std::regex kTrue("y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON");
  static const std::regex kFalse("n|N|no|No|NO|false|False|FALSE|off|Off|OFF");
  if (std::regex_match(text, kTrue)) return true;
  if (std::regex_match(text, kFalse)) return false;
  long long integer;
  auto [iend, iec] = std::from_chars(text.data(), text.data() + text.size(), integer);
  if (iec == std::errc() && iend == text.data() + text.size()) return integer;
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (std::regex_match(text, kFloat)) {
    // JSON has no infinity: a number out of a double's range is an error, as in kubectl.
    const double value = std::strtod(text.c_str(), nullptr);
    if (!std::isfinite(value))
      throw YAML::ParserException(node.Mark(), "number out of range: " + text);
    return value;
  }
  return text;
}

Json NodeToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const YAML::Node& item : node) out.push_back(NodeToJson(item));
      return out;
    }
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (const auto& kv : node) {
        // yaml-cpp keeps both of two equal keys; kubectl refuses them.
        const std::string& key = kv.first.Scalar();
        if (out.contains(key)) {
          throw YAML::ParserException(kv.first.Mark(), "duplicate key \"" + key + "\"");
        }
        out[key] = NodeToJson(kv.second);
      }
      return out;
    }
  }
  return nullptr;
}

}  // namespace

Result<std::vector<Json>> ParseYamlDocuments(const std::string& text) {
  std::vector<Json> docs;
  try {
    for (const YAML::Node& node : YAML::LoadAll(text)) {
      Json doc = NodeToJson(node);
      if (!doc.is_null()) docs.push_back(std::move(doc));
    }
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("YAML error at line " + std::to_string(e.mark.line + 1) +
                                   ", column " + std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  return docs;
}

Result<std::vector<Json>> ReadYamlFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  Result<std::vector<Json>> docs = ParseYamlDocuments(text.str());
  if (!docs.ok()) return Status::InvalidArgument(path + ": " + docs.error());
  return docs;
}

}  // namespace foresight::op
