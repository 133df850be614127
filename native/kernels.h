// Micro-kernel interface shared by the GEMM driver (gemm.cc) and the per-ISA kernel files.
//
// Only plain data and extern "C"-style function pointers cross the boundary: the per-ISA files
// are compiled with -mavx512f / -mavx2 flags, so no inline function or template that the generic
// code also uses may be instantiated there (the linker could keep the AVX copy for everyone).
#ifndef NABLA_NATIVE_KERNELS_H
#define NABLA_NATIVE_KERNELS_H

namespace nabla {

// c[MR×NR tile, row stride ldc] = (accumulate ? c : 0) + Σ_p a[p·MR + i] · b[p·ldb + j]:
// a is a packed kc×MR panel of A (MR values per step), b a kc×NR panel of B, packed (ldb = NR) or
// read in place from rows of op(B) (ldb: their stride).
template <typename T>
using MicroKernel = void (*)(long kc, const T* a, const T* b, long ldb, T* c, long ldc,
                             int accumulate);

// out[i·RB + j] = Σ_t Σ_p a[i][t·as + p] · b[j][t·bs + p] over t < batch, p < k, for RA rows a[i]
// and RB rows b[j] (RA, RB: the kernel's dotRows, dotCols); out is overwritten. Products whose
// operands both run along k (A·Bᵀ, as in a convolution's weight gradient) need no packing then.
// dst[p·width + r] = src[r·stride + p] for r < h and 0 for h ≤ r < width, p < kc: a packed panel
// from h lines that run along p (the pack of an operand whose rows run along k).
template <typename T>
using GatherKernel = void (*)(const T* src, long stride, long h, int width, long kc, T* dst);

template <typename T>
using DotKernel = void (*)(long batch, long k, const T* const* a, long as, const T* const* b,
                           long bs, T* out);

// The micro-kernels with the block sizes the driver uses around them.
template <typename T>
struct Gemm {
  MicroKernel<T> kernel;
  int mr, nr;      // register tile
  int kc, mc, nc;  // cache blocks: kc×nr B panel in L1 (or L2), mc×kc A block in L2, kc×nc in L3
  // Register tiles of fewer rows (narrowMr[i] × nr; 0 ends the list), for products with few rows
  // of C: each element is the same sum in the same order whichever tile computes it.
  MicroKernel<T> narrow[3];
  int narrowMr[3];
  DotKernel<T> dot;
  int dotRows, dotCols;
  // The same tiles nr/2 columns wide (or nullptr), for a last panel of at most nr/2 columns.
  MicroKernel<T> half;
  MicroKernel<T> narrowHalf[3];
  // The transposing pack, vectorized (or nullptr: gemm.cc's portable one).
  GatherKernel<T> gather;
};

struct KernelSet {
  const char* name;
  Gemm<float> f32;
  Gemm<double> f64;
};

// Each returns nullptr when its file was compiled without the instruction set (non-x86 builds).
const KernelSet* KernelsAvx512();
const KernelSet* KernelsAvx2();
const KernelSet* KernelsGeneric();

}  // namespace nabla

#endif
