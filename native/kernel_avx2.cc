// AVX2 + FMA micro-kernels. Compiled with -mavx2 -mfma (see binding.gyp); called only when the
// CPU reports avx2 and fma (cpu.cc).
#include "kernels.h"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

#include "micro_kernel.h"
#include "pack_avx.h"

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
  static Vec LoadPartial(const T* p, long n) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_maskload_ps(p, _mm256_cmpgt_epi32(_mm256_set1_epi32(n), lane));
  }
  static T Sum(Vec v) {  // halves, then pairs, then the last two
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
  }
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
  static Vec LoadPartial(const T* p, long n) {
    const __m256i lane = _mm256_setr_epi64x(0, 1, 2, 3);
    return _mm256_maskload_pd(p, _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), lane));
  }
  static T Sum(Vec v) {  // halves, then the last two
    const __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
  }
};

// float32: 6 rows × 16 columns: 12 accumulators, 2 loads of B and 6 broadcasts of A per step.
// float64: 6 rows × 8 columns. Tiles of 4 rows for products with few rows (the mc blocks are
// multiples of 4 and 6). Dot products in blocks of 3 × 4: 12 accumulators, 3 vectors of A and
// one of B live, the 16 ymm registers.
const nabla::KernelSet kSet = {
    "avx2",
    {MicroKernel<F32, 6>,
     6,
     2 * F32::kWidth,
     256,
     120,
     4096,
     {MicroKernel<F32, 4>},
     {4},
     DotSum<F32, 3, 4>,
     3,
     4,
     MicroKernel<F32, 6, 1>,
     {MicroKernel<F32, 4, 1>},
     GatherF32},
    {MicroKernel<F64, 6>,
     6,
     2 * F64::kWidth,
     256,
     96,
     2048,
     {MicroKernel<F64, 4>},
     {4},
     DotSum<F64, 3, 4>,
     3,
     4,
     MicroKernel<F64, 6, 1>,
     {MicroKernel<F64, 4, 1>}},
};

}  // namespace

const nabla::KernelSet* nabla::KernelsAvx2() { return &kSet; }
#else
const nabla::KernelSet* nabla::KernelsAvx2() { return nullptr; }
#endif
