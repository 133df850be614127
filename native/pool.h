// A persistent thread pool: n-1 worker threads plus the calling thread.
#ifndef NABLA_NATIVE_POOL_H
#define NABLA_NATIVE_POOL_H

#include <functional>

namespace nabla {

// Threads used by parallel kernels (workers + the caller); at least 1.
int GetThreads();
// Replaces the workers so that n threads run parallel kernels (n >= 1).
void SetThreads(int n);
// Runs task(0) … task(count-1), spread over the pool; returns when all are done. The caller
// takes part. When the pool is busy (a call from another JS thread), runs them all inline.
void ParallelFor(int count, const std::function<void(int)>& task);

// Runs body(lo, hi) over [0, n), split into one chunk per thread when n reaches `grain`.
template <typename F>
void Chunked(long n, long grain, F body) {
  const int threads = GetThreads();
  if (threads == 1 || n < grain) {
    body(0, n);
    return;
  }
  const long per = (n + threads - 1) / threads;
  ParallelFor(threads, [&](int t) {
    const long lo = t * per, hi = n < lo + per ? n : lo + per;
    if (lo < hi) body(lo, hi);
  });
}

}  // namespace nabla

#endif
