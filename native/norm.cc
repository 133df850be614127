#include "norm.h"

#include <cmath>

#include "pool.h"  // Chunked

namespace nabla {
namespace {

// Elements of work below which a call stays on the calling thread.
constexpr long kGrain = 1L << 15;

long GrainChannels(const NormLayout& l) {
  const long n = l.outer * l.inner;
  return n >= kGrain ? 1 : kGrain / (n > 0 ? n : 1);
}

// Calls f(i) for the elements of channel c in the reference's order (o, then i).
template <typename F>
void EachOfChannel(const NormLayout& l, long c, F f) {
  for (long o = 0; o < l.outer; o++) {
    const long start = (o * l.channels + c) * l.inner;
    for (long i = start; i < start + l.inner; i++) f(i);
  }
}

}  // namespace

// Split over channels: each channel's sums are made by one thread, so the same bits for any
// number of threads.
template <typename T>
void Normalize(const T* x, const NormLayout& l, const T* weight, const T* bias, T* out, T* mean,
               T* variance) {
  const double n = static_cast<double>(l.outer * l.inner);
  Chunked(l.channels, GrainChannels(l), [&](long lo, long hi) {
    for (long c = lo; c < hi; c++) {
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
                           std::sqrt(static_cast<double>(variance[c]) + l.eps);
      const double shift = bias == nullptr ? 0.0 : static_cast<double>(bias[c]);
      EachOfChannel(l, c, [&](long i) { out[i] = static_cast<T>((x[i] - mc) * scale + shift); });
    }
  });
}

template <typename T>
void NormalizeBackward(const T* x, const T* g, const NormLayout& l, const T* mean,
                       const T* variance, const T* weight, T* gradInput, T* gradWeight,
                       T* gradBias) {
  const double n = static_cast<double>(l.outer * l.inner);
  Chunked(l.channels, GrainChannels(l), [&](long lo, long hi) {
    for (long c = lo; c < hi; c++) {
      const double m = mean[c];
      const double rstd = 1 / std::sqrt(static_cast<double>(variance[c]) + l.eps);
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
      EachOfChannel(
          l, c, [&](long i) { gradInput[i] = static_cast<T>(k * (g[i] - a - (x[i] - m) * b)); });
    }
  });
}

template void Normalize<float>(const float*, const NormLayout&, const float*, const float*, float*,
                               float*, float*);
template void Normalize<double>(const double*, const NormLayout&, const double*, const double*,
                                double*, double*, double*);
template void NormalizeBackward<float>(const float*, const float*, const NormLayout&, const float*,
                                       const float*, const float*, float*, float*, float*);
template void NormalizeBackward<double>(const double*, const double*, const NormLayout&,
                                        const double*, const double*, const double*, double*,
                                        double*, double*);

}  // namespace nabla
