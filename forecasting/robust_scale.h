// Median and robust scale of a sample: statistics a few outliers do not move.
//
// Pure: plain values in and out.
#pragma once

#include <vector>

namespace foresight::forecasting {

// The median (the mean of the two middle values for an even count).
// REQUIRES: !values.empty().
double Median(std::vector<double> values);

// 1.4826 x the median absolute deviation from the median: the standard deviation for a normal
// sample, and unmoved by a minority of spikes of any size. 0 for fewer than two values.
double RobustScale(std::vector<double> values);

}  // namespace foresight::forecasting
