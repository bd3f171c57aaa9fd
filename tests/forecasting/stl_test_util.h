// Helpers shared by the STL/MSTL/Fourier/seasonality tests: reading the
// numeric CSVs written by tests/data/r/make_stl_golden.R and the traces.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace foresight::forecasting::testing {

// Columns of a CSV with a header line; every cell numeric.
inline std::vector<std::vector<double>> ReadCsvColumns(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<double>> columns;
  std::string line;
  if (!std::getline(in, line)) return columns;
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::string cell;
    size_t c = 0;
    while (std::getline(row, cell, ',')) {
      if (columns.size() <= c) columns.emplace_back();
      columns[c++].push_back(std::stod(cell));
    }
  }
  return columns;
}

inline std::string RDataPath(const std::string& name) {
  return std::string(FORESIGHT_SOURCE_DIR) + "/tests/data/r/" + name;
}

}  // namespace foresight::forecasting::testing
