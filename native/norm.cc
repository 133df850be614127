#include "norm.h"

#include "pool.h"  // Chunked

namespace nabla {
namespace {

// Elements of work below which a call stays on the calling thread.
constexpr long kGrain = 1L << 17;

long GrainChannels(const NormLayout& l) {
  const long n = l.outer * l.inner;
  return n >= kGrain ? 1 : kGrain / (n > 0 ? n : 1);
}

}  // namespace

// Split over channels: each channel's sums are made by one thread, so the same bits for any
// number of threads.
template <typename T>
void Normalize(const T* x, const NormLayout& l, const T* weight, const T* bias, T* out, T* mean,
               T* variance) {
  Chunked(l.channels, GrainChannels(l), [&](long lo, long hi) {
    for (long c = lo; c < hi; c++) NormalizeChannel(x, l, c, weight, bias, out, mean, variance);
  });
}

template <typename T>
void NormalizeBackward(const T* x, const T* g, const NormLayout& l, const T* mean,
                       const T* variance, const T* weight, T* gradInput, T* gradWeight,
                       T* gradBias) {
  Chunked(l.channels, GrainChannels(l), [&](long lo, long hi) {
    for (long c = lo; c < hi; c++)
      NormalizeBackwardChannel(x, g, l, c, mean, variance, weight, gradInput, gradWeight, gradBias);
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
