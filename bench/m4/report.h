// Formats the benchmark's results as Markdown, ready to paste into README.md.
#pragma once

#include <string>
#include <vector>

#include "bench/m4/score.h"

namespace foresight::bench::m4 {

struct TableRow {
  std::string method;  // e.g. "Foresight auto", "R auto.arima"
  std::string set;     // e.g. "all 414", "every 6th (69)"
  Summary summary;
};

// One row per method and set: series, sMAPE, MASE, OWA, mean wall and CPU
// seconds per series, failures.
std::string FormatTable(const std::vector<TableRow>& rows);

// Ours against R on the same series: MASE, OWA and time ratios (ours / R) and
// the speed-up (R / ours), from mean CPU seconds per series when both sides
// recorded them, else mean wall seconds (the table says which).
struct Comparison {
  std::string ours;
  std::string theirs;
  Summary ours_summary;
  Summary theirs_summary;
};
std::string FormatComparisons(const std::vector<Comparison>& comparisons);

// The targets for `auto`: MASE and OWA no worse than R's auto.arima on
// the subset, at least 20 times faster per series, all series under 30 s.
struct TargetInputs {
  bool have_auto = false;  // `auto` was among the models run
  Summary auto_subset;
  Summary arima_subset;
  bool have_arima = false;
  double full_run_wall_seconds = -1;  // negative: the full set was not run
  int full_run_series = 0;
};
std::string FormatTargets(const TargetInputs& in);

// "ARIMA(2,0,1)(0,1,1)[24] x 12, ETS(M,Ad,M) x 9, ..." over the given series,
// most frequent first, at most `top` names.
std::string FormatModelTally(const MethodOutcomes& outcomes, const std::vector<size_t>& indices,
                             int top);

}  // namespace foresight::bench::m4
