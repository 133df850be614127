// The pieces of the blocked GEMM (gemm.cc) that its serial and shared drivers both use: scratch
// buffers, the choice of register tile, and one column panel of C through the micro-kernel.
// Internal linkage, as pack.h: only gemm.cc includes it.
#ifndef NABLA_NATIVE_GEMM_BLOCKS_H
#define NABLA_NATIVE_GEMM_BLOCKS_H

#include <algorithm>
#include <cstdlib>

#include "pack.h"

namespace nabla {
namespace {

// Scratch kept between products; a larger buffer (the shared pack of a big op(B)) is freed after
// its product.
constexpr size_t kKeptScratch = 32 << 20;

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
  // Returns the buffer to the system when it has grown past `keep` bytes.
  void Trim(size_t keep) {
    if (size <= keep) return;
    std::free(ptr);
    ptr = nullptr;
    size = 0;
  }
  ~Scratch() { std::free(ptr); }
};

// The register tile for a product with m rows of C: the one that pads fewest rows, counting each
// tile's step as its rows plus 2 (the two vectors of B it loads), so a wider tile wins ties.
template <typename T>
Gemm<T> ForRows(const Gemm<T>& g, long m) {
  auto cost = [m](int mr) { return (m + mr - 1) / mr * (mr + 2); };
  Gemm<T> best = g;
  for (int i = 0; i < 3 && g.narrowMr[i] > 0; i++) {
    if (cost(g.narrowMr[i]) < cost(best.mr)) {
      best.kernel = g.narrow[i];
      best.half = g.narrowHalf[i];
      best.mr = g.narrowMr[i];
    }
  }
  return best;
}

// A register tile: its kernel, the same nr/2 columns wide (or nullptr), and its rows.
template <typename T>
struct Tile {
  MicroKernel<T> kernel, half;
  int mr;
};

// The tile for a last row panel of h < mr rows: the narrowest of the set's tiles that holds them
// (fewer padded rows computed: 128 rows are 10 tiles of 12 and one of 8, not 11 of 12), else the
// full one. Each element is the same sum in the same order whichever tile computes it.
template <typename T>
Tile<T> TailTile(const Gemm<T>& g, long h) {
  Tile<T> best = {g.kernel, g.half, g.mr};
  if (h == 0) return best;
  for (int i = 0; i < 3 && g.narrowMr[i] > 0; i++)
    if (g.narrowMr[i] >= h && g.narrowMr[i] < best.mr)
      best = {g.narrow[i], g.narrowHalf[i], g.narrowMr[i]};
  return best;
}

// One nr-column panel of C (w ≤ nr columns wide) over the mc rows of a packed block of A: each
// row panel through its register tile, edge tiles through a scratch tile.
template <typename T>
void ColumnPanel(const Gemm<T>& g, const Tile<T>& tail, long mc, long kc, const T* ap,
                 const T* bpanel, long ldb, long w, T* c, long ldc, int accumulate) {
  const int mr = g.mr, nr = g.nr;
  alignas(64) T tile[32 * 32];  // one edge tile: every kernel set has mr·nr ≤ 1024
  for (long ir = 0; ir < mc; ir += mr) {
    const long h = std::min<long>(mr, mc - ir);
    const Tile<T> t = h < mr ? tail : Tile<T>{g.kernel, g.half, mr};
    // A last panel of at most nr/2 columns: the half-width tile.
    const bool half = t.half != nullptr && 2 * w <= nr;
    const MicroKernel<T> kernel = half ? t.half : t.kernel;
    T* ct = c + ir * ldc;
    if (h == t.mr && w == (half ? nr / 2 : nr)) {
      kernel(kc, ap + ir * kc, bpanel, ldb, ct, ldc, accumulate);
      continue;
    }
    kernel(kc, ap + ir * kc, bpanel, ldb, tile, nr, 0);
    for (long i = 0; i < h; i++)
      for (long j = 0; j < w; j++)
        ct[i * ldc + j] = accumulate ? ct[i * ldc + j] + tile[i * nr + j] : tile[i * nr + j];
  }
}

// A sum of `batch` products Σ_t op(A_t)·op(B_t), A_t at a.p + t·as and B_t at b.p + t·bs (one
// product when batch = 1): the k loop runs over every sample's k in turn.
template <typename T>
struct Operands {
  View<T> a, b;
  long batch, as, bs;
  Operands Swapped() const { return {{b.p, b.cs, b.rs}, {a.p, a.cs, a.rs}, batch, bs, as}; }
};

// The kernel set's transposing pack, or the portable one.
template <typename T>
GatherKernel<T> Gatherer(const Gemm<T>& g) {
  return g.gather != nullptr ? g.gather : Gather<T>;
}

// Equal slices of k (1,100 → 2 × 550 rather than 1,024 + 76): a thin last slice would pay the
// load and store of C for little arithmetic.
inline long KSlice(long k, long kc) { return (k + (k + kc - 1) / kc - 1) / ((k + kc - 1) / kc); }

// c = Σ_t op(A_t) · op(B_t) through run(tile, rows, cols, operands, out, ldo), with the register
// tile that suits its rows (ForRows) and in the orientation that wastes less of the tiles: when n
// is small and m is not (128×10 for a classifier's last layer), every mr×nr tile is an edge tile
// mostly of padding, so Cᵀ = op(B)ᵀ · op(A)ᵀ is computed instead into scratch and transposed into
// c. Each element is the same sum in the same order either way (the kernels sum each kc slice
// from zero and add it to c), so the result is bit-identical.
template <typename T, typename Run>
void Oriented(const Gemm<T>& g, long m, long n, const Operands<T>& x, T* c, long ldc, Run run) {
  auto padded = [](long x, long unit) { return static_cast<double>((x + unit - 1) / unit * unit); };
  const Gemm<T> gm = ForRows(g, m), gn = ForRows(g, n);
  const double normal = padded(m, gm.mr) * padded(n, g.nr);
  const double swapped = padded(n, gn.mr) * padded(m, g.nr);
  if (3 * swapped >= 2 * normal) {  // less than a third saved: not worth the transpose
    run(gm, m, n, x, c, ldc);
    return;
  }
  thread_local Scratch scratch_t;
  T* t = static_cast<T*>(scratch_t.Get(sizeof(T) * m * n));
  run(gn, n, m, x.Swapped(), t, m);
  for (long i = 0; i < m; i++) {
    T* ci = c + i * ldc;
    for (long j = 0; j < n; j++) ci[j] = t[j * m + i];
  }
}

}  // namespace
}  // namespace nabla

#endif
