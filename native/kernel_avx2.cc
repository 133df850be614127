// AVX2 + FMA micro-kernels. Compiled with -mavx2 -mfma (see binding.gyp); called only when the
// CPU reports avx2 and fma (cpu.cc).
#include "kernels.h"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

#include "micro_kernel.h"

namespace {

// Eight floats in a ymm register.
struct F32 {
  using T = float;
  using Vec = __m256;
  static constexpr int kWidth = 8;
  static Vec Zero() { return _mm256_setzero_ps(); }
  static Vec Load(const T* p) { return _mm256_loadu_ps(p); }
  static void Store(T* p, Vec v) { _mm256_storeu_ps(p, v); }
  static Vec Broadcast(const T* p) { return _mm256_broadcast_ss(p); }
  static Vec Fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
  static Vec Add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
};

// Four doubles in a ymm register.
struct F64 {
  using T = double;
  using Vec = __m256d;
  static constexpr int kWidth = 4;
  static Vec Zero() { return _mm256_setzero_pd(); }
  static Vec Load(const T* p) { return _mm256_loadu_pd(p); }
  static void Store(T* p, Vec v) { _mm256_storeu_pd(p, v); }
  static Vec Broadcast(const T* p) { return _mm256_broadcast_sd(p); }
  static Vec Fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_pd(a, b, c); }
  static Vec Add(Vec a, Vec b) { return _mm256_add_pd(a, b); }
};

// float32: 6 rows × 16 columns: 12 accumulators, 2 loads of B and 6 broadcasts of A per step.
// float64: 6 rows × 8 columns.
constexpr int kMrF = 6;
constexpr int kMrD = 6;

const nabla::KernelSet kSet = {
    "avx2",
    {MicroKernel<F32, kMrF>, kMrF, 2 * F32::kWidth, 256, 120, 4096},
    {MicroKernel<F64, kMrD>, kMrD, 2 * F64::kWidth, 256, 96, 2048},
};

}  // namespace

const nabla::KernelSet* nabla::KernelsAvx2() { return &kSet; }
#else
const nabla::KernelSet* nabla::KernelsAvx2() { return nullptr; }
#endif
