#include "operator/metrics_registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <type_traits>

namespace foresight::op {
namespace {

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "metrics registry: %s\n", message.c_str());
  std::abort();
}

bool ValidName(const std::string& s, bool colons) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                    (colons && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// name{a="x",b="y"} plus an optional extra label (le) appended.
void WriteSeriesName(std::string& out, const std::string& name, const std::string& suffix,
                     const std::vector<std::string>& names, const LabelValues& values,
                     const char* extra_name = nullptr, const std::string& extra_value = "") {
  out += name;
  out += suffix;
  if (names.empty() && extra_name == nullptr) return;
  out += '{';
  bool first = true;
  for (size_t i = 0; i < names.size(); ++i) {
    if (!first) out += ',';
    first = false;
    out += names[i];
    out += "=\"";
    out += EscapeLabelValue(values[i]);
    out += '"';
  }
  if (extra_name != nullptr) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

void WriteHeader(std::string& out, const std::string& name, const std::string& help,
                 const char* type) {
  out += "# HELP " + name + " " + EscapeHelp(help) + "\n";
  out += "# TYPE " + name + " " + type + "\n";
}

}  // namespace

std::string FormatMetricValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);  // shortest round-trip form
  return std::string(buf, r.ptr);
}

std::string EscapeLabelValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string EscapeHelp(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

void Counter::Inc(double v) {
  if (v > 0) value_.fetch_add(v);
}

Histogram::Histogram(const std::vector<double>* bounds)
    : bounds_(bounds), counts_(bounds->size() + 1, 0) {}

void Histogram::Observe(double v) {
  // The first bucket whose upper bound is >= v (le is inclusive).
  const size_t i = std::lower_bound(bounds_->begin(), bounds_->end(), v) - bounds_->begin();
  std::lock_guard lock(mu_);
  ++counts_[std::isnan(v) ? bounds_->size() : i];
  sum_ += v;
  ++count_;
}

Histogram::Snapshot Histogram::Read() const {
  std::lock_guard lock(mu_);
  Snapshot s;
  unsigned long long running = 0;
  for (unsigned long long c : counts_) s.cumulative.push_back(running += c);
  s.sum = sum_;
  s.count = count_;
  return s;
}

template <typename Child>
Family<Child>::Family(std::string name, std::string help, std::vector<std::string> label_names,
                      std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {
  if (label_names_.empty()) children_.emplace(LabelValues{}, Make());
}

template <typename Child>
std::unique_ptr<Child> Family<Child>::Make() {
  if constexpr (std::is_same_v<Child, Histogram>) {
    return std::make_unique<Histogram>(&bounds_);
  } else {
    return std::make_unique<Child>();
  }
}

template <typename Child>
Child& Family<Child>::WithLabels(const LabelValues& values) {
  if (values.size() != label_names_.size())
    Die(name_ + ": " + std::to_string(values.size()) + " label values given for " +
        std::to_string(label_names_.size()) + " label names");
  std::lock_guard lock(mu_);
  auto& slot = children_[values];
  if (!slot) slot = Make();
  return *slot;
}

template <typename Child>
void Family<Child>::Remove(const LabelValues& values) {
  if (label_names_.empty()) return;
  std::lock_guard lock(mu_);
  children_.erase(values);
}

template <typename Child>
void Family<Child>::Write(std::string& out, const char* type) const {
  WriteHeader(out, name_, help_, type);
  std::lock_guard lock(mu_);
  for (const auto& [values, child] : children_) {
    if constexpr (std::is_same_v<Child, Histogram>) {
      const Histogram::Snapshot s = child->Read();
      for (size_t i = 0; i <= bounds_.size(); ++i) {
        const std::string le = i < bounds_.size() ? FormatMetricValue(bounds_[i]) : "+Inf";
        WriteSeriesName(out, name_, "_bucket", label_names_, values, "le", le);
        out += ' ' + std::to_string(s.cumulative[i]) + '\n';
      }
      WriteSeriesName(out, name_, "_sum", label_names_, values);
      out += ' ' + FormatMetricValue(s.sum) + '\n';
      WriteSeriesName(out, name_, "_count", label_names_, values);
      out += ' ' + std::to_string(s.count) + '\n';
    } else {
      WriteSeriesName(out, name_, "", label_names_, values);
      out += ' ' + FormatMetricValue(child->Value()) + '\n';
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

void MetricsRegistry::CheckNew(const std::string& name,
                               const std::vector<std::string>& label_names, bool histogram) {
  if (!ValidName(name, /*colons=*/true)) Die("invalid metric name '" + name + "'");
  if (counters_.count(name) || gauges_.count(name) || histograms_.count(name))
    Die("metric '" + name + "' registered twice");
  for (const auto& l : label_names) {
    if (!ValidName(l, /*colons=*/false) || l.rfind("__", 0) == 0)
      Die(name + ": invalid label name '" + l + "'");
    if (histogram && l == "le") Die(name + ": a histogram may not use the label 'le'");
  }
  auto sorted = label_names;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    Die(name + ": a label name is repeated");
}

CounterFamily& MetricsRegistry::AddCounter(const std::string& name, const std::string& help,
                                           const std::vector<std::string>& label_names) {
  std::lock_guard lock(mu_);
  CheckNew(name, label_names, false);
  auto& f = counters_[name];
  f.reset(new CounterFamily(name, help, label_names));
  return *f;
}

GaugeFamily& MetricsRegistry::AddGauge(const std::string& name, const std::string& help,
                                       const std::vector<std::string>& label_names) {
  std::lock_guard lock(mu_);
  CheckNew(name, label_names, false);
  auto& f = gauges_[name];
  f.reset(new GaugeFamily(name, help, label_names));
  return *f;
}

HistogramFamily& MetricsRegistry::AddHistogram(const std::string& name, const std::string& help,
                                               const std::vector<double>& bounds,
                                               const std::vector<std::string>& label_names) {
  std::lock_guard lock(mu_);
  CheckNew(name, label_names, true);
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
      Die(name + ": histogram bounds must be finite and strictly ascending");
  }
  auto& f = histograms_[name];
  f.reset(new HistogramFamily(name, help, label_names, bounds));
  return *f;
}

std::string MetricsRegistry::Expose() const {
  std::lock_guard lock(mu_);
  // Merge the three maps in name order.
  std::map<std::string, std::pair<const void*, int>> all;
  for (const auto& [n, f] : counters_) all[n] = {f.get(), 0};
  for (const auto& [n, f] : gauges_) all[n] = {f.get(), 1};
  for (const auto& [n, f] : histograms_) all[n] = {f.get(), 2};
  std::string out;
  for (const auto& [n, entry] : all) {
    switch (entry.second) {
      case 0: static_cast<const CounterFamily*>(entry.first)->Write(out, "counter"); break;
      case 1: static_cast<const GaugeFamily*>(entry.first)->Write(out, "gauge"); break;
      default: static_cast<const HistogramFamily*>(entry.first)->Write(out, "histogram"); break;
    }
  }
  return out;
}

}  // namespace foresight::op
