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

  // A shorter history shrinks the default window to it.
  spec["forecast"]["history"] = "12h";
  EXPECT_EQ(ParseAutoscalerSpec(spec).spec.policy.forecast.risk_tuning.window,
            std::chrono::hours(12));

  // As the API server stores it, the CRD's defaults filled in (no window: the CRD gives it
  // none, so that a short history stays valid).
  spec["forecast"]["history"] = "3h";
  spec["forecast"]["riskTuning"] = {{"enabled", true}, {"overloadVsHpa", 0.25}, {"interval", "24h"}};
  parsed = ParseAutoscalerSpec(spec);
  EXPECT_TRUE(parsed.errors.empty()) << parsed.ErrorSummary();
  EXPECT_EQ(parsed.spec.policy.forecast.risk_tuning.window, std::chrono::hours(3));

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
  spec["forecast"]["history"] = "1h";  // the shortest: 60 points at 1m
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

TEST(ParseDurationTest, RefusesDurationsOverAHundredYearsWithoutOverflow) {
  struct Case {
    const char* text;
    bool ok, too_long;
  } cases[] = {
      {"36500d", true, false},  // 100 years of 365 days: the cap itself
      {"36500d1s", false, true},
      {"999999999999d", false, true},                // overflowed int64 milliseconds before
      {"200000000000d", false, true},                // overflowed to a negative duration before
      {"99999999999999999999999999s", false, true},  // more digits than any integer holds
      {"36501d5x", false, false},                    // too long, but first of all malformed
  };
  for (const Case& c : cases) {
    bool too_long = false;
    EXPECT_EQ(ParseDurationChecked(c.text, too_long).has_value(), c.ok) << c.text;
    EXPECT_EQ(too_long, c.too_long) << c.text;
  }
}

TEST(FormatDurationTest, LargestUnitsFirst) {
  EXPECT_EQ(FormatDuration(std::chrono::seconds(0)), "0s");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(90)), "1m30s");
  EXPECT_EQ(FormatDuration(std::chrono::hours(24 * 3650)), "3650d");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(100'000)), "1d3h46m40s");
}

// A spec with everything required; each case below adds or replaces fields (a JSON merge
// patch) and expects one error, on `field`, whose message contains `says`.
json BaseSpec() {
  return json::parse(R"({"scaleTargetRef":{"kind":"Deployment","name":"w"},"maxReplicas":10,
    "metric":{"query":"q","targetPerReplica":1}})");
}

TEST(AutoscalerSpecTest, BadSpecsNameTheFieldAndTheFix) {
  struct Case {
    const char* why;
    const char* patch;
    const char* field;
    const char* says;
  } cases[] = {
      // 1. What would be allocated at run time: 315,360,000 points (bad_alloc in the operator).
      {"history of 10 years at 1s",
       R"({"forecast":{"history":"3650d","resolution":"1s","refitInterval":"30m"}})",
       "spec.forecast.history",
       "is 315360000 points, more than the 100000 the operator fetches and fits: shorten history "
       "to at most \"1d3h46m40s\" or coarsen resolution to at least \"52m34s\""},
      // 30 days at 1m refit: 43,201 forecast steps, each simulated 2,000 times by ETS.
      {"refit once a month", R"({"forecast":{"refitInterval":"30d"}})",
       "spec.forecast.refitInterval", "more than 4320: refit more often"},
      // 28d / 1s = 2,419,200 decisions, 3 points each (90 s lead at 1m: 1 + 2).
      {"risk tuning over 28 days at 1s",
       R"({"decisionInterval":"1s","forecast":{"history":"28d","riskTuning":{"window":"28d"}}})",
       "spec.forecast.riskTuning.window", "shorten riskTuning.window, lengthen decisionInterval"},
      // 2. Settings that silently switched forecasting off.
      {"season of 1s", R"({"forecast":{"seasonalPeriods":["1s"]}})",
       "spec.forecast.seasonalPeriods[0]",
       "(\"1s\") is shorter than 2 steps of spec.forecast.resolution (\"1m\")"},
      // 90s at 1m was truncated to 1 step (no season); 150s to 2 steps, a season of 2m.
      {"season of 90s at 1m", R"({"forecast":{"seasonalPeriods":["1d","90s"]}})",
       "spec.forecast.seasonalPeriods[1]", "(\"90s\") is shorter than 2 steps"},
      {"season of 150s at 1m", R"({"forecast":{"resolution":"1m","seasonalPeriods":["150s"]}})",
       "spec.forecast.seasonalPeriods[0]",
       "(\"150s\") is not a whole number of steps of spec.forecast.resolution (\"1m\"): use "
       "\"2m\" or \"3m\""},
      {"season longer than half the history", R"({"forecast":{"seasonalPeriods":["3650d"]}})",
       "spec.forecast.seasonalPeriods[0]",
       "lengthen history to more than \"7300d\" (e.g. \"7301d\")"},
      // Two cycles exactly are too few: the forecaster would drop the season at run time.
      {"a season of exactly half the history",
       R"({"forecast":{"history":"14d","seasonalPeriods":["1d","7d"]}})",
       "spec.forecast.seasonalPeriods[1]", "needs more than 2 cycles"},
      {"a weekly season with the default history",
       R"({"forecast":{"seasonalPeriods":["1d","7d"]}})", "spec.forecast.seasonalPeriods[1]",
       "lengthen history to more than \"14d\" (e.g. \"15d\")"},
      {"an hourly season", R"({"forecast":{"history":"2h","seasonalPeriods":["1h"]}})",
       "spec.forecast.seasonalPeriods[0]", "(e.g. \"3h\")"},
      {"five seasons", R"({"forecast":{"seasonalPeriods":["1h","2h","3h","4h","5h"]}})",
       "spec.forecast.seasonalPeriods", "at most 4 items, got 5"},
      {"history under a step", R"({"forecast":{"history":"30s","resolution":"1m"}})",
       "spec.forecast.history",
       "holds 0 points of spec.forecast.resolution (\"1m\"), and a forecast needs at least 60: "
       "set history to at least \"1h\""},
      {"zero history", R"({"forecast":{"history":"0s"}})", "spec.forecast.history", "at least 60"},
      {"zero refit interval", R"({"forecast":{"refitInterval":"0s"}})",
       "spec.forecast.refitInterval", "must be at least 1s, got \"0s\""},
      {"zero resolution", R"({"forecast":{"resolution":"0s"}})", "spec.forecast.resolution",
       "must be at least 1s"},
      // 3. Overflow: checked before converting, quoting what was written.
      {"maxReplicas over int32", R"({"minReplicas":20,"maxReplicas":3000000000})",
       "spec.maxReplicas", "should be less than or equal to 2147483647, got 3000000000"},
      {"decision interval of 5e8 years", R"({"decisionInterval":"200000000000d"})",
       "spec.decisionInterval", "must be at most 36500d (100 years), got \"200000000000d\""},
      {"history of 3e9 years", R"({"forecast":{"history":"999999999999d"}})",
       "spec.forecast.history", "must be at most 36500d"},
      {"stabilization window 1e20",
       R"({"behavior":{"scaleUp":{"stabilizationWindowSeconds":1e20}}})",
       "spec.behavior.scaleUp.stabilizationWindowSeconds", "should be less than or equal to 3600"},
      {"fallback over int32", R"({"fallback":{"replicas":5000000000}})", "spec.fallback.replicas",
       "should be less than or equal to 2147483647"},
      // 4. Step adjustments within the CRD's bounds.
      {"negative adjustment", R"({"stepScaling":{"scaleUp":[{"adjustment":-2}]}})",
       "spec.stepScaling.scaleUp[0].adjustment", "should be greater than or equal to 0, got -2"},
      {"huge adjustment", R"({"stepScaling":{"scaleDown":[{"adjustment":1e12}]}})",
       "spec.stepScaling.scaleDown[0].adjustment", "should be less than or equal to 100000"},
      {"fractional pods", R"({"stepScaling":{"scaleUp":[{"adjustment":1},{"adjustment":2.5}]}})",
       "spec.stepScaling.scaleUp[1].adjustment",
       "must be a whole number unless adjustmentType is PercentChangeInCapacity, got 2.5; round "
       "it, or set adjustmentType: PercentChangeInCapacity"},
      // 6. The tolerance's maximum is exclusive.
      {"tolerance of 1", R"({"metric":{"tolerance":1}})", "spec.metric.tolerance",
       "should be less than 1, got 1"},
      // 7. Every message names the field, the values and the fix.
      {"min above max", R"({"minReplicas":5,"maxReplicas":3})", "spec.minReplicas",
       "spec.minReplicas (5) must be less than or equal to spec.maxReplicas (3); raise "
       "maxReplicas or lower minReplicas"},
      {"step bounds reversed",
       R"({"stepScaling":{"scaleUp":[{"adjustment":1},{"lowerBound":0.5,"upperBound":0.5,"adjustment":2}]}})",
       "spec.stepScaling.scaleUp[1].upperBound",
       "spec.stepScaling.scaleUp[1]: lowerBound (0.5) must be less than upperBound (0.5); raise "
       "upperBound, or omit it for a step with no upper end"},
      {"fallback above max", R"({"fallback":{"replicas":50}})", "spec.fallback.replicas",
       "spec.fallback.replicas (50) must be between spec.minReplicas (1) and spec.maxReplicas "
       "(10); set fallback.replicas within them or remove it"},
      {"auth with no key", R"({"metric":{"prometheus":{"authSecretRef":{"name":"s"}}}})",
       "spec.metric.prometheus.authSecretRef",
       "spec.metric.prometheus.authSecretRef sets no key: set either bearerTokenKey, or both "
       "usernameKey and passwordKey"},
      {"auth with token and user",
       R"({"metric":{"prometheus":{"authSecretRef":{"name":"s","bearerTokenKey":"t","usernameKey":"u"}}}})",
       "spec.metric.prometheus.authSecretRef", "sets bearerTokenKey and usernameKey: set either"},
      {"lead time under the metric delay", R"({"forecast":{"leadTime":"10s"}})",
       "spec.forecast.leadTime",
       "spec.forecast.leadTime (\"10s\") must be at least spec.forecast.metricDelay (\"30s\")"},
      // 10. A rate-limit policy without a type; a duration finer than a second.
      {"policy without type",
       R"({"behavior":{"scaleUp":{"policies":[{"value":4,"periodSeconds":15}]}}})",
       "spec.behavior.scaleUp.policies[0].type", "is required: Pods or Percent"},
      {"decision interval of 1500ms", R"({"decisionInterval":"1500ms"})", "spec.decisionInterval",
       "must be a whole number of seconds, got \"1500ms\": write 1s or 2s"},
      {"resolution of 500ms", R"({"forecast":{"resolution":"500ms"}})", "spec.forecast.resolution",
       "must be a whole number of seconds, got \"500ms\": write 1s"},
  };
  for (const Case& c : cases) {
    json spec = BaseSpec();
    spec.merge_patch(json::parse(c.patch));
    const ParsedSpec parsed = ParseAutoscalerSpec(spec);
    ASSERT_EQ(parsed.errors.size(), 1u) << c.why << ": " << parsed.ErrorSummary();
    EXPECT_EQ(parsed.errors[0].field, c.field) << c.why;
    EXPECT_NE(parsed.errors[0].message.find(c.says), std::string::npos)
        << c.why << ": " << parsed.errors[0].message;
  }
}

TEST(AutoscalerSpecTest, SpecsAtTheLimitsAreValid) {
  struct Case {
    const char* why;
    const char* patch;
  } cases[] = {
      {"28 days at 1m (40,320 points)", R"({"forecast":{"history":"28d"}})"},
      {"100,000 points exactly", R"({"forecast":{"history":"100000m"}})"},
      {"60 points exactly", R"({"forecast":{"history":"1h"}})"},
      {"seasons at just over two cycles",
       R"({"forecast":{"history":"14d1m","seasonalPeriods":["1d","7d"]}})"},
      {"a season of 2 steps", R"({"forecast":{"seasonalPeriods":["2m"]}})"},
      {"whole seconds in ms", R"({"decisionInterval":"2000ms"})"},
      // 4320 steps: 3d minus the 90 s lead time; the default refit (1h) at 1s.
      {"the longest refit", R"({"forecast":{"refitInterval":"4318m30s"}})"},
      {"1s resolution", R"({"forecast":{"resolution":"1s","history":"1d"}})"},
      {"overlapping steps",
       R"({"stepScaling":{"scaleUp":[{"lowerBound":0.2,"upperBound":0.5,"adjustment":5},
                                                          {"adjustment":1}]}})"},
      {"fractional percent",
       R"({"stepScaling":{"scaleUp":[{"adjustment":2.5,"adjustmentType":"PercentChangeInCapacity"}]}})"},
      {"tolerance just under 1", R"({"metric":{"tolerance":0.99}})"},
      {"int32 max", R"({"maxReplicas":2147483647})"},
  };
  for (const Case& c : cases) {
    json spec = BaseSpec();
    spec.merge_patch(json::parse(c.patch));
    const ParsedSpec parsed = ParseAutoscalerSpec(spec);
    EXPECT_TRUE(parsed.errors.empty()) << c.why << ": " << parsed.ErrorSummary();
  }
  json spec = BaseSpec();
  spec["stepScaling"] =
      json::parse(R"({"scaleUp":[{"adjustment":2.5,"adjustmentType":"PercentChangeInCapacity"}]})");
  ASSERT_EQ(ParseAutoscalerSpec(spec).spec.policy.step_policies.size(), 1u);
  EXPECT_EQ(ParseAutoscalerSpec(spec).spec.policy.step_policies[0].value, 2.5)
      << "a fractional percent is kept, not rounded";
  spec = BaseSpec();
  spec["decisionInterval"] = "2000ms";
  EXPECT_EQ(ParseAutoscalerSpec(spec).spec.decision_interval, std::chrono::seconds(2));
}

// Every manifest the API server rejects (tests/manifests/invalid/, one per
// rule) is rejected by the operator's own validation too, so a cluster that
// does not evaluate the CRD's rules still protects the user — except rules
// that only concern what the API server stores.
TEST(AutoscalerSpecTest, RejectsEveryInvalidManifestTheApiServerRejects) {
  const std::set<std::string> schema_only = {
      "unknown-field.yaml",                 // pruning/strict field validation: storage concern
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
    // A CEL message ends with its fix after "; ": the operator's message for the same rule,
    // on a field at or under the rule's path, ends with the same fix.
    const std::string cel_message = cel == std::string::npos ? "" : expect.substr(cel + 10);
    const std::string fix = cel_message.substr(
        cel_message.find("; ") == std::string::npos ? 0 : cel_message.find("; ") + 2);
    bool matched = false;
    for (const policies::FieldError& e : parsed.errors) {
      matched |= e.field.rfind(field, 0) == 0 &&
                 (cel == std::string::npos || e.message.find(fix) != std::string::npos);
    }
    EXPECT_TRUE(matched) << name << ": expected " << expect << "\n got: " << parsed.ErrorSummary();
    ++checked;
  }
  EXPECT_GE(checked, 25);
}

}  // namespace
}  // namespace foresight::op
