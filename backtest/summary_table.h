// The backtest's printed comparison: Foresight, the HPA baseline and the
// perfect-foresight oracle side by side.
#pragma once

#include <string>

#include "backtest/backtest.h"

namespace foresight::backtest {

std::string SummaryTable(const BacktestResult& result);

// The marginalRisk sweep's rows (part of SummaryTable when the result has a sweep).
std::string SweepTable(const BacktestResult& result);

// One line on spec.forecast.riskTuning's choices over the replay ("" when it made none).
std::string RiskTuningLine(const BacktestResult& result);

}  // namespace foresight::backtest
