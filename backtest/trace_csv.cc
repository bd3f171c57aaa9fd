#include "backtest/trace_csv.h"

#include <charconv>
#include <cmath>

namespace foresight::backtest {
namespace {

bool ParseDouble(const std::string& cell, double& out) {
  const char* end = cell.data() + cell.size();
  auto [ptr, ec] = std::from_chars(cell.data(), end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

TraceCsvResult ReadTraceCsv(std::istream& in) {
  TraceCsvResult result;
  std::string line;
  if (!std::getline(in, line) || Trim(line) != "timestamp,value") {
    result.error = "line 1: expected the header 'timestamp,value'";
    return result;
  }
  double previous = 0.0;
  for (long long line_no = 2; std::getline(in, line); ++line_no) {
    line = Trim(line);
    if (line.empty()) continue;
    const std::string where = "line " + std::to_string(line_no) + ": ";
    size_t comma = line.find(',');
    double t, v;
    if (comma == std::string::npos || !ParseDouble(Trim(line.substr(0, comma)), t) ||
        !ParseDouble(Trim(line.substr(comma + 1)), v)) {
      result.error =
          where + "expected 'timestamp,value' with two finite numbers, got '" + line + "'";
      return result;
    }
    if (v < 0.0) {
      result.error = where + "load " + Trim(line.substr(comma + 1)) + " is negative";
      return result;
    }
    auto& trace = result.trace;
    if (trace.values.empty()) {
      trace.t0 = t;
    } else if (trace.values.size() == 1) {
      double step = t - previous;
      if (step < 1.0 || step != std::floor(step)) {
        result.error = where + "samples must be a whole number of seconds (>= 1) apart";
        return result;
      }
      trace.step_seconds = static_cast<int32_t>(step);
    } else if (t - previous != trace.step_seconds) {
      result.error = where + "timestamp " + Trim(line.substr(0, comma)) + " is " +
                     std::to_string(t - previous) +
                     " s after the previous one; samples must be equally spaced (" +
                     std::to_string(trace.step_seconds) + " s): fill gaps before backtesting";
      return result;
    }
    trace.values.push_back(v);
    previous = t;
  }
  if (result.trace.values.size() < 2) result.error = "the trace needs at least 2 samples";
  return result;
}

}  // namespace foresight::backtest
