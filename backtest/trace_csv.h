// Reads a load trace: CSV with header `timestamp,value` (unix seconds at the
// start of each sample, load per second), equally spaced — the format of
// shared/data/traces and of score.py.
#pragma once

#include <istream>
#include <string>

#include "policies/simulator.h"

namespace foresight::backtest {

struct TraceCsvResult {
  policies::LoadTrace trace;
  std::string error;  // empty on success; otherwise names the line and the fix
};

TraceCsvResult ReadTraceCsv(std::istream& in);

}  // namespace foresight::backtest
