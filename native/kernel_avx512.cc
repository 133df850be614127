// AVX-512F + FMA micro-kernels. Compiled with -mavx512f -mfma (see binding.gyp); called only
// when the CPU reports avx512f (cpu.cc).
#include "kernels.h"

#if defined(__AVX512F__) && defined(__FMA__)
#include <immintrin.h>

#include "micro_kernel.h"
#include "pack_avx.h"

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
  static Vec LoadPartial(const T* p, long n) {
    return _mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << n) - 1), p);
  }
  static T Sum(Vec v) { return _mm512_reduce_add_ps(v); }
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
  static Vec LoadPartial(const T* p, long n) {
    return _mm512_maskz_loadu_pd(static_cast<__mmask8>((1u << n) - 1), p);
  }
  static T Sum(Vec v) { return _mm512_reduce_add_pd(v); }
};

// float32: 12 rows × 32 columns (24 accumulators); float64: 12 rows × 16 columns; and tiles of
// 8, 6 and 4 rows for products with few rows. The mc blocks (48, 120) are multiples of each.
// float32 takes k in slices of up to 1,024 (its 128 KB B panel stays in L2, beside a 192 KB
// block of A), so C is loaded and stored once per 1,024 steps rather than per 256: measured
// interleaved on this machine's AVX-512 EPYC, GEMM 2048 went from 169 to 193 GFLOP/s on one thread
// and from 322 to 381 on two, the MLP's 128×784 · 784×256 from about 250 to 330 on two.
// float64 keeps kc 256.
// Dot products in blocks of 3 × 4 (12 accumulators, 7 loads per 12 fused multiply-adds).
const nabla::KernelSet kSet = {
    "avx512",
    {MicroKernel<F32, 12>,
     12,
     2 * F32::kWidth,
     1024,
     48,
     4096,
     {MicroKernel<F32, 8>, MicroKernel<F32, 6>, MicroKernel<F32, 4>},
     {8, 6, 4},
     DotSum<F32, 3, 4>,
     3,
     4,
     MicroKernel<F32, 12, 1>,
     {MicroKernel<F32, 8, 1>, MicroKernel<F32, 6, 1>, MicroKernel<F32, 4, 1>},
     GatherF32},
    {MicroKernel<F64, 12>,
     12,
     2 * F64::kWidth,
     256,
     120,
     2048,
     {MicroKernel<F64, 8>, MicroKernel<F64, 6>, MicroKernel<F64, 4>},
     {8, 6, 4},
     DotSum<F64, 3, 4>,
     3,
     4,
     MicroKernel<F64, 12, 1>,
     {MicroKernel<F64, 8, 1>, MicroKernel<F64, 6, 1>, MicroKernel<F64, 4, 1>}},
};

}  // namespace

const nabla::KernelSet* nabla::KernelsAvx512() { return &kSet; }
#else
const nabla::KernelSet* nabla::KernelsAvx512() { return nullptr; }
#endif
