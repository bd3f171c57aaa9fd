#include "operator/logger.h"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "operator/clock.h"
#include "operator/kube_time.h"

namespace foresight::op {
namespace {

const char* LevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

std::string Number(const nlohmann::json& v) {
  if (!v.is_number()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v.get<double>());
  return buf;
}

}  // namespace

bool ParseLogLevel(const std::string& text, LogLevel& out) {
  for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (text == LevelName(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

void Logger::Write(const std::string& line) {
  std::lock_guard lock(mu_);
  std::cout << line << '\n' << std::flush;
}

void Logger::Log(LogLevel level, const std::string& message, const nlohmann::json& fields) {
  if (level < level_) return;
  const std::string ts = FormatKubeMicroTime(RealClock().Now());
  if (json_) {
    nlohmann::json line = {{"ts", ts}, {"level", LevelName(level)}, {"msg", message}};
    for (const auto& [k, v] : fields.items()) line[k] = v;
    Write(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return;
  }
  std::string line = ts + " " + LevelName(level) + " " + message;
  for (const auto& [k, v] : fields.items())
    line += " " + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
  Write(line);
}

void Logger::Decision(const nlohmann::json& d) {
  if (LogLevel::kInfo < level_) return;
  if (json_) {
    nlohmann::json line = d;
    line["level"] = "info";
    Write(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return;
  }
  const nlohmann::json& f = d.value("forecast", nlohmann::json::object());
  std::string line = d.value("ts", "") + " decision " + d.value("autoscaler", "") +
                     " load=" + Number(d.value("observedLoad", nlohmann::json())) + " forecast@" +
                     Number(f.value("leadSeconds", nlohmann::json())) +
                     "s=" + Number(f.value("mean", nlohmann::json())) +
                     " (q=" + Number(f.value("quantile", nlohmann::json())) + ") replicas " +
                     std::to_string(d.value("currentReplicas", 0)) + "->" +
                     std::to_string(d.value("replicas", 0)) + " " + d.value("reason", "") + ": " +
                     d.value("message", "");
  Write(line);
}

}  // namespace foresight::op
