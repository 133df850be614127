// AVX-512F + FMA micro-kernels. Compiled with -mavx512f -mfma (see binding.gyp); called only
// when the CPU reports avx512f (cpu.cc).
#include "kernels.h"

#if defined(__AVX512F__) && defined(__FMA__)
#include <immintrin.h>

#include "micro_kernel.h"

namespace {

// Sixteen floats in a zmm register.
struct F32 {
  using T = float;
  using Vec = __m512;
  static constexpr int kWidth = 16;
  static Vec Zero() { return _mm512_setzero_ps(); }
  static Vec Load(const T* p) { return _mm512_loadu_ps(p); }
  static void Store(T* p, Vec v) { _mm512_storeu_ps(p, v); }
  static Vec Broadcast(const T* p) { return _mm512_set1_ps(*p); }
  static Vec Fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
  static Vec Add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
};

// Eight doubles in a zmm register.
struct F64 {
  using T = double;
  using Vec = __m512d;
  static constexpr int kWidth = 8;
  static Vec Zero() { return _mm512_setzero_pd(); }
  static Vec Load(const T* p) { return _mm512_loadu_pd(p); }
  static void Store(T* p, Vec v) { _mm512_storeu_pd(p, v); }
  static Vec Broadcast(const T* p) { return _mm512_set1_pd(*p); }
  static Vec Fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_pd(a, b, c); }
  static Vec Add(Vec a, Vec b) { return _mm512_add_pd(a, b); }
};

// float32: 12 rows × 32 columns (24 accumulators); float64: 12 rows × 16 columns.
constexpr int kMrF = 12;
constexpr int kMrD = 12;

const nabla::KernelSet kSet = {
    "avx512",
    {MicroKernel<F32, kMrF>, kMrF, 2 * F32::kWidth, 256, 240, 4096},
    {MicroKernel<F64, kMrD>, kMrD, 2 * F64::kWidth, 256, 120, 2048},
};

}  // namespace

const nabla::KernelSet* nabla::KernelsAvx512() { return &kSet; }
#else
const nabla::KernelSet* nabla::KernelsAvx512() { return nullptr; }
#endif
