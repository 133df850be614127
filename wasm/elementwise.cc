// Element-wise kernels for WebAssembly: the binary arithmetic of a training step (a bias row
// added to every row, gradients multiplied by derivatives), ReLU, the sum over rows (a bias's
// gradient), and the SGD and Adam updates.
// Each gives the TypeScript reference kernel's bits: float32 add, sub, mul and div in single
// precision equal the reference's double arithmetic rounded on store (double has more than 2·24 + 2
// bits), and the updates compute in double, as the reference does, rounding where it stores (the
// square root and the division are correctly rounded in both).
#include <wasm_simd128.h>

#include "export.h"

namespace {

enum Op { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3, kReluGrad = 4 };

template <int kOp, typename T>
inline T Apply(T a, T b) {
  if (kOp == kAdd) return a + b;
  if (kOp == kSub) return a - b;
  if (kOp == kMul) return a * b;
  if (kOp == kDiv) return a / b;
  return b > 0 ? a : 0;  // kReluGrad: a where b > 0
}

// out[r·cols + j] = a[r·cols + j] op b[r·bRow + j]: bRow = cols for arrays of one shape (rows =
// 1, cols = n), 0 for a row of b broadcast over the rows of a.
template <int kOp, typename T>
void Rows(const T* a, const T* b, T* out, long rows, long cols, long bRow) {
  for (long r = 0; r < rows; r++) {
    const T* ar = a + r * cols;
    const T* br = b + r * bRow;
    T* o = out + r * cols;
    for (long j = 0; j < cols; j++) o[j] = Apply<kOp, T>(ar[j], br[j]);
  }
}

template <typename T>
void Binary(int op, const T* a, const T* b, T* out, long rows, long cols, long bRow) {
  switch (op) {
    case kAdd: return Rows<kAdd, T>(a, b, out, rows, cols, bRow);
    case kSub: return Rows<kSub, T>(a, b, out, rows, cols, bRow);
    case kMul: return Rows<kMul, T>(a, b, out, rows, cols, bRow);
    case kDiv: return Rows<kDiv, T>(a, b, out, rows, cols, bRow);
    default: return Rows<kReluGrad, T>(a, b, out, rows, cols, bRow);
  }
}

// relu(x) = x > 0 ? x : 0, NaN kept (unary-table.ts).
template <typename T>
void Relu(const T* x, T* out, long n) {
  for (long i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : (x[i] == x[i] ? 0 : x[i]);
}

// The SGD update of Backend.sgdStep (js/optim.ts), in double as there; buf null: no momentum.
template <typename T>
void Sgd(T* w, const T* g, T* buf, long n, double lr, double momentum, double dampening,
         double weightDecay, int nesterov, int maximize, int first) {
  const double keep = 1 - dampening;
  for (long i = 0; i < n; i++) {
    double d = maximize ? -static_cast<double>(g[i]) : static_cast<double>(g[i]);
    if (weightDecay != 0) d += weightDecay * static_cast<double>(w[i]);
    if (buf != nullptr) {
      buf[i] = static_cast<T>(first ? d : momentum * static_cast<double>(buf[i]) + keep * d);
      d = nesterov ? d + momentum * static_cast<double>(buf[i]) : static_cast<double>(buf[i]);
    }
    w[i] = static_cast<T>(static_cast<double>(w[i]) - lr * d);
  }
}

// out[j] = Σ_r x[r·cols + j], summed in double row after row into acc (cols doubles), as the
// reference's reduceInOrder does: the bias gradient of a layer.
template <typename T>
void SumAxis0(const T* x, long rows, long cols, T* out, double* acc) {
  for (long j = 0; j < cols; j++) acc[j] = 0;
  for (long r = 0; r < rows; r++) {
    const T* xr = x + r * cols;
    for (long j = 0; j < cols; j++) acc[j] += static_cast<double>(xr[j]);
  }
  for (long j = 0; j < cols; j++) out[j] = static_cast<T>(acc[j]);
}

// lerp of js/lerp.ts: exact at both ends.
inline double Lerp(double a, double b, double w) {
  return w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
}

// Four elements of a T array as two f64x2: their values in double, rounded back to T where the
// scalar code stores (Round), and stored.
template <typename T>
struct Quad;
template <>
struct Quad<float> {
  static void Load(const float* p, v128_t* lo, v128_t* hi) {
    const v128_t x = wasm_v128_load(p);
    *lo = wasm_f64x2_promote_low_f32x4(x);
    *hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 2, 3));
  }
  static void Store(float* p, v128_t lo, v128_t hi) {
    const v128_t l = wasm_f32x4_demote_f64x2_zero(lo), h = wasm_f32x4_demote_f64x2_zero(hi);
    wasm_v128_store(p, wasm_i32x4_shuffle(l, h, 0, 1, 4, 5));
  }
  static v128_t Round(v128_t x) {
    return wasm_f64x2_promote_low_f32x4(wasm_f32x4_demote_f64x2_zero(x));
  }
};
template <>
struct Quad<double> {
  static void Load(const double* p, v128_t* lo, v128_t* hi) {
    *lo = wasm_v128_load(p);
    *hi = wasm_v128_load(p + 2);
  }
  static void Store(double* p, v128_t lo, v128_t hi) {
    wasm_v128_store(p, lo);
    wasm_v128_store(p + 2, hi);
  }
  static v128_t Round(v128_t x) { return x; }
};

// Adam's constants splatted, as the scalar loop below uses them.
struct AdamConstants {
  v128_t beta2, keep2, eps, stepSize, bc2Sqrt, decay, l2, w, rest;
  bool small, decays, l2s, maximize;
};

// The scalar loop's arithmetic on two elements (sqrt and division are correctly rounded in
// f64x2 too, and nothing is fused): the same bits, about 2.5× faster (200,704 floats: 1.3 ms).
template <typename T>
inline void AdamPair(const AdamConstants& c, v128_t g, v128_t* w, v128_t* m, v128_t* v) {
  v128_t d = c.maximize ? wasm_f64x2_neg(g) : g;
  if (c.decays) *w = Quad<T>::Round(wasm_f64x2_mul(*w, c.decay));
  if (c.l2s) d = wasm_f64x2_add(d, wasm_f64x2_mul(c.l2, *w));
  const v128_t gap = wasm_f64x2_sub(d, *m);  // Lerp(m, d, 1 - beta1)
  *m = Quad<T>::Round(c.small ? wasm_f64x2_add(*m, wasm_f64x2_mul(c.w, gap))
                              : wasm_f64x2_sub(d, wasm_f64x2_mul(gap, c.rest)));
  const v128_t dd = wasm_f64x2_mul(wasm_f64x2_mul(c.keep2, d), d);
  *v = Quad<T>::Round(wasm_f64x2_add(wasm_f64x2_mul(c.beta2, *v), dd));
  const v128_t denom = wasm_f64x2_add(wasm_f64x2_div(wasm_f64x2_sqrt(*v), c.bc2Sqrt), c.eps);
  *w = Quad<T>::Round(wasm_f64x2_sub(*w, wasm_f64x2_div(wasm_f64x2_mul(c.stepSize, *m), denom)));
}

// Adam without AMSGrad over the first n - n % 4 elements; returns how many it updated.
template <typename T>
long AdamQuads(T* w, const T* g, T* m, T* v, long n, const double* h, int maximize) {
  const double lerpW = 1 - h[0];
  const AdamConstants c = {wasm_f64x2_splat(h[1]),
                           wasm_f64x2_splat(1 - h[1]),
                           wasm_f64x2_splat(h[2]),
                           wasm_f64x2_splat(h[3]),
                           wasm_f64x2_splat(h[4]),
                           wasm_f64x2_splat(h[5]),
                           wasm_f64x2_splat(h[6]),
                           wasm_f64x2_splat(lerpW),
                           wasm_f64x2_splat(1 - lerpW),
                           lerpW < 0.5,
                           h[5] != 1,
                           h[6] != 0,
                           maximize != 0};
  const long quads = n / 4 * 4;
  for (long i = 0; i < quads; i += 4) {
    v128_t g0, g1, w0, w1, m0, m1, v0, v1;
    Quad<T>::Load(g + i, &g0, &g1);
    Quad<T>::Load(w + i, &w0, &w1);
    Quad<T>::Load(m + i, &m0, &m1);
    Quad<T>::Load(v + i, &v0, &v1);
    AdamPair<T>(c, g0, &w0, &m0, &v0);
    AdamPair<T>(c, g1, &w1, &m1, &v1);
    Quad<T>::Store(w + i, w0, w1);
    Quad<T>::Store(m + i, m0, m1);
    Quad<T>::Store(v + i, v0, v1);
  }
  return quads;
}

// The Adam update of Backend.adamStep (js/optim.ts), in double, each store rounded to T and read
// back as the reference reads its typed arrays; vmax null: no AMSGrad.
template <typename T>
void Adam(T* w, const T* g, T* m, T* v, T* vmax, long n, const double* h, int maximize) {
  const double beta1 = h[0], beta2 = h[1], eps = h[2], stepSize = h[3], bc2Sqrt = h[4],
               decay = h[5], l2 = h[6];
  const long done = vmax == nullptr ? AdamQuads<T>(w, g, m, v, n, h, maximize) : 0;
  for (long i = done; i < n; i++) {
    double d = maximize ? -static_cast<double>(g[i]) : static_cast<double>(g[i]);
    if (decay != 1) w[i] = static_cast<T>(static_cast<double>(w[i]) * decay);
    if (l2 != 0) d += l2 * static_cast<double>(w[i]);
    m[i] = static_cast<T>(Lerp(m[i], d, 1 - beta1));
    v[i] = static_cast<T>(beta2 * static_cast<double>(v[i]) + (1 - beta2) * d * d);
    double second = v[i];
    if (vmax != nullptr) {
      if (v[i] > vmax[i] || v[i] != v[i]) vmax[i] = v[i];
      second = vmax[i];
    }
    const double denom = __builtin_sqrt(second) / bc2Sqrt + eps;
    w[i] =
        static_cast<T>(static_cast<double>(w[i]) - (stepSize * static_cast<double>(m[i])) / denom);
  }
}

}  // namespace

extern "C" {

EXPORT(binary_f32)
void binary_f32(int op, const float* a, const float* b, float* out, long rows, long cols,
                long bRow) {
  Binary<float>(op, a, b, out, rows, cols, bRow);
}

EXPORT(binary_f64)
void binary_f64(int op, const double* a, const double* b, double* out, long rows, long cols,
                long bRow) {
  Binary<double>(op, a, b, out, rows, cols, bRow);
}

EXPORT(relu_f32) void relu_f32(const float* x, float* out, long n) { Relu<float>(x, out, n); }
EXPORT(relu_f64) void relu_f64(const double* x, double* out, long n) { Relu<double>(x, out, n); }

EXPORT(sgd_f32)
void sgd_f32(float* w, const float* g, float* buf, long n, double lr, double momentum,
             double dampening, double weightDecay, int nesterov, int maximize, int first) {
  Sgd<float>(w, g, buf, n, lr, momentum, dampening, weightDecay, nesterov, maximize, first);
}

EXPORT(sum_axis0_f32)
void sum_axis0_f32(const float* x, long rows, long cols, float* out, double* acc) {
  SumAxis0<float>(x, rows, cols, out, acc);
}

EXPORT(sum_axis0_f64)
void sum_axis0_f64(const double* x, long rows, long cols, double* out, double* acc) {
  SumAxis0<double>(x, rows, cols, out, acc);
}

// h: beta1, beta2, eps, stepSize, bc2Sqrt, decay, l2 (Backend's AdamStep).
EXPORT(adam_f32)
void adam_f32(float* w, const float* g, float* m, float* v, float* vmax, long n, const double* h,
              int maximize) {
  Adam<float>(w, g, m, v, vmax, n, h, maximize);
}

EXPORT(adam_f64)
void adam_f64(double* w, const double* g, double* m, double* v, double* vmax, long n,
              const double* h, int maximize) {
  Adam<double>(w, g, m, v, vmax, n, h, maximize);
}

EXPORT(sgd_f64)
void sgd_f64(double* w, const double* g, double* buf, long n, double lr, double momentum,
             double dampening, double weightDecay, int nesterov, int maximize, int first) {
  Sgd<double>(w, g, buf, n, lr, momentum, dampening, weightDecay, nesterov, maximize, first);
}
}
