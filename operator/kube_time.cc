#include "operator/kube_time.h"

#include <cstdio>

namespace foresight::op {
namespace {

std::string FormatDate(Timestamp t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(days);
  const std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::seconds>(t - days));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

}  // namespace

std::string FormatKubeTime(Timestamp t) { return FormatDate(t) + "Z"; }

std::string FormatKubeMicroTime(Timestamp t) {
  const auto millis = (t.time_since_epoch() % std::chrono::seconds(1)).count();
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%03ld000Z",
                static_cast<long>(millis < 0 ? millis + 1000 : millis));
  return FormatDate(t) + frac;
}

std::optional<Timestamp> ParseKubeTime(const std::string& text) {
  int year, month, day, hour, minute, second, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6 ||
      consumed != 19) {
    return std::nullopt;
  }
  size_t pos = 19;
  long millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    int digits = 0;
    for (++pos; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]));
         ++pos, ++digits) {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits) millis *= 10;
  }
  if (pos + 1 != text.size() || text[pos] != 'Z') return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                        std::chrono::day(day)};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return Timestamp(std::chrono::sys_days(ymd).time_since_epoch() + std::chrono::hours(hour) +
                   std::chrono::minutes(minute) + std::chrono::seconds(second) +
                   std::chrono::milliseconds(millis));
}

}  // namespace foresight::op
