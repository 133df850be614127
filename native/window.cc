#include "window.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "pool.h"  // Chunked

namespace nabla {
namespace {

// Work (elements written or read) below which a call stays on the calling thread.
constexpr long kCopyGrain = 1L << 16;
constexpr long kPoolGrain = 1L << 15;

// The k in [lo, hi) ⊆ [0, count) with 0 ≤ base + k·step < limit (step ≥ 1): the window taps
// that fall inside the input, a contiguous range since base + k·step grows with k.
struct Range {
  long lo, hi;
};
Range Inside(long base, long step, long count, long limit) {
  long lo = base >= 0 ? 0 : (step - 1 - base) / step;
  long hi = base >= limit ? 0 : (limit - base + step - 1) / step;
  hi = std::min(hi, count);
  return {std::min(lo, hi), hi};
}

// Rows of `length` elements per thread's chunk: enough that a call splits only when it has
// `grain` elements of work in all.
long GrainRows(long length, long grain) { return std::max(1L, grain / std::max(1L, length)); }

// One row of im2col: out[ox] = in[ox·sw] for ox in [r.lo, r.hi), 0 elsewhere in [0, ow).
template <typename T>
void CopyRow(const T* __restrict in, long sw, Range r, long ow, T* __restrict out) {
  std::fill(out, out + r.lo, T(0));
  if (sw == 1) {
    std::copy(in + r.lo, in + r.hi, out + r.lo);
  } else {
    for (long ox = r.lo; ox < r.hi; ox++) out[ox] = in[ox * sw];
  }
  std::fill(out + r.hi, out + ow, T(0));
}

// One row of col2im: out[ox·sw] += in[ox] for ox in [r.lo, r.hi).
template <typename T>
void AddRow(const T* __restrict in, long sw, Range r, T* __restrict out) {
  if (sw == 1) {
    for (long ox = r.lo; ox < r.hi; ox++) out[ox] += in[ox];
  } else {
    for (long ox = r.lo; ox < r.hi; ox++) out[ox * sw] += in[ox];
  }
}

// best, at = v, i where take is 1 (else unchanged), without a branch: whether a window's next
// element is larger is unpredictable on real data, and a mispredicted branch per element costs
// more than the whole comparison.
template <typename T>
inline void Select(long take, T v, long i, T* best, long* at) {
  using Bits = typename std::conditional<sizeof(T) == 4, uint32_t, uint64_t>::type;
  const Bits mask = Bits(0) - static_cast<Bits>(take);
  Bits vb, bb;
  std::memcpy(&vb, &v, sizeof(T));
  std::memcpy(&bb, best, sizeof(T));
  bb = (vb & mask) | (bb & ~mask);
  std::memcpy(best, &bb, sizeof(T));
  *at = (i & -take) | (*at & (take - 1));
}

}  // namespace

// Split over the rows of out (plane, ki, kj), each written by one thread: the same bits for any
// number of threads.
template <typename T>
void Im2col(const T* x, const Window2d& g, T* out) {
  const long taps = g.kh * g.kw, cols = g.oh * g.ow;
  Chunked(g.n * g.c * taps, GrainRows(cols, kCopyGrain), [&](long lo, long hi) {
    for (long row = lo; row < hi; row++) {
      const long p = row / taps, ki = row % taps / g.kw, kj = row % g.kw;
      const T* plane = x + p * g.h * g.w;
      const long dx = kj * g.dw - g.pw;
      const Range xs = Inside(dx, g.sw, g.ow, g.w);
      T* o = out + row * cols;
      for (long oy = 0; oy < g.oh; oy++, o += g.ow) {
        const long iy = oy * g.sh - g.ph + ki * g.dh;
        if (iy < 0 || iy >= g.h) std::fill(o, o + g.ow, T(0));
        else CopyRow(plane + iy * g.w + dx, g.sw, xs, g.ow, o);
      }
    }
  });
}

// Split over planes: each input plane's sums are made by one thread, by (ki, kj) as in the
// reference (a tap adds to a position at most once), so the same bits as the reference.
template <typename T>
void Col2im(const T* cols, const Window2d& g, T* out) {
  const long taps = g.kh * g.kw, length = g.oh * g.ow, area = g.h * g.w;
  Chunked(g.n * g.c, GrainRows(taps * length, kCopyGrain), [&](long lo, long hi) {
    for (long p = lo; p < hi; p++) {
      T* plane = out + p * area;
      std::fill(plane, plane + area, T(0));
      const T* in = cols + p * taps * length;
      for (long ki = 0; ki < g.kh; ki++) {
        for (long kj = 0; kj < g.kw; kj++, in += length) {
          const long dx = kj * g.dw - g.pw;
          const Range xs = Inside(dx, g.sw, g.ow, g.w);
          for (long oy = 0; oy < g.oh; oy++) {
            const long iy = oy * g.sh - g.ph + ki * g.dh;
            if (iy >= 0 && iy < g.h) AddRow(in + oy * g.ow, g.sw, xs, plane + iy * g.w + dx);
          }
        }
      }
    }
  });
}

// The max of one window (taps ks × ts) and its position, tap by tap in the reference's order; a
// window without taps inside the input is −∞ at −1.
template <typename T>
void PoolWindow(const T* plane, const Window2d& g, long y0, long x0, Range ks, Range ts, T* out,
                int32_t* argmax) {
  T best = -std::numeric_limits<T>::infinity();
  long at = -1;
  if (ks.lo < ks.hi && ts.lo < ts.hi) {
    // Start from the first tap; visiting it again below changes nothing.
    at = (y0 + ks.lo * g.dh) * g.w + x0 + ts.lo * g.dw;
    best = plane[at];
    for (long ki = ks.lo; ki < ks.hi; ki++) {
      const long start = (y0 + ki * g.dh) * g.w + x0;
      for (long kj = ts.lo; kj < ts.hi; kj++) {
        const long i = start + kj * g.dw;
        const T v = plane[i];
        Select(static_cast<long>((v > best) | (v != v)), v, i, &best, &at);
      }
    }
  }
  *out = best;
  *argmax = static_cast<int32_t>(at);
}

// One output row over the columns [a, b) whose windows lie wholly inside the input along x: tap
// by tap across the row, so that the columns' comparisons are independent (no chain of selects
// per window, no branch per element).
template <typename T>
void PoolInterior(const T* plane, const Window2d& g, long y0, Range ks, long a, long b, T* out,
                  int32_t* argmax) {
  const long first = (y0 + ks.lo * g.dh) * g.w - g.pw;
  for (long ox = a; ox < b; ox++) {
    out[ox] = plane[first + ox * g.sw];
    argmax[ox] = static_cast<int32_t>(first + ox * g.sw);
  }
  for (long ki = ks.lo; ki < ks.hi; ki++) {
    for (long kj = 0; kj < g.kw; kj++) {
      const long start = (y0 + ki * g.dh) * g.w - g.pw + kj * g.dw;
      for (long ox = a; ox < b; ox++) {
        const long i = start + ox * g.sw;
        const T v = plane[i];
        const T best = out[ox];
        const bool take = (v > best) | (v != v);
        out[ox] = take ? v : best;
        argmax[ox] = take ? static_cast<int32_t>(i) : argmax[ox];
      }
    }
  }
}

// Split over output rows (plane, oy). The taps inside the input are found once per row (ki) and
// per column (kj, precomputed), so the inner loops make no bounds checks.
template <typename T>
void MaxPool2d(const T* x, const Window2d& g, T* out, int32_t* argmax) {
  std::vector<Range> taps(static_cast<size_t>(g.ow));
  for (long ox = 0; ox < g.ow; ox++) taps[ox] = Inside(ox * g.sw - g.pw, g.dw, g.kw, g.w);
  // The columns whose windows have all kw taps inside: [a, b).
  long a = 0, b = g.ow;
  while (a < b && taps[a].hi - taps[a].lo < g.kw) a++;
  while (b > a && taps[b - 1].hi - taps[b - 1].lo < g.kw) b--;
  const long work = g.ow * g.kh * g.kw;
  Chunked(g.n * g.c * g.oh, GrainRows(work, kPoolGrain), [&](long lo, long hi) {
    for (long row = lo; row < hi; row++) {
      const long p = row / g.oh, oy = row % g.oh, y0 = oy * g.sh - g.ph;
      const T* plane = x + p * g.h * g.w;
      const Range ks = Inside(y0, g.dh, g.kh, g.h);
      T* o = out + row * g.ow;
      int32_t* at = argmax + row * g.ow;
      const bool rows = ks.lo < ks.hi;
      for (long ox = 0; ox < g.ow; ox++) {
        if (rows && ox == a && a < b) ox = b;  // the interior, below
        if (ox < g.ow) PoolWindow(plane, g, y0, ox * g.sw - g.pw, ks, taps[ox], o + ox, at + ox);
      }
      if (rows && a < b) PoolInterior(plane, g, y0, ks, a, b, o, at);
    }
  });
}

template void Im2col<float>(const float*, const Window2d&, float*);
template void Im2col<double>(const double*, const Window2d&, double*);
template void Col2im<float>(const float*, const Window2d&, float*);
template void Col2im<double>(const double*, const Window2d&, double*);
template void MaxPool2d<float>(const float*, const Window2d&, float*, int32_t*);
template void MaxPool2d<double>(const double*, const Window2d&, double*, int32_t*);

}  // namespace nabla
