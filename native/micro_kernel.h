// The register-tiled GEMM micro-kernel, written once for every vector instruction set. Each
// per-ISA file (kernel_avx2.cc, kernel_avx512.cc) describes its vectors as a traits struct V and
// instantiates MicroKernel<V, MR>. Only those files include this header, and everything in it
// has internal linkage, so no copy compiled with their flags can be picked up by generic code
// (see kernels.h).
#ifndef NABLA_NATIVE_MICRO_KERNEL_H
#define NABLA_NATIVE_MICRO_KERNEL_H

namespace {

// V supplies: T (the element type), Vec, kWidth (elements per Vec), and Zero, Load, Store,
// Broadcast, Fma(a, b, c) = a·b + c, Add.
//
// c[MR×2·kWidth tile, row stride ldc] = (accumulate ? c : 0) + Σ_p a[p·MR + i] · b[p·NR + j]:
// MR rows of two vectors each in registers; each step loads two vectors of B and broadcasts MR
// values of A into 2·MR fused multiply-adds.
template <typename V, int MR>
void MicroKernel(long kc, const typename V::T* a, const typename V::T* b, typename V::T* c,
                 long ldc, int accumulate) {
  constexpr int W = V::kWidth;
  typename V::Vec c0[MR], c1[MR];
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++) c0[i] = c1[i] = V::Zero();
  for (long p = 0; p < kc; p++) {
    const typename V::Vec b0 = V::Load(b);
    const typename V::Vec b1 = V::Load(b + W);
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
      const typename V::Vec ai = V::Broadcast(a + i);
      c0[i] = V::Fma(ai, b0, c0[i]);
      c1[i] = V::Fma(ai, b1, c1[i]);
    }
    a += MR;
    b += 2 * W;
  }
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++) {
    typename V::T* ci = c + i * ldc;
    if (accumulate) {
      c0[i] = V::Add(c0[i], V::Load(ci));
      c1[i] = V::Add(c1[i], V::Load(ci + W));
    }
    V::Store(ci, c0[i]);
    V::Store(ci + W, c1[i]);
  }
}

}  // namespace

#endif
