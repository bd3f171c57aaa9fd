// One entry of m4_benchmark's --models list: an engine model, optionally with
// the seasonal periods it is given.
//
//   "auto"        the model with its seasons detected from each series, which
//                 is what `foresight forecast` does without --season;
//   "auto@24"     the model given one season of 24 steps, as R is given
//                 ts(x, frequency = 24);
//   "mstl@24+168" several seasons, '+'-separated ("," separates the list).
#pragma once

#include <string>
#include <vector>

#include "forecasting/result.h"

namespace foresight::bench::m4 {

struct ModelSpec {
  std::string model;         // the engine's model name, e.g. "auto"
  std::vector<int> periods;  // empty: detected from the data
  std::string label;         // as written, e.g. "auto@24": names the rows
};

// Error for an empty model name or a period that is not an integer >= 2.
forecasting::Result<ModelSpec> ParseModelSpec(const std::string& text);

}  // namespace foresight::bench::m4
