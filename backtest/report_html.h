// A self-contained HTML page (inline SVG, no scripts, no network) showing a
// backtest: load against ready capacity for Foresight and the HPA, the
// forecast band at the lead time against the load that came, the replica
// requests, the summary table, with risk tuning the marginalRisk it chose (and
// the scale-down window, when the config leaves that to it), and with a
// marginalRisk sweep its trade-off curve (replica-hours against under-provisioned
// minutes, the HPA as a dot).
#pragma once

#include <ostream>
#include <string>

#include "backtest/backtest.h"

namespace foresight::backtest {

void WriteHtmlReport(std::ostream& out, const std::string& title, const policies::LoadTrace& trace,
                     const BacktestResult& result);

}  // namespace foresight::backtest
