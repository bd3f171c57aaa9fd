// Times AutoEts (period 24) on every series of the M4 hourly training set and
// prints the selected models and the time per series.
//
//   ets_m4_bench [path/to/Hourly-train.csv] [max_series]
#include <algorithm>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "forecasting/ets.h"

// Series slower than this are listed.
constexpr double kSlowMs = 200.0;

int main(int argc, char** argv) {
  using foresight::forecasting::AutoEts;
  const std::string path = argc > 1 ? argv[1] : "../shared/data/m4-hourly/Hourly-train.csv";
  const int max_series = argc > 2 ? std::stoi(argv[2]) : 1 << 30;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  std::map<std::string, int> chosen;
  int count = 0, failed = 0, non_finite = 0;
  double total_ms = 0, worst_ms = 0, predict_ms = 0;
  while (count < max_series && std::getline(in, line)) {
    std::stringstream ss(line);
    std::string cell;
    std::getline(ss, cell, ',');  // id
    const std::string id = cell;
    std::vector<double> y;
    while (std::getline(ss, cell, ',')) {
      if (cell.size() >= 2 && cell.front() == '"') cell = cell.substr(1, cell.size() - 2);
      if (cell.empty() || cell == "NA") continue;
      y.push_back(std::stod(cell));
    }
    // Process CPU time: the machine is shared, wall time would measure the neighbours.
    const std::clock_t start = std::clock();
    auto fit = AutoEts(y, 24);
    const double ms = 1000.0 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    total_ms += ms;
    if (ms > kSlowMs) std::printf("slow: %s %.0f ms (n = %zu)\n", id.c_str(), ms, y.size());
    worst_ms = std::max(worst_ms, ms);
    ++count;
    if (fit.ok()) {
      ++chosen[(*fit)->Name()];
      // The M4 hourly horizon, 48 steps: every mean and 95% bound must be finite.
      const std::clock_t predict_start = std::clock();
      const auto dist = (*fit)->Predict(48);
      predict_ms += 1000.0 * static_cast<double>(std::clock() - predict_start) / CLOCKS_PER_SEC;
      for (int h = 0; h < 48; ++h) {
        const auto i = dist.At(h, 0.95);
        if (!std::isfinite(dist.Mean(h)) || !std::isfinite(i.lower) || !std::isfinite(i.upper)) {
          ++non_finite;
          break;
        }
      }
    } else {
      ++failed;
    }
  }
  std::printf("series %d  failed %d  mean %.1f ms  worst %.1f ms  total %.2f s (CPU, AutoEts)\n",
              count, failed, total_ms / count, worst_ms, total_ms / 1000);
  std::printf("Predict(48): mean %.2f ms, non-finite forecasts %d\n", predict_ms / count, non_finite);
  for (const auto& [name, k] : chosen) std::printf("  %-12s %d\n", name.c_str(), k);
}
