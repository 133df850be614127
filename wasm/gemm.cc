// A single-threaded blocked GEMM for WebAssembly, in the style of native/gemm.cc (GotoBLAS/BLIS):
// for each kc-deep slice of k, a kc×nc block of op(B) is packed into nr-wide panels and an mc×kc
// block of op(A) into mr-tall panels; the micro-kernel of native/micro_kernel.h computes each
// mr×nr tile of C. Freestanding: no libc, no allocation. The caller (src/backend/wasm) places the
// operands in linear memory and passes a scratch region of GemmScratchBytes bytes.
#include "../native/micro_kernel.h"
#include "export.h"
#include "wasm_simd128.h"

namespace {

// float32: 5 rows × 8 columns (10 accumulators, 2 vectors of B, a broadcast of A and a product:
// 14 of the 15 xmm registers V8 allocates on x64); float64: 5 rows × 4 columns. 6 rows spill;
// 5 × 8 measured 47 GFLOP/s at 1024², 4 × 8 40 and 3 × 12 44 (Node 20, one core, CPU time; with
// wasm_simd128.h's Order and without loop strength reduction: scripts/build-wasm.mjs). Tiles of
// 2 rows for products with few rows.
constexpr int kMr = 5, kNarrowMr = 2, kKc = 256, kMc = 120, kNc = 2048;

template <typename T>
using Kernel = void (*)(long, const T*, const T*, long, T*, long, int);

template <typename T>
struct Tiles;
template <>
struct Tiles<float> {
  static constexpr int kNr = 2 * F32::kWidth;
  static constexpr Kernel<float> kWide = MicroKernel<F32, kMr>;
  static constexpr Kernel<float> kNarrow = MicroKernel<F32, kNarrowMr>;
};
template <>
struct Tiles<double> {
  static constexpr int kNr = 2 * F64::kWidth;
  static constexpr Kernel<double> kWide = MicroKernel<F64, kMr>;
  static constexpr Kernel<double> kNarrow = MicroKernel<F64, kNarrowMr>;
};

long Min(long a, long b) { return a < b ? a : b; }
long Up(long x, long unit) { return (x + unit - 1) / unit * unit; }

// op(X)[i][j] = p[i·rs + j·cs].
template <typename T>
struct View {
  const T* p;
  long rs, cs;
};

// Packs rows [i0, i0+h) × columns [p0, p0+kc) of op(X) into a panel of `width` lines, p-major,
// zero past the h-th line. Used for A (lines: rows of op(A)) and for B (lines: columns of op(B),
// the view transposed).
template <typename T>
void Pack(View<T> x, long i0, long p0, long h, long kc, int width, T* dst) {
  for (long p = 0; p < kc; p++) {
    const T* src = x.p + i0 * x.rs + (p0 + p) * x.cs;
    T* d = dst + p * width;
    long r = 0;
    for (; r < h; r++) d[r] = src[r * x.rs];
    for (; r < width; r++) d[r] = 0;
  }
}

// Pack for float32 lines that are contiguous along p (rows of A, columns of a transposed B: a
// layer's forward x·Wᵀ has both): 4 lines × 4 steps at a time, loaded as rows and transposed in
// registers, where the scalar loop gathers one element per line and step. Same values.
void Pack(View<float> x, long i0, long p0, long h, long kc, int width, float* dst) {
  if (x.cs != 1) return Pack<float>(x, i0, p0, h, kc, width, dst);
  const long quads = h / 4 * 4, steps = kc / 4 * 4;
  for (long l = 0; l < quads; l += 4) {
    const float* src = x.p + (i0 + l) * x.rs + p0;
    for (long p = 0; p < steps; p += 4) {
      const v128_t r0 = wasm_v128_load(src + p), r1 = wasm_v128_load(src + x.rs + p);
      const v128_t r2 = wasm_v128_load(src + 2 * x.rs + p), r3 = wasm_v128_load(src + 3 * x.rs + p);
      const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5);
      const v128_t t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
      const v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
      const v128_t t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
      float* d = dst + p * width + l;
      wasm_v128_store(d, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
      wasm_v128_store(d + width, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
      wasm_v128_store(d + 2 * width, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
      wasm_v128_store(d + 3 * width, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
    }
    for (long p = steps; p < kc; p++)
      for (long r = 0; r < 4; r++) dst[p * width + l + r] = src[r * x.rs + p];
  }
  for (long r = quads; r < width; r++) {
    const float* src = x.p + (i0 + r) * x.rs + p0;
    for (long p = 0; p < kc; p++) dst[p * width + r] = r < h ? src[p] : 0;
  }
}

// The k slices: equal, at most kKc deep (784 → 4 × 196 rather than 3 × 256 + 16).
long SliceOf(long k) { return (k + (k + kKc - 1) / kKc - 1) / ((k + kKc - 1) / kKc); }

// The tile height for m rows: the one that pads fewer rows, counting each step as its rows + 2.
int RowsOf(long m) {
  return (m + kNarrowMr - 1) / kNarrowMr * (kNarrowMr + 2) < (m + kMr - 1) / kMr * (kMr + 2)
             ? kNarrowMr
             : kMr;
}

// A sum of `batch` products Σ_t op(A_t)·op(B_t), A_t at a.p + t·as, B_t at b.p + t·bs.
template <typename T>
struct Operands {
  View<T> a, b;
  long batch, as, bs;
  Operands Swapped() const { return {{b.p, b.cs, b.rs}, {a.p, a.cs, a.rs}, batch, bs, as}; }
};

// c (m×n, row stride ldc) = Σ_t op(A_t) · op(B_t); scratch holds (kMc + kNc)·SliceOf(k) values.
template <typename T>
void Serial(long m, long n, long k, const Operands<T>& x, T* c, long ldc, T* scratch) {
  constexpr int nr = Tiles<T>::kNr;
  const int mr = RowsOf(m);
  const Kernel<T> kernel = mr == kMr ? Tiles<T>::kWide : Tiles<T>::kNarrow;
  const long kSlice = SliceOf(k);
  T* ap = scratch;
  T* bp = scratch + kMc * kSlice;
  alignas(16) T tile[kMr * nr];
  for (long j0 = 0; j0 < n; j0 += kNc) {
    const long nc = Min(kNc, n - j0);
    for (long t = 0; t < x.batch; t++) {
      const View<T> a = {x.a.p + t * x.as, x.a.rs, x.a.cs};
      const View<T> bt = {x.b.p + t * x.bs, x.b.cs, x.b.rs};  // lines: columns of op(B)
      for (long p0 = 0; p0 < k; p0 += kSlice) {
        const long kc = Min(kSlice, k - p0);
        const int accumulate = t > 0 || p0 > 0;
        for (long jr = 0; jr < nc; jr += nr)
          Pack(bt, j0 + jr, p0, Min(nr, nc - jr), kc, nr, bp + jr * kc);
        for (long i0 = 0; i0 < m; i0 += kMc) {
          const long mc = Min(kMc, m - i0);
          for (long ir = 0; ir < mc; ir += mr)
            Pack(a, i0 + ir, p0, Min(mr, mc - ir), kc, mr, ap + ir * kc);
          for (long jr = 0; jr < nc; jr += nr) {
            const long w = Min(nr, nc - jr);
            for (long ir = 0; ir < mc; ir += mr) {
              const long h = Min(mr, mc - ir);
              T* ct = c + (i0 + ir) * ldc + j0 + jr;
              if (h == mr && w == nr) {
                kernel(kc, ap + ir * kc, bp + jr * kc, nr, ct, ldc, accumulate);
                continue;
              }
              kernel(kc, ap + ir * kc, bp + jr * kc, nr, tile, nr, 0);
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

// c = Σ_t op(A_t) · op(B_t), computed as Cᵀ = op(B)ᵀ · op(A)ᵀ (into scratch, then transposed)
// when that pads a third fewer tile elements (128×10: the classifier's last layer). Each element
// is the same sum in the same order either way.
template <typename T>
void Oriented(long m, long n, long k, const Operands<T>& x, T* c, long ldc, T* scratch) {
  constexpr int nr = Tiles<T>::kNr;
  const double normal = static_cast<double>(Up(m, RowsOf(m))) * Up(n, nr);
  const double swapped = static_cast<double>(Up(n, RowsOf(n))) * Up(m, nr);
  if (3 * swapped >= 2 * normal) return Serial<T>(m, n, k, x, c, ldc, scratch);
  T* t = scratch + (kMc + kNc) * SliceOf(k);
  Serial<T>(n, m, k, x.Swapped(), t, m, scratch);
  for (long i = 0; i < m; i++)
    for (long j = 0; j < n; j++) c[i * ldc + j] = t[j * m + i];
}

template <typename T>
void Zero(T* p, long n) {
  for (long i = 0; i < n; i++) p[i] = 0;
}

// out = op(A_t)·op(B_t) for each t (sum = 0), or out = Σ_t op(A_t)·op(B_t) (sum = 1); the
// arguments of Backend.matmul.
template <typename T>
void Product(const T* a, const T* b, T* out, long batch, long m, long n, long k, int transA,
             int transB, long aStride, long bStride, int sum, T* scratch) {
  const long mn = m * n;
  if (mn == 0) return;
  if (batch <= 0 || k == 0) return Zero(out, sum ? mn : batch * mn);
  const View<T> av = {a, transA ? 1 : k, transA ? m : 1};
  const View<T> bv = {b, transB ? 1 : n, transB ? k : 1};
  if (sum) return Oriented<T>(m, n, k, {av, bv, batch, aStride, bStride}, out, n, scratch);
  for (long t = 0; t < batch; t++) {
    const Operands<T> x = {
        {a + t * aStride, av.rs, av.cs}, {b + t * bStride, bv.rs, bv.cs}, 1, 0, 0};
    Oriented<T>(m, n, k, x, out + t * mn, n, scratch);
  }
}

// How a product is shared among threads, as native/gemm.cc shares it: whole products of a batch
// when there are enough (a few per thread, so that a thread on a busy core holds back less),
// else each product (or the one sum of products) in slabs of whole register tiles: rows of C
// when m ≥ n, else columns; two slabs per thread, taken from a queue. Each element of C is
// computed by one task, with the same chain of sums as on one thread: the tile height, the
// orientation and the slab bounds never change the k slices or their order.
struct Split {
  long tasks;
  bool wholes, byRows;
  long slabs, units, unit;  // slabs per product; register tiles along the cut, and their width
};

Split SplitOf(long batch, long m, long n, int sum, long threads) {
  if (!sum && batch >= threads) return {Min(batch, 4 * threads), true, true, 1, 0, 0};
  const long want = sum ? 2 * threads : (2 * threads + batch - 1) / batch;
  const bool byRows = m >= n;
  const long unit = byRows ? kMr : 8;  // a register tile's rows, or its float32 columns
  const long units = ((byRows ? m : n) + unit - 1) / unit;
  const long slabs = Min(units, want);
  return {(sum ? 1 : batch) * slabs, false, byRows, slabs, units, unit};
}

// Rows or columns [lo, hi) of slab `s`: the tiles dealt as evenly as they go (26 tiles of 5 rows
// in 4 slabs: 6, 7, 6, 7), so that each thread's two slabs hold about half the work.
void SlabOf(const Split& split, long s, long extent, long* lo, long* hi) {
  *lo = split.units * s / split.slabs * split.unit;
  *hi = Min(extent, split.units * (s + 1) / split.slabs * split.unit);
}

// Task `task` of the product's split for `threads` threads (threads 1: the whole product).
template <typename T>
void Task(const T* a, const T* b, T* out, long batch, long m, long n, long k, int transA,
          int transB, long aStride, long bStride, int sum, T* scratch, long task, long threads) {
  const long mn = m * n;
  if (threads <= 1 || mn == 0 || batch <= 0 || k == 0)
    return Product<T>(a, b, out, batch, m, n, k, transA, transB, aStride, bStride, sum, scratch);
  const Split s = SplitOf(batch, m, n, sum, threads);
  if (s.wholes) {
    const long lo = batch * task / s.tasks, hi = batch * (task + 1) / s.tasks;
    return Product<T>(a + lo * aStride, b + lo * bStride, out + lo * mn, hi - lo, m, n, k, transA,
                      transB, aStride, bStride, 0, scratch);
  }
  const long t = task / s.slabs;
  long lo, hi;
  SlabOf(s, task % s.slabs, s.byRows ? m : n, &lo, &hi);
  if (lo >= hi) return;
  const View<T> av = {a + t * aStride, transA ? 1 : k, transA ? m : 1};
  const View<T> bv = {b + t * bStride, transB ? 1 : n, transB ? k : 1};
  Operands<T> x = {av, bv, sum ? batch : 1, aStride, bStride};
  T* c = out + (sum ? 0 : t * mn);
  if (s.byRows) {
    x.a.p += lo * av.rs;
    return Oriented<T>(hi - lo, n, k, x, c + lo * n, n, scratch);
  }
  x.b.p += lo * bv.cs;
  Oriented<T>(m, hi - lo, k, x, c + lo, n, scratch);
}

}  // namespace

extern "C" {

// Bytes of scratch a product of m×k by k×n needs (for either element size), per thread.
EXPORT(gemm_scratch_bytes) long gemm_scratch_bytes(long m, long n, long k, long elementBytes) {
  return elementBytes * ((kMc + kNc) * SliceOf(k > 0 ? k : 1) + m * n) + 16;
}

// The tasks of a product shared among `threads` threads (1 for one thread).
EXPORT(gemm_tasks) long gemm_tasks(long batch, long m, long n, long k, int sum, long threads) {
  if (threads <= 1 || m * n == 0 || batch <= 0 || k == 0) return 1;
  return SplitOf(batch, m, n, sum, threads).tasks;
}

// Task `task` of gemm_tasks(…, threads) of the product (Backend.matmul's arguments, then the
// scratch of the thread that runs it).
EXPORT(gemm_f32)
void gemm_f32(const float* a, const float* b, float* out, long batch, long m, long n, long k,
              int transA, int transB, long aStride, long bStride, int sum, float* scratch,
              long task, long threads) {
  Task<float>(a, b, out, batch, m, n, k, transA, transB, aStride, bStride, sum, scratch, task,
              threads);
}

EXPORT(gemm_f64)
void gemm_f64(const double* a, const double* b, double* out, long batch, long m, long n, long k,
              int transA, int transB, long aStride, long bStride, int sum, double* scratch,
              long task, long threads) {
  Task<double>(a, b, out, batch, m, n, k, transA, transB, aStride, bStride, sum, scratch, task,
               threads);
}
}
