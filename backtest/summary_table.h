// The backtest's printed comparison: Foresight, the HPA baseline and the
// perfect-foresight oracle side by side.
#pragma once

#include <string>

#include "backtest/backtest.h"

namespace foresight::backtest {

std::string SummaryTable(const BacktestResult& result);

}  // namespace foresight::backtest
