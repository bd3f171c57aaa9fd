// The operator's log: one line per entry on standard output, either JSON (for
// log pipelines; the default) or text (for people at a terminal). Decision
// lines carry every field of the decision; the text form condenses them.
//
// Thread-safe: lines from several workers never interleave.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace foresight::op {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

class Logger {
 public:
  Logger(bool json, LogLevel level) : json_(json), level_(level) {}

  void Log(LogLevel level, const std::string& message,
           const nlohmann::json& fields = nlohmann::json::object());
  void Info(const std::string& m, const nlohmann::json& f = nlohmann::json::object()) {
    Log(LogLevel::kInfo, m, f);
  }
  void Warn(const std::string& m, const nlohmann::json& f = nlohmann::json::object()) {
    Log(LogLevel::kWarn, m, f);
  }
  void Error(const std::string& m, const nlohmann::json& f = nlohmann::json::object()) {
    Log(LogLevel::kError, m, f);
  }
  // A decision-log line as the controller builds it ({"msg":"decision", ...}).
  void Decision(const nlohmann::json& line);

 private:
  void Write(const std::string& line);

  const bool json_;
  const LogLevel level_;
  std::mutex mu_;
};

// "debug" | "info" | "warn" | "error"; false for anything else.
bool ParseLogLevel(const std::string& text, LogLevel& out);

}  // namespace foresight::op
