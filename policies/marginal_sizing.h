// Marginal sizing: how many replicas a forecast distribution is worth.
//
// Sizing for a fixed quantile buys the same safety at every point whatever it costs: where the
// forecast is uncertain (a noisy, low-volume metric at night) the 90th percentile sits many
// replicas above the mean and each of those replicas removes little risk. Marginal sizing adds
// replicas above the mean one at a time, and only while the next replica removes at least
// `marginal_risk` of probability of overload (the forecast's probability that the load falls
// between what r and r + 1 replicas serve). So a sharp forecast gets a high quantile cheaply
// and a vague one stops nearer its mean: for the same replica-hours it overloads fewer
// minutes (bench/traces/README.md has the measurements).
//
// The distribution of the load at a point is taken as normal with the point's mean and the
// spread its quantile implies: sd = (quantile - mean) / z(quantile).
//
// Pure: plain values in and out.
#pragma once

#include <cstdint>

#include "policies/decision.h"

namespace foresight::policies {

// Standard normal quantile z(p), p in (0, 1) (bisection on erfc: exact to ~1e-12).
double StandardNormalQuantile(double p);

// The replicas (as a real number of replica units, before ceil) the point is worth: r0 =
// mean * (1 + headroom) / target, then + 1 replica while the next one covers at least
// marginal_risk of probability. Never below r0 (and at least 1 when the point has a spread);
// replicas are added only up to the one that serves the quantile 0.9999.
double MarginalReplicas(const ForecastPoint& point, double point_quantile_level,
                        double headroom, double target_per_replica, double marginal_risk);

}  // namespace foresight::policies
