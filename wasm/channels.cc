// Kernels of convolutional layers over [outer, channels, inner] layouts for WebAssembly: the
// per-channel bias add (and scale), its gradient (the sum over all but the channel dimension) and
// the row scatter-add of max pooling's backward pass. The semantics and orders of native/channels.h
// (without its threads): addChannels, mulChannels and scatterAddRows give the reference kernels'
// bits; sumChannels adds in 8 interleaved double partial sums, as natively (within rounding of the
// reference's sequential sum, and the native backend's bits).
#include "export.h"

#define SHORT_LOOP _Pragma("clang loop unroll(disable) vectorize(disable)")

namespace {

// out[(i·channels + c)·inner + j] = a[…] + b[c] (mul: a[…]·b[c], eval-mode batch norm's
// scale); out may be a.
template <bool kMul, typename T>
void Channels(const T* a, const T* b, T* out, long outer, long channels, long inner) {
  for (long r = 0; r < outer * channels; r++) {
    const T v = b[r % channels];
    const T* x = a + r * inner;
    T* o = out + r * inner;
    for (long j = 0; j < inner; j++) o[j] = kMul ? x[j] * v : x[j] + v;
  }
}

// out[c] = Σ x[(i·channels + c)·inner + j]: element e of a channel's sequence goes to partial
// e mod 8; the partials are added pairwise at the end.
template <typename T>
void SumChannels(const T* x, long outer, long channels, long inner, T* out) {
  for (long c = 0; c < channels; c++) {
    double part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long e = 0;  // the element's place in the channel's sequence
    for (long i = 0; i < outer; i++) {
      const T* p = x + (i * channels + c) * inner;
      long j = 0;
      // The head and the tail, fewer than 8 elements, kept as loops (not unrolled, which would
      // double the module's size).
      SHORT_LOOP for (; j < inner && (e & 7) != 0; j++, e++) part[e & 7] += p[j];
      for (; j + 8 <= inner; j += 8, e += 8)
        for (int q = 0; q < 8; q++) part[q] += p[j + q];
      SHORT_LOOP for (; j < inner; j++, e++) part[e & 7] += p[j];
    }
    out[c] = static_cast<T>(((part[0] + part[1]) + (part[2] + part[3])) +
                            ((part[4] + part[5]) + (part[6] + part[7])));
  }
}

// out[r·width + index[r·cols + j]] += src[r·cols + j], j ascending (the reference's order).
template <typename T>
void ScatterAddRows(T* out, long rows, long width, const int* index, long cols, const T* src) {
  for (long r = 0; r < rows; r++, out += width, index += cols, src += cols)
    for (long j = 0; j < cols; j++) out[index[j]] += src[j];
}

}  // namespace

extern "C" {

EXPORT(add_channels_f32)
void add_channels_f32(const float* a, const float* b, float* out, long outer, long channels,
                      long inner) {
  Channels<false, float>(a, b, out, outer, channels, inner);
}
EXPORT(add_channels_f64)
void add_channels_f64(const double* a, const double* b, double* out, long outer, long channels,
                      long inner) {
  Channels<false, double>(a, b, out, outer, channels, inner);
}

EXPORT(mul_channels_f32)
void mul_channels_f32(const float* a, const float* b, float* out, long outer, long channels,
                      long inner) {
  Channels<true, float>(a, b, out, outer, channels, inner);
}
EXPORT(mul_channels_f64)
void mul_channels_f64(const double* a, const double* b, double* out, long outer, long channels,
                      long inner) {
  Channels<true, double>(a, b, out, outer, channels, inner);
}

EXPORT(sum_channels_f32)
void sum_channels_f32(const float* x, long outer, long channels, long inner, float* out) {
  SumChannels<float>(x, outer, channels, inner, out);
}
EXPORT(sum_channels_f64)
void sum_channels_f64(const double* x, long outer, long channels, long inner, double* out) {
  SumChannels<double>(x, outer, channels, inner, out);
}

EXPORT(scatter_add_rows_f32)
void scatter_add_rows_f32(float* out, long rows, long width, const int* index, long cols,
                          const float* src) {
  ScatterAddRows<float>(out, rows, width, index, cols, src);
}
EXPORT(scatter_add_rows_f64)
void scatter_add_rows_f64(double* out, long rows, long width, const int* index, long cols,
                          const double* src) {
  ScatterAddRows<double>(out, rows, width, index, cols, src);
}
}
