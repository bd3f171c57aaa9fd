#include "operator/autoscaler_spec.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>

#include "forecasting/season_choice.h"
#include "operator/duration.h"
#include "operator/forecast_limits.h"
#include "policies/risk_tuner.h"

namespace foresight::op {
namespace {

using Json = nlohmann::json;
using policies::FieldError;

// The fixes that end the messages of the CRD's CEL rules (crds/predictiveautoscaler.yaml); the
// operator's messages for the same rules end with them too.
constexpr const char* kMinMaxFix = "raise maxReplicas or lower minReplicas";
constexpr const char* kFallbackFix = "set fallback.replicas within them or remove it";
constexpr const char* kAuthKeysFix =
    "set either bearerTokenKey, or both usernameKey and passwordKey";
constexpr const char* kStepBoundsFix = "raise upperBound, or omit it for a step with no upper end";
constexpr const char* kWholeAdjustmentFix =
    "round it, or set adjustmentType: PercentChangeInCapacity";
// stepScaling.<dir>[].adjustment's maximum in the CRD.
constexpr double kMaxStepAdjustment = 100000;

// Which ends of a Range are open.
enum class Bounds { kInclusive, kExclusive, kExclusiveMax };

// Reads fields of one JSON object, recording an error for each one of the
// wrong type; absent fields leave the default in place. Every key looked up is
// recorded in `read` (when given), so that a caller reading a file can report
// the fields no one read (UnknownFields).
class FieldReader {
 public:
  FieldReader(const Json& object, std::string path, std::vector<FieldError>& errors,
              std::set<std::string>* read)
      : object_(object), path_(std::move(path)), errors_(errors), read_(read) {}

  std::string Path(const std::string& key) const { return path_ + "." + key; }
  const std::string& path() const { return path_; }
  const Json* Find(const std::string& key) const {
    if (read_) read_->insert(Path(key));
    if (!object_.is_object()) return nullptr;
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  void Fail(const std::string& key, const std::string& message) {
    errors_.push_back({Path(key), message});
  }
  // Whether an error was recorded for this field: checks across fields skip
  // values that were not read.
  bool Failed(const std::string& key) const {
    const std::string path = Path(key);
    return std::any_of(errors_.begin(), errors_.end(),
                       [&](const FieldError& e) { return e.field == path; });
  }

  void String(const std::string& key, std::string& out, bool required = false) {
    const Json* v = Find(key);
    if (!v) {
      if (required) Fail(key, Path(key) + " is required");
      return;
    }
    if (!v->is_string()) {
      Fail(key, Path(key) + " must be a string, got " + v->dump());
      return;
    }
    out = v->get<std::string>();
    if (required && out.empty()) Fail(key, Path(key) + " must not be empty");
  }
  void Number(const std::string& key, double& out, bool required = false) {
    const Json* v = Find(key);
    if (!v) {
      if (required) Fail(key, Path(key) + " is required");
      return;
    }
    if (!v->is_number()) {
      Fail(key, Path(key) + " must be a number, got " + v->dump());
      return;
    }
    out = v->get<double>();
  }
  // Reports a value outside [lo, hi] (open ends as `bounds` says) the way the API
  // server words OpenAPI minimum/maximum failures, quoting the value as written.
  void Range(const std::string& key, double value, double lo, double hi,
             Bounds bounds = Bounds::kInclusive) {
    const Json* v = Find(key);
    if (!v || Failed(key)) return;
    const bool open_lo = bounds == Bounds::kExclusive;
    const bool open_hi = bounds != Bounds::kInclusive;
    if (open_lo ? value <= lo : value < lo) {
      Fail(key, Path(key) + " should be greater than " +
                    std::string(open_lo ? "" : "or equal to ") + Num(lo) + ", got " + v->dump());
    } else if (open_hi ? value >= hi : value > hi) {
      Fail(key, Path(key) + " should be less than " + std::string(open_hi ? "" : "or equal to ") +
                    Num(hi) + ", got " + v->dump());
    }
  }
  static std::string Num(double v) {
    std::ostringstream out;
    out.precision(15);
    out << v;
    return out.str();
  }
  // A whole number in [lo, hi], the bounds checked before the conversion (out
  // of Int's range it would be undefined behaviour), worded as the API server
  // words OpenAPI minimum/maximum failures.
  template <typename Int>
  void Integer(const std::string& key, Int& out, bool required = false,
               double lo = std::numeric_limits<Int>::min(),
               double hi = std::numeric_limits<Int>::max()) {
    static_assert(sizeof(Int) <= 4, "bounds must be exact doubles");
    double d = static_cast<double>(out);
    Number(key, d, required);
    const Json* v = Find(key);
    if (!v || !v->is_number()) return;
    if (d != std::floor(d)) {
      Fail(key, Path(key) + " must be a whole number, got " + v->dump());
    } else if (d < lo) {
      Fail(key,
           Path(key) + " should be greater than or equal to " + Num(lo) + ", got " + v->dump());
    } else if (d > hi) {
      Fail(key, Path(key) + " should be less than or equal to " + Num(hi) + ", got " + v->dump());
    } else {
      out = static_cast<Int>(d);
    }
  }
  // Integer seconds fields (stabilizationWindowSeconds, periodSeconds, ...), in [lo, hi].
  void Seconds(const std::string& key, std::chrono::seconds& out, double lo, double hi,
               bool required = false) {
    int32_t n = static_cast<int32_t>(out.count());
    Integer(key, n, required, lo, hi);
    out = std::chrono::seconds(n);
  }
  void Bool(const std::string& key, bool& out) {
    const Json* v = Find(key);
    if (!v) return;
    if (!v->is_boolean()) {
      Fail(key, Path(key) + " must be true or false, got " + v->dump());
      return;
    }
    out = v->get<bool>();
  }
  // A duration string into whole seconds, as every duration of the spec is kept.
  void Duration(const std::string& key, std::chrono::seconds& out) {
    const Json* v = Find(key);
    if (!v) return;
    if (std::optional<std::chrono::seconds> d = DurationValue(*v, Path(key))) out = *d;
  }
  // The same for a value not under a key (a list item), at `path`.
  std::optional<std::chrono::seconds> DurationValue(const Json& v, const std::string& path) {
    const std::string text = v.is_string() ? v.get<std::string>() : "";
    bool too_long = false;
    std::optional<std::chrono::milliseconds> d =
        v.is_string() ? ParseDurationChecked(text, too_long) : std::nullopt;
    if (too_long) {
      errors_.push_back({path, path + " must be at most " +
                                   FormatDuration(std::chrono::seconds(kMaxDurationSeconds)) +
                                   " (100 years), got " + v.dump()});
      return std::nullopt;
    }
    if (!d) {
      errors_.push_back(
          {path, path + " must be a duration such as \"90s\", \"15m\", \"1h30m\" or \"7d\", got " +
                     v.dump()});
      return std::nullopt;
    }
    const auto whole = std::chrono::duration_cast<std::chrono::seconds>(*d);
    if (whole != *d) {
      const std::string up = FormatDuration(whole + std::chrono::seconds(1));
      errors_.push_back({path, path + " must be a whole number of seconds, got " + v.dump() +
                                   ": write " +
                                   (whole.count() > 0 ? FormatDuration(whole) + " or " + up : up)});
      return std::nullopt;
    }
    return whole;
  }
  void Object(const std::string& key, const std::function<void(FieldReader&)>& read) {
    const Json* v = Find(key);
    if (!v) return;
    if (!v->is_object()) {
      Fail(key, Path(key) + " must be an object, got " + v->dump());
      return;
    }
    FieldReader nested(*v, Path(key), errors_, read_);
    read(nested);
  }
  void List(const std::string& key, const std::function<void(FieldReader&, const Json&)>& read) {
    const Json* v = Find(key);
    if (!v) return;
    if (!v->is_array()) {
      Fail(key, Path(key) + " must be a list, got " + v->dump());
      return;
    }
    for (size_t i = 0; i < v->size(); ++i) {
      FieldReader item((*v)[i], Path(key) + "[" + std::to_string(i) + "]", errors_, read_);
      read(item, (*v)[i]);
    }
  }
  template <typename Enum>
  void Choice(const std::string& key, Enum& out,
              const std::vector<std::pair<std::string, Enum>>& choices,
              const std::string& hint = "") {
    const Json* v = Find(key);
    if (!v) return;
    std::string allowed;
    for (const auto& [name, value] : choices) {
      allowed += (allowed.empty() ? "" : ", ") + name;
      if (v->is_string() && v->get<std::string>() == name) {
        out = value;
        return;
      }
    }
    Fail(key, Path(key) + " must be one of " + allowed + ", got " + v->dump() + hint);
  }

 private:
  const Json& object_;
  std::string path_;
  std::vector<FieldError>& errors_;
  std::set<std::string>* read_;
};

void ReadRules(FieldReader& r, policies::ScalingRules& rules, std::chrono::seconds& cooldown) {
  r.Seconds("stabilizationWindowSeconds", rules.stabilization_window, 0, 3600);
  r.Choice<policies::SelectPolicy>("selectPolicy", rules.select_policy,
                                   {{"Max", policies::SelectPolicy::kMax},
                                    {"Min", policies::SelectPolicy::kMin},
                                    {"Disabled", policies::SelectPolicy::kDisabled}});
  if (const Json* list = r.Find("policies")) {
    rules.policies.clear();  // a written list replaces the defaults
    if (list->is_array() && (list->empty() || list->size() > 10)) {
      r.Fail("policies",
             r.Path("policies") + " must have 1 to 10 items, got " + std::to_string(list->size()));
    }
  }
  r.List("policies", [&](FieldReader& p, const Json&) {
    policies::ScalingPolicy policy;
    if (!p.Find("type")) p.Fail("type", p.Path("type") + " is required: Pods or Percent");
    p.Choice<policies::ScalingPolicyType>("type", policy.type,
                                          {{"Pods", policies::ScalingPolicyType::kPods},
                                           {"Percent", policies::ScalingPolicyType::kPercent}});
    p.Integer("value", policy.value, true, 1, std::numeric_limits<int32_t>::max());
    p.Seconds("periodSeconds", policy.period, 1, 1800, true);
    rules.policies.push_back(policy);
  });
  r.Seconds("cooldownSeconds", cooldown, 0, 86400);
}

// stepScaling.<dir>[] -> policies bands over gap = 100 * (demand - current) / current.
// A scale-down step's bounds are shortfalls (1 - load/capacity), i.e. the gap negated.
void ReadSteps(FieldReader& r, const std::string& key, bool scale_up,
               std::vector<policies::StepAdjustment>& out) {
  r.List(key, [&](FieldReader& s, const Json&) {
    double lower = 0.0, adjustment = 0.0;
    std::optional<double> upper;
    s.Number("lowerBound", lower);
    s.Range("lowerBound", lower, 0, std::numeric_limits<double>::max());
    if (s.Find("upperBound")) {
      double u = 0.0;
      s.Number("upperBound", u);
      s.Range("upperBound", u, 0, std::numeric_limits<double>::max());
      upper = u;
    }
    s.Number("adjustment", adjustment, true);
    s.Range("adjustment", adjustment, 0, kMaxStepAdjustment);
    policies::AdjustmentType type = policies::AdjustmentType::kChangeInCapacity;
    s.Choice<policies::AdjustmentType>(
        "adjustmentType", type,
        {{"ChangeInCapacity", policies::AdjustmentType::kChangeInCapacity},
         {"PercentChangeInCapacity", policies::AdjustmentType::kPercentChangeInCapacity},
         {"ExactCapacity", policies::AdjustmentType::kExactCapacity}});
    // The CRD's two CEL rules on a step, each message ending in the rule's own fix.
    if (upper && !s.Failed("lowerBound") && !s.Failed("upperBound") && !(lower < *upper)) {
      s.Fail("upperBound", s.path() + ": lowerBound (" + FieldReader::Num(lower) +
                               ") must be less than upperBound (" + FieldReader::Num(*upper) +
                               "); " + kStepBoundsFix);
    }
    if (type != policies::AdjustmentType::kPercentChangeInCapacity && !s.Failed("adjustment") &&
        adjustment != std::floor(adjustment)) {
      s.Fail("adjustment", s.Path("adjustment") +
                               " must be a whole number unless adjustmentType is "
                               "PercentChangeInCapacity, got " +
                               FieldReader::Num(adjustment) + "; " + kWholeAdjustmentFix);
    }
    policies::StepAdjustment step;
    step.type = type;
    // A magnitude: the list gives the direction, except for a replica count.
    step.value =
        type == policies::AdjustmentType::kExactCapacity || scale_up ? adjustment : -adjustment;
    if (scale_up) {
      step.lower_bound_percent = 100.0 * lower;
      if (upper) step.upper_bound_percent = 100.0 * *upper;
    } else {
      step.upper_bound_percent = -100.0 * lower;
      if (upper) step.lower_bound_percent = -100.0 * *upper;
    }
    if (type == policies::AdjustmentType::kPercentChangeInCapacity)
      step.min_adjustment_magnitude = 1;
    out.push_back(step);
  });
}

std::string Quoted(std::chrono::seconds d) { return "\"" + FormatDuration(d) + "\""; }

// The forecast settings against each other and against kMin/kMax* (operator/forecast_limits.h):
// what the API server's schema cannot check, and each an allocation or a forecast that would
// otherwise fail or silently never happen at run time.
void CheckForecastSizes(const AutoscalerSpec& s, FieldReader& f) {
  using std::chrono::hours;
  using std::chrono::seconds;
  const ForecastSettings& fc = s.forecast;
  const seconds res = fc.resolution;
  // A value as the user wrote it ("90s", not "1m30s"), or the default's.
  auto as_written = [&](const std::string& key, seconds value) {
    const Json* v = f.Find(key);
    return v ? v->dump() : Quoted(value);
  };
  if (f.Failed("resolution") || f.Failed("history")) return;
  if (res < seconds(1)) {
    f.Fail("resolution",
           "spec.forecast.resolution must be at least 1s, got " + as_written("resolution", res));
    return;
  }
  const long long points = fc.history / res;
  if (points < kMinHistoryPoints) {
    f.Fail("history", "spec.forecast.history (" + as_written("history", fc.history) + ") holds " +
                          std::to_string(points) + " points of spec.forecast.resolution (" +
                          as_written("resolution", res) + "), and a forecast needs at least " +
                          std::to_string(kMinHistoryPoints) + ": set history to at least " +
                          Quoted(res * kMinHistoryPoints) + " (the default is 7d)");
  } else if (points > kMaxHistoryPoints) {
    const seconds finest{(fc.history.count() + kMaxHistoryPoints - 1) / kMaxHistoryPoints};
    f.Fail("history", "spec.forecast.history (" + as_written("history", fc.history) +
                          ") at spec.forecast.resolution (" + as_written("resolution", res) +
                          ") is " + std::to_string(points) + " points, more than the " +
                          std::to_string(kMaxHistoryPoints) +
                          " the operator fetches and fits: shorten history to at most " +
                          Quoted(res * kMaxHistoryPoints) + " or coarsen resolution to at least " +
                          Quoted(finest));
  }
  if (const Json* list = f.Find("seasonalPeriods"); list && list->is_array() && list->size() > 4) {
    f.Fail("seasonalPeriods", "spec.forecast.seasonalPeriods must have at most 4 items, got " +
                                  std::to_string(list->size()) + ": keep the longest 4");
  }
  // Periods that did not parse are reported already; the rest are checked by their index.
  const Json* periods = f.Find("seasonalPeriods");
  const bool all_read =
      !periods || (periods->is_array() && periods->size() == fc.seasonal_periods.size());
  for (size_t i = 0; all_read && i < fc.seasonal_periods.size(); ++i) {
    const seconds period = fc.seasonal_periods[i];
    const std::string at = f.Path("seasonalPeriods") + "[" + std::to_string(i) + "]";
    const std::string what = at + " (" + (*periods)[i].dump() + ")";
    if (period < 2 * res) {
      f.Fail("seasonalPeriods[" + std::to_string(i) + "]",
             what + " is shorter than 2 steps of spec.forecast.resolution (" +
                 as_written("resolution", res) + "), too short to be a season: use at least " +
                 Quoted(2 * res) + ", e.g. \"1d\", or remove it");
    } else if (period % res != seconds(0)) {
      f.Fail("seasonalPeriods[" + std::to_string(i) + "]",
             what + " is not a whole number of steps of spec.forecast.resolution (" +
                 as_written("resolution", res) + "): use " + Quoted(period / res * res) + " or " +
                 Quoted((period / res + 1) * res));
    } else if (period * forecasting::kMinSeasonCycles >= fc.history) {
      // The forecaster fits a season only on more than two cycles (forecasting/season_choice.h):
      // accepted at exactly two, it would be dropped at run time.
      const seconds shortest = period * forecasting::kMinSeasonCycles + res;
      const seconds unit = period >= hours(24) ? hours(24) : period >= hours(1) ? hours(1) : res;
      const seconds suggested = (shortest + unit - seconds(1)) / unit * unit;
      f.Fail("seasonalPeriods[" + std::to_string(i) + "]",
             what + " needs more than " + std::to_string(forecasting::kMinSeasonCycles) +
                 " cycles of spec.forecast.history (" + as_written("history", fc.history) +
                 ") to be fitted: lengthen history to more than " +
                 Quoted(period * forecasting::kMinSeasonCycles) + " (e.g. " + Quoted(suggested) +
                 ") or remove this period");
    }
  }
  if (f.Failed("refitInterval")) return;
  if (fc.refit_interval < seconds(1)) {
    f.Fail("refitInterval", "spec.forecast.refitInterval must be at least 1s, got " +
                                as_written("refitInterval", fc.refit_interval) +
                                ": it is how often the model is fitted again (default 1h)");
    return;
  }
  // Each fit forecasts until the next one, plus the lead time (operator/rolling_forecaster.cc).
  const seconds lead = s.policy.forecast.lead_time();
  const long long steps = (fc.refit_interval + lead) / res;
  if (steps > kMaxForecastSteps) {
    f.Fail(
        "refitInterval",
        "spec.forecast.refitInterval (" + as_written("refitInterval", fc.refit_interval) +
            ") plus the lead time (" + Quoted(lead) + ") is " + std::to_string(steps) +
            " steps of spec.forecast.resolution (" + as_written("resolution", res) +
            ") to forecast at each fit, "
            "more than " +
            std::to_string(kMaxForecastSteps) +
            ": refit more often, shorten the lead time (spec.forecast.leadTime, or startupDelay + "
            "metricDelay) or coarsen resolution");
  }
}

// Risk tuning keeps the forecasts of every decision of its window (policies/risk_tuner.h).
void CheckRiskTuningMemory(const AutoscalerSpec& s, std::vector<FieldError>& errors) {
  const policies::PolicySpec& p = s.policy;
  if (!policies::TunesRisk(p) || s.decision_interval < std::chrono::seconds(1) ||
      s.forecast.resolution < std::chrono::seconds(1)) {
    return;
  }
  const long long decisions = p.forecast.risk_tuning.window / s.decision_interval;
  const long long per_decision = p.forecast.lead_time() / s.forecast.resolution + 2;
  // In double: both factors may be near 3e9 when the durations are at their cap.
  if (static_cast<double>(decisions) * static_cast<double>(per_decision) <=
      kMaxRecordedForecastPoints) {
    return;
  }
  errors.push_back({"spec.forecast.riskTuning.window",
                    "spec.forecast.riskTuning.window (" + Quoted(p.forecast.risk_tuning.window) +
                        ") at spec.decisionInterval (" + Quoted(s.decision_interval) + ") is " +
                        std::to_string(decisions) + " decisions whose forecasts (" +
                        std::to_string(per_decision) +
                        " points each) risk tuning keeps, more than " +
                        std::to_string(kMaxRecordedForecastPoints) +
                        " points: shorten riskTuning.window, lengthen decisionInterval, or set "
                        "riskTuning.enabled: false"});
}

bool HasError(const std::vector<FieldError>& errors, const std::string& field) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const FieldError& e) { return e.field == field; });
}

}  // namespace

std::string ParsedSpec::ErrorSummary() const {
  std::string out;
  for (const FieldError& e : errors) out += (out.empty() ? "" : "; ") + e.message;
  return out;
}

ParsedSpec ParseAutoscalerSpec(const Json& spec) {
  ParsedSpec parsed;
  AutoscalerSpec& s = parsed.spec;
  std::vector<FieldError>& errors = parsed.errors;
  if (!spec.is_object()) {
    errors.push_back({"spec", spec.is_null() ? "spec is required"
                                             : "spec must be an object, got " + spec.dump()});
    return parsed;
  }
  FieldReader r(spec, "spec", errors, &parsed.fields_read);
  policies::PolicySpec& p = s.policy;

  if (!r.Find("scaleTargetRef")) r.Fail("scaleTargetRef", "spec.scaleTargetRef is required");
  r.Object("scaleTargetRef", [&](FieldReader& t) {
    t.String("apiVersion", s.target.api_version);
    if (s.target.api_version.empty())
      t.Fail("apiVersion", "spec.scaleTargetRef.apiVersion must not be empty (omit it for apps/v1)");
    t.String("kind", s.target.kind, true);
    t.String("name", s.target.name, true);
  });
  r.Integer("minReplicas", p.min_replicas, false, 1);
  r.Integer("maxReplicas", p.max_replicas, true, 1);
  r.Choice<policies::Mode>("mode", p.mode,
                           {{"Auto", policies::Mode::kAuto},
                            {"ForecastOnly", policies::Mode::kForecastOnly},
                            {"Off", policies::Mode::kOff}},
                           r.Find("mode") && r.Find("mode")->is_boolean()
                               ? " (YAML 1.1 reads a bare Off as false: write mode: \"Off\")"
                               : "");
  r.Duration("decisionInterval", s.decision_interval);

  if (!r.Find("metric")) r.Fail("metric", "spec.metric is required");
  r.Object("metric", [&](FieldReader& m) {
    m.String("query", s.query, true);
    m.Number("targetPerReplica", p.target_per_replica, true);
    m.Number("tolerance", p.tolerance);
    // Exclusive: a tolerance of 1 would hold every scale-down (the band reaches load 0).
    m.Range("tolerance", p.tolerance, 0, 1, Bounds::kExclusiveMax);
    m.Range("targetPerReplica", p.target_per_replica, 0, std::numeric_limits<double>::max(),
            Bounds::kExclusive);
    m.Object("prometheus", [&](FieldReader& prom) {
      prom.String("address", s.prometheus.address);
      prom.Bool("insecureSkipVerify", s.prometheus.insecure_skip_verify);
      prom.Object("authSecretRef", [&](FieldReader& a) {
        a.String("name", s.prometheus.auth_secret_name, true);
        // The CRD's CEL rule counts a key as set when present, even if empty.
        std::string set;
        for (const char* key : {"bearerTokenKey", "usernameKey", "passwordKey"}) {
          if (a.Find(key)) set += std::string(set.empty() ? "" : " and ") + key;
        }
        a.String("bearerTokenKey", s.prometheus.bearer_token_key);
        a.String("usernameKey", s.prometheus.username_key);
        a.String("passwordKey", s.prometheus.password_key);
        const bool bearer = a.Find("bearerTokenKey") != nullptr;
        const bool user = a.Find("usernameKey") != nullptr;
        const bool password = a.Find("passwordKey") != nullptr;
        if (bearer ? user || password : !(user && password)) {
          errors.push_back({a.path(), a.path() + (set.empty() ? " sets no key" : " sets " + set) +
                                          ": " + kAuthKeysFix});
        }
      });
    });
  });

  std::optional<std::chrono::seconds> lead_time;
  r.Object("forecast", [&](FieldReader& f) {
    f.Choice<std::string>("model", s.forecast.model,
                          {{"auto", "auto"},
                           {"ets", "ets"},
                           {"arima", "arima"},
                           {"theta", "theta"},
                           {"naive", "naive"},
                           {"snaive", "snaive"},
                           {"mstl", "mstl"}});
    f.Duration("history", s.forecast.history);
    f.Duration("resolution", s.forecast.resolution);
    f.List("seasonalPeriods", [&](FieldReader& item, const Json& v) {
      if (std::optional<std::chrono::seconds> d = item.DurationValue(v, item.path())) {
        s.forecast.seasonal_periods.push_back(*d);
      }
    });
    f.Duration("startupDelay", p.forecast.pod_startup);
    f.Duration("metricDelay", p.forecast.metric_delay);
    if (f.Find("leadTime")) {
      std::chrono::seconds lt{0};
      f.Duration("leadTime", lt);
      if (!f.Failed("leadTime")) lead_time = lt;
    }
    f.Number("quantile", p.forecast.quantile);
    f.Range("quantile", p.forecast.quantile, 0, 1, Bounds::kExclusive);
    f.Choice<policies::Sizing>("sizing", p.forecast.sizing,
                               {{"Quantile", policies::Sizing::kQuantile},
                                {"Marginal", policies::Sizing::kMarginal}});
    f.Number("marginalRisk", p.forecast.marginal_risk);
    f.Range("marginalRisk", p.forecast.marginal_risk, 0, 1, Bounds::kExclusive);
    f.Object("riskTuning", [&](FieldReader& t) {
      policies::RiskTuning& tuning = p.forecast.risk_tuning;
      t.Bool("enabled", tuning.enabled);
      t.Number("overloadVsHpa", tuning.overload_vs_hpa);
      t.Range("overloadVsHpa", tuning.overload_vs_hpa, 0, 10, Bounds::kExclusive);
      t.Duration("window", tuning.window);
      t.Duration("interval", tuning.interval);
    });
    f.Number("headroom", p.forecast.headroom);
    f.Range("headroom", p.forecast.headroom, 0, 10);
    f.Duration("refitInterval", s.forecast.refit_interval);
    if (lead_time) {
      // The policies size for pod start-up + metric delay; an explicit lead time
      // replaces that sum, so the start-up share is what remains of it.
      if (*lead_time < p.forecast.metric_delay) {
        f.Fail("leadTime", "spec.forecast.leadTime (" + Quoted(*lead_time) +
                               ") must be at least spec.forecast.metricDelay (" +
                               Quoted(p.forecast.metric_delay) +
                               "): the load is seen that late; lengthen leadTime or omit it");
      } else {
        p.forecast.pod_startup = *lead_time - p.forecast.metric_delay;
      }
    }
  });
  // Defaults are checked too: a resolution or history set alone must still fit the other.
  {
    static const Json kNoForecast = Json::object();
    const Json* written = r.Find("forecast");
    FieldReader f(written && written->is_object() ? *written : kNoForecast, "spec.forecast", errors,
                  nullptr);
    CheckForecastSizes(s, f);
  }
  // The tuner replays traffic from the history: the default window shrinks to fit a shorter
  // one, a window set explicitly must fit.
  const Json* forecast = r.Find("forecast");
  const bool window_set = forecast && forecast->is_object() && forecast->contains("riskTuning") &&
                          (*forecast)["riskTuning"].is_object() &&
                          (*forecast)["riskTuning"].contains("window");
  if (p.forecast.risk_tuning.window > s.forecast.history) {
    if (window_set && p.forecast.risk_tuning.enabled) {
      errors.push_back(
          {"spec.forecast.riskTuning.window",
           "spec.forecast.riskTuning.window (" + Quoted(p.forecast.risk_tuning.window) +
               ") must not exceed spec.forecast.history (" + Quoted(s.forecast.history) +
               "): the tuner replays traffic from that history; lengthen history or "
               "shorten window"});
    } else {
      p.forecast.risk_tuning.window = s.forecast.history;
    }
  }
  if (!HasError(errors, "spec.decisionInterval") && s.decision_interval < std::chrono::seconds(1)) {
    errors.push_back({"spec.decisionInterval", "spec.decisionInterval must be at least 1s, got " +
                                                   Quoted(s.decision_interval)});
  }

  std::chrono::seconds up_cooldown{0}, down_cooldown{0};
  bool down_window_set = false;
  r.Object("behavior", [&](FieldReader& b) {
    b.Object("scaleUp", [&](FieldReader& d) { ReadRules(d, p.behavior.scale_up, up_cooldown); });
    b.Object("scaleDown", [&](FieldReader& d) {
      ReadRules(d, p.behavior.scale_down, down_cooldown);
      down_window_set = d.Find("stabilizationWindowSeconds") != nullptr;
    });
  });
  p.cooldown.scale_up = up_cooldown;
  p.cooldown.scale_down = down_cooldown;
  // Left unset, the scale-down window is the HPA's 300 s until risk tuning chooses between it
  // and a shorter one (policies/risk_tuner.h); a window the user set is kept as set.
  if (!down_window_set && policies::TunesRisk(p)) {
    p.forecast.risk_tuning.scale_down_windows = policies::TunedScaleDownWindows();
  }
  CheckRiskTuningMemory(s, errors);

  r.Object("stepScaling", [&](FieldReader& st) {
    ReadSteps(st, "scaleUp", true, p.step_policies);
    ReadSteps(st, "scaleDown", false, p.step_policies);
  });
  r.Object("fallback", [&](FieldReader& fb) {
    fb.Integer("failureThreshold", p.fallback.failure_threshold, false, 1);
    if (fb.Find("replicas")) {
      int32_t replicas = 0;
      fb.Integer("replicas", replicas);
      if (!fb.Failed("replicas")) p.fallback.replicas = replicas;
    }
  });
  // The CRD's CEL rules across fields, each message ending in the rule's own fix.
  const bool bounds_read =
      !HasError(errors, "spec.minReplicas") && !HasError(errors, "spec.maxReplicas");
  if (bounds_read && p.min_replicas > p.max_replicas) {
    errors.push_back({"spec.minReplicas", "spec.minReplicas (" + std::to_string(p.min_replicas) +
                                              ") must be less than or equal to spec.maxReplicas (" +
                                              std::to_string(p.max_replicas) + "); " + kMinMaxFix});
  }
  if (bounds_read && p.fallback.replicas &&
      (*p.fallback.replicas < p.min_replicas || *p.fallback.replicas > p.max_replicas)) {
    errors.push_back({"spec.fallback.replicas",
                      "spec.fallback.replicas (" + std::to_string(*p.fallback.replicas) +
                          ") must be between spec.minReplicas (" + std::to_string(p.min_replicas) +
                          ") and spec.maxReplicas (" + std::to_string(p.max_replicas) + "); " +
                          kFallbackFix});
  }

  // The checks above use the resource's field paths and the API server's
  // wording; the policies' own validation (written against its plain struct)
  // backs them up, so nothing Decide() requires can slip through.
  if (errors.empty()) errors = policies::Validate(p);
  return parsed;
}

}  // namespace foresight::op
