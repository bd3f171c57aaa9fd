// Runs fn(i) for i in [0, count) on up to `threads` threads. Items are handed
// out one at a time, so uneven item costs still keep every core busy.
#pragma once

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace foresight::cli {

template <typename Fn>
void ParallelFor(size_t count, unsigned threads, Fn fn) {
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(count)));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < count; i = next++) fn(i);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
}

}  // namespace foresight::cli
