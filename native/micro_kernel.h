// The register-tiled GEMM micro-kernel, written once for every vector instruction set. Each
// per-ISA file (kernel_avx2.cc, kernel_avx512.cc) describes its vectors as a traits struct V and
// instantiates MicroKernel<V, MR, NV>. Only those files include this header, and everything in it
// has internal linkage, so no copy compiled with their flags can be picked up by generic code
// (see kernels.h).
#ifndef NABLA_NATIVE_MICRO_KERNEL_H
#define NABLA_NATIVE_MICRO_KERNEL_H

namespace {

// V supplies: T (the element type), Vec, kWidth (elements per Vec), and Zero, Load, Store,
// Broadcast, Fma(a, b, c) = a·b + c, Add, LoadPartial(p, n): p[0..n) then zeros (n < kWidth,
// without touching memory past p + n), and Sum(v): the lanes added, always in the same order.
//
// c[MR×NV·kWidth tile, row stride ldc] = (accumulate ? c : 0) + Σ_p a[p·MR + i] · b[p·ldb + j]:
// MR rows of NV (1 or 2) vectors each in registers; each step loads NV vectors of B and
// broadcasts MR values of A into NV·MR fused multiply-adds. Each element's sum is the same chain
// whatever MR and NV.
template <typename V, int MR, int NV = 2>
void MicroKernel(long kc, const typename V::T* a, const typename V::T* b, long ldb,
                 typename V::T* c, long ldc, int accumulate) {
  constexpr int W = V::kWidth;
  typename V::Vec acc[NV][MR];
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++)
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) acc[v][i] = V::Zero();
  for (long p = 0; p < kc; p++) {
    typename V::Vec bv[NV];
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) bv[v] = V::Load(b + v * W);
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
      const typename V::Vec ai = V::Broadcast(a + i);
#pragma GCC unroll 2
      for (int v = 0; v < NV; v++) acc[v][i] = V::Fma(ai, bv[v], acc[v][i]);
    }
    a += MR;
    b += ldb;
  }
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++) {
    typename V::T* ci = c + i * ldc;
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) {
      if (accumulate) acc[v][i] = V::Add(acc[v][i], V::Load(ci + v * W));
      V::Store(ci + v * W, acc[v][i]);
    }
  }
}

// One step of DotSum: acc[i][j] += a[i][o + q] · b[j][o + q] for q < kWidth, reading only
// q < n when kPartial (the rest count as zeros).
template <typename V, int RA, int RB, bool kPartial>
inline void DotStep(const typename V::T* const* a, long oa, const typename V::T* const* b, long ob,
                    long n, typename V::Vec (&acc)[RA][RB]) {
  typename V::Vec av[RA];
#pragma GCC unroll 16
  for (int i = 0; i < RA; i++) av[i] = kPartial ? V::LoadPartial(a[i] + oa, n) : V::Load(a[i] + oa);
#pragma GCC unroll 16
  for (int j = 0; j < RB; j++) {
    const typename V::Vec bv = kPartial ? V::LoadPartial(b[j] + ob, n) : V::Load(b[j] + ob);
#pragma GCC unroll 16
    for (int i = 0; i < RA; i++) acc[i][j] = V::Fma(av[i], bv, acc[i][j]);
  }
}

// out[i·RB + j] = Σ_t Σ_p a[i][t·as + p] · b[j][t·bs + p] (see DotKernel in kernels.h). Each sum
// runs in kWidth lanes (lane l takes the p ≡ l mod kWidth of every sample in turn; a sample's last
// partial vector is zero-filled), and the lanes are added by V::Sum at the end: an element's value
// depends on neither the block nor the thread that computes it. Each step loads RA vectors of A
// and, one at a time, RB of B, for RA·RB fused multiply-adds.
template <typename V, int RA, int RB>
void DotSum(long batch, long k, const typename V::T* const* a, long as,
            const typename V::T* const* b, long bs, typename V::T* out) {
  constexpr int W = V::kWidth;
  typename V::Vec acc[RA][RB];
#pragma GCC unroll 16
  for (int i = 0; i < RA; i++)
#pragma GCC unroll 16
    for (int j = 0; j < RB; j++) acc[i][j] = V::Zero();
  const long full = k / W * W;
  for (long t = 0; t < batch; t++) {
    for (long p = 0; p < full; p += W)
      DotStep<V, RA, RB, false>(a, t * as + p, b, t * bs + p, W, acc);
    if (full < k) DotStep<V, RA, RB, true>(a, t * as + full, b, t * bs + full, k - full, acc);
  }
#pragma GCC unroll 16
  for (int i = 0; i < RA; i++)
#pragma GCC unroll 16
    for (int j = 0; j < RB; j++) out[i * RB + j] = V::Sum(acc[i][j]);
}

}  // namespace

#endif
