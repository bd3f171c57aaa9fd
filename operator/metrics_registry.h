// MetricsRegistry: counters, gauges and histograms with labels, exposed in
// the Prometheus text format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/), written by
// hand: HELP/TYPE lines, escaped label values, histogram _bucket{le}/_sum/
// _count with a +Inf bucket. Families are exposed sorted by name, series by
// label values.
//
// Registration mistakes (a bad or duplicate name, a wrong number of label
// values) are programming errors: they abort with a message, like any other
// violated invariant (STYLE.md, Envoy's error policy).
// Thread-safety: every method may be called from any thread. Returned
// references stay valid for the registry's lifetime (unless Remove()d).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace foresight::op {

using LabelValues = std::vector<std::string>;

class Counter {
 public:
  // REQUIRES: v >= 0 (a counter never goes down; negative values are ignored).
  void Inc(double v = 1.0);
  double Value() const { return value_.load(); }

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v); }
  void Add(double v) { value_.fetch_add(v); }
  double Value() const { return value_.load(); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  explicit Histogram(const std::vector<double>* bounds);  // bounds: ascending, no +Inf
  void Observe(double v);

  struct Snapshot {
    std::vector<unsigned long long> cumulative;  // per bound, then +Inf
    double sum = 0;
    unsigned long long count = 0;
  };
  Snapshot Read() const;

 private:
  const std::vector<double>* bounds_;
  mutable std::mutex mu_;
  std::vector<unsigned long long> counts_;  // guarded by mu_; per bucket, last = +Inf
  double sum_ = 0;                          // guarded by mu_
  unsigned long long count_ = 0;            // guarded by mu_
};

// A metric family: one name, one HELP, fixed label names, one child series
// per distinct label values.
template <typename Child>
class Family {
 public:
  // REQUIRES: values.size() == label_names().size().
  Child& WithLabels(const LabelValues& values);
  // The only series of a family without labels.
  Child& Get() { return WithLabels({}); }
  // Stops exposing a series (e.g. a deleted autoscaler's).
  void Remove(const LabelValues& values);

  const std::string& name() const { return name_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

 private:
  friend class MetricsRegistry;
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::vector<double> bounds = {});
  std::unique_ptr<Child> Make();
  void Write(std::string& out, const char* type) const;

  // constant after construction
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;  // histograms only

  mutable std::mutex mu_;
  std::map<LabelValues, std::unique_ptr<Child>> children_;  // guarded by mu_
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();

  // `name` matches [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]*
  // without a leading "__"; a histogram may not use the label "le".
  CounterFamily& AddCounter(const std::string& name, const std::string& help,
                            const std::vector<std::string>& label_names = {});
  GaugeFamily& AddGauge(const std::string& name, const std::string& help,
                        const std::vector<std::string>& label_names = {});
  // `bounds`: the finite upper bounds, strictly ascending; +Inf is implied.
  HistogramFamily& AddHistogram(const std::string& name, const std::string& help,
                                const std::vector<double>& bounds,
                                const std::vector<std::string>& label_names = {});

  // The whole registry in the text format, version 0.0.4.
  std::string Expose() const;

 private:
  void CheckNew(const std::string& name, const std::vector<std::string>& label_names,
                bool histogram);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<CounterFamily>> counters_;      // guarded by mu_
  std::map<std::string, std::unique_ptr<GaugeFamily>> gauges_;          // guarded by mu_
  std::map<std::string, std::unique_ptr<HistogramFamily>> histograms_;  // guarded by mu_
};

// The content type of Expose()'s output.
inline constexpr char kExpositionContentType[] = "text/plain; version=0.0.4; charset=utf-8";

// Text-format pieces, exposed for tests.
std::string FormatMetricValue(double v);         // "1", "0.25", "+Inf", "NaN"
std::string EscapeLabelValue(const std::string& v);  // \ " and newline
std::string EscapeHelp(const std::string& v);        // \ and newline

}  // namespace foresight::op
