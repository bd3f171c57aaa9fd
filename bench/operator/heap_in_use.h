// The heap a process holds, as glibc counts it.
#pragma once

#include <malloc.h>

#include <cstddef>

namespace foresight::bench {

// Bytes in chunks malloc has handed out and not had back: those in its arenas (mallinfo2
// uordblks, summed over every arena) plus the big blocks it mmapped one by one (hblkhd: a
// 7-day history of 10,080 points is one). Free memory the allocator keeps, and its
// fragmentation, are not counted: this is what the program holds, not its resident size.
inline size_t HeapInUse() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

// mallinfo2 counts the chunks glibc's per-thread cache keeps for reuse (up to 7 of each size
// up to 1 KiB) as in use, tens of KiB that come and go with what was freed last. Without
// that cache they are counted as free. Its setting is read at start-up only, so this runs the
// program again (same arguments) with GLIBC_TUNABLES glibc.malloc.tcache_count=0, unless it
// is set already. Returns only if it is set, or if running again failed (then says so on
// stderr: the figures then include the cache).
void RunAgainWithoutThreadCache(char** argv);

}  // namespace foresight::bench
