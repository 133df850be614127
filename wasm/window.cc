// The sliding-window kernels of convolution and pooling for WebAssembly: im2col, its adjoint
// col2im, and max pooling with the position of each maximum. Same algorithms as native/window.cc
// (the taps inside the input found once per row, no bounds check in the inner loops), without its
// threads and std library. Each gives the reference kernels' bits (src/backend/js/window.ts):
// im2col and max pooling only copy and compare; col2im adds in the reference's order (by ki, then
// kj; a tap adds to a position at most once).
#include <wasm_simd128.h>

#include "export.h"

namespace {

// The geometry of Backend's Window2d, read from the 14 doubles the TypeScript side passes.
struct Window {
  long n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow;
};

Window Read(const double* g) {
  long v[14];
  for (int i = 0; i < 14; i++) v[i] = static_cast<long>(g[i]);
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]};
}

inline long Min(long a, long b) { return a < b ? a : b; }

// The k in [lo, hi) ⊆ [0, count) with 0 ≤ base + k·step < limit (step ≥ 1): the taps (or output
// positions) that fall inside the input, a contiguous range since base + k·step grows with k.
struct Range {
  long lo, hi;
};
Range Inside(long base, long step, long count, long limit) {
  long lo = base >= 0 ? 0 : (step - 1 - base) / step;
  long hi = base >= limit ? 0 : Min((limit - base + step - 1) / step, count);
  return {Min(lo, hi), hi};
}

// Loops over a few elements: kept as written (unrolled and vectorized again, they would make the
// module twice as large for no measured gain).
#define SHORT_LOOP _Pragma("clang loop unroll(disable) vectorize(disable)")

// out[0, n) = 0 by vectors, then the rest: a loop the compiler would make a memory.fill, which
// costs a call in V8, more than the short rows here (28 floats in LeNet-5).
template <typename T>
inline void Zero(T* out, long n) {
  constexpr long kV = 16 / sizeof(T);
  long i = 0;
  SHORT_LOOP for (; i + kV <= n; i += kV) wasm_v128_store(out + i, wasm_i32x4_const_splat(0));
  SHORT_LOOP for (; i < n; i++) out[i] = T(0);
}

// out[0, n) = in[0, n) by vectors, likewise.
template <typename T>
inline void Copy(const T* in, T* out, long n) {
  constexpr long kV = 16 / sizeof(T);
  long i = 0;
  SHORT_LOOP for (; i + kV <= n; i += kV) wasm_v128_store(out + i, wasm_v128_load(in + i));
  SHORT_LOOP for (; i < n; i++) out[i] = in[i];
}

// One row of im2col: out[ox] = in[ox·sw] for ox in r, 0 elsewhere in [0, ow).
template <typename T>
inline void Row(const T* in, long sw, Range r, long ow, T* out) {
  Zero(out, r.lo);
  if (sw == 1) Copy(in + r.lo, out + r.lo, r.hi - r.lo);
  else SHORT_LOOP for (long ox = r.lo; ox < r.hi; ox++) out[ox] = in[ox * sw];
  Zero(out + r.hi, ow - r.hi);
}

template <typename T>
void Im2col(const T* x, const Window& g, T* out) {
  const long cols = g.oh * g.ow;
  for (long p = 0; p < g.n * g.c; p++) {
    const T* plane = x + p * g.h * g.w;
    for (long ki = 0; ki < g.kh; ki++) {
      const Range y = Inside(ki * g.dh - g.ph, g.sh, g.oh, g.h);
      for (long kj = 0; kj < g.kw; kj++, out += cols) {
        const Range r = Inside(kj * g.dw - g.pw, g.sw, g.ow, g.w);
        Zero(out, y.lo * g.ow);
        const T* in = plane + (y.lo * g.sh + ki * g.dh - g.ph) * g.w + kj * g.dw - g.pw;
        for (long oy = y.lo; oy < y.hi; oy++, in += g.sh * g.w)
          Row(in, g.sw, r, g.ow, out + oy * g.ow);
        Zero(out + y.hi * g.ow, (g.oh - y.hi) * g.ow);
      }
    }
  }
}

// out[i·sw] += c[i] for i in [0, n): by vectors at stride 1.
template <typename T>
inline void AddRow(const T* c, long sw, long n, T* out) {
  if (sw != 1) {
    SHORT_LOOP for (long i = 0; i < n; i++) out[i * sw] += c[i];
    return;
  }
  long i = 0;
  if (sizeof(T) == 4) {
    SHORT_LOOP for (; i + 4 <= n; i += 4)
        wasm_v128_store(out + i, wasm_f32x4_add(wasm_v128_load(out + i), wasm_v128_load(c + i)));
  } else {
    SHORT_LOOP for (; i + 2 <= n; i += 2)
        wasm_v128_store(out + i, wasm_f64x2_add(wasm_v128_load(out + i), wasm_v128_load(c + i)));
  }
  SHORT_LOOP for (; i < n; i++) out[i] += c[i];
}

template <typename T>
void Col2im(const T* cols, const Window& g, T* out) {
  const long length = g.oh * g.ow;
  for (long p = 0; p < g.n * g.c; p++) {
    T* plane = out + p * g.h * g.w;
    Zero(plane, g.h * g.w);
    for (long ki = 0; ki < g.kh; ki++) {
      const Range y = Inside(ki * g.dh - g.ph, g.sh, g.oh, g.h);
      for (long kj = 0; kj < g.kw; kj++, cols += length) {
        const Range r = Inside(kj * g.dw - g.pw, g.sw, g.ow, g.w);
        const T* c = cols + y.lo * g.ow + r.lo;
        T* o = plane + (y.lo * g.sh + ki * g.dh - g.ph) * g.w + kj * g.dw - g.pw + r.lo * g.sw;
        for (long oy = y.lo; oy < y.hi; oy++, c += g.ow, o += g.sh * g.w)
          AddRow(c, g.sw, r.hi - r.lo, o);
      }
    }
  }
}

// The max of one window (taps ks × ts) and its position, tap by tap in the reference's order: the
// first tap taken whatever it is, then a larger value or a NaN; −∞ at −1 without taps.
template <typename T>
void PoolWindow(const T* plane, const Window& g, long y0, long x0, Range ks, Range ts, T* out,
                int* argmax) {
  T best = -__builtin_inf();
  long at = -1;
  for (long ki = ks.lo; ki < ks.hi; ki++) {
    const long start = (y0 + ki * g.dh) * g.w + x0;
    SHORT_LOOP for (long kj = ts.lo; kj < ts.hi; kj++) {
      const long i = start + kj * g.dw;
      const T v = plane[i];
      if (at < 0 || v > best || v != v) best = v, at = i;
    }
  }
  *out = best;
  *argmax = static_cast<int>(at);
}

// One output row over the columns [a, b) whose windows lie wholly inside the input along x: tap
// by tap across the row, so that the columns' comparisons are independent selects.
template <typename T>
void PoolInterior(const T* plane, const Window& g, long y0, Range ks, long a, long b, T* out,
                  int* argmax) {
  const long first = (y0 + ks.lo * g.dh) * g.w - g.pw;
  SHORT_LOOP for (long ox = a; ox < b; ox++) {
    out[ox] = plane[first + ox * g.sw];
    argmax[ox] = static_cast<int>(first + ox * g.sw);
  }
  for (long ki = ks.lo; ki < ks.hi; ki++) {
    for (long kj = 0; kj < g.kw; kj++) {
      const long start = (y0 + ki * g.dh) * g.w - g.pw + kj * g.dw;
      SHORT_LOOP for (long ox = a; ox < b; ox++) {
        const long i = start + ox * g.sw;
        const T v = plane[i];
        const bool take = (v > out[ox]) | (v != v);
        out[ox] = take ? v : out[ox];
        argmax[ox] = take ? static_cast<int>(i) : argmax[ox];
      }
    }
  }
}

// The four values of one tap for four neighbouring windows at stride sw (1 or 2): a load, or two
// and their even lanes. At stride 2 the second load reads one element past the last window's tap
// (inside the module's memory: the output arrays follow the input).
inline v128_t Tap4(const float* p, long sw) {
  if (sw == 1) return wasm_v128_load(p);
  return wasm_i32x4_shuffle(wasm_v128_load(p), wasm_v128_load(p + 4), 0, 2, 4, 6);
}

// PoolInterior for float at stride 1 or 2, four windows at a time with vector selects (a branch
// per element costs more than the comparison on real data); the last four overlap the ones before
// (computed again, the same values). Fewer than four windows go to PoolInterior.
void PoolInterior4(const float* plane, const Window& g, long y0, Range ks, long a, long b,
                   float* out, int* argmax) {
  if (b - a < 4) return PoolInterior(plane, g, y0, ks, a, b, out, argmax);
  const v128_t lanes = wasm_i32x4_make(0, 1, 2, 3);
  const v128_t spread = wasm_i32x4_mul(lanes, wasm_i32x4_splat(static_cast<int>(g.sw)));
  for (long ox = a;; ox += 4) {
    ox = Min(ox, b - 4);
    v128_t best = wasm_f32x4_const_splat(0), at = wasm_i32x4_const_splat(0);
    bool first = true;
    for (long ki = ks.lo; ki < ks.hi; ki++) {
      for (long kj = 0; kj < g.kw; kj++) {
        const long start = (y0 + ki * g.dh) * g.w - g.pw + kj * g.dw + ox * g.sw;
        const v128_t v = Tap4(plane + start, g.sw);
        const v128_t i = wasm_i32x4_add(wasm_i32x4_splat(static_cast<int>(start)), spread);
        // The first tap is taken whatever it is, as in the reference.
        const v128_t take = first ? wasm_i32x4_const_splat(-1)
                                  : wasm_v128_or(wasm_f32x4_gt(v, best), wasm_f32x4_ne(v, v));
        best = wasm_v128_bitselect(v, best, take);
        at = wasm_v128_bitselect(i, at, take);
        first = false;
      }
    }
    wasm_v128_store(out + ox, best);
    wasm_v128_store(argmax + ox, at);
    if (ox + 4 == b) return;
  }
}

// The interior kernel for g: four windows at a time for float at stride 1 or 2.
template <typename T>
auto InteriorFor(const Window& g) {
  using Interior = void (*)(const T*, const Window&, long, Range, long, long, T*, int*);
  Interior row = PoolInterior<T>;
  if constexpr (sizeof(T) == 4)
    if (g.sw <= 2) row = PoolInterior4;
  return row;
}

template <typename T>
void MaxPool2d(const T* x, const Window& g, T* out, int* argmax) {
  const auto interiorRow = InteriorFor<T>(g);
  // The columns whose windows have all kw taps inside: [a, b).
  long a = 0, b = g.ow;
  auto taps = [&](long ox) { return Inside(ox * g.sw - g.pw, g.dw, g.kw, g.w); };
  while (a < b && taps(a).hi - taps(a).lo < g.kw) a++;
  while (b > a && taps(b - 1).hi - taps(b - 1).lo < g.kw) b--;
  for (long row = 0; row < g.n * g.c * g.oh; row++, out += g.ow, argmax += g.ow) {
    const long p = row / g.oh, y0 = row % g.oh * g.sh - g.ph;
    const T* plane = x + p * g.h * g.w;
    const Range ks = Inside(y0, g.dh, g.kh, g.h);
    const bool interior = ks.lo < ks.hi && a < b;
    for (long ox = 0; ox < g.ow; ox++) {
      if (interior && ox == a) ox = b;  // below
      if (ox < g.ow)
        PoolWindow(plane, g, y0, ox * g.sw - g.pw, ks, taps(ox), out + ox, argmax + ox);
    }
    if (interior) interiorRow(plane, g, y0, ks, a, b, out, argmax);
  }
}

}  // namespace

extern "C" {

EXPORT(im2col_f32)
void im2col_f32(const float* x, const double* g, float* out) { Im2col<float>(x, Read(g), out); }
EXPORT(im2col_f64)
void im2col_f64(const double* x, const double* g, double* out) { Im2col<double>(x, Read(g), out); }

EXPORT(col2im_f32)
void col2im_f32(const float* cols, const double* g, float* out) {
  Col2im<float>(cols, Read(g), out);
}
EXPORT(col2im_f64)
void col2im_f64(const double* cols, const double* g, double* out) {
  Col2im<double>(cols, Read(g), out);
}

EXPORT(max_pool2d_f32)
void max_pool2d_f32(const float* x, const double* g, float* out, int* argmax) {
  MaxPool2d<float>(x, Read(g), out, argmax);
}
EXPORT(max_pool2d_f64)
void max_pool2d_f64(const double* x, const double* g, double* out, int* argmax) {
  MaxPool2d<double>(x, Read(g), out, argmax);
}
}
