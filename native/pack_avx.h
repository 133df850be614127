// The transposing pack of the GEMM (Gather in pack.h) with AVX shuffles, for the per-ISA files
// (kernel_avx2.cc, kernel_avx512.cc) only: internal linkage, as for micro_kernel.h. A product
// whose operands both run along k (x·Wᵀ, a Linear layer's forward pass) packs both this way; the
// portable loop moved one value at a time (a quarter of that product's time). Data movement
// only: results are unchanged.
#ifndef NABLA_NATIVE_PACK_AVX_H
#define NABLA_NATIVE_PACK_AVX_H

#include <immintrin.h>

namespace {

// r[i] (8 steps of line i, i < 8) becomes r[q] (step q of the 8 lines).
inline void Transpose8(__m256 (&r)[8]) {
  __m256 t[8], s[8];
  for (int i = 0; i < 4; i++) {
    t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  // s[4h + q]: step q of lines 4h..4h+3 in the low half, step q + 4 in the high half.
  for (int h = 0; h < 2; h++) {
    const __m256* u = t + 4 * h;
    s[4 * h + 0] = _mm256_shuffle_ps(u[0], u[2], _MM_SHUFFLE(1, 0, 1, 0));
    s[4 * h + 1] = _mm256_shuffle_ps(u[0], u[2], _MM_SHUFFLE(3, 2, 3, 2));
    s[4 * h + 2] = _mm256_shuffle_ps(u[1], u[3], _MM_SHUFFLE(1, 0, 1, 0));
    s[4 * h + 3] = _mm256_shuffle_ps(u[1], u[3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int q = 0; q < 4; q++) {
    r[q] = _mm256_permute2f128_ps(s[q], s[4 + q], 0x20);
    r[q + 4] = _mm256_permute2f128_ps(s[q], s[4 + q], 0x31);
  }
}

// 8 steps from line r of h lines (zeros past the last).
inline __m256 Line8(const float* src, long stride, long r, long h) {
  return r < h ? _mm256_loadu_ps(src + r * stride) : _mm256_setzero_ps();
}

// dst[q·width + r] = src[r·stride + q] for q < 8, r0 ≤ r < r0 + 4 (zeros from h on).
inline void Pack4Lines(const float* src, long stride, long r0, long h, int width, float* dst) {
  __m256 l[4];
  for (int i = 0; i < 4; i++) l[i] = Line8(src, stride, r0 + i, h);
  const __m256 t0 = _mm256_unpacklo_ps(l[0], l[1]), t1 = _mm256_unpackhi_ps(l[0], l[1]);
  const __m256 t2 = _mm256_unpacklo_ps(l[2], l[3]), t3 = _mm256_unpackhi_ps(l[2], l[3]);
  const __m256 s[4] = {_mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0)),
                       _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2)),
                       _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0)),
                       _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2))};
  for (int q = 0; q < 4; q++) {
    _mm_storeu_ps(dst + q * width + r0, _mm256_castps256_ps128(s[q]));
    _mm_storeu_ps(dst + (q + 4) * width + r0, _mm256_extractf128_ps(s[q], 1));
  }
}

// The contract of Gather in pack.h: dst[p·width + r] = src[r·stride + p] for r < h and 0 for
// h ≤ r < width, p < kc. Eight lines (or four) at a time along the whole of p: a few streams that
// the prefetcher follows, into a panel that stays in L1 (p-outer order read all `width` lines at
// once: the pack took 14% of a 128×256×784 product's samples, 12% now).
void GatherF32(const float* src, long stride, long h, int width, long kc, float* dst) {
  const long full = kc / 8 * 8;
  int r0 = 0;
  for (; r0 + 8 <= width; r0 += 8) {
    for (long p = 0; p < full; p += 8) {
      __m256 r[8];
      for (int i = 0; i < 8; i++) r[i] = Line8(src + p, stride, r0 + i, h);
      Transpose8(r);
      for (int q = 0; q < 8; q++) _mm256_storeu_ps(dst + (p + q) * width + r0, r[q]);
    }
  }
  for (; r0 + 4 <= width; r0 += 4)
    for (long p = 0; p < full; p += 8) Pack4Lines(src + p, stride, r0, h, width, dst + p * width);
  for (; r0 < width; r0++)
    for (long p = 0; p < full; p++) dst[p * width + r0] = r0 < h ? src[r0 * stride + p] : 0.0f;
  for (long p = full; p < kc; p++) {
    float* d = dst + p * width;
    long r = 0;
    for (; r < h; r++) d[r] = src[r * stride + p];
    for (; r < width; r++) d[r] = 0;
  }
}

}  // namespace

#endif
