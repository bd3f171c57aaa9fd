#include "bench/operator/heap_in_use.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

namespace foresight::bench {

void RunAgainWithoutThreadCache(char** argv) {
  constexpr const char* kNoCache = "glibc.malloc.tcache_count=0";
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  const std::string current = tunables ? tunables : "";
  if (current.find(kNoCache) != std::string::npos) return;
  const std::string wanted = current.empty() ? kNoCache : current + ":" + kNoCache;
  setenv("GLIBC_TUNABLES", wanted.c_str(), 1);
  execv("/proc/self/exe", argv);
  std::cerr << "note: could not run again without glibc's per-thread cache ("
            << std::strerror(errno) << "): the heap figures include what it keeps\n";
}

}  // namespace foresight::bench
