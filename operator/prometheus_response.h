// Checking a Prometheus HTTP API answer (https://prometheus.io/docs/prometheus/
// latest/querying/api/): the JSON envelope {status, data{resultType, result},
// errorType, error, warnings} turned into exactly one clean series or an
// error that names the query and says what was wrong. No I/O here.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "operator/metrics_source.h"
#include "operator/status.h"

namespace foresight::op {

// Tunable: an instant answer's sample may be this much older than the time
// asked for. Prometheus itself stamps the answer with the query time and
// finds no sample older than its lookback delta (5 minutes by default); an
// older one comes from something in between (a cache, a proxy) and is not the
// current load.
inline constexpr std::chrono::milliseconds kMaxInstantSampleAge = std::chrono::minutes(5);

// An instant query's answer: a one-element vector or a scalar. When the query
// asked for the value at `at`, a sample more than kMaxInstantSampleAge before
// it is an error.
Result<InstantValue> ParseInstantResponse(std::string_view query, std::optional<Timestamp> at,
                                          int http_status, std::string_view body);

// A range query's answer: a one-series matrix, placed on q's grid.
Result<RangeSeries> ParseRangeResponse(const RangeQuery& q, int http_status,
                                       std::string_view body);

}  // namespace foresight::op
