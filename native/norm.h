// Normalization (batch, layer and group norm) with the semantics of the reference kernels in
// src/backend/js/norm.ts (`Backend.normalize`, `normalizeBackward`): x is [outer, channels,
// inner], each channel normalized over its outer·inner elements; sums in double, in the
// reference's order, and every step rounded as there, so the results are bit-identical to it.
#ifndef NABLA_NATIVE_NORM_H
#define NABLA_NATIVE_NORM_H

#include "norm_channel.h"  // NormLayout

namespace nabla {

// mean, biased variance (centred, two passes) and out = (x − mean)/√(variance + eps)·weight +
// bias per channel; weight and bias may be null (1 and 0).
template <typename T>
void Normalize(const T* x, const NormLayout& l, const T* weight, const T* bias, T* out, T* mean,
               T* variance);
// gradBias = Σ g, gradWeight = Σ g·x̂, gradInput = weight·rstd·(g − gradBias/n − x̂·gradWeight/n).
template <typename T>
void NormalizeBackward(const T* x, const T* g, const NormLayout& l, const T* mean,
                       const T* variance, const T* weight, T* gradInput, T* gradWeight,
                       T* gradBias);

}  // namespace nabla

#endif
