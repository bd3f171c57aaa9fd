// What the CSV readers of user files (backtest/trace_csv.h, cli/series_csv.h) agree on.
#pragma once

#include <string>
#include <string_view>

namespace foresight::backtest {

// Unix seconds reach 1e11 only in the year 5138: a larger timestamp is in milliseconds (or
// microseconds), which read as seconds would stretch every step 1000 times (a 1-minute trace
// replayed as a 1000-minute one, a daily cycle unseen). The bound also keeps differences of
// timestamps far from overflowing.
inline constexpr long long kMaxUnixSeconds = 100'000'000'000;

// Drops the UTF-8 byte order mark spreadsheet programs ("CSV UTF-8") put before the first cell.
inline void DropUtf8ByteOrderMark(std::string& first_line) {
  constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
  if (first_line.starts_with(kUtf8Bom)) first_line.erase(0, kUtf8Bom.size());
}

}  // namespace foresight::backtest
