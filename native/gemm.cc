// Blocked GEMM in the style of GotoBLAS/BLIS: for each nc-wide block of columns and kc-deep
// slice of k, a kc×nc block of op(B) is packed into nr-wide panels; for each mc-tall block of
// rows, an mc×kc block of op(A) is packed into mr-tall panels; then the micro-kernel computes
// every mr×nr tile of C from one A panel (L2) and one B panel (L1). Transposes are absorbed by
// the packing. Large products are split across the thread pool by batch, or else shared as a
// grid of tasks (gemm_grid.h).
#include "gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "gemm_blocks.h"
#include "gemm_grid.h"
#include "pool.h"

namespace nabla {
namespace {

// Products with fewer multiply-adds than this stay on the calling thread: waking a worker costs
// more than it saves.
constexpr double kParallelWork = 1 << 19;

// Nor are products split whose multiply-adds per value read or written fall below this: a worker
// must first fetch its operands from the caller's cache (they were just written there) and the
// caller its share of the result, which on this machine's VM costs more than the worker saves.
// Measured in a training step, interleaved runs: LeNet-5 (batched 6×25×784 and 16×150×100
// products, 5–13 per value) went from 206 to 243 steps/s on 2 threads (269 on 1) with a bound of
// 48 or 64; the MLP did not change. The bound sits below the products that do gain from a second
// thread: GEMM 128 (43), the MLP's 128×784×256 (77), a 3×3 convolution of 64 channels on 32×32
// (54).
constexpr double kMinIntensity = 32;

// Whether a product of batch × (m×k · k×n), summed over the batch or not, is worth splitting.
bool WorthSplitting(double batch, double m, double n, double k, bool sum) {
  const double work = batch * m * n * k;
  const double moved = sum ? batch * (m * k + k * n) + m * n : batch * (m * k + k * n + m * n);
  return work >= kParallelWork && work >= kMinIntensity * moved;
}

// c (m×n, row stride ldc) = Σ_t op(A_t) · op(B_t) on the calling thread.
template <typename T>
void GemmSerial(const Gemm<T>& g, long m, long n, long k, const Operands<T>& x, T* c, long ldc) {
  thread_local Scratch scratch_a, scratch_b;
  const int mr = g.mr, nr = g.nr;
  const long kSlice = KSlice(k, g.kc);
  const long mcMax = std::min<long>(g.mc, (m + mr - 1) / mr * mr);
  const long ncMax = std::min<long>(g.nc, (n + nr - 1) / nr * nr);
  T* ap = static_cast<T*>(scratch_a.Get(sizeof(T) * mcMax * kSlice));
  T* bp = static_cast<T*>(scratch_b.Get(sizeof(T) * ncMax * kSlice));
  const bool direct = x.b.cs == 1 && m <= 2 * mr;
  const GatherKernel<T> gather = Gatherer(g);
  for (long j0 = 0; j0 < n; j0 += g.nc) {
    const long nc = std::min<long>(g.nc, n - j0);
    for (long t = 0; t < x.batch; t++) {
      const View<T> a = {x.a.p + t * x.as, x.a.rs, x.a.cs};
      const View<T> b = {x.b.p + t * x.bs, x.b.rs, x.b.cs};
      for (long p0 = 0; p0 < k; p0 += kSlice) {
        const long kc = std::min<long>(kSlice, k - p0);
        const int accumulate = t > 0 || p0 > 0;
        // With one or two panels of A, each value of B is used once or twice: packing would
        // cost more than it saves (measured at 6×784×25 and 16×100×150), so whole panels are
        // read in place when B's rows are contiguous; only the edge panel, which would read
        // past a row, is packed.
        const long edge = direct ? nc / nr * nr : 0;
        if (edge < nc) PackB(b, p0, j0 + edge, kc, nc - edge, nr, gather, bp);
        for (long i0 = 0; i0 < m; i0 += g.mc) {
          const long mc = std::min<long>(g.mc, m - i0);
          const Tile<T> tail = TailTile(g, mc % mr);
          PackA(a, i0, p0, mc, kc, mr, tail.mr, gather, ap);
          for (long jr = 0; jr < nc; jr += nr) {
            const long w = std::min<long>(nr, nc - jr);
            const bool inPlace = jr < edge;
            const T* bpanel = inPlace ? b.p + p0 * b.rs + j0 + jr : bp + (jr - edge) * kc;
            const long ldb = inPlace ? b.rs : nr;
            ColumnPanel<T>(g, tail, mc, kc, ap, bpanel, ldb, w, c + i0 * ldc + j0 + jr, ldc,
                           accumulate);
          }
        }
      }
    }
  }
}

// c = Σ_t op(A_t) · op(B_t) on the calling thread (Oriented: the tile and orientation that waste
// least).
template <typename T>
void GemmOriented(const Gemm<T>& g, long m, long n, long k, const Operands<T>& x, T* c, long ldc) {
  Oriented<T>(g, m, n, x, c, ldc,
              [k](const Gemm<T>& t, long rows, long cols, const Operands<T>& y, T* out, long ldo) {
                GemmSerial<T>(t, rows, cols, k, y, out, ldo);
              });
}

template <typename T>
const Gemm<T>& Pick(const KernelSet& s);
template <>
const Gemm<float>& Pick<float>(const KernelSet& s) {
  return s.f32;
}
template <>
const Gemm<double>& Pick<double>(const KernelSet& s) {
  return s.f64;
}

// c = Σ_t op(A_t) · op(B_t) shared among `threads` threads (GemmGrid), oriented as GemmOriented.
template <typename T>
void GemmShared(const Gemm<T>& g, long m, long n, long k, const Operands<T>& x, T* c, int threads) {
  Oriented<T>(g, m, n, x, c, n,
              [k, threads](const Gemm<T>& t, long rows, long cols, const Operands<T>& y, T* out,
                           long ldo) { GemmGrid<T>(t, rows, cols, k, y, out, ldo, threads); });
}

// out (m×n) = Σ_t A_t · B_tᵀ (A_t m×k and B_t n×k, rows contiguous along k) through the dot
// kernel, block by block of dotRows × dotCols, the blocks shared among `threads`. A block at the
// edge repeats its last row or column and drops the copies.
template <typename T>
void DotSumBlocks(const Gemm<T>& g, long batch, long m, long n, long k, const T* a, long as,
                  const T* b, long bs, T* out, int threads) {
  const int ra = g.dotRows, rb = g.dotCols;  // at most 8 each (kernels.h)
  const long cols = (n + rb - 1) / rb, blocks = (m + ra - 1) / ra * cols;
  auto run = [&](long lo, long hi) {
    const T* ap[8];
    const T* bp[8];
    T tile[64];
    for (long blk = lo; blk < hi; blk++) {
      const long i0 = blk / cols * ra, j0 = blk % cols * rb;
      const long h = std::min<long>(ra, m - i0), w = std::min<long>(rb, n - j0);
      for (long i = 0; i < ra; i++) ap[i] = a + (i0 + std::min(i, h - 1)) * k;
      for (long j = 0; j < rb; j++) bp[j] = b + (j0 + std::min(j, w - 1)) * k;
      g.dot(batch, k, ap, as, bp, bs, tile);
      for (long i = 0; i < h; i++)
        for (long j = 0; j < w; j++) out[(i0 + i) * n + j0 + j] = tile[i * rb + j];
    }
  };
  if (threads == 1) return run(0, blocks);
  const long tasks = std::min<long>(blocks, 4L * threads);
  ParallelFor(static_cast<int>(tasks),
              [&](int task) { run(blocks * task / tasks, blocks * (task + 1) / tasks); });
}

}  // namespace

template <typename T>
void Matmul(const T* a, const T* b, T* out, long batch, long m, long n, long k, bool transA,
            bool transB, long aBatchStride, long bBatchStride) {
  const long mn = m * n;
  if (batch <= 0 || mn == 0) return;
  if (k == 0) {
    std::memset(out, 0, sizeof(T) * batch * mn);
    return;
  }
  const Gemm<T>& g = Pick<T>(ActiveKernels());
  const long ars = transA ? 1 : k, acs = transA ? m : 1;
  const long brs = transB ? 1 : n, bcs = transB ? k : 1;
  auto product = [&](long t) -> Operands<T> {
    return {{a + t * aBatchStride, ars, acs}, {b + t * bBatchStride, brs, bcs}, 1, 0, 0};
  };
  const int threads = GetThreads();
  if (threads == 1 || !WorthSplitting(batch, m, n, k, false)) {
    for (long t = 0; t < batch; t++) GemmOriented<T>(g, m, n, k, product(t), out + t * mn, n);
    return;
  }
  if (batch >= threads) {
    // Whole products per task: a few tasks per thread, so that one slow thread (a busy core)
    // holds back less of the batch.
    const long tasks = std::min<long>(batch, 4L * threads);
    ParallelFor(static_cast<int>(tasks), [&](int task) {
      const long lo = batch * task / tasks, hi = batch * (task + 1) / tasks;
      for (long t = lo; t < hi; t++) GemmOriented<T>(g, m, n, k, product(t), out + t * mn, n);
    });
    return;
  }
  // Fewer products than threads: each shared among them in turn.
  for (long t = 0; t < batch; t++) GemmShared<T>(g, m, n, k, product(t), out + t * mn, threads);
}

template <typename T>
void MatmulSum(const T* a, const T* b, T* out, long batch, long m, long n, long k, bool transA,
               bool transB, long aBatchStride, long bBatchStride) {
  const long mn = m * n;
  if (mn == 0) return;
  if (batch <= 0 || k == 0) {
    std::memset(out, 0, sizeof(T) * mn);
    return;
  }
  const Gemm<T>& g = Pick<T>(ActiveKernels());
  const int threads = GetThreads();
  const bool parallel = threads > 1 && WorthSplitting(batch, m, n, k, true);
  // Very few rows or columns of C, both operands along k (a convolution's weight gradient with
  // few output channels): no packing, which costs more than the arithmetic when each packed value
  // is used by a single register tile (measured: 6×25, k 784 ×13 samples takes 2.5× less time;
  // at 16×150, k 100, the packed path is as fast).
  if (!transA && transB && std::min(m, n) <= 8 && mn <= 4096) {
    DotSumBlocks<T>(g, batch, m, n, k, a, aBatchStride, b, bBatchStride, out,
                    parallel ? threads : 1);
    return;
  }
  const Operands<T> x = {{a, transA ? 1 : k, transA ? m : 1},
                         {b, transB ? 1 : n, transB ? k : 1},
                         batch,
                         aBatchStride,
                         bBatchStride};
  if (!parallel) return GemmOriented<T>(g, m, n, k, x, out, n);
  GemmShared<T>(g, m, n, k, x, out, threads);
}

template void Matmul<float>(const float*, const float*, float*, long, long, long, long, bool, bool,
                            long, long);
template void Matmul<double>(const double*, const double*, double*, long, long, long, long, bool,
                             bool, long, long);
template void MatmulSum<float>(const float*, const float*, float*, long, long, long, long, bool,
                               bool, long, long);
template void MatmulSum<double>(const double*, const double*, double*, long, long, long, long, bool,
                                bool, long, long);

}  // namespace nabla
