// Where and when a benchmark ran, for the header of its printed table.
#pragma once

#include <string>

namespace foresight::bench::m4 {

// "2026-11-22 06:40 UTC".
std::string UtcNow();

// "Intel(R) Xeon(R) ... , 2 CPUs (nproc)": the first "model name" of
// /proc/cpuinfo and the CPUs this process may run on.
std::string MachineDescription();

}  // namespace foresight::bench::m4
