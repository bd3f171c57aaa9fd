// The HTML report: one self-contained page (no scripts, nothing fetched) with the summary and
// a chart per view; the trade-off chart only when there is a sweep, the risk chart only when
// risk tuning chose, the scale-down window's only when it chose that too.
#include "backtest/report_html.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/backtest/synthetic_backtest.h"

namespace foresight::backtest {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string Report(const BacktestOptions& options, const nlohmann::json& patch) {
  const policies::LoadTrace trace = SyntheticTrace();
  auto result = RunBacktest(trace, SyntheticSpec(patch), options);
  EXPECT_TRUE(result.ok()) << result.error();
  if (!result.ok()) return "";
  std::ostringstream out;
  WriteHtmlReport(out, "trace <a&b>", trace, *result);
  return out.str();
}

TEST(ReportHtmlTest, IsOneSelfContainedPageWithTheSummaryAndCharts) {
  const std::string html = Report({}, {{"forecast", {{"riskTuning", {{"enabled", false}}}}}});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"))
      << "only the SVG namespace";
  EXPECT_NE(html.find("trace &lt;a&amp;b&gt;"), std::string::npos) << "the title is escaped";
  EXPECT_NE(html.find("foresight / hpa"), std::string::npos) << "the summary table";
  // Load and capacity, forecast band, replicas; no sweep, so no trade-off chart.
  EXPECT_EQ(Count(html, "<svg"), 3u);
  EXPECT_EQ(html.find("Trade-off"), std::string::npos);
}

TEST(ReportHtmlTest, ASweepAddsTheTradeoffCurveWithTheHpaAsADot) {
  BacktestOptions options;
  options.sweep_marginal_risk = {0.05, 0.1, 0.3};
  // The scale-down window set: one window swept, one curve.
  const std::string html =
      Report(options, {{"forecast", {{"sizing", "Marginal"}, {"marginalRisk", 0.1}}},
                       {"behavior", {{"scaleDown", {{"stabilizationWindowSeconds", 300}}}}}});
  const size_t chart = html.find("Trade-off");
  ASSERT_NE(chart, std::string::npos);
  const std::string tradeoff = html.substr(chart);
  EXPECT_EQ(Count(tradeoff, "<polyline"), 1u);
  EXPECT_EQ(Count(tradeoff, "<circle"), 4u) << "three risks and the HPA";
  EXPECT_NE(tradeoff.find(">0.05</text>"), std::string::npos);
  EXPECT_NE(tradeoff.find(">HPA</text>"), std::string::npos);
}

TEST(ReportHtmlTest, ASweepOfTwoScaleDownWindowsDrawsACurveForEach) {
  BacktestOptions options;
  options.sweep_marginal_risk = {0.05, 0.1, 0.3};
  // Risk tuning chooses the window (the config leaves it unset): both are swept.
  const std::string html = Report(options, {{"forecast", {{"sizing", "Marginal"}}}});
  const size_t chart = html.find("Trade-off");
  ASSERT_NE(chart, std::string::npos);
  const std::string tradeoff = html.substr(chart);
  EXPECT_EQ(Count(tradeoff, "<polyline"), 2u);
  EXPECT_EQ(Count(tradeoff, "<circle"), 7u) << "three risks twice and the HPA";
  EXPECT_NE(tradeoff.find(">0.05/300s</text>"), std::string::npos);
  EXPECT_NE(tradeoff.find(">0.05/60s</text>"), std::string::npos);
}

TEST(ReportHtmlTest, RiskTuningAddsTheRiskAndTheScaleDownWindowInForce) {
  // History 4h: the default window shrinks to it, so the 12-hour trace gets a choice at 4h.
  // The config leaves the scale-down window unset, so the tuner chooses it too.
  const std::string html = Report({}, nlohmann::json::object());
  EXPECT_EQ(Count(html, "<svg"), 5u);
  EXPECT_NE(html.find("marginalRisk chosen by risk tuning"), std::string::npos);
  EXPECT_NE(html.find("Scale-down stabilization window chosen by risk tuning"), std::string::npos);
  EXPECT_NE(html.find("marginalRisk tuned once"), std::string::npos) << "in the summary";
}

TEST(ReportHtmlTest, AScaleDownWindowSetInTheConfigIsNotCharted) {
  const std::string html =
      Report({}, {{"behavior", {{"scaleDown", {{"stabilizationWindowSeconds", 300}}}}}});
  EXPECT_EQ(Count(html, "<svg"), 4u);
  EXPECT_NE(html.find("marginalRisk chosen by risk tuning"), std::string::npos);
  EXPECT_EQ(html.find("Scale-down stabilization window"), std::string::npos);
}

}  // namespace
}  // namespace foresight::backtest
