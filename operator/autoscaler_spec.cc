#include "operator/autoscaler_spec.h"

#include <cmath>
#include <functional>

#include "policies/risk_tuner.h"

namespace foresight::op {
namespace {

using Json = nlohmann::json;
using policies::FieldError;

// Reads fields of one JSON object, recording an error for each one of the
// wrong type; absent fields leave the default in place.
class FieldReader {
 public:
  FieldReader(const Json& object, std::string path, std::vector<FieldError>& errors)
      : object_(object), path_(std::move(path)), errors_(errors) {}

  std::string Path(const std::string& key) const { return path_ + "." + key; }
  const Json* Find(const std::string& key) const {
    if (!object_.is_object()) return nullptr;
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  void Fail(const std::string& key, const std::string& message) {
    errors_.push_back({Path(key), message});
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
  // Reports value outside [lo, hi] (open ends when exclusive) the way the API
  // server words OpenAPI minimum/maximum failures.
  void Range(const std::string& key, double value, double lo, double hi, bool exclusive = false) {
    if (!Find(key)) return;
    if (exclusive ? value <= lo : value < lo) {
      Fail(key, Path(key) + " should be greater than " +
                    std::string(exclusive ? "" : "or equal to ") + Num(lo) + ", got " + Num(value));
    } else if (exclusive ? value >= hi : value > hi) {
      Fail(key, Path(key) + " should be less than " + std::string(exclusive ? "" : "or equal to ") +
                    Num(hi) + ", got " + Num(value));
    }
  }
  static std::string Num(double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
    return s;
  }
  template <typename Int>
  void Integer(const std::string& key, Int& out, bool required = false) {
    double d = static_cast<double>(out);
    Number(key, d, required);
    if (d != std::floor(d)) {
      Fail(key, Path(key) + " must be a whole number, got " + std::to_string(d));
      return;
    }
    out = static_cast<Int>(d);
  }
  // Integer seconds fields (stabilizationWindowSeconds, periodSeconds, ...).
  void Seconds(const std::string& key, std::chrono::seconds& out, bool required = false) {
    long long n = out.count();
    Integer(key, n, required);
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
  template <typename Rep, typename Period>
  void Duration(const std::string& key, std::chrono::duration<Rep, Period>& out) {
    const Json* v = Find(key);
    if (!v) return;
    std::optional<std::chrono::milliseconds> d =
        v->is_string() ? ParseDuration(v->get<std::string>()) : std::nullopt;
    if (!d) {
      Fail(key, Path(key) +
                    " must be a duration such as \"90s\", \"15m\", \"1h30m\" or \"7d\", got " +
                    v->dump());
      return;
    }
    out = std::chrono::duration_cast<std::chrono::duration<Rep, Period>>(*d);
  }
  void Object(const std::string& key, const std::function<void(FieldReader&)>& read) {
    const Json* v = Find(key);
    if (!v) return;
    if (!v->is_object()) {
      Fail(key, Path(key) + " must be an object, got " + v->dump());
      return;
    }
    FieldReader nested(*v, Path(key), errors_);
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
      FieldReader item((*v)[i], Path(key) + "[" + std::to_string(i) + "]", errors_);
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
};

void ReadRules(FieldReader& r, policies::ScalingRules& rules, std::chrono::seconds& cooldown) {
  r.Seconds("stabilizationWindowSeconds", rules.stabilization_window);
  r.Range("stabilizationWindowSeconds", rules.stabilization_window.count(), 0, 3600);
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
    p.Choice<policies::ScalingPolicyType>("type", policy.type,
                                          {{"Pods", policies::ScalingPolicyType::kPods},
                                           {"Percent", policies::ScalingPolicyType::kPercent}});
    p.Integer("value", policy.value, true);
    p.Seconds("periodSeconds", policy.period, true);
    p.Range("value", policy.value, 1, 1e9);
    p.Range("periodSeconds", policy.period.count(), 1, 1800);
    rules.policies.push_back(policy);
  });
  r.Seconds("cooldownSeconds", cooldown);
  r.Range("cooldownSeconds", cooldown.count(), 0, 86400);
}

// stepScaling.<dir>[] -> policies bands over gap = 100 * (demand - current) / current.
// A scale-down step's bounds are shortfalls (1 - load/capacity), i.e. the gap negated.
void ReadSteps(FieldReader& r, const std::string& key, bool scale_up,
               std::vector<policies::StepAdjustment>& out) {
  r.List(key, [&](FieldReader& s, const Json&) {
    double lower = 0.0, adjustment = 0.0;
    std::optional<double> upper;
    s.Number("lowerBound", lower);
    if (s.Find("upperBound")) {
      double u = 0.0;
      s.Number("upperBound", u);
      upper = u;
    }
    s.Number("adjustment", adjustment, true);
    policies::AdjustmentType type = policies::AdjustmentType::kChangeInCapacity;
    s.Choice<policies::AdjustmentType>(
        "adjustmentType", type,
        {{"ChangeInCapacity", policies::AdjustmentType::kChangeInCapacity},
         {"PercentChangeInCapacity", policies::AdjustmentType::kPercentChangeInCapacity},
         {"ExactCapacity", policies::AdjustmentType::kExactCapacity}});
    if (lower < 0.0 || (upper && *upper < 0.0))
      s.Fail("lowerBound", s.Path("lowerBound") + " and upperBound must be >= 0");
    if (upper && !(lower < *upper)) s.Fail("upperBound", "lowerBound must be less than upperBound");
    if (type != policies::AdjustmentType::kPercentChangeInCapacity &&
        adjustment != std::floor(adjustment)) {
      s.Fail("adjustment",
             "adjustment must be a whole number unless adjustmentType is PercentChangeInCapacity");
    }
    policies::StepAdjustment step;
    step.type = type;
    const int32_t magnitude = static_cast<int32_t>(std::lround(adjustment));
    step.value = type == policies::AdjustmentType::kExactCapacity
                     ? magnitude
                     : (scale_up ? magnitude : -magnitude);
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

}  // namespace

std::optional<std::chrono::milliseconds> ParseDuration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::chrono::milliseconds total{0};
  size_t i = 0;
  while (i < text.size()) {
    size_t digits_end = i;
    while (digits_end < text.size() && std::isdigit(static_cast<unsigned char>(text[digits_end])))
      ++digits_end;
    if (digits_end == i || digits_end - i > 12) return std::nullopt;
    const long long n = std::stoll(text.substr(i, digits_end - i));
    const std::string rest = text.substr(digits_end);
    if (rest.rfind("ms", 0) == 0) {
      total += std::chrono::milliseconds(n);
      i = digits_end + 2;
    } else if (!rest.empty() &&
               (rest[0] == 's' || rest[0] == 'm' || rest[0] == 'h' || rest[0] == 'd')) {
      const long long unit = rest[0] == 's'   ? 1
                             : rest[0] == 'm' ? 60
                             : rest[0] == 'h' ? 3600
                                              : 86400;
      total += std::chrono::seconds(n * unit);
      i = digits_end + 1;
    } else {
      return std::nullopt;
    }
  }
  return total;
}

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
    errors.push_back({"spec", "spec must be an object"});
    return parsed;
  }
  FieldReader r(spec, "spec", errors);
  policies::PolicySpec& p = s.policy;

  if (!r.Find("scaleTargetRef")) r.Fail("scaleTargetRef", "spec.scaleTargetRef is required");
  r.Object("scaleTargetRef", [&](FieldReader& t) {
    t.String("apiVersion", s.target.api_version);
    if (s.target.api_version.empty())
      t.Fail("apiVersion", "spec.scaleTargetRef.apiVersion must not be empty (omit it for apps/v1)");
    t.String("kind", s.target.kind, true);
    t.String("name", s.target.name, true);
  });
  r.Integer("minReplicas", p.min_replicas);
  r.Range("minReplicas", p.min_replicas, 1, 2147483647);
  r.Integer("maxReplicas", p.max_replicas, true);
  r.Range("maxReplicas", p.max_replicas, 1, 2147483647);
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
    m.Range("tolerance", p.tolerance, 0, 1);
    m.Range("targetPerReplica", p.target_per_replica, 0, 1e300, true);
    m.Object("prometheus", [&](FieldReader& prom) {
      prom.String("address", s.prometheus.address);
      prom.Bool("insecureSkipVerify", s.prometheus.insecure_skip_verify);
      prom.Object("authSecretRef", [&](FieldReader& a) {
        a.String("name", s.prometheus.auth_secret_name, true);
        a.String("bearerTokenKey", s.prometheus.bearer_token_key);
        a.String("usernameKey", s.prometheus.username_key);
        a.String("passwordKey", s.prometheus.password_key);
        const bool bearer = !s.prometheus.bearer_token_key.empty();
        const bool basic = !s.prometheus.username_key.empty() && !s.prometheus.password_key.empty();
        const bool partial =
            !s.prometheus.username_key.empty() || !s.prometheus.password_key.empty();
        if (bearer == partial || (!bearer && !basic)) {
          a.Fail("bearerTokenKey",
                 "set either bearerTokenKey, or both usernameKey and passwordKey");
        }
      });
    });
  });

  std::optional<std::chrono::seconds> lead_time;
  bool window_set = false;
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
      std::optional<std::chrono::milliseconds> d =
          v.is_string() ? ParseDuration(v.get<std::string>()) : std::nullopt;
      if (!d || *d < std::chrono::seconds(1)) {
        errors.push_back({item.Path("").substr(0, item.Path("").size() - 1),
                          "spec.forecast.seasonalPeriods entries must be durations such as \"1d\" "
                          "or \"7d\", got " +
                              v.dump()});
        return;
      }
      s.forecast.seasonal_periods.push_back(std::chrono::duration_cast<std::chrono::seconds>(*d));
    });
    f.Duration("startupDelay", p.forecast.pod_startup);
    f.Duration("metricDelay", p.forecast.metric_delay);
    if (f.Find("leadTime")) {
      std::chrono::seconds lt{0};
      f.Duration("leadTime", lt);
      lead_time = lt;
    }
    f.Number("quantile", p.forecast.quantile);
    f.Range("quantile", p.forecast.quantile, 0, 1, true);
    f.Choice<policies::Sizing>("sizing", p.forecast.sizing,
                               {{"Quantile", policies::Sizing::kQuantile},
                                {"Marginal", policies::Sizing::kMarginal}});
    f.Number("marginalRisk", p.forecast.marginal_risk);
    f.Range("marginalRisk", p.forecast.marginal_risk, 0, 1, true);
    f.Object("riskTuning", [&](FieldReader& t) {
      policies::RiskTuning& tuning = p.forecast.risk_tuning;
      t.Bool("enabled", tuning.enabled);
      t.Number("overloadVsHpa", tuning.overload_vs_hpa);
      t.Range("overloadVsHpa", tuning.overload_vs_hpa, 0, 10, true);
      t.Duration("window", tuning.window);
      window_set = t.Find("window") != nullptr;
      t.Duration("interval", tuning.interval);
    });
    f.Number("headroom", p.forecast.headroom);
    f.Range("headroom", p.forecast.headroom, 0, 10);
    f.Duration("refitInterval", s.forecast.refit_interval);
  });
  if (s.forecast.resolution < std::chrono::seconds(1)) {
    errors.push_back({"spec.forecast.resolution", "spec.forecast.resolution must be at least 1s"});
  }
  // The tuner replays traffic from the history: the default window shrinks to fit a shorter
  // one (under 1m, tuning is off), a window set explicitly must fit.
  if (p.forecast.risk_tuning.window > s.forecast.history) {
    if (window_set && p.forecast.risk_tuning.enabled) {
      errors.push_back({"spec.forecast.riskTuning.window",
                        "spec.forecast.riskTuning.window must not exceed spec.forecast.history: "
                        "the tuner replays traffic from that history; lengthen history or "
                        "shorten window"});
    } else if (s.forecast.history >= std::chrono::minutes(1)) {
      p.forecast.risk_tuning.window = s.forecast.history;
    } else {
      p.forecast.risk_tuning.enabled = false;  // too little history to replay
    }
  }
  if (s.decision_interval < std::chrono::seconds(1)) {
    errors.push_back({"spec.decisionInterval", "spec.decisionInterval must be at least 1s"});
  }
  if (lead_time) {
    // The policies size for pod start-up + metric delay; an explicit lead time
    // replaces that sum, so the start-up share is what remains of it.
    if (*lead_time < p.forecast.metric_delay) {
      errors.push_back({"spec.forecast.leadTime",
                        "spec.forecast.leadTime must be at least spec.forecast.metricDelay"});
    } else {
      p.forecast.pod_startup = *lead_time - p.forecast.metric_delay;
    }
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

  r.Object("stepScaling", [&](FieldReader& st) {
    ReadSteps(st, "scaleUp", true, p.step_policies);
    ReadSteps(st, "scaleDown", false, p.step_policies);
  });
  r.Object("fallback", [&](FieldReader& fb) {
    fb.Integer("failureThreshold", p.fallback.failure_threshold);
    fb.Range("failureThreshold", p.fallback.failure_threshold, 1, 2147483647);
    if (fb.Find("replicas")) {
      int32_t replicas = 0;
      fb.Integer("replicas", replicas);
      p.fallback.replicas = replicas;
    }
  });
  if (p.min_replicas > p.max_replicas) {
    errors.push_back({"spec", "minReplicas must be less than or equal to maxReplicas"});
  }
  if (p.fallback.replicas &&
      (*p.fallback.replicas < p.min_replicas || *p.fallback.replicas > p.max_replicas)) {
    errors.push_back({"spec.fallback.replicas",
                      "fallback.replicas must be between minReplicas and maxReplicas"});
  }

  // The checks above use the resource's field paths and the API server's
  // wording; the policies' own validation (written against its plain struct)
  // backs them up, so nothing Decide() requires can slip through.
  if (errors.empty()) errors = policies::Validate(p);
  return parsed;
}

}  // namespace foresight::op
