// Normalization (batch, layer and group norm) for WebAssembly: native/norm_channel.h's channel
// kernels, shared with the addon, over every channel on one thread. The sums are sequential (a
// vectorized sum would change their order); the element-wise passes are what the module speeds up.
#include "../native/norm_channel.h"
#include "export.h"

namespace {

using nabla::NormLayout;

template <typename T>
void Normalize(const T* x, const NormLayout& l, const T* weight, const T* bias, T* out, T* mean,
               T* variance) {
  for (long c = 0; c < l.channels; c++)
    nabla::NormalizeChannel(x, l, c, weight, bias, out, mean, variance);
}

template <typename T>
void NormalizeBackward(const T* x, const T* g, const NormLayout& l, const T* mean,
                       const T* variance, const T* weight, T* gradInput, T* gradWeight,
                       T* gradBias) {
  for (long c = 0; c < l.channels; c++)
    nabla::NormalizeBackwardChannel(x, g, l, c, mean, variance, weight, gradInput, gradWeight,
                                    gradBias);
}

// The layout from the 4 doubles the TypeScript side passes: outer, channels, inner, eps.
NormLayout Read(const double* l) {
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
