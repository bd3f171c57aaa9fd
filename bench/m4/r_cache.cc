#include "bench/m4/r_cache.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace foresight::bench::m4 {
namespace {

using forecasting::Error;

// Splits off the first `n` comma-separated fields; the rest of the line (which
// may hold commas, e.g. "ETS(M,Ad,M)") is the last element.
std::vector<std::string> SplitFirst(const std::string& line, int n) {
  std::vector<std::string> out;
  size_t start = 0;
  for (int i = 0; i < n; ++i) {
    const size_t comma = line.find(',', start);
    if (comma == std::string::npos) break;
    out.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
  std::string rest = line.substr(start);
  if (!rest.empty() && rest.back() == '\r') rest.pop_back();
  out.push_back(rest);
  return out;
}

bool ParseDouble(const std::string& s, double* out) {
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end != s.c_str() && *end == '\0';
}

// `rest` is the model, double-quoted (it holds commas), then optionally
// ",<cpu_seconds>" where NA or absent means not recorded.
bool ParseModelAndCpu(const std::string& rest, RForecast* r) {
  std::string after;
  if (!rest.empty() && rest.front() == '"') {
    const size_t close = rest.find('"', 1);
    if (close == std::string::npos) return false;
    r->model = rest.substr(1, close - 1);
    after = rest.substr(close + 1);
  } else {
    const size_t comma = rest.find(',');
    r->model = rest.substr(0, comma);
    if (comma != std::string::npos) after = rest.substr(comma);
  }
  r->cpu_seconds = -1;
  if (after.empty() || after == ",NA") return true;
  return after.front() == ',' && ParseDouble(after.substr(1), &r->cpu_seconds);
}

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

}  // namespace

forecasting::Result<RCache> ParseRCache(const std::string& forecasts_csv,
                                        const std::string& timings_csv, int horizon) {
  RCache timed;
  std::istringstream timings(timings_csv);
  std::string line;
  std::getline(timings, line);  // header
  while (std::getline(timings, line)) {
    if (line.empty()) continue;
    const auto f = SplitFirst(line, 3);
    RForecast r;
    if (f.size() != 4 || !ParseDouble(f[2], &r.seconds) || !ParseModelAndCpu(f[3], &r)) {
      return Error{"r_timings.csv: bad row '" + line + "'"};
    }
    timed[f[1]][f[0]] = std::move(r);
  }

  std::istringstream forecasts(forecasts_csv);
  std::getline(forecasts, line);  // header
  while (std::getline(forecasts, line)) {
    if (line.empty()) continue;
    const auto f = SplitFirst(line, 3);
    double step = 0;
    double value = 0;
    if (f.size() != 4 || !ParseDouble(f[2], &step) || !ParseDouble(f[3], &value)) {
      return Error{"r_forecasts.csv: bad row '" + line + "'"};
    }
    auto method = timed.find(f[1]);
    if (method == timed.end()) continue;
    auto series = method->second.find(f[0]);
    if (series == method->second.end()) continue;
    auto& mean = series->second.mean;
    // Steps arrive in order; a repeated pair (a resumed run) restarts at step 1.
    if (step == 1) mean.clear();
    if (static_cast<int>(step) == static_cast<int>(mean.size()) + 1) mean.push_back(value);
  }

  RCache out;
  for (auto& [method, by_series] : timed) {
    for (auto& [id, r] : by_series) {
      if (static_cast<int>(r.mean.size()) == horizon) out[method][id] = std::move(r);
    }
  }
  return out;
}

forecasting::Result<RCache> ReadRCache(const std::string& dir, int horizon) {
  const std::filesystem::path forecasts = std::filesystem::path(dir) / "r_forecasts.csv";
  const std::filesystem::path timings = std::filesystem::path(dir) / "r_timings.csv";
  if (!std::filesystem::exists(forecasts) || !std::filesystem::exists(timings)) return RCache{};
  return ParseRCache(Slurp(forecasts), Slurp(timings), horizon);
}

}  // namespace foresight::bench::m4
