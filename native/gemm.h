// Batched matrix product with the semantics of src/backend/js/matmul.ts.
#ifndef NABLA_NATIVE_GEMM_H
#define NABLA_NATIVE_GEMM_H

#include "kernels.h"

namespace nabla {

// The kernel set matmul uses (chosen at load time from the CPU features; see cpu.cc).
const KernelSet& ActiveKernels();

// For each t < batch: out[t] (m×n, contiguous) = op(A_t) · op(B_t), where A_t starts at
// a + t·aBatchStride and is m×k row-major (k×m when transA), likewise B_t (k×n, or n×k when
// transB). Overwrites out.
template <typename T>
void Matmul(const T* a, const T* b, T* out, long batch, long m, long n, long k, bool transA,
            bool transB, long aBatchStride, long bBatchStride);

}  // namespace nabla

#endif
