#include "cli/series_csv.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

#include "backtest/csv_conventions.h"

namespace foresight::cli {
namespace {

// A series may have gaps, but a grid this much larger than its rows means the
// timestamps do not share a step (e.g. seconds mixed with steps).
constexpr long long kMaxGridExpansion = 100;

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\"");
  size_t e = s.find_last_not_of(" \t\r\"");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> SplitCells(const std::string& line) {
  std::vector<std::string> cells;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    cells.push_back(Trim(line.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}

bool ParseValue(const std::string& cell, double& out) {
  if (cell.empty() || cell == "NA" || cell == "NaN" || cell == "nan") {
    out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  const char* end = cell.data() + cell.size();
  auto [ptr, ec] = std::from_chars(cell.data(), end, out);
  return ec == std::errc() && ptr == end;
}

struct Row {
  long long t;
  double value;
};

std::string BuildSeries(const std::string& id, const std::vector<Row>& rows, InputSeries& out) {
  out.id = id;
  out.first_t = rows.front().t;
  long long step = 0;
  for (size_t i = 1; i < rows.size(); ++i) step = std::gcd(step, rows[i].t - rows[i - 1].t);
  out.step = step == 0 ? 1 : step;
  long long points = (rows.back().t - rows.front().t) / out.step + 1;
  if (points > kMaxGridExpansion * static_cast<long long>(rows.size())) {
    return "series '" + id + "': timestamps do not share a common step (" +
           std::to_string(rows.size()) + " rows would span " + std::to_string(points) +
           " steps of " + std::to_string(out.step) +
           "); use one step per row, e.g. unix seconds at a fixed interval";
  }
  out.values.assign(points, std::numeric_limits<double>::quiet_NaN());
  for (const Row& r : rows) out.values[(r.t - out.first_t) / out.step] = r.value;
  return "";
}

}  // namespace

SeriesCsvResult ReadSeriesCsv(std::istream& in) {
  SeriesCsvResult result;
  std::string line;
  const bool read = static_cast<bool>(std::getline(in, line));
  backtest::DropUtf8ByteOrderMark(line);
  if (!read || SplitCells(line) != std::vector<std::string>{"series", "t", "value"}) {
    result.error = "line 1: expected the header 'series,t,value', got '" + Trim(line) +
                   "': add that line above the rows";
    return result;
  }
  std::set<std::string> finished;
  std::string current;
  std::vector<Row> rows;
  auto flush = [&]() -> bool {
    if (rows.empty()) return true;
    InputSeries s;
    result.error = BuildSeries(current, rows, s);
    if (!result.error.empty()) return false;
    result.series.push_back(std::move(s));
    finished.insert(current);
    rows.clear();
    return true;
  };
  for (long long line_no = 2; std::getline(in, line); ++line_no) {
    if (Trim(line).empty()) continue;
    const std::string where = "line " + std::to_string(line_no) + ": ";
    std::vector<std::string> cells = SplitCells(line);
    if (cells.size() != 3) {
      result.error =
          where + "expected 3 columns (series,t,value), found " + std::to_string(cells.size());
      return result;
    }
    if (cells[0].empty()) {
      result.error = where + "empty series name";
      return result;
    }
    long long t;
    auto [ptr, ec] = std::from_chars(cells[1].data(), cells[1].data() + cells[1].size(), t);
    if (ec != std::errc() || ptr != cells[1].data() + cells[1].size()) {
      result.error =
          where + "t '" + cells[1] + "' is not an integer (a step number or unix seconds)";
      return result;
    }
    if (t >= backtest::kMaxUnixSeconds || t <= -backtest::kMaxUnixSeconds) {
      result.error = where + "t " + cells[1] +
                     " is neither a step number nor unix seconds (it looks like milliseconds): "
                     "divide t by 1000";
      return result;
    }
    double value;
    if (!ParseValue(cells[2], value)) {
      result.error =
          where + "value '" + cells[2] + "' is not a number (leave it empty for a missing value)";
      return result;
    }
    if (cells[0] != current) {
      if (!flush()) return result;
      if (finished.count(cells[0])) {
        result.error = where + "series '" + cells[0] +
                       "' appears again after other series; group each series' rows together";
        return result;
      }
      current = cells[0];
    } else if (t <= rows.back().t) {
      result.error = where + "t " + cells[1] + " is not after the previous row's t " +
                     std::to_string(rows.back().t) + " of series '" + current + "'; sort rows by t";
      return result;
    }
    rows.push_back({t, value});
  }
  flush();
  if (result.error.empty() && result.series.empty()) result.error = "no data rows after the header";
  return result;
}

}  // namespace foresight::cli
