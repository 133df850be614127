// Micro-kernel interface shared by the GEMM driver (gemm.cc) and the per-ISA kernel files.
//
// Only plain data and extern "C"-style function pointers cross the boundary: the per-ISA files
// are compiled with -mavx512f / -mavx2 flags, so no inline function or template that the generic
// code also uses may be instantiated there (the linker could keep the AVX copy for everyone).
#ifndef NABLA_NATIVE_KERNELS_H
#define NABLA_NATIVE_KERNELS_H

namespace nabla {

// c[MR×NR tile, row stride ldc] = (accumulate ? c : 0) + Σ_p a[p·MR + i] · b[p·NR + j]:
// a is a packed kc×MR panel of A (MR values per step), b a packed kc×NR panel of B.
template <typename T>
using MicroKernel = void (*)(long kc, const T* a, const T* b, T* c, long ldc, int accumulate);

// One micro-kernel with the block sizes the driver uses around it.
template <typename T>
struct Gemm {
  MicroKernel<T> kernel;
  int mr, nr;      // register tile
  int kc, mc, nc;  // cache blocks: kc×nr B panel in L1, mc×kc A block in L2, kc×nc B block in L3
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
