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

// out (m×n) = Σ_{t < batch} op(A_t) · op(B_t), with the operands of Matmul: the k loop runs
// across the batch, so there are no per-sample products to add. Overwrites out (zeros when batch
// or k is 0). The summation order differs from Matmul's followed by a sum over the batch; it is
// the same for any number of threads.
template <typename T>
void MatmulSum(const T* a, const T* b, T* out, long batch, long m, long n, long k, bool transA,
               bool transB, long aBatchStride, long bBatchStride);

}  // namespace nabla

#endif
