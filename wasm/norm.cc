// Normalization (batch, layer and group norm) for WebAssembly, as native/norm.cc without its
// threads: x is [outer, channels, inner], each channel normalized over its outer·inner elements;
// sums in double in the reference's order (src/backend/js/norm.ts) and every step rounded as
// there, so the results are the reference's bits. The sums are sequential (a vectorized sum
// would change their order); the element-wise passes are what the module speeds up.
#include "export.h"

namespace {

struct Layout {
  long outer, channels, inner;
  double eps;
};

// Calls f(i) for the elements of channel c in the reference's order (o, then i).
template <typename F>
inline void EachOfChannel(const Layout& l, long c, F f) {
  for (long o = 0; o < l.outer; o++) {
    const long start = (o * l.channels + c) * l.inner;
    for (long i = start; i < start + l.inner; i++) f(i);
  }
}

// minsize: the sums' chains of dependent adds bound both kernels; unrolled passes would only make
// the module larger.
template <typename T>
__attribute__((minsize)) void Normalize(const T* x, const Layout& l, const T* weight, const T* bias,
                                        T* out, T* mean, T* variance) {
  const double n = static_cast<double>(l.outer * l.inner);
  for (long c = 0; c < l.channels; c++) {
    double s = 0;
    EachOfChannel(l, c, [&](long i) { s += x[i]; });
    const double m = s / n;
    double q = 0;
    EachOfChannel(l, c, [&](long i) {
      const double d = x[i] - m;
      q += d * d;
    });
    mean[c] = static_cast<T>(m);
    variance[c] = static_cast<T>(q / n);
    // As the reference: the stored (rounded) mean and variance from here on.
    const double mc = mean[c];
    const double scale = (weight == nullptr ? 1.0 : static_cast<double>(weight[c])) /
                         __builtin_sqrt(static_cast<double>(variance[c]) + l.eps);
    const double shift = bias == nullptr ? 0.0 : static_cast<double>(bias[c]);
    EachOfChannel(l, c, [&](long i) { out[i] = static_cast<T>((x[i] - mc) * scale + shift); });
  }
}

template <typename T>
__attribute__((minsize)) void NormalizeBackward(const T* x, const T* g, const Layout& l,
                                                const T* mean, const T* variance, const T* weight,
                                                T* gradInput, T* gradWeight, T* gradBias) {
  const double n = static_cast<double>(l.outer * l.inner);
  for (long c = 0; c < l.channels; c++) {
    const double m = mean[c];
    const double rstd = 1 / __builtin_sqrt(static_cast<double>(variance[c]) + l.eps);
    double sg = 0, sgx = 0;
    EachOfChannel(l, c, [&](long i) {
      sg += g[i];
      sgx += g[i] * (x[i] - m);
    });
    sgx *= rstd;
    gradBias[c] = static_cast<T>(sg);
    gradWeight[c] = static_cast<T>(sgx);
    const double k = (weight == nullptr ? 1.0 : static_cast<double>(weight[c])) * rstd;
    const double a = sg / n, b = (sgx / n) * rstd;
    EachOfChannel(l, c,
                  [&](long i) { gradInput[i] = static_cast<T>(k * (g[i] - a - (x[i] - m) * b)); });
  }
}

// The layout from the 4 doubles the TypeScript side passes: outer, channels, inner, eps.
Layout Read(const double* l) {
  return {static_cast<long>(l[0]), static_cast<long>(l[1]), static_cast<long>(l[2]), l[3]};
}

}  // namespace

extern "C" {

EXPORT(normalize_f32)
void normalize_f32(const float* x, const double* l, const float* weight, const float* bias,
                   float* out, float* mean, float* variance) {
  Normalize<float>(x, Read(l), weight, bias, out, mean, variance);
}
EXPORT(normalize_f64)
void normalize_f64(const double* x, const double* l, const double* weight, const double* bias,
                   double* out, double* mean, double* variance) {
  Normalize<double>(x, Read(l), weight, bias, out, mean, variance);
}

EXPORT(normalize_backward_f32)
void normalize_backward_f32(const float* x, const float* g, const double* l, const float* mean,
                            const float* variance, const float* weight, float* gradInput,
                            float* gradWeight, float* gradBias) {
  NormalizeBackward<float>(x, g, Read(l), mean, variance, weight, gradInput, gradWeight, gradBias);
}
EXPORT(normalize_backward_f64)
void normalize_backward_f64(const double* x, const double* g, const double* l, const double* mean,
                            const double* variance, const double* weight, double* gradInput,
                            double* gradWeight, double* gradBias) {
  NormalizeBackward<double>(x, g, Read(l), mean, variance, weight, gradInput, gradWeight, gradBias);
}
}
