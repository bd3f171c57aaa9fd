#include "bench/m4/m4_data.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace foresight::bench::m4 {
namespace {

std::string Unquote(std::string cell) {
  while (!cell.empty() && (cell.back() == '\r' || cell.back() == ' ')) cell.pop_back();
  if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') {
    return cell.substr(1, cell.size() - 2);
  }
  return cell;
}

}  // namespace

Result<std::vector<Series>> ParseM4Csv(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line)) return forecasting::Error{"empty file"};
  std::vector<Series> out;
  int line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (Unquote(line).empty()) continue;
    std::istringstream cells(line);
    std::string cell;
    Series s;
    std::getline(cells, cell, ',');
    s.id = Unquote(cell);
    while (std::getline(cells, cell, ',')) {
      cell = Unquote(cell);
      if (cell.empty() || cell == "NA") continue;  // padding after the last value
      char* end = nullptr;
      double v = std::strtod(cell.c_str(), &end);
      if (end == cell.c_str() || *end != '\0') {
        return forecasting::Error{"line " + std::to_string(line_no) + ": not a number: '" + cell +
                                  "'"};
      }
      s.values.push_back(v);
    }
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<Series>> ReadM4Csv(const std::string& path) {
  std::ifstream file(path);
  if (!file) return forecasting::Error{"cannot open " + path};
  std::stringstream buffer;
  buffer << file.rdbuf();
  return ParseM4Csv(buffer.str());
}

Holdout HoldOut(const Series& series, int horizon) {
  const auto cut = series.values.end() - horizon;
  return Holdout{series.id, std::vector<double>(series.values.begin(), cut),
                 std::vector<double>(cut, series.values.end())};
}

}  // namespace foresight::bench::m4
