// Reading the `foresight forecast` input: CSV with header `series,t,value`,
// rows grouped by series and ordered by t (an integer step or unix seconds).
#pragma once

#include <istream>
#include <string>
#include <vector>

namespace foresight::cli {

struct InputSeries {
  std::string id;
  long long first_t = 0;
  long long step = 1;          // spacing of t; missing steps become NaN values
  std::vector<double> values;  // NaN where the file has no value or an empty/NaN cell
};

struct SeriesCsvResult {
  std::vector<InputSeries> series;
  std::string error;  // empty on success; otherwise names the line and the fix
};

SeriesCsvResult ReadSeriesCsv(std::istream& in);

}  // namespace foresight::cli
