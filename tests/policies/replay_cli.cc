// replay_cli: a thin command-line face of policies/simulator.h and policies/hpa_replay.h, used
// by score_equivalence_test.py to compare with shared/data/traces/score.py. Same file formats
// and flags as score.py:
//   replay_cli score  --trace T.csv --capacity C [--delay 60] --decisions D.csv
//   replay_cli oracle --trace T.csv --capacity C [--delay 60] --out D.csv [--interval 60]
//                     [--literal]
//   replay_cli hpa    --trace T.csv --capacity C [--delay 60] --out D.csv
// `score` prints one "name value" line per metric, floats with 17 significant digits.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "policies/hpa_replay.h"
#include "policies/simulator.h"

namespace {

using foresight::policies::LoadTrace;
using foresight::policies::RequestRow;

[[noreturn]] void Die(const std::string& message) {
  std::cerr << "replay_cli: " << message << "\n";
  std::exit(2);
}

// Rows of two numbers after a header line.
std::vector<std::pair<double, double>> ReadPairs(const std::string& path) {
  std::ifstream in(path);
  if (!in) Die("cannot open " + path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::pair<double, double>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const size_t comma = line.find(',');
    if (comma == std::string::npos) Die(path + ": bad row: " + line);
    rows.emplace_back(std::strtod(line.c_str(), nullptr),
                      std::strtod(line.c_str() + comma + 1, nullptr));
  }
  return rows;
}

LoadTrace ReadTrace(const std::string& path) {
  auto rows = ReadPairs(path);
  if (rows.size() < 2) Die(path + ": need at least two samples");
  LoadTrace t;
  t.t0 = rows[0].first;
  t.step_seconds = static_cast<int32_t>(std::lround(rows[1].first - rows[0].first));
  for (auto& [ts, v] : rows) t.values.push_back(v);
  return t;
}

void WriteDecisions(const std::string& path, const std::vector<RequestRow>& rows) {
  std::ofstream out(path);
  if (!out) Die("cannot write " + path);
  out << "timestamp,replicas\n";
  for (const RequestRow& r : rows) {
    out << static_cast<long long>(r.time) << ',' << static_cast<long long>(r.replicas) << '\n';
  }
}

void Print(const char* name, double v) { std::printf("%s %.17g\n", name, v); }
void Print(const char* name, long long v) { std::printf("%s %lld\n", name, v); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) Die("usage: replay_cli score|oracle|hpa --trace T --capacity C ...");
  const std::string cmd = argv[1];
  std::map<std::string, std::string> flags;
  for (int i = 2; i < argc; ++i) {
    std::string key = argv[i];
    if (key == "--literal") {
      flags[key] = "1";
    } else if (i + 1 < argc) {
      flags[key] = argv[++i];
    } else {
      Die("missing value for " + key);
    }
  }
  auto need = [&](const std::string& k) {
    if (!flags.count(k)) Die("missing " + k);
    return flags[k];
  };
  const LoadTrace trace = ReadTrace(need("--trace"));
  const double capacity = std::strtod(need("--capacity").c_str(), nullptr);
  const double delay_flag =
      flags.count("--delay") ? std::strtod(flags["--delay"].c_str(), nullptr) : 60.0;
  const auto delay = static_cast<int64_t>(std::ceil(delay_flag));
  namespace p = foresight::policies;
  if (cmd == "score") {
    std::vector<RequestRow> rows;
    for (auto& [t, r] : ReadPairs(need("--decisions"))) rows.push_back({t, r});
    if (rows.empty()) Die("no decisions");
    const p::Metrics m = p::Score(trace, rows, capacity, delay);
    Print("horizon_hours", m.horizon_hours);
    Print("minutes", static_cast<long long>(m.minutes));
    Print("under_provisioned_minutes", static_cast<long long>(m.under_provisioned_minutes));
    Print("unserved_fraction", m.unserved_fraction);
    Print("replica_hours", m.replica_hours);
    Print("ready_replica_hours", m.ready_replica_hours);
    Print("peak_requested", static_cast<long long>(m.peak_requested));
    Print("mean_utilisation", m.mean_utilisation);
    Print("actions", static_cast<long long>(m.actions));
    Print("max_step", static_cast<long long>(m.max_step));
    Print("oracle_replica_hours", m.oracle_replica_hours);
    Print("overprov_ratio", m.overprov_ratio);
  } else if (cmd == "oracle") {
    const int64_t interval = flags.count("--interval") ? std::stoll(flags["--interval"]) : 60;
    WriteDecisions(need("--out"),
                   p::OraclePolicy(trace, capacity, delay, interval, flags.count("--literal")));
  } else if (cmd == "hpa") {
    WriteDecisions(need("--out"), p::ReplayHpa(trace, capacity, delay).decisions);
  } else {
    Die("unknown command " + cmd);
  }
  return 0;
}
