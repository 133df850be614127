// One product shared among the pool's threads. C is cut into one slab per thread (rows when
// m ≥ n, else columns, in whole register tiles) and each slab into a few tasks. Each thread takes
// the tasks of its own slab from the front; one that has finished its slab takes the others'
// from the back. On a quiet machine each thread does its own slab, as a static split would; on a
// busy one the slab of a thread that lost its core is finished by the others instead of holding
// them back.
//
// Each thread packs the panels of op(B) and the blocks of op(A) it needs once per product, into
// its own buffers: a panel packed by one core and read by another cost more than packing it again
// (GEMM 256 ran 20% slower with one shared pack). Every element of C is the sum GemmSerial
// computes, in the same order, whichever thread computes it.
// Internal linkage, as pack.h: only gemm.cc includes it.
#ifndef NABLA_NATIVE_GEMM_GRID_H
#define NABLA_NATIVE_GEMM_GRID_H

#include <atomic>
#include <cstdint>
#include <vector>

#include "gemm_blocks.h"
#include "pool.h"

namespace nabla {
namespace {

// Threads that share one product (more take part only in batches of products).
constexpr int kMaxShares = 16;
// Tasks per slab: enough that a thread on a busy core holds back a small part.
constexpr long kTasksPerSlab = 4;

// c (m×n, row stride ldc) = Σ_t op(A_t) · op(B_t), k summed in slices of kSlice per sample.
template <typename T>
struct Grid {
  const Gemm<T>& g;
  long m, n, k;
  const Operands<T>& x;
  T* c;
  long ldc;
  long kSlice, perSample, slices;  // slices of k per sample, and in all (batch × perSample)
  long panels;                     // nr-column panels of C
  bool byRows;                     // slabs of rows (else of panels)
  long per, step;                  // rows (or panels) per slab, and per task
  bool direct;                     // whole panels of B read in place (few rows of C)
  uint64_t run;                    // this product's number, marking what was packed for it
};

// Packed blocks kept by one thread for one product: cell i is `size` values, valid when its
// stamp is the product's number. Products are numbered across float32 and float64.
struct PackCache {
  Scratch data;
  std::vector<uint64_t> stamps;
  // Cells [i, i + count), packed together (fresh: not yet for this run).
  template <typename T>
  T* Cells(uint64_t run, long cells, long size, long i, long count, bool* fresh) {
    if (stamps.size() < static_cast<size_t>(cells)) stamps.resize(cells);
    T* p = static_cast<T*>(data.Get(sizeof(T) * cells * size)) + i * size;
    *fresh = stamps[i] != run;
    std::fill(stamps.begin() + i, stamps.begin() + i + count, run);
    return p;
  }
};
thread_local PackCache grid_a, grid_b;
std::atomic<uint64_t> grid_runs{1};

// The view of op(A) or op(B) for slice s, and the slice's first index p0 along k and depth kc.
template <typename T>
View<T> Slice(const Grid<T>& q, const View<T>& v, long stride, long s, long* p0, long* kc) {
  *p0 = s % q.perSample * q.kSlice;
  *kc = std::min(q.kSlice, q.k - *p0);
  return {v.p + s / q.perSample * stride, v.rs, v.cs};
}

// Panels [j0, j1) of op(B) (slice s: b, from p0, kc deep), packed into the thread's cache
// unless they already were for this product; a task packs its panels all at once (one stream to
// read rather than a little of each row per panel: about 4% faster at GEMM 1024).
template <typename T>
const T* PanelsB(const Grid<T>& q, const View<T>& b, long s, long p0, long kc, long j0, long j1) {
  if (j0 >= j1) return nullptr;
  const int nr = q.g.nr;
  bool fresh;
  T* dst = grid_b.Cells<T>(q.run, q.slices * q.panels, q.kSlice * nr, s * q.panels + j0, j1 - j0,
                           &fresh);
  if (fresh) PackB(b, p0, j0 * nr, kc, std::min(q.n, j1 * nr) - j0 * nr, nr, Gatherer(q.g), dst);
  return dst;
}

// Rows [i0, i0 + mc) of op(A) for slice s, packed for tile `tail` at their end: into the
// thread's cache when blocks start at multiples of mc (slabs of columns, where every task of a
// thread reads the same blocks), else into scratch (slabs of rows: each block read once).
template <typename T>
const T* BlockA(const Grid<T>& q, long s, long i0, long mc, int tailMr) {
  thread_local Scratch scratch;
  long p0, kc;
  const View<T> a = Slice(q, q.x.a, q.x.as, s, &p0, &kc);
  const long size = (q.g.mc + q.g.mr - 1) / q.g.mr * q.g.mr * q.kSlice;
  bool fresh = true;
  T* dst;
  if (q.byRows) {
    dst = static_cast<T*>(scratch.Get(sizeof(T) * size));
  } else {
    const long blocks = (q.m + q.g.mc - 1) / q.g.mc;
    dst = grid_a.Cells<T>(q.run, q.slices * blocks, size, s * blocks + i0 / q.g.mc, 1, &fresh);
  }
  if (fresh) PackA(a, i0, p0, mc, kc, q.g.mr, tailMr, Gatherer(q.g), dst);
  return dst;
}

// Task t of slab `slab`: its rows [i0, i1) × panels [j0, j1) of C, over every slice of k in order.
template <typename T>
void RunTask(const Grid<T>& q, int slab, long t) {
  const Gemm<T>& g = q.g;
  const long lo = slab * q.per + t * q.step;
  const long hi = std::min({q.byRows ? q.m : q.panels, (slab + 1) * q.per, lo + q.step});
  const long i0 = q.byRows ? lo : 0, i1 = q.byRows ? hi : q.m;
  const long j0 = q.byRows ? 0 : lo, j1 = q.byRows ? q.panels : hi;
  for (long s = 0; s < q.slices; s++) {
    long p0, kc;
    const View<T> b = Slice(q, q.x.b, q.x.bs, s, &p0, &kc);
    // With few rows of C, whole panels are read in place (as GemmSerial does); only the edge one
    // is packed.
    const long jf = q.direct ? std::max(j0, q.n / g.nr) : j0;
    const T* bp = PanelsB(q, b, s, p0, kc, jf, j1);
    for (long r = i0; r < i1; r += g.mc) {
      const long mc = std::min<long>(g.mc, i1 - r);
      const Tile<T> tail = TailTile(g, mc % g.mr);
      const T* ap = BlockA(q, s, r, mc, tail.mr);
      for (long jp = j0; jp < j1; jp++) {
        const bool inPlace = jp < jf;
        const T* panel = inPlace ? b.p + p0 * b.rs + jp * g.nr : bp + (jp - jf) * kc * g.nr;
        const long w = std::min<long>(g.nr, q.n - jp * g.nr);
        ColumnPanel<T>(g, tail, mc, kc, ap, panel, inPlace ? b.rs : g.nr, w,
                       q.c + r * q.ldc + jp * g.nr, q.ldc, s > 0);
      }
    }
  }
}

// A slab's tasks [lo, hi) in one word (lo in the low half): its owner takes them from the front
// while a thread that has finished its own slab takes them from the back.
class Share {
 public:
  void Set(uint64_t lo, uint64_t hi) { range_.store(hi << 32 | lo); }
  bool Take(bool back, long* task) {
    uint64_t r = range_.load();
    for (;;) {
      const uint64_t lo = r & 0xffffffffu, hi = r >> 32;
      if (lo >= hi) return false;
      const uint64_t next = back ? (hi - 1) << 32 | lo : hi << 32 | (lo + 1);
      if (range_.compare_exchange_weak(r, next)) {
        *task = static_cast<long>(back ? hi - 1 : lo);
        return true;
      }
    }
  }

 private:
  std::atomic<uint64_t> range_{0};
};

// c = Σ_t op(A_t) · op(B_t) (t < x.batch), shared among `threads` threads (g: the tile for m rows).
template <typename T>
void GemmGrid(const Gemm<T>& g, long m, long n, long k, const Operands<T>& x, T* c, long ldc,
              int threads) {
  const long kSlice = KSlice(k, g.kc), perSample = (k + kSlice - 1) / kSlice;
  const long panels = (n + g.nr - 1) / g.nr;
  const bool byRows = m >= n;
  const int slabs = std::min(threads, kMaxShares);
  // Slabs of whole register tiles; tasks of mc rows, or of a quarter of a slab's panels.
  const long units = byRows ? (m + g.mr - 1) / g.mr : panels;
  const long per = (units + slabs - 1) / slabs * (byRows ? g.mr : 1);
  const long step = byRows ? g.mc : (per + kTasksPerSlab - 1) / kTasksPerSlab;
  const bool direct = x.b.cs == 1 && m <= 2 * g.mr;
  const Grid<T> q = {g,         m,
                     n,         k,
                     x,         c,
                     ldc,       kSlice,
                     perSample, x.batch * perSample,
                     panels,    byRows,
                     per,       step,
                     direct,    grid_runs.fetch_add(1)};
  Share shares[kMaxShares];
  const long extent = byRows ? m : panels;
  for (int i = 0; i < slabs; i++) {
    const long lo = std::min(extent, i * per), hi = std::min(extent, lo + per);
    shares[i].Set(0, (hi - lo + step - 1) / step);
  }
  ParallelFor(slabs, [&](int own) {
    long task;
    for (int i = 0; i < slabs; i++) {
      const int s = (own + i) % slabs;
      while (shares[s].Take(i > 0, &task)) RunTask<T>(q, s, task);
    }
    grid_a.data.Trim(kKeptScratch);
    grid_b.data.Trim(kKeptScratch);
  });
}

}  // namespace
}  // namespace nabla

#endif
