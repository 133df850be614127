#include "window.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "pool.h"  // Chunked

namespace nabla {
namespace {

// Work (elements written or read) below which a call stays on the calling thread.
constexpr long kCopyGrain = 1L << 18;
constexpr long kPoolGrain = 1L << 17;

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

// out[0, n) = 0. Up to 32 floats (rows of 10 and 28 in LeNet-5) by 16-byte pieces, the last one
// overlapping the one before, in loops of fixed length that the compiler unrolls: a plain loop
// it turns into a call to memset, which costs more than such a short fill.
template <typename T>
inline void ZeroShort(long n, T* out) {
  constexpr long kV = 16 / sizeof(T), kMax = 8 * kV;
  static const T kZeros[kV] = {};
  if (n > kMax) {
    std::fill(out, out + n, T(0));
  } else if (n < kV) {
    for (long i = 0; i < kV - 1; i++)
      if (i < n) out[i] = T(0);
  } else {
    for (long i = 0; i < kMax - kV; i += kV)
      if (i + kV < n) std::memcpy(out + i, kZeros, 16);
    std::memcpy(out + n - kV, kZeros, 16);
  }
}

// rows × n elements from in (rows `from` apart) to out (rows `to` apart) for rows of P + 1 pieces
// of 16 bytes (ByPieces), the last one overlapping the one before: a few moves per row, no call.
template <int P, typename T>
void CopyPieces(const T* in, long from, long rows, long n, T* out, long to) {
  constexpr long kV = 16 / sizeof(T);
  for (long y = 0; y < rows; y++, in += from, out += to) {
    for (long i = 0; i < P; i++) std::memcpy(out + i * kV, in + i * kV, 16);
    std::memcpy(out + n - kV, in + n - kV, 16);
  }
}

// f(std::integral_constant<int, P>) for the P + 1 pieces of 16 bytes that rows of n elements take
// (P in [1, 7]), or P = 0 for rows shorter than a piece or longer than 8: so that the loops over
// short rows are made for their length.
template <typename T, typename F>
void ByPieces(long n, F f) {
  constexpr long kV = 16 / sizeof(T);
  switch (n < kV ? 0 : (n - 1) / kV) {
    case 1: return f(std::integral_constant<int, 1>());
    case 2: return f(std::integral_constant<int, 2>());
    case 3: return f(std::integral_constant<int, 3>());
    case 4: return f(std::integral_constant<int, 4>());
    case 5: return f(std::integral_constant<int, 5>());
    case 6: return f(std::integral_constant<int, 6>());
    case 7: return f(std::integral_constant<int, 7>());
    default: return f(std::integral_constant<int, 0>());
  }
}

// rows × n elements from in (rows `from` apart) to out (rows `to` apart), out not overlapping in.
template <typename T>
void CopyRows(const T* in, long from, long rows, long n, T* out, long to) {
  ByPieces<T>(n, [&](auto pieces) {
    constexpr int P = decltype(pieces)::value;
    if constexpr (P > 0) {
      CopyPieces<P>(in, from, rows, n, out, to);
    } else {
      for (long y = 0; y < rows; y++) std::copy(in + y * from, in + y * from + n, out + y * to);
    }
  });
}

// out[y·to + i] += in[y·from + i] for y in [0, rows), i in [0, n), rows of P + 1 pieces of 16
// bytes (ByPieces): P pieces (one vector each), then the rest one by one.
template <int P, typename T>
void AddPieces(const T* __restrict in, long from, long rows, long n, T* __restrict out, long to) {
  constexpr int kV = 16 / sizeof(T);
  for (long y = 0; y < rows; y++, in += from, out += to) {
    for (long i = 0; i < P * kV; i += kV)
      for (int q = 0; q < kV; q++) out[i + q] += in[i + q];
    for (long i = P * kV; i < n; i++) out[i] += in[i];
  }
}

// The same for rows of any length, with a loop made for the length of short rows.
template <typename T>
void AddRows(const T* in, long from, long rows, long n, T* out, long to) {
  ByPieces<T>(n,
              [&](auto pieces) { AddPieces<decltype(pieces)::value>(in, from, rows, n, out, to); });
}

// One row of im2col at stride sw: out[ox] = in[ox·sw] for ox in [r.lo, r.hi), 0 elsewhere in
// [0, ow).
template <typename T>
inline void CopyRow(const T* __restrict in, long sw, Range r, long ow, T* __restrict out) {
  ZeroShort(r.lo, out);
  for (long ox = r.lo; ox < r.hi; ox++) out[ox] = in[ox * sw];
  ZeroShort(ow - r.hi, out + r.hi);
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

// For each of k taps, the outputs whose input at offset tap·dilation − pad lies in [0, size):
// computed once per call, as their divisions cost more than the copy of a short row.
std::vector<Range> TapRanges(long k, long dilation, long pad, long stride, long out, long size) {
  std::vector<Range> r(static_cast<size_t>(k));
  for (long t = 0; t < k; t++) r[t] = Inside(t * dilation - pad, stride, out, size);
  return r;
}

// Rows [lo, hi) of im2col for a convolution without padding, stride or dilation whose windows
// all lie inside the input, rows of P + 1 pieces: each row of out is oh rows of x, copied in one
// loop made for their length.
template <int P, typename T>
void Im2colInside(const T* x, const Window2d& g, long lo, long hi, T* out) {
  const long taps = g.kh * g.kw, cols = g.oh * g.ow, area = g.h * g.w;
  long p = lo / taps, ki = lo % taps / g.kw, kj = lo % g.kw;
  for (long row = lo; row < hi; row++) {
    CopyPieces<P>(x + p * area + ki * g.w + kj, g.w, g.oh, g.ow, out + row * cols, g.ow);
    if (++kj == g.kw) kj = 0, ki++;
    if (ki == g.kh) ki = 0, p++;
  }
}

// Rows [lo, hi) of im2col in general. The rows oy (ys) and columns ox (xs) whose input is inside
// the plane are known per tap, so the copy makes no bounds checks.
template <typename T>
void Im2colRows(const T* x, const Window2d& g, const Range* ys, const Range* xs, long lo, long hi,
                T* out) {
  const long taps = g.kh * g.kw, cols = g.oh * g.ow;
  long p = lo / taps, ki = lo % taps / g.kw, kj = lo % g.kw;
  for (long row = lo; row < hi; row++) {
    const Range y = ys[ki], r = xs[kj];
    T* o = out + row * cols;
    ZeroShort(y.lo * g.ow, o);
    const long dy = ki * g.dh - g.ph, dx = kj * g.dw - g.pw;
    const T* in = x + p * g.h * g.w + (y.lo * g.sh + dy) * g.w + dx;
    if (g.sw == 1) {
      // Zeros where the rows reach into the padding, then the rows' insides at once.
      if (r.hi - r.lo < g.ow) ZeroShort((y.hi - y.lo) * g.ow, o + y.lo * g.ow);
      CopyRows(in + r.lo, g.sh * g.w, y.hi - y.lo, r.hi - r.lo, o + y.lo * g.ow + r.lo, g.ow);
    } else {
      for (long oy = y.lo; oy < y.hi; oy++, in += g.sh * g.w)
        CopyRow(in, g.sw, r, g.ow, o + oy * g.ow);
    }
    ZeroShort((g.oh - y.hi) * g.ow, o + y.hi * g.ow);
    if (++kj == g.kw) kj = 0, ki++;
    if (ki == g.kh) ki = 0, p++;
  }
}

// Split over the rows of out (plane, ki, kj), each written by one thread: the same bits for any
// number of threads. The threads work on a local copy of g: the stores to out, made with memcpy,
// could change anything in memory, and what they could change is read again after each.
template <typename T>
void Im2col(const T* x, const Window2d& g, T* out) {
  const std::vector<Range> ys = TapRanges(g.kh, g.dh, g.ph, g.sh, g.oh, g.h);
  const std::vector<Range> xs = TapRanges(g.kw, g.dw, g.pw, g.sw, g.ow, g.w);
  const bool inside = g.ph == 0 && g.pw == 0 && g.sh == 1 && g.sw == 1 && g.dh == 1 && g.dw == 1 &&
                      g.oh + g.kh - 1 <= g.h && g.ow + g.kw - 1 <= g.w;
  const long rows = g.n * g.c * g.kh * g.kw;
  Chunked(rows, GrainRows(g.oh * g.ow, kCopyGrain), [&](long lo, long hi) {
    const Window2d k = g;
    ByPieces<T>(inside ? k.ow : 0, [&](auto pieces) {
      constexpr int P = decltype(pieces)::value;
      if constexpr (P > 0) Im2colInside<P>(x, k, lo, hi, out);
      else Im2colRows(x, k, ys.data(), xs.data(), lo, hi, out);
    });
  });
}

// Split over planes: each input plane's sums are made by one thread, by (ki, kj) as in the
// reference (a tap adds to a position at most once), so the same bits as the reference.
template <typename T>
void Col2im(const T* cols, const Window2d& g, T* out) {
  const long taps = g.kh * g.kw, length = g.oh * g.ow, area = g.h * g.w;
  const std::vector<Range> ys = TapRanges(g.kh, g.dh, g.ph, g.sh, g.oh, g.h);
  const std::vector<Range> xs = TapRanges(g.kw, g.dw, g.pw, g.sw, g.ow, g.w);
  Chunked(g.n * g.c, GrainRows(taps * length, kCopyGrain), [&](long lo, long hi) {
    const Window2d k = g;  // a local copy, as in Im2col
    for (long p = lo; p < hi; p++) {
      T* plane = out + p * area;
      std::fill(plane, plane + area, T(0));
      const T* in = cols + p * taps * length;
      for (long ki = 0; ki < k.kh; ki++) {
        const Range y = ys[ki];
        for (long kj = 0; kj < k.kw; kj++, in += length) {
          const Range r = xs[kj];
          const T* c = in + y.lo * k.ow + r.lo;
          T* o = plane + (y.lo * k.sh + ki * k.dh - k.ph) * k.w + kj * k.dw - k.pw + r.lo * k.sw;
          if (k.sw == 1) {
            AddRows(c, k.ow, y.hi - y.lo, r.hi - r.lo, o, k.sh * k.w);
          } else {
            for (long oy = y.lo; oy < y.hi; oy++, c += k.ow, o += k.sh * k.w)
              for (long ox = 0; ox < r.hi - r.lo; ox++) o[ox * k.sw] += c[ox];
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

#if defined(__SSE2__)
// best, at = v, i in the lanes where v is larger or NaN (Take, four windows at once).
inline void Take4(__m128 v, __m128i i, __m128* best, __m128i* at) {
  const __m128 take = _mm_or_ps(_mm_cmpgt_ps(v, *best), _mm_cmpunord_ps(v, v));
  const __m128i mask = _mm_castps_si128(take);
  *best = _mm_or_ps(_mm_and_ps(take, v), _mm_andnot_ps(take, *best));
  *at = _mm_or_si128(_mm_and_si128(mask, i), _mm_andnot_si128(mask, *at));
}

// PoolInterior for windows two wide at stride 2 (kw = sw = 2, dw = 1), float: four columns at a
// time, the even and odd taps of a tap row split from two loads, the window's running maximum
// kept in registers across tap rows. Fewer than four columns go to PoolInterior.
void PoolPairs(const float* plane, const Window2d& g, long y0, Range ks, long a, long b, float* out,
               int32_t* argmax) {
  if (b - a < 4) {
    PoolInterior(plane, g, y0, ks, a, b, out, argmax);
    return;
  }
  const long first = (y0 + ks.lo * g.dh) * g.w - g.pw, step = g.dh * g.w;
  const __m128i one = _mm_set1_epi32(1), down = _mm_set1_epi32(static_cast<int32_t>(step));
  for (long ox = a;; ox += 4) {
    ox = std::min(ox, b - 4);  // the last four overlap the ones before: the same values again
    const float* r = plane + first + 2 * ox;
    __m128i i = _mm_add_epi32(_mm_set1_epi32(static_cast<int32_t>(first + 2 * ox)),
                              _mm_set_epi32(6, 4, 2, 0));
    __m128 lo = _mm_loadu_ps(r), hi = _mm_loadu_ps(r + 4);
    // The first tap is taken whatever it is, as in the reference.
    __m128 best = _mm_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0));
    __m128i at = i;
    Take4(_mm_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1)), _mm_add_epi32(i, one), &best, &at);
    for (long ki = ks.lo + 1; ki < ks.hi; ki++) {
      r += step;
      i = _mm_add_epi32(i, down);
      lo = _mm_loadu_ps(r);
      hi = _mm_loadu_ps(r + 4);
      Take4(_mm_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0)), i, &best, &at);
      Take4(_mm_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1)), _mm_add_epi32(i, one), &best, &at);
    }
    _mm_storeu_ps(out + ox, best);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(argmax + ox), at);
    if (ox + 4 == b) return;
  }
}
#endif

// The interior kernel for g: PoolPairs for float 2×2-wide windows at stride 2, else PoolInterior.
template <typename T>
auto InteriorFor(const Window2d& g) {
  using Row = void (*)(const T*, const Window2d&, long, Range, long, long, T*, int32_t*);
  Row row = PoolInterior<T>;
#if defined(__SSE2__)
  if constexpr (std::is_same<T, float>::value)
    if (g.kw == 2 && g.sw == 2 && g.dw == 1) row = PoolPairs;
#endif
  return row;
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
  const auto interior = InteriorFor<T>(g);
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
      if (rows && a < b) interior(plane, g, y0, ks, a, b, o, at);
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
