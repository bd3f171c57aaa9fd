// A small deterministic trace and spec the backtest tests replay.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>

#include "operator/autoscaler_spec.h"
#include "policies/simulator.h"

namespace foresight::backtest {

// 12 hours at 1 minute: a 3-hour cycle, a step up after 7 hours, deterministic noise.
inline policies::LoadTrace SyntheticTrace() {
  policies::LoadTrace t;
  t.t0 = 1'700'000'000;
  t.step_seconds = 60;
  unsigned state = 12345;
  for (int i = 0; i < 12 * 60; ++i) {
    state = state * 1103515245u + 12345u;
    const double noise = static_cast<double>((state >> 16) % 1000) / 1000.0 - 0.5;
    const double cycle = std::sin(2 * std::numbers::pi * i / 180.0);
    t.values.push_back(std::max(0.0, 20 + 8 * cycle + (i > 7 * 60 ? 10 : 0) + 3 * noise));
  }
  return t;
}

// Refits every 10 minutes on the last 4 hours, so the replay asks for 60-odd fits of "auto".
// `patch` is merged into the spec (JSON merge patch), e.g. {"forecast": {"sizing": ...}}.
inline op::AutoscalerSpec SyntheticSpec(const nlohmann::json& patch = nlohmann::json::object()) {
  nlohmann::json spec = {
      {"scaleTargetRef", {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "web"}}},
      {"minReplicas", 1},
      {"maxReplicas", 100},
      {"metric", {{"query", "load"}, {"targetPerReplica", 2.0}}},
      {"forecast", {{"history", "4h"}, {"refitInterval", "10m"}, {"model", "auto"}}}};
  spec.merge_patch(patch);
  op::ParsedSpec parsed = op::ParseAutoscalerSpec(spec);
  EXPECT_TRUE(parsed.errors.empty()) << parsed.ErrorSummary();
  return parsed.spec;
}

}  // namespace foresight::backtest
