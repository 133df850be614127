// Element-wise kernels for WebAssembly: the binary arithmetic of a training step (a bias row
// added to every row, gradients multiplied by derivatives), ReLU, the sum over rows (a bias's
// gradient), and the SGD and Adam updates.
// Each gives the TypeScript reference kernel's bits: float32 add, sub, mul and div in single
// precision equal the reference's double arithmetic rounded on store (double has more than 2·24 + 2
// bits), and the updates compute in double, as the reference does, rounding where it stores (the
// square root and the division are correctly rounded in both).
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

// The Adam update of Backend.adamStep (js/optim.ts), in double, each store rounded to T and read
// back as the reference reads its typed arrays; vmax null: no AMSGrad.
template <typename T>
void Adam(T* w, const T* g, T* m, T* v, T* vmax, long n, const double* h, int maximize) {
  const double beta1 = h[0], beta2 = h[1], eps = h[2], stepSize = h[3], bc2Sqrt = h[4],
               decay = h[5], l2 = h[6];
  for (long i = 0; i < n; i++) {
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
