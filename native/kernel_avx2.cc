// AVX2 + FMA micro-kernels. Compiled with -mavx2 -mfma (see binding.gyp); called only when the
// CPU reports avx2 and fma (cpu.cc).
#include "kernels.h"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

namespace {

// float32: 6 rows × 16 columns (two ymm per row): 12 accumulators, 2 loads of B and 6
// broadcasts of A per step.
constexpr int kMrF = 6;
void SgemmKernel(long kc, const float* a, const float* b, float* c, long ldc, int accumulate) {
  __m256 c0[kMrF], c1[kMrF];
#pragma GCC unroll 8
  for (int i = 0; i < kMrF; i++) c0[i] = c1[i] = _mm256_setzero_ps();
  for (long p = 0; p < kc; p++) {
    const __m256 b0 = _mm256_loadu_ps(b);
    const __m256 b1 = _mm256_loadu_ps(b + 8);
#pragma GCC unroll 8
    for (int i = 0; i < kMrF; i++) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
      c0[i] = _mm256_fmadd_ps(ai, b0, c0[i]);
      c1[i] = _mm256_fmadd_ps(ai, b1, c1[i]);
    }
    a += kMrF;
    b += 16;
  }
#pragma GCC unroll 8
  for (int i = 0; i < kMrF; i++) {
    float* ci = c + i * ldc;
    if (accumulate) {
      c0[i] = _mm256_add_ps(c0[i], _mm256_loadu_ps(ci));
      c1[i] = _mm256_add_ps(c1[i], _mm256_loadu_ps(ci + 8));
    }
    _mm256_storeu_ps(ci, c0[i]);
    _mm256_storeu_ps(ci + 8, c1[i]);
  }
}

// float64: 6 rows × 8 columns (two ymm of 4 doubles per row).
constexpr int kMrD = 6;
void DgemmKernel(long kc, const double* a, const double* b, double* c, long ldc, int accumulate) {
  __m256d c0[kMrD], c1[kMrD];
#pragma GCC unroll 8
  for (int i = 0; i < kMrD; i++) c0[i] = c1[i] = _mm256_setzero_pd();
  for (long p = 0; p < kc; p++) {
    const __m256d b0 = _mm256_loadu_pd(b);
    const __m256d b1 = _mm256_loadu_pd(b + 4);
#pragma GCC unroll 8
    for (int i = 0; i < kMrD; i++) {
      const __m256d ai = _mm256_broadcast_sd(a + i);
      c0[i] = _mm256_fmadd_pd(ai, b0, c0[i]);
      c1[i] = _mm256_fmadd_pd(ai, b1, c1[i]);
    }
    a += kMrD;
    b += 8;
  }
#pragma GCC unroll 8
  for (int i = 0; i < kMrD; i++) {
    double* ci = c + i * ldc;
    if (accumulate) {
      c0[i] = _mm256_add_pd(c0[i], _mm256_loadu_pd(ci));
      c1[i] = _mm256_add_pd(c1[i], _mm256_loadu_pd(ci + 4));
    }
    _mm256_storeu_pd(ci, c0[i]);
    _mm256_storeu_pd(ci + 4, c1[i]);
  }
}

const nabla::KernelSet kSet = {
    "avx2",
    {SgemmKernel, kMrF, 16, 256, 120, 4096},
    {DgemmKernel, kMrD, 8, 256, 96, 2048},
};

}  // namespace

const nabla::KernelSet* nabla::KernelsAvx2() { return &kSet; }
#else
const nabla::KernelSet* nabla::KernelsAvx2() { return nullptr; }
#endif
