#include "backtest/trace_csv.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "backtest/csv_conventions.h"

namespace foresight::backtest {
namespace {

// Samples further apart cannot show what an autoscaler does with pods that start in minutes;
// the replay also works per second, so the trace's span must stay in memory's reach.
constexpr double kMaxStepSeconds = 86400;

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

// Seconds as the user wrote them: "120", "0.5", not std::to_string's "120.000000".
std::string FormatSeconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", s);
  return buf;
}

// The header, with a byte order mark and spaces around the cells ignored.
bool IsHeader(std::string line) {
  DropUtf8ByteOrderMark(line);
  const size_t comma = line.find(',');
  return comma != std::string::npos && Trim(line.substr(0, comma)) == "timestamp" &&
         Trim(line.substr(comma + 1)) == "value";
}

}  // namespace

TraceCsvResult ReadTraceCsv(std::istream& in) {
  TraceCsvResult result;
  std::string line;
  if (!std::getline(in, line) || !IsHeader(line)) {
    result.error = "line 1: expected the header 'timestamp,value', got '" + Trim(line) +
                   "': add that line above the samples (unix seconds, load per second)";
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
    const std::string timestamp = Trim(line.substr(0, comma));
    if (std::fabs(t) >= static_cast<double>(kMaxUnixSeconds)) {
      result.error = where + "timestamp " + timestamp +
                     " is not in unix seconds (it looks like milliseconds): divide the "
                     "timestamps by 1000";
      return result;
    }
    if (v < 0.0) {
      result.error = where + "load " + Trim(line.substr(comma + 1)) +
                     " is negative: the trace is load per second, 0 or more";
      return result;
    }
    auto& trace = result.trace;
    if (!trace.values.empty() && t <= previous) {
      result.error = where + "timestamp " + timestamp + " is not after the previous one (" +
                     FormatSeconds(previous) +
                     "): sort the samples by timestamp and keep one per timestamp";
      return result;
    }
    if (trace.values.empty()) {
      trace.t0 = t;
    } else if (trace.values.size() == 1) {
      double step = t - previous;
      if (step < 1.0 || step > kMaxStepSeconds || step != std::floor(step)) {
        result.error = where + "timestamp " + timestamp + " is " + FormatSeconds(step) +
                       " s after the previous one; samples must be a whole number of seconds "
                       "from 1 to 86400 (a day) apart";
        return result;
      }
      trace.step_seconds = static_cast<int32_t>(step);
    } else if (t - previous != trace.step_seconds) {
      result.error = where + "timestamp " + timestamp + " is " + FormatSeconds(t - previous) +
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
