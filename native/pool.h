// A persistent thread pool: n-1 worker threads plus the calling thread.
#ifndef NABLA_NATIVE_POOL_H
#define NABLA_NATIVE_POOL_H

#include <algorithm>
#include <functional>

namespace nabla {

// Threads used by parallel kernels (workers + the caller); at least 1.
int GetThreads();
// Replaces the workers so that n threads run parallel kernels (n >= 1).
void SetThreads(int n);
// Runs task(0) … task(count-1), spread over the pool; returns when all are done. The caller
// takes part. When the pool is busy (a call from another JS thread), runs them all inline.
void ParallelFor(int count, const std::function<void(int)>& task);

// Runs body(lo, hi) over [0, n), split when n reaches `grain`: into up to four chunks per thread
// (at least `grain` each), taken in turn by whichever thread is free, so that a thread slowed by
// a busy core holds back a small part of the work. The memory-bound kernels' grains (2¹⁷–2²⁰
// elements) keep arrays that fit in a core's cache on the calling thread: splitting them moves
// their cache lines between cores, which costs more than a second core saves (LeNet-5 on 2
// threads, interleaved runs: 248 steps/s with grains 4× smaller, 278 with these; 287 on 1).
template <typename F>
void Chunked(long n, long grain, F body) {
  const int threads = GetThreads();
  if (threads == 1 || n < grain) {
    body(0, n);
    return;
  }
  const long chunks = std::max<long>(threads, std::min<long>(4L * threads, n / grain));
  const long per = (n + chunks - 1) / chunks;
  ParallelFor(static_cast<int>(chunks), [&](int t) {
    const long lo = t * per, hi = n < lo + per ? n : lo + per;
    if (lo < hi) body(lo, hi);
  });
}

}  // namespace nabla

#endif
