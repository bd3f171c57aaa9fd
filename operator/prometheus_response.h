// Checking a Prometheus HTTP API answer (https://prometheus.io/docs/prometheus/
// latest/querying/api/): the JSON envelope {status, data{resultType, result},
// errorType, error, warnings} turned into exactly one clean series or an
// error that names the query and says what was wrong. No I/O here.
#pragma once

#include <string>
#include <string_view>

#include "operator/metrics_source.h"
#include "operator/status.h"

namespace foresight::op {

// An instant query's answer: a one-element vector or a scalar.
Result<InstantValue> ParseInstantResponse(std::string_view query, int http_status,
                                          std::string_view body);

// A range query's answer: a one-series matrix, placed on q's grid.
Result<RangeSeries> ParseRangeResponse(const RangeQuery& q, int http_status,
                                       std::string_view body);

}  // namespace foresight::op
