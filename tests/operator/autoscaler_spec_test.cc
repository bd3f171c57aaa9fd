#include "operator/autoscaler_spec.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "operator/manifest_yaml.h"
#include "policies/risk_tuner.h"

namespace foresight::op {
namespace {

using nlohmann::json;

std::vector<json> AutoscalersIn(const std::string& relative_path) {
  auto docs = ReadYamlFile(std::string(FORESIGHT_SOURCE_DIR) + "/" + relative_path);
  EXPECT_TRUE(docs.ok()) << docs.error();
  std::vector<json> out;
  if (!docs.ok()) return out;
  for (const json& d : *docs) {
    if (d.value("kind", "") == "PredictiveAutoscaler") out.push_back(d);
  }
  return out;
}

TEST(AutoscalerSpecTest, MinimalManifestTakesEveryDefault) {
  auto docs = AutoscalersIn("examples/minimal.yaml");
  ASSERT_EQ(docs.size(), 1u);
  ParsedSpec parsed = ParseAutoscalerSpec(docs[0]["spec"]);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.ErrorSummary();
  const AutoscalerSpec& s = parsed.spec;
  EXPECT_EQ(s.target.kind, "Deployment");
  EXPECT_EQ(s.target.name, "web");
  EXPECT_EQ(s.query, "sum(rate(http_requests_total{service=\"web\"}[1m]))");
  EXPECT_EQ(s.policy.min_replicas, 1);
  EXPECT_EQ(s.policy.max_replicas, 1000);
  EXPECT_EQ(s.policy.target_per_replica, 3.5);
  EXPECT_EQ(s.policy.mode, policies::Mode::kAuto);
  EXPECT_EQ(s.policy.forecast.quantile, 0.9);
  EXPECT_EQ(s.policy.forecast.lead_time(),
            std::chrono::seconds(90));  // 60 s start-up + 30 s metric delay
  EXPECT_EQ(s.forecast.history, std::chrono::hours(24 * 7));
  EXPECT_EQ(s.forecast.resolution, std::chrono::minutes(1));
  EXPECT_EQ(s.forecast.model, "auto");
  EXPECT_EQ(s.decision_interval, std::chrono::seconds(30));
  EXPECT_EQ(s.policy.behavior.scale_down.stabilization_window, std::chrono::seconds(300));
}

TEST(AutoscalerSpecTest, EveryExampleIsValid) {
  int seen = 0;
  const std::filesystem::path examples = std::string(FORESIGHT_SOURCE_DIR) + "/examples";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(examples)) {
    if (entry.path().extension() != ".yaml") continue;  // examples/demo/demo.yaml too
    const std::string relative = entry.path().lexically_relative(FORESIGHT_SOURCE_DIR).string();
    for (const json& doc : AutoscalersIn(relative)) {
      ParsedSpec parsed = ParseAutoscalerSpec(doc["spec"]);
      EXPECT_TRUE(parsed.errors.empty()) << entry.path() << ": " << parsed.ErrorSummary();
      ++seen;
    }
  }
  EXPECT_GE(seen, 5);
}

TEST(AutoscalerSpecTest, StepScalingBoundsBecomeSignedGapBands) {
  json spec = json::parse(R"({"scaleTargetRef":{"kind":"Deployment","name":"w"},"maxReplicas":50,
    "metric":{"query":"q","targetPerReplica":1},
    "stepScaling":{"scaleUp":[{"lowerBound":0.2,"upperBound":0.5,"adjustment":2}],
                   "scaleDown":[{"lowerBound":0.3,"adjustment":10,"adjustmentType":"PercentChangeInCapacity"}]}})");
  ParsedSpec parsed = ParseAutoscalerSpec(spec);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.ErrorSummary();
  const auto& steps = parsed.spec.policy.step_policies;
  ASSERT_EQ(steps.size(), 2u);
  // 20-50 % over capacity: +2 pods.
  EXPECT_EQ(steps[0].lower_bound_percent, 20.0);
  EXPECT_EQ(steps[0].upper_bound_percent, 50.0);
  EXPECT_EQ(steps[0].value, 2);
  // 30 % or more under capacity: gap <= -30 %, remove 10 %.
  EXPECT_FALSE(steps[1].lower_bound_percent.has_value());
  EXPECT_EQ(steps[1].upper_bound_percent, -30.0);
  EXPECT_EQ(steps[1].value, -10);
}

TEST(AutoscalerSpecTest, ExplicitLeadTimeReplacesStartupPlusMetricDelay) {
  json spec = json::parse(R"({"scaleTargetRef":{"kind":"Deployment","name":"w"},"maxReplicas":5,
    "metric":{"query":"q","targetPerReplica":1},"forecast":{"leadTime":"5m","metricDelay":"30s"}})");
  ParsedSpec parsed = ParseAutoscalerSpec(spec);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.ErrorSummary();
  EXPECT_EQ(parsed.spec.policy.forecast.lead_time(), std::chrono::minutes(5));
}

TEST(AutoscalerSpecTest, MarginalSizingAndItsRisk) {
  json spec = json::parse(R"({"scaleTargetRef":{"kind":"Deployment","name":"w"},"maxReplicas":5,
    "metric":{"query":"q","targetPerReplica":1},"forecast":{"sizing":"Marginal","marginalRisk":0.05}})");
  ParsedSpec parsed = ParseAutoscalerSpec(spec);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.ErrorSummary();
  EXPECT_EQ(parsed.spec.policy.forecast.sizing, policies::Sizing::kMarginal);
  EXPECT_EQ(parsed.spec.policy.forecast.marginal_risk, 0.05);
  // Omitted: marginal sizing, risk 0.07, no dead band (the CRD's defaults).
  spec["forecast"] = json::object();
  parsed = ParseAutoscalerSpec(spec);
  EXPECT_EQ(parsed.spec.policy.forecast.sizing, policies::Sizing::kMarginal);
  EXPECT_EQ(parsed.spec.policy.forecast.marginal_risk, 0.07);
  EXPECT_EQ(parsed.spec.policy.tolerance, 0.0);
  spec["forecast"] = {{"sizing", "Quantile"}};
  EXPECT_EQ(ParseAutoscalerSpec(spec).spec.policy.forecast.sizing, policies::Sizing::kQuantile);
}

TEST(AutoscalerSpecTest, RiskTuningAndItsWindow) {
  json spec = json::parse(R"({"scaleTargetRef":{"kind":"Deployment","name":"w"},"maxReplicas":5,
    "metric":{"query":"q","targetPerReplica":1},"forecast":{"history":"7d"}})");
  ParsedSpec parsed = ParseAutoscalerSpec(spec);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.ErrorSummary();
  const policies::RiskTuning& t = parsed.spec.policy.forecast.risk_tuning;
  EXPECT_TRUE(t.enabled);
  EXPECT_EQ(t.overload_vs_hpa, 0.25);
  EXPECT_EQ(t.window, std::chrono::hours(48));
  EXPECT_EQ(t.interval, std::chrono::hours(24));

  // A shorter history shrinks the default window to it; under a minute tuning is off.
  spec["forecast"]["history"] = "12h";
  EXPECT_EQ(ParseAutoscalerSpec(spec).spec.policy.forecast.risk_tuning.window,
            std::chrono::hours(12));
  spec["forecast"]["history"] = "30s";
  parsed = ParseAutoscalerSpec(spec);
  EXPECT_TRUE(parsed.errors.empty()) << parsed.ErrorSummary();
  EXPECT_FALSE(parsed.spec.policy.forecast.risk_tuning.enabled);

  // As the API server stores it, the CRD's defaults filled in (no window: the CRD gives it
  // none, so that a short history stays valid).
  spec["forecast"]["history"] = "864s";
  spec["forecast"]["riskTuning"] = {{"enabled", true}, {"overloadVsHpa", 0.25}, {"interval", "24h"}};
  parsed = ParseAutoscalerSpec(spec);
  EXPECT_TRUE(parsed.errors.empty()) << parsed.ErrorSummary();
  EXPECT_EQ(parsed.spec.policy.forecast.risk_tuning.window, std::chrono::seconds(864));

  // A window set explicitly must fit the history.
  spec["forecast"]["history"] = "12h";
  spec["forecast"]["riskTuning"] = {{"window", "1d"}, {"interval", "6h"}, {"overloadVsHpa", 0.5}};
  parsed = ParseAutoscalerSpec(spec);
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].field, "spec.forecast.riskTuning.window");
  EXPECT_NE(parsed.errors[0].message.find("lengthen history or shorten window"), std::string::npos);

  spec["forecast"]["riskTuning"] = {{"window", "6h"}, {"interval", "6h"}, {"overloadVsHpa", 0}};
  parsed = ParseAutoscalerSpec(spec);
  ASSERT_FALSE(parsed.errors.empty());
  EXPECT_EQ(parsed.errors[0].field, "spec.forecast.riskTuning.overloadVsHpa");

  spec["forecast"]["riskTuning"] = {{"enabled", false}, {"window", "1d"}};
  parsed = ParseAutoscalerSpec(spec);
  EXPECT_TRUE(parsed.errors.empty()) << "a disabled tuner's window is not checked";
  EXPECT_FALSE(parsed.spec.policy.forecast.risk_tuning.enabled);
}

TEST(AutoscalerSpecTest, TheCrdDefaultsParseWithAShortHistory) {
  // tests/manifests/golden/minimal-defaulted.yaml is examples/minimal.yaml as the API server
  // stores it, every CRD default filled in. Whatever the defaults, the operator must accept
  // it, also with a history shorter than risk tuning's default window.
  auto docs = AutoscalersIn("tests/manifests/golden/minimal-defaulted.yaml");
  ASSERT_EQ(docs.size(), 1u);
  json spec = docs[0]["spec"];
  ParsedSpec parsed = ParseAutoscalerSpec(spec);
  EXPECT_TRUE(parsed.errors.empty()) << parsed.ErrorSummary();
  // The stored object leaves the scale-down window unset, so risk tuning chooses it.
  EXPECT_EQ(parsed.spec.policy.forecast.risk_tuning.scale_down_windows,
            policies::TunedScaleDownWindows());
  EXPECT_EQ(parsed.spec.policy.behavior.scale_down.stabilization_window, std::chrono::seconds(300));
  spec["forecast"]["history"] = "864s";
  parsed = ParseAutoscalerSpec(spec);
  EXPECT_TRUE(parsed.errors.empty()) << parsed.ErrorSummary();
}

TEST(AutoscalerSpecTest, RiskTuningChoosesTheScaleDownWindowOnlyWhereItIsUnset) {
  json spec = {
      {"scaleTargetRef", {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "web"}}},
      {"maxReplicas", 10},
      {"metric", {{"query", "up"}, {"targetPerReplica", 2}}}};
  auto windows = [](const json& s) {
    const ParsedSpec parsed = ParseAutoscalerSpec(s);
    EXPECT_TRUE(parsed.errors.empty()) << parsed.ErrorSummary();
    return parsed.spec.policy.forecast.risk_tuning.scale_down_windows;
  };
  EXPECT_EQ(windows(spec), policies::TunedScaleDownWindows());
  spec["behavior"] = {{"scaleDown", {{"selectPolicy", "Max"}}}};
  EXPECT_EQ(windows(spec), policies::TunedScaleDownWindows());
  // Set by the user, even to the default: kept as set.
  spec["behavior"]["scaleDown"]["stabilizationWindowSeconds"] = 300;
  EXPECT_TRUE(windows(spec).empty());
  spec["behavior"]["scaleDown"].erase("stabilizationWindowSeconds");
  // No risk tuning, or no marginal sizing: the window is 300 s, never changed.
  spec["forecast"] = {{"riskTuning", {{"enabled", false}}}};
  EXPECT_TRUE(windows(spec).empty());
  spec["forecast"] = {{"sizing", "Quantile"}};
  EXPECT_TRUE(windows(spec).empty());
}

TEST(ParseDurationTest, AcceptsTheCrdPatternOnly) {
  EXPECT_EQ(ParseDuration("90s"), std::chrono::seconds(90));
  EXPECT_EQ(ParseDuration("1h30m"), std::chrono::minutes(90));
  EXPECT_EQ(ParseDuration("7d"), std::chrono::hours(168));
  EXPECT_EQ(ParseDuration("500ms"), std::chrono::milliseconds(500));
  for (const char* bad : {"", "30", "1.5m", "m", "5 m", "-5s", "10x"})
    EXPECT_FALSE(ParseDuration(bad)) << bad;
}

// Every manifest the API server rejects (tests/manifests/invalid/, one per
// rule) is rejected by the operator's own validation too, so a cluster that
// does not evaluate the CRD's rules still protects the user — except rules
// that only concern what the API server stores.
TEST(AutoscalerSpecTest, RejectsEveryInvalidManifestTheApiServerRejects) {
  const std::set<std::string> schema_only = {
      "unknown-field.yaml",                 // pruning/strict field validation: storage concern
      "too-many-seasons.yaml",              // a size cap on the stored list
      "prometheus-address-not-url.yaml",    // the operator reports it when the URL is used
      "target-api-version-malformed.yaml",  // discovery then reports it as not served
  };
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(FORESIGHT_SOURCE_DIR) +
                                                               "/tests/manifests/invalid")) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".yaml" || schema_only.count(name)) continue;
    std::ifstream in(entry.path());
    std::string line, expect;
    while (std::getline(in, line)) {
      if (line.rfind("# expect: ", 0) == 0) expect = line.substr(10);
    }
    auto docs = AutoscalersIn("tests/manifests/invalid/" + name);
    ASSERT_EQ(docs.size(), 1u) << name;
    ParsedSpec parsed = ParseAutoscalerSpec(docs[0]["spec"]);
    ASSERT_FALSE(parsed.errors.empty()) << name << " was accepted; the API server says: " << expect;
    const std::string field = expect.substr(0, expect.find(": "));
    const size_t cel = expect.find("\"object\": ");
    bool matched = false;
    for (const policies::FieldError& e : parsed.errors) {
      matched |= cel != std::string::npos ? e.message == expect.substr(cel + 10)
                                          : e.field.rfind(field, 0) == 0;
    }
    EXPECT_TRUE(matched) << name << ": expected " << expect << "\n got: " << parsed.ErrorSummary();
    ++checked;
  }
  EXPECT_GE(checked, 25);
}

}  // namespace
}  // namespace foresight::op
