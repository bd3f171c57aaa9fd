#include "backtest/trace_resolution.h"

#include <gtest/gtest.h>

namespace foresight::backtest {
namespace {

policies::LoadTrace TraceWithStep(int32_t step_seconds) {
  policies::LoadTrace trace;
  trace.step_seconds = step_seconds;
  trace.values = {1, 2, 3};
  return trace;
}

TEST(ResolutionFromTraceTest, AnUnsetResolutionTakesACoarserTracesStep) {
  op::AutoscalerSpec spec;  // resolution 1m, the default
  const std::string note =
      ResolutionFromTrace(nlohmann::json::parse(R"({"forecast":{}})"), TraceWithStep(300), spec);
  EXPECT_EQ(spec.forecast.resolution, std::chrono::seconds(300));
  EXPECT_NE(note.find("300s, the trace's step"), std::string::npos) << note;
}

TEST(ResolutionFromTraceTest, NoForecastSectionCountsAsUnset) {
  op::AutoscalerSpec spec;
  ResolutionFromTrace(nlohmann::json::object(), TraceWithStep(120), spec);
  EXPECT_EQ(spec.forecast.resolution, std::chrono::seconds(120));
}

TEST(ResolutionFromTraceTest, AResolutionTheConfigSetsIsKept) {
  op::AutoscalerSpec spec;  // parsed from {"resolution": "1m"}: the default value, but set
  const std::string note = ResolutionFromTrace(
      nlohmann::json::parse(R"({"forecast":{"resolution":"1m"}})"), TraceWithStep(300), spec);
  EXPECT_EQ(spec.forecast.resolution, std::chrono::seconds(60));
  EXPECT_EQ(note, "");
}

TEST(ResolutionFromTraceTest, AFinerTraceKeepsTheDefault) {
  op::AutoscalerSpec spec;
  const std::string note = ResolutionFromTrace(nlohmann::json::object(), TraceWithStep(15), spec);
  EXPECT_EQ(spec.forecast.resolution, std::chrono::seconds(60));
  EXPECT_EQ(note, "");
}

}  // namespace
}  // namespace foresight::backtest
