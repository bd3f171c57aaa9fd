#include "operator/unknown_fields.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "operator/autoscaler_spec.h"
#include "operator/manifest_yaml.h"

namespace foresight::op {
namespace {

using nlohmann::json;

// The fields a file may have: what the spec parser looked for, and the object's own.
std::set<std::string> KnownFields(const json& manifest) {
  std::set<std::string> known =
      ParseAutoscalerSpec(manifest.contains("spec") ? manifest["spec"] : json()).fields_read;
  known.insert({"apiVersion", "kind", "metadata", "spec", "status"});
  return known;
}

std::vector<policies::FieldError> UnknownIn(const std::string& yaml) {
  auto docs = ParseYamlDocuments(yaml);
  EXPECT_TRUE(docs.ok()) << docs.error();
  if (!docs.ok() || docs->size() != 1) return {};
  return UnknownFields((*docs)[0], "", KnownFields((*docs)[0]));
}

constexpr const char* kHeader = R"(apiVersion: autoscaling.foresight.dev/v1alpha1
kind: PredictiveAutoscaler
metadata: {name: web, labels: {team: a}}
spec:
  scaleTargetRef: {kind: Deployment, name: web}
  maxReplicas: 10
  metric: {query: q, targetPerReplica: 3.5}
)";

TEST(UnknownFieldsTest, TyposAreNamedWithTheFieldMeant) {
  struct Case {
    const char* why;
    const char* yaml;  // appended to kHeader
    const char* message;
  } cases[] = {
      {"a missing s", "  minReplica: 5\n",
       "unknown field spec.minReplica (did you mean minReplicas?)"},
      {"British spelling", "  behaviour: {}\n",
       "unknown field spec.behaviour (did you mean behavior?)"},
      {"wrong case", "  MaxReplicas: 5\n",
       "unknown field spec.MaxReplicas (did you mean maxReplicas?)"},
      {"nested", "  forecast: {history: 7d, seasonalPeriod: [1d]}\n",
       "unknown field spec.forecast.seasonalPeriod (did you mean seasonalPeriods?)"},
      {"in a list item",
       "  behavior:\n    scaleUp:\n      policies: [{tpye: Pods, value: 4, periodSeconds: 15}]\n",
       "unknown field spec.behavior.scaleUp.policies[0].tpye (did you mean type?)"},
      {"a prefix", "  forecast: {startup: 60s}\n",
       "unknown field spec.forecast.startup (did you mean startupDelay?)"},
      {"nothing alike", "  replicas: 3\n", "unknown field spec.replicas: remove it"},
  };
  for (const Case& c : cases) {
    std::vector<policies::FieldError> unknown = UnknownIn(std::string(kHeader) + c.yaml);
    ASSERT_EQ(unknown.size(), 1u) << c.why;
    EXPECT_EQ(unknown[0].message, c.message) << c.why;
  }
  // Beside the spec: a misspelt top-level field too.
  std::vector<policies::FieldError> top = UnknownIn(std::string(kHeader) + "sepc: {}\n");
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].message, "unknown field sepc (did you mean spec?)");
  // The tolerance typo in the metric, read whole by no one.
  top = UnknownIn(std::string(kHeader).replace(std::string(kHeader).find("targetPerReplica: 3.5"),
                                               21, "targetPerReplica: 3.5, tolerence: 0.1"));
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].message, "unknown field spec.metric.tolerence (did you mean tolerance?)");
}

// The known fields are the parser's own: every field of every example (which between them
// use most of the CRD) must be one the parser reads.
TEST(UnknownFieldsTest, EveryExampleFieldIsKnown) {
  int seen = 0;
  const std::filesystem::path root = FORESIGHT_SOURCE_DIR;
  for (const std::string dir : {"examples", "tests/manifests/valid"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / dir)) {
      if (entry.path().extension() != ".yaml") continue;
      auto docs = ReadYamlFile(entry.path().string());
      ASSERT_TRUE(docs.ok()) << docs.error();
      for (const json& doc : *docs) {
        if (!doc.is_object() || doc.value("kind", "") != "PredictiveAutoscaler") continue;
        for (const auto& e : UnknownFields(doc, "", KnownFields(doc))) {
          ADD_FAILURE() << entry.path() << ": " << e.message;
        }
        ++seen;
      }
    }
  }
  EXPECT_GE(seen, 5);
}

TEST(ManifestYamlTest, DuplicateKeysAndHugeNumbersAreErrors) {
  struct Case {
    const char* yaml;
    const char* error;
  } cases[] = {
      {"spec:\n  metric:\n    targetPerReplica: 3.5\n    targetPerReplica: 0.001\n",
       "YAML error at line 4, column 5: duplicate key \"targetPerReplica\""},
      {"a: 1\na: 2\n", "YAML error at line 2, column 1: duplicate key \"a\""},
      {"a: 1e400\n", "YAML error at line 1, column 4: number out of range: 1e400"},
  };
  for (const Case& c : cases) {
    auto docs = ParseYamlDocuments(c.yaml);
    ASSERT_FALSE(docs.ok()) << c.yaml;
    EXPECT_EQ(docs.error(), c.error);
  }
  EXPECT_TRUE(ParseYamlDocuments("a: {b: 1}\nc: {b: 2}\n").ok()) << "equal keys in two maps";
}

}  // namespace
}  // namespace foresight::op
