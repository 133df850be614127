// One channel of normalization (batch, layer and group norm), shared by the native addon
// (norm.cc, which splits the channels among threads) and the WebAssembly module (wasm/norm.cc, one
// thread). Freestanding: no library headers, since the module has none. x is
// [outer, channels, inner]; sums in double in the reference's order (src/backend/js/norm.ts) and
// every step rounded as there, so the results are the reference's bits.
#ifndef NABLA_NORM_CHANNEL_H_
#define NABLA_NORM_CHANNEL_H_

// In the WebAssembly module the kernels are compiled for size: the sums' chains of dependent
// adds bound them, and unrolled passes would only make the module larger.
#if defined(__wasm__)
#define NABLA_NORM_INLINE __attribute__((minsize)) inline
#else
#define NABLA_NORM_INLINE inline
#endif

namespace nabla {

struct NormLayout {
  long outer, channels, inner;
  double eps;
};

// Calls f(i) for the elements of channel c in the reference's order (o, then i).
template <typename F>
NABLA_NORM_INLINE void EachOfChannel(const NormLayout& l, long c, F f) {
  for (long o = 0; o < l.outer; o++) {
    const long start = (o * l.channels + c) * l.inner;
    for (long i = start; i < start + l.inner; i++) f(i);
  }
}

// Channel c's mean, biased variance (centred, two passes) and out = (x − mean)/√(variance + eps)·
// weight + bias; weight and bias may be null (1 and 0).
template <typename T>
NABLA_NORM_INLINE void NormalizeChannel(const T* x, const NormLayout& l, long c, const T* weight,
                                        const T* bias, T* out, T* mean, T* variance) {
  const double n = static_cast<double>(l.outer * l.inner);
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

// Channel c of the backward pass: gradBias = Σ g, gradWeight = Σ g·x̂,
// gradInput = weight·rstd·(g − gradBias/n − x̂·gradWeight/n).
template <typename T>
NABLA_NORM_INLINE void NormalizeBackwardChannel(const T* x, const T* g, const NormLayout& l, long c,
                                                const T* mean, const T* variance, const T* weight,
                                                T* gradInput, T* gradWeight, T* gradBias) {
  const double n = static_cast<double>(l.outer * l.inner);
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

}  // namespace nabla

#endif
