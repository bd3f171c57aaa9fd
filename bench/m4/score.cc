#include "bench/m4/score.h"

#include "bench/m4/baselines.h"

namespace foresight::bench::m4 {

Outcome ScoreForecast(const Holdout& series, const std::vector<double>& forecast, int m) {
  Outcome o;
  o.present = true;
  o.smape = Smape(series.outsample, forecast);
  o.mase = Mase(series.insample, series.outsample, forecast, m);
  return o;
}

MethodOutcomes Naive2Outcomes(const std::vector<Holdout>& data, int m, int horizon) {
  MethodOutcomes out;
  for (const Holdout& h : data) {
    out.push_back(ScoreForecast(h, Naive2(h.insample, m, horizon), m));
    out.back().wall_seconds = -1;  // not timed: shown as "–"
  }
  return out;
}

MethodOutcomes FromBatch(const std::vector<Holdout>& data, const std::vector<size_t>& ran,
                         const BatchRun& batch, int m, int horizon) {
  MethodOutcomes out(data.size());
  for (size_t k = 0; k < ran.size(); ++k) {
    const Holdout& h = data[ran[k]];
    const SeriesRun& run = batch.series[k];
    Outcome o = run.error.empty() ? ScoreForecast(h, run.forecast, m)
                                  : ScoreForecast(h, Naive2(h.insample, m, horizon), m);
    o.failed = !run.error.empty();
    o.wall_seconds = run.wall_seconds;
    o.cpu_seconds = run.cpu_seconds;
    o.model = o.failed ? "failed: " + run.error : run.model;
    out[ran[k]] = std::move(o);
  }
  return out;
}

MethodOutcomes FromRCache(const std::vector<Holdout>& data,
                          const std::map<std::string, RForecast>& by_series, int m) {
  MethodOutcomes out(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    auto it = by_series.find(data[i].id);
    if (it == by_series.end()) continue;
    Outcome o = ScoreForecast(data[i], it->second.mean, m);
    o.wall_seconds = it->second.seconds;
    o.cpu_seconds = it->second.cpu_seconds;
    o.model = it->second.model;
    out[i] = std::move(o);
  }
  return out;
}

Summary Summarize(const MethodOutcomes& method, const MethodOutcomes& naive2,
                  const std::vector<size_t>& indices) {
  Summary s;
  Totals n2;
  double cpu = 0;
  bool cpu_measured = true;
  for (size_t i : indices) {
    const Outcome& o = method[i];
    ++s.series;
    s.failures += o.failed ? 1 : 0;
    s.totals.smape += o.smape;
    s.totals.mase += o.mase;
    s.mean_wall_seconds += o.wall_seconds;
    cpu += o.cpu_seconds;
    cpu_measured = cpu_measured && o.cpu_seconds >= 0;
    n2.smape += naive2[i].smape;
    n2.mase += naive2[i].mase;
  }
  const double n = static_cast<double>(s.series);
  s.totals.smape /= n;
  s.totals.mase /= n;
  n2.smape /= n;
  n2.mase /= n;
  s.owa = Owa(s.totals, n2);
  s.mean_wall_seconds /= n;
  if (cpu_measured) s.mean_cpu_seconds = cpu / n;
  return s;
}

}  // namespace foresight::bench::m4
