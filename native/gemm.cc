// Blocked GEMM in the style of GotoBLAS/BLIS: for each nc-wide block of columns and kc-deep
// slice of k, a kc×nc block of op(B) is packed into nr-wide panels; for each mc-tall block of
// rows, an mc×kc block of op(A) is packed into mr-tall panels; then the micro-kernel computes
// every mr×nr tile of C from one A panel (L2) and one B panel (L1). Transposes are absorbed by
// the packing. Large products are split across the thread pool by batch, then by rows or
// columns; each thread packs into its own buffers.
#include "gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "pool.h"

namespace nabla {
namespace {

// Products with fewer multiply-adds than this stay on the calling thread: waking a worker costs
// more than it saves.
constexpr double kParallelWork = 1 << 19;

// op(X)[i][j] = p[i·rs + j·cs].
template <typename T>
struct View {
  const T* p;
  long rs, cs;
};

// Grow-only, 64-byte aligned scratch, one per thread.
struct Scratch {
  void* ptr = nullptr;
  size_t size = 0;
  void* Get(size_t bytes) {
    if (bytes > size) {
      std::free(ptr);
      size = std::max(bytes, size * 2);
      size = (size + 63) / 64 * 64;
      ptr = std::aligned_alloc(64, size);
    }
    return ptr;
  }
  ~Scratch() { std::free(ptr); }
};

// Packs rows [i0, i0+mc) × columns [p0, p0+kc) of op(A) into mr-row panels, p-major within a
// panel, zero-padding past the last row.
template <typename T>
void PackA(View<T> a, long i0, long p0, long mc, long kc, int mr, T* dst) {
  for (long ir = 0; ir < mc; ir += mr, dst += mr * kc) {
    const long h = std::min<long>(mr, mc - ir);
    if (a.cs == 1 && h == mr) {
      // Rows contiguous along p: gather one value from each of the mr rows per step.
      // In blocks of 8 steps: each row is read 8 contiguous values at a time.
      const T* src = a.p + (i0 + ir) * a.rs + p0;
      const long rs = a.rs;
      long p = 0;
      for (; p + 8 <= kc; p += 8) {
        T* d = dst + p * mr;
        for (long r = 0; r < mr; r++) {
          const T* s = src + r * rs + p;
          for (long q = 0; q < 8; q++) d[q * mr + r] = s[q];
        }
      }
      for (; p < kc; p++) {
        T* d = dst + p * mr;
        for (long r = 0; r < mr; r++) d[r] = src[r * rs + p];
      }
    } else if (a.cs == 1) {
      for (long r = 0; r < h; r++) {
        const T* src = a.p + (i0 + ir + r) * a.rs + p0;
        for (long p = 0; p < kc; p++) dst[p * mr + r] = src[p];
      }
      for (long r = h; r < mr; r++)
        for (long p = 0; p < kc; p++) dst[p * mr + r] = 0;
    } else {
      for (long p = 0; p < kc; p++) {
        const T* src = a.p + (i0 + ir) * a.rs + (p0 + p) * a.cs;
        T* d = dst + p * mr;
        long r = 0;
        for (; r < h; r++) d[r] = src[r * a.rs];
        for (; r < mr; r++) d[r] = 0;
      }
    }
  }
}

// Packs rows [p0, p0+kc) × columns [j0, j0+nc) of op(B) into nr-column panels, p-major within a
// panel, zero-padding past the last column.
template <typename T>
void PackB(View<T> b, long p0, long j0, long kc, long nc, int nr, T* dst) {
  for (long jr = 0; jr < nc; jr += nr, dst += nr * kc) {
    const long w = std::min<long>(nr, nc - jr);
    if (b.cs == 1) {
      for (long p = 0; p < kc; p++) {
        const T* src = b.p + (p0 + p) * b.rs + j0 + jr;
        T* d = dst + p * nr;
        long j = 0;
        for (; j < w; j++) d[j] = src[j];
        for (; j < nr; j++) d[j] = 0;
      }
    } else if (w == nr && b.rs == 1) {
      // Columns of op(B) contiguous along p (B transposed): gather one value from each of the nr
      // columns per step, so the panel is written in order.
      const T* src = b.p + (j0 + jr) * b.cs + p0;
      const long cs = b.cs;
      // In blocks of 8 steps: each column is read 8 contiguous values at a time.
      long p = 0;
      for (; p + 8 <= kc; p += 8) {
        T* d = dst + p * nr;
        for (long j = 0; j < nr; j++) {
          const T* s = src + j * cs + p;
          for (long q = 0; q < 8; q++) d[q * nr + j] = s[q];
        }
      }
      for (; p < kc; p++) {
        T* d = dst + p * nr;
        for (long j = 0; j < nr; j++) d[j] = src[j * cs + p];
      }
    } else {
      for (long j = 0; j < w; j++) {
        const T* src = b.p + (j0 + jr + j) * b.cs + p0 * b.rs;
        for (long p = 0; p < kc; p++) dst[p * nr + j] = src[p * b.rs];
      }
      for (long j = w; j < nr; j++)
        for (long p = 0; p < kc; p++) dst[p * nr + j] = 0;
    }
  }
}

// c (m×n, row stride ldc) = op(A) · op(B) on the calling thread.
template <typename T>
void GemmSerial(const Gemm<T>& g, long m, long n, long k, View<T> a, View<T> b, T* c, long ldc) {
  thread_local Scratch scratch_a, scratch_b;
  const int mr = g.mr, nr = g.nr;
  // Equal slices of k (784 → 4 × 196 rather than 3 × 256 + 16): a thin last slice would pay the
  // load and store of C for little arithmetic.
  const long kSlice = (k + (k + g.kc - 1) / g.kc - 1) / ((k + g.kc - 1) / g.kc);
  const long kcMax = kSlice;
  const long mcMax = std::min<long>(g.mc, (m + mr - 1) / mr * mr);
  const long ncMax = std::min<long>(g.nc, (n + nr - 1) / nr * nr);
  T* ap = static_cast<T*>(scratch_a.Get(sizeof(T) * mcMax * kcMax));
  T* bp = static_cast<T*>(scratch_b.Get(sizeof(T) * ncMax * kcMax));
  alignas(64) T tile[32 * 32];  // one edge tile: every kernel set has mr·nr ≤ 1024
  for (long j0 = 0; j0 < n; j0 += g.nc) {
    const long nc = std::min<long>(g.nc, n - j0);
    for (long p0 = 0; p0 < k; p0 += kSlice) {
      const long kc = std::min<long>(kSlice, k - p0);
      const int accumulate = p0 > 0;
      PackB(b, p0, j0, kc, nc, nr, bp);
      for (long i0 = 0; i0 < m; i0 += g.mc) {
        const long mc = std::min<long>(g.mc, m - i0);
        PackA(a, i0, p0, mc, kc, mr, ap);
        for (long jr = 0; jr < nc; jr += nr) {
          const long w = std::min<long>(nr, nc - jr);
          const T* bpanel = bp + jr * kc;
          for (long ir = 0; ir < mc; ir += mr) {
            const long h = std::min<long>(mr, mc - ir);
            T* ct = c + (i0 + ir) * ldc + j0 + jr;
            if (h == mr && w == nr) {
              g.kernel(kc, ap + ir * kc, bpanel, ct, ldc, accumulate);
            } else {
              g.kernel(kc, ap + ir * kc, bpanel, tile, nr, 0);
              for (long i = 0; i < h; i++)
                for (long j = 0; j < w; j++)
                  ct[i * ldc + j] =
                      accumulate ? ct[i * ldc + j] + tile[i * nr + j] : tile[i * nr + j];
            }
          }
        }
      }
    }
  }
}

// c = op(A) · op(B) on the calling thread, in the orientation that wastes less of the register
// tiles: when n is small and m is not (128×10 for a classifier's last layer), every mr×nr tile
// is an edge tile mostly of padding, so Cᵀ = op(B)ᵀ · op(A)ᵀ is computed instead into scratch
// and transposed into c. Each element is the same sum in the same order either way (the kernels
// sum each kc slice from zero and add it to c), so the result is bit-identical.
template <typename T>
void GemmOriented(const Gemm<T>& g, long m, long n, long k, View<T> a, View<T> b, T* c, long ldc) {
  auto padded = [](long x, long unit) { return static_cast<double>((x + unit - 1) / unit * unit); };
  const double normal = padded(m, g.mr) * padded(n, g.nr);
  const double swapped = padded(n, g.mr) * padded(m, g.nr);
  if (3 * swapped >= 2 * normal) {  // less than a third saved: not worth the transpose
    GemmSerial<T>(g, m, n, k, a, b, c, ldc);
    return;
  }
  thread_local Scratch scratch_t;
  T* t = static_cast<T*>(scratch_t.Get(sizeof(T) * m * n));
  GemmSerial<T>(g, n, m, k, {b.p, b.cs, b.rs}, {a.p, a.cs, a.rs}, t, m);
  for (long i = 0; i < m; i++) {
    T* ci = c + i * ldc;
    for (long j = 0; j < n; j++) ci[j] = t[j * m + i];
  }
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
  const int threads = GetThreads();
  const double work = static_cast<double>(batch) * m * n * k;
  if (threads == 1 || work < kParallelWork) {
    for (long t = 0; t < batch; t++)
      GemmOriented<T>(g, m, n, k, {a + t * aBatchStride, ars, acs},
                      {b + t * bBatchStride, brs, bcs}, out + t * mn, n);
    return;
  }
  if (batch >= threads) {
    // Whole products per task: a few tasks per thread, so that one slow thread (a busy core)
    // holds back less of the batch.
    const long tasks = std::min<long>(batch, 4L * threads);
    ParallelFor(static_cast<int>(tasks), [&](int task) {
      const long lo = batch * task / tasks, hi = batch * (task + 1) / tasks;
      for (long t = lo; t < hi; t++)
        GemmOriented<T>(g, m, n, k, {a + t * aBatchStride, ars, acs},
                        {b + t * bBatchStride, brs, bcs}, out + t * mn, n);
    });
    return;
  }
  // Split each product into `parts` slabs of whole register tiles (rows when m ≥ n, else
  // columns) so that there are at least `threads` tasks.
  const bool byRows = m >= n;
  const long unit = byRows ? g.mr : g.nr;
  const long extent = byRows ? m : n;
  const long units = (extent + unit - 1) / unit;
  const long parts = std::min<long>(units, (threads + batch - 1) / batch);
  const long per = (units + parts - 1) / parts * unit;
  ParallelFor(static_cast<int>(batch * parts), [&](int task) {
    const long t = task / parts, s = task % parts;
    const long lo = s * per, hi = std::min(extent, lo + per);
    if (lo >= hi) return;
    const T* at = a + t * aBatchStride;
    const T* bt = b + t * bBatchStride;
    T* ct = out + t * mn;
    if (byRows) {
      GemmOriented<T>(g, hi - lo, n, k, {at + lo * ars, ars, acs}, {bt, brs, bcs}, ct + lo * n, n);
    } else {
      GemmOriented<T>(g, m, hi - lo, k, {at, ars, acs}, {bt + lo * bcs, brs, bcs}, ct + lo, n);
    }
  });
}

template void Matmul<float>(const float*, const float*, float*, long, long, long, long, bool, bool,
                            long, long);
template void Matmul<double>(const double*, const double*, double*, long, long, long, long, bool,
                             bool, long, long);

}  // namespace nabla
