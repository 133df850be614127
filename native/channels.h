// Kernels of convolutional layers over [outer, channels, inner] layouts (the per-channel bias add
// and its gradient), and the row scatter-add of max pooling's backward pass. Semantics: those of
// the reference kernels in src/backend/js (`Backend.binary` with b broadcast along the channel
// dimension, `Backend.reduce` summing all but that dimension, `Backend.scatterAdd` along the last
// dimension of a matrix). Every output element is made by one thread, in an order that does not
// depend on the number of threads, so the bits are the same for any thread count.
#ifndef NABLA_NATIVE_CHANNELS_H
#define NABLA_NATIVE_CHANNELS_H

#include <napi.h>

#include <cstdint>

namespace nabla {

// out[(i·channels + c)·inner + j] = a[…] + b[c]; out may be a.
template <typename T>
void AddChannels(const T* a, const T* b, T* out, long outer, long channels, long inner);
// out[c] = Σ_{i, j} x[(i·channels + c)·inner + j], accumulated in double in 8 fixed interleaved
// partial sums (element e of a channel's sequence goes to partial e mod 8), added in order at
// the end: within rounding of the reference's sequential sum, identical for any thread count.
template <typename T>
void SumChannels(const T* x, long outer, long channels, long inner, T* out);
// out[r·width + index[r·cols + j]] += src[r·cols + j], j ascending within each row (the
// reference's order). Every index must lie in [0, width).
template <typename T>
void ScatterAddRows(T* out, long rows, long width, const int32_t* index, long cols, const T* src);

// Adds addChannels, sumChannels and scatterAddRows to the addon's exports.
void RegisterChannels(Napi::Env env, Napi::Object exports);

}  // namespace nabla

#endif
