// Element-wise kernels, row reductions and logSoftmax over rows, with the semantics of the
// reference TypeScript kernels (src/backend/js/): intermediate values in double, rounded once
// when stored, as the TypeScript code does.
#ifndef NABLA_NATIVE_ELEMENTWISE_H
#define NABLA_NATIVE_ELEMENTWISE_H

namespace nabla {

enum class UnaryOp { kTanh, kExp, kRelu, kSigmoid };
// The fused derivative kernels take the upstream gradient a and the activation's result b:
// tanhGrad a·(1 − b²), sigmoidGrad a·b·(1 − b), reluGrad a where b > 0 else 0.
enum class BinaryOp { kAdd, kSub, kMul, kDiv, kTanhGrad, kSigmoidGrad, kReluGrad };

template <typename T>
void Unary(UnaryOp op, const T* x, T* out, long n);
template <typename T>
void BinarySame(BinaryOp op, const T* a, const T* b, T* out, long n);
// out[r·cols + c] = f(a[r·cols + c], b[c]): b a row vector broadcast over the rows (a bias add).
// out may be a (in place).
template <typename T>
void BinaryRow(BinaryOp op, const T* a, const T* b, T* out, long rows, long cols);
// out[r] = Σ_c x[r·cols + c]
template <typename T>
void SumRows(const T* x, long rows, long cols, T* out);
// out[c] = Σ_r x[r·cols + c]
template <typename T>
void SumAxis0(const T* x, long rows, long cols, T* out);
// out[r, :] = x[r, :] − (max + log Σ exp(x[r, :] − max)), as src/backend/js/softmax.ts.
template <typename T>
void LogSoftmaxRows(const T* x, long rows, long cols, T* out);

}  // namespace nabla

#endif
