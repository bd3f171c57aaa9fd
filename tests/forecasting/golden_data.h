// Reading the reference CSV files that tests/data/r/*.R scripts write.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace foresight::testing {

// All rows of a CSV file written by R's write.csv: header first, quotes removed.
inline std::vector<std::vector<std::string>> ReadCsvRows(const std::string& relative_path) {
  std::ifstream in(std::string(FORESIGHT_SOURCE_DIR) + "/" + relative_path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) {
      if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"')
        cell = cell.substr(1, cell.size() - 2);
      cells.push_back(cell);
    }
    rows.push_back(cells);
  }
  return rows;
}

// The first column of a one-column numeric CSV (e.g. tests/data/r/series_*.csv).
inline std::vector<double> ReadNumericColumn(const std::string& relative_path) {
  std::vector<double> values;
  auto rows = ReadCsvRows(relative_path);
  for (size_t i = 1; i < rows.size(); ++i) values.push_back(std::stod(rows[i][0]));
  return values;
}

// Whitespace-separated numbers with no header (tests/data/r/ets_series_*.csv).
inline std::vector<double> ReadPlainNumbers(const std::string& relative_path) {
  std::ifstream in(std::string(FORESIGHT_SOURCE_DIR) + "/" + relative_path);
  std::vector<double> values;
  for (double v; in >> v;) values.push_back(v);
  return values;
}

struct GoldenForecast {
  std::vector<double> mean, lo80, hi80, lo95, hi95;
};

// Rows of tests/data/r/<file> whose `model` column equals `key`.
inline GoldenForecast ReadGoldenForecast(const std::string& relative_path, const std::string& key) {
  GoldenForecast g;
  for (const auto& row : ReadCsvRows(relative_path)) {
    if (row.size() < 7 || row[0] != key) continue;
    g.mean.push_back(std::stod(row[2]));
    g.lo80.push_back(std::stod(row[3]));
    g.hi80.push_back(std::stod(row[4]));
    g.lo95.push_back(std::stod(row[5]));
    g.hi95.push_back(std::stod(row[6]));
  }
  return g;
}

}  // namespace foresight::testing
