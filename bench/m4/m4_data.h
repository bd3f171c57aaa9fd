// Reading the M4 wide CSV and holding out the validation window.
//
// The competition's files are wide: a header row, then one row per series,
// the id in the first cell ("H1") and the values after it, every cell
// double-quoted, shorter series padded with empty cells.
#pragma once

#include <string>
#include <vector>

#include "forecasting/result.h"

namespace foresight::bench::m4 {

using forecasting::Result;

struct Series {
  std::string id;
  std::vector<double> values;
};

// A series cut into the part a forecaster may see and the part it is scored on.
struct Holdout {
  std::string id;
  std::vector<double> insample;
  std::vector<double> outsample;
};

// Parses the text of an M4 wide CSV (header row included).
Result<std::vector<Series>> ParseM4Csv(const std::string& text);
Result<std::vector<Series>> ReadM4Csv(const std::string& path);

// The last `horizon` points become the outsample.
// REQUIRES: series.values.size() > horizon.
Holdout HoldOut(const Series& series, int horizon);

}  // namespace foresight::bench::m4
