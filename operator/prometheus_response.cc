#include "operator/prometheus_response.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace foresight::op {
namespace {

using json = nlohmann::json;

// Tunable: how much of a non-JSON body an error message quotes.
constexpr size_t kQuotedBodyChars = 200;
// Tunable: how many series' labels a "several series" error lists.
constexpr size_t kListedSeries = 3;

std::string Q(std::string_view query) { return "query '" + std::string(query) + "'"; }

std::string Quote(std::string_view body) {
  std::string s(body.substr(0, kQuotedBodyChars));
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return "\"" + s + (body.size() > kQuotedBodyChars ? "...\"" : "\"");
}

std::string FormatSeconds(Timestamp t) {
  const long long ms = t.time_since_epoch().count();
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%lld.%03lld", ms / 1000, ms % 1000);
  return buf;
}

// Maps Prometheus' errorType to a StatusCode (api.go: bad_data, execution,
// timeout, canceled, unavailable, internal, not_found).
StatusCode CodeFor(const std::string& error_type) {
  if (error_type == "bad_data" || error_type == "execution") return StatusCode::kInvalidArgument;
  if (error_type == "timeout" || error_type == "canceled") return StatusCode::kDeadlineExceeded;
  if (error_type == "unavailable") return StatusCode::kUnavailable;
  if (error_type == "not_found") return StatusCode::kNotFound;
  return StatusCode::kBadResponse;
}

// Parses the envelope; returns data on success, and the answer's `warnings` (its strings) in
// `warnings` when given.
Result<json> Envelope(std::string_view query, int http_status, std::string_view body,
                      std::vector<std::string>* warnings = nullptr) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    const std::string m = Q(query) + ": Prometheus answered HTTP " + std::to_string(http_status) +
                          " with a body that is not a JSON object: " + Quote(body);
    return http_status >= 500 ? Status::Unavailable(m) : Status::BadResponse(m);
  }
  const std::string status = doc.value("status", "");
  if (status == "error") {
    const std::string type = doc.value("errorType", "unknown");
    return Status(CodeFor(type), Q(query) + " failed (HTTP " + std::to_string(http_status) +
                                     ", " + type + "): " + doc.value("error", "(no message)"));
  }
  if (status != "success" || !doc.contains("data") || !doc["data"].is_object())
    return Status::BadResponse(Q(query) + ": HTTP " + std::to_string(http_status) +
                               " answer has no status 'success' with a data object: " +
                               Quote(body));
  if (http_status != 200)
    return Status::BadResponse(Q(query) + ": HTTP " + std::to_string(http_status) +
                               " with status 'success'");
  if (warnings && doc.contains("warnings") && doc["warnings"].is_array()) {
    for (const json& w : doc["warnings"]) {
      if (w.is_string()) warnings->push_back(w.get<std::string>());
    }
  }
  return doc["data"];
}

// [<unix seconds>, "<value>"]
bool ParsePair(const json& pair, Timestamp* t, double* v) {
  if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number() || !pair[1].is_string())
    return false;
  *t = Timestamp(std::chrono::milliseconds(std::llround(pair[0].get<double>() * 1000.0)));
  const std::string s = pair[1].get<std::string>();
  char* end = nullptr;
  *v = std::strtod(s.c_str(), &end);  // accepts "NaN", "+Inf", "-Inf"
  return end != s.c_str() && *end == '\0';
}

std::string Labels(const json& series) {
  if (!series.is_object() || !series.contains("metric") || !series["metric"].is_object())
    return "{}";
  std::string out = "{";
  for (const auto& [k, v] : series["metric"].items()) {
    if (out.size() > 1) out += ", ";
    out += k + "=\"" + (v.is_string() ? v.get<std::string>() : v.dump()) + "\"";
  }
  return out + "}";
}

Status SeveralSeries(std::string_view query, const json& result) {
  std::string listed;
  for (size_t i = 0; i < result.size() && i < kListedSeries; ++i)
    listed += (i ? ", " : "") + Labels(result[i]);
  if (result.size() > kListedSeries) listed += ", ...";
  return Status::InvalidArgument(Q(query) + " returned " + std::to_string(result.size()) +
                                 " series (" + listed +
                                 "); the query must aggregate to one series, e.g. wrap it in "
                                 "sum()");
}

Status NoData(std::string_view query, const char* what) {
  return Status::NotFound(Q(query) + " returned no data (" + what +
                          "); the metric may not exist (yet) or its label selectors match "
                          "nothing");
}

const json* FindResult(const json& data) {
  auto it = data.find("result");
  return it == data.end() ? nullptr : &*it;
}

}  // namespace

Result<InstantValue> ParseInstantResponse(std::string_view query, std::optional<Timestamp> at,
                                          int http_status, std::string_view body) {
  InstantValue out;
  auto data = Envelope(query, http_status, body, &out.warnings);
  if (!data.ok()) return data.status();
  const std::string type = data->value("resultType", "");
  const json* result = FindResult(*data);
  if (result == nullptr) return Status::BadResponse(Q(query) + ": answer has no data.result");
  const json* pair = nullptr;
  if (type == "scalar") {
    pair = result;
  } else if (type == "vector") {
    if (!result->is_array()) return Status::BadResponse(Q(query) + ": vector result is not a list");
    if (result->empty()) return NoData(query, "empty vector");
    if (result->size() > 1) return SeveralSeries(query, *result);
    if (!(*result)[0].contains("value"))
      return Status::BadResponse(Q(query) + ": vector element has no value");
    pair = &(*result)[0]["value"];
  } else if (type == "matrix") {
    return Status::InvalidArgument(Q(query) +
                                   " returned a range vector (matrix); an instant query needs "
                                   "an instant expression, e.g. rate(x[5m]) instead of x[5m]");
  } else {
    return Status::InvalidArgument(Q(query) + " returned resultType '" + type +
                                   "'; expected a vector or a scalar");
  }
  if (!ParsePair(*pair, &out.timestamp, &out.value))
    return Status::BadResponse(Q(query) + ": malformed sample " + pair->dump());
  if (!std::isfinite(out.value))
    return Status::BadResponse(Q(query) + " returned " + pair->at(1).get<std::string>() +
                               " at " + FormatSeconds(out.timestamp) +
                               "; a number is needed (a ratio with a zero denominator?)");
  if (at && out.timestamp < *at - kMaxInstantSampleAge)
    return Status::BadResponse(
        Q(query) + " answered for the time " + FormatSeconds(*at) + " with a sample from " +
        FormatSeconds(out.timestamp) + ", " +
        std::to_string(
            std::chrono::duration_cast<std::chrono::seconds>(*at - out.timestamp).count()) +
        "s earlier: too old to be the current load (Prometheus answers at the time asked for; "
        "is a cache or proxy in between?)");
  return out;
}

Result<RangeSeries> ParseRangeResponse(const RangeQuery& q, int http_status,
                                       std::string_view body) {
  auto data = Envelope(q.query, http_status, body);
  if (!data.ok()) return data.status();
  const std::string type = data->value("resultType", "");
  const json* result = FindResult(*data);
  if (result == nullptr) return Status::BadResponse(Q(q.query) + ": answer has no data.result");
  if (type != "matrix")
    return Status::BadResponse(Q(q.query) + ": range query returned resultType '" + type +
                               "'; expected matrix");
  if (!result->is_array()) return Status::BadResponse(Q(q.query) + ": matrix is not a list");
  if (result->empty()) return NoData(q.query, "empty matrix");
  if (result->size() > 1) return SeveralSeries(q.query, *result);
  const json& series = (*result)[0];
  if (!series.contains("values") || !series["values"].is_array())
    return Status::BadResponse(Q(q.query) + ": matrix series has no values list");

  RangeSeries out = EmptyGrid(q);
  std::vector<bool> seen(out.size(), false);
  size_t finite = 0;
  for (const json& pair : series["values"]) {
    Timestamp t;
    double v = 0;
    if (!ParsePair(pair, &t, &v))
      return Status::BadResponse(Q(q.query) + ": malformed sample " + pair.dump());
    const auto offset = t - q.start;
    if (t < q.start || t > q.end || offset % q.step != std::chrono::milliseconds(0))
      return Status::BadResponse(Q(q.query) + ": sample at " + FormatSeconds(t) +
                                 " is not on the requested grid");
    const auto i = static_cast<size_t>(offset / q.step);
    if (seen[i])
      return Status::BadResponse(Q(q.query) + ": two samples at " + FormatSeconds(t));
    seen[i] = true;
    if (std::isfinite(v)) {
      out.values[i] = v;  // NaN and +-Inf stay gaps for the engine to repair
      ++finite;
    }
  }
  if (finite == 0)
    return Status::NotFound(Q(q.query) + " returned no finite value between " +
                            FormatSeconds(q.start) + " and " + FormatSeconds(q.end));
  return out;
}

}  // namespace foresight::op
