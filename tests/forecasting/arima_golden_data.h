// Loads the R golden data written by tests/data/r/make_arima_golden.R.
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace foresight::forecasting::testing {

class ArimaGolden {
 public:
  static const ArimaGolden& Get() {
    static const ArimaGolden* golden = new ArimaGolden();
    return *golden;
  }

  const std::vector<double>& Series(const std::string& name) const { return series_.at(name); }
  bool Has(const std::string& c, const std::string& field) const {
    auto it = fields_.find(c);
    return it != fields_.end() && it->second.count(field) > 0;
  }
  const std::vector<std::string>& Strings(const std::string& c, const std::string& field) const {
    return fields_.at(c).at(field);
  }
  std::vector<double> Values(const std::string& c, const std::string& field) const {
    std::vector<double> out;
    for (const auto& s : Strings(c, field)) out.push_back(std::stod(s));
    return out;
  }
  double Value(const std::string& c, const std::string& field) const {
    return Values(c, field).at(0);
  }

 private:
  ArimaGolden() {
    const std::string dir = std::string(FORESIGHT_SOURCE_DIR) + "/tests/data/r/";
    for (const auto& row : Read(dir + "arima_series.csv")) series_[row[0]].push_back(std::stod(row[2]));
    for (const auto& row : Read(dir + "arima_golden.csv")) fields_[row[0]][row[1]].push_back(row[3]);
  }
  static std::vector<std::vector<std::string>> Read(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::vector<std::string>> rows;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      // The last column may itself contain commas (model names): split three times.
      std::vector<std::string> cells;
      size_t start = 0;
      for (int i = 0; i < 3; ++i) {
        const size_t comma = line.find(',', start);
        if (comma == std::string::npos) break;
        cells.push_back(line.substr(start, comma - start));
        start = comma + 1;
      }
      cells.push_back(line.substr(start));
      if (cells.size() >= 3) rows.push_back(cells);
    }
    return rows;
  }
  std::map<std::string, std::vector<double>> series_;
  std::map<std::string, std::map<std::string, std::vector<std::string>>> fields_;
};

}  // namespace foresight::forecasting::testing
