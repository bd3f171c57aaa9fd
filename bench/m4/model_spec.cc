#include "bench/m4/model_spec.h"

#include <charconv>

namespace foresight::bench::m4 {

forecasting::Result<ModelSpec> ParseModelSpec(const std::string& text) {
  ModelSpec spec;
  spec.label = text;
  const size_t at = text.find('@');
  spec.model = text.substr(0, at);
  if (spec.model.empty()) return forecasting::Error{"\"" + text + "\": no model name before '@'"};
  if (at == std::string::npos) return spec;
  // Split by hand: getline would drop an empty last item ("auto@24+").
  for (size_t begin = at + 1;;) {
    const size_t plus = text.find('+', begin);
    const std::string item = text.substr(begin, plus - begin);
    int period = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), period);
    if (ec != std::errc{} || end != item.data() + item.size() || period < 2) {
      return forecasting::Error{"\"" + text + "\": period \"" + item +
                                "\" is not an integer >= 2 (write e.g. auto@24 or mstl@24+168)"};
    }
    spec.periods.push_back(period);
    if (plus == std::string::npos) return spec;
    begin = plus + 1;
  }
}

}  // namespace foresight::bench::m4
