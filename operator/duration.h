// Durations as the PredictiveAutoscaler's spec writes them: "90s", "1h30m", "7d".
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace foresight::op {

// "90s", "1h30m", "7d", "500ms" (the CRD's duration pattern), at most 100 years
// (kMaxDurationSeconds). nullopt when malformed or longer; the Checked form sets
// too_long for a well-formed duration over the cap.
std::optional<std::chrono::milliseconds> ParseDuration(const std::string& text);
std::optional<std::chrono::milliseconds> ParseDurationChecked(const std::string& text,
                                                              bool& too_long);

// A duration as the spec writes one, largest units first: "1d2h", "90s" is "1m30s", "0s".
std::string FormatDuration(std::chrono::seconds d);

}  // namespace foresight::op
