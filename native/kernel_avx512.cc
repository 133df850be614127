// AVX-512F + FMA micro-kernels. Compiled with -mavx512f -mfma (see binding.gyp); called only
// when the CPU reports avx512f (cpu.cc).
#include "kernels.h"

#if defined(__AVX512F__) && defined(__FMA__)
#include <immintrin.h>

namespace {

// float32: MR rows × 32 columns (two zmm per row) of accumulators; each step loads two vectors
// of B and broadcasts MR values of A into 2·MR FMAs.
constexpr int kMrF = 12;
void SgemmKernel(long kc, const float* a, const float* b, float* c, long ldc, int accumulate) {
  __m512 c0[kMrF], c1[kMrF];
#pragma GCC unroll 16
  for (int i = 0; i < kMrF; i++) c0[i] = c1[i] = _mm512_setzero_ps();
  for (long p = 0; p < kc; p++) {
    const __m512 b0 = _mm512_loadu_ps(b);
    const __m512 b1 = _mm512_loadu_ps(b + 16);
#pragma GCC unroll 16
    for (int i = 0; i < kMrF; i++) {
      const __m512 ai = _mm512_set1_ps(a[i]);
      c0[i] = _mm512_fmadd_ps(ai, b0, c0[i]);
      c1[i] = _mm512_fmadd_ps(ai, b1, c1[i]);
    }
    a += kMrF;
    b += 32;
  }
#pragma GCC unroll 16
  for (int i = 0; i < kMrF; i++) {
    float* ci = c + i * ldc;
    if (accumulate) {
      c0[i] = _mm512_add_ps(c0[i], _mm512_loadu_ps(ci));
      c1[i] = _mm512_add_ps(c1[i], _mm512_loadu_ps(ci + 16));
    }
    _mm512_storeu_ps(ci, c0[i]);
    _mm512_storeu_ps(ci + 16, c1[i]);
  }
}

// float64: MR rows × 16 columns (two zmm of 8 doubles per row).
constexpr int kMrD = 12;
void DgemmKernel(long kc, const double* a, const double* b, double* c, long ldc, int accumulate) {
  __m512d c0[kMrD], c1[kMrD];
#pragma GCC unroll 16
  for (int i = 0; i < kMrD; i++) c0[i] = c1[i] = _mm512_setzero_pd();
  for (long p = 0; p < kc; p++) {
    const __m512d b0 = _mm512_loadu_pd(b);
    const __m512d b1 = _mm512_loadu_pd(b + 8);
#pragma GCC unroll 16
    for (int i = 0; i < kMrD; i++) {
      const __m512d ai = _mm512_set1_pd(a[i]);
      c0[i] = _mm512_fmadd_pd(ai, b0, c0[i]);
      c1[i] = _mm512_fmadd_pd(ai, b1, c1[i]);
    }
    a += kMrD;
    b += 16;
  }
#pragma GCC unroll 16
  for (int i = 0; i < kMrD; i++) {
    double* ci = c + i * ldc;
    if (accumulate) {
      c0[i] = _mm512_add_pd(c0[i], _mm512_loadu_pd(ci));
      c1[i] = _mm512_add_pd(c1[i], _mm512_loadu_pd(ci + 8));
    }
    _mm512_storeu_pd(ci, c0[i]);
    _mm512_storeu_pd(ci + 8, c1[i]);
  }
}

const nabla::KernelSet kSet = {
    "avx512",
    {SgemmKernel, kMrF, 32, 256, 240, 4096},
    {DgemmKernel, kMrD, 16, 256, 120, 2048},
};

}  // namespace

const nabla::KernelSet* nabla::KernelsAvx512() { return &kSet; }
#else
const nabla::KernelSet* nabla::KernelsAvx512() { return nullptr; }
#endif
