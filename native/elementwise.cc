#include "elementwise.h"

#include <algorithm>
#include <cmath>

#include "clones.h"
#include "pool.h"  // Chunked
#include "vector_math.h"

namespace nabla {
namespace {

constexpr long kCheapGrain = 1L << 20;   // memory-bound loops
constexpr long kCostlyGrain = 1L << 14;  // exp, tanh

// relu(NaN) = NaN, relu(-0) = 0.
template <typename T>
NABLA_VECTOR_CLONES void ReluSpan(const T* x, T* out, long lo, long hi) {
  for (long i = lo; i < hi; i++) {
    const T v = x[i];
    out[i] = v > 0 ? v : (v == v ? T(0) : v);
  }
}

// out[i] = f(x[i]) in double, rounded once to T, for i in [lo, hi).
template <UnaryOp kOp, typename T>
NABLA_VECTOR_CLONES void CostlySpan(const T* x, T* out, long lo, long hi) {
  for (long i = lo; i < hi; i++) {
    const double v = x[i];
    if constexpr (kOp == UnaryOp::kTanh) out[i] = static_cast<T>(vmath::Tanh(v));
    if constexpr (kOp == UnaryOp::kExp) out[i] = static_cast<T>(vmath::Exp(v));
    if constexpr (kOp == UnaryOp::kSigmoid) out[i] = static_cast<T>(vmath::Sigmoid(v));
  }
}

template <UnaryOp kOp, typename T>
void CostlyLoop(const T* x, T* out, long n) {
  Chunked(n, kCostlyGrain, [=](long lo, long hi) { CostlySpan<kOp, T>(x, out, lo, hi); });
}

}  // namespace

template <typename T>
void Unary(UnaryOp op, const T* x, T* out, long n) {
  switch (op) {
    case UnaryOp::kTanh: return CostlyLoop<UnaryOp::kTanh, T>(x, out, n);
    case UnaryOp::kExp: return CostlyLoop<UnaryOp::kExp, T>(x, out, n);
    case UnaryOp::kSigmoid: return CostlyLoop<UnaryOp::kSigmoid, T>(x, out, n);
    case UnaryOp::kRelu:
      Chunked(n, kCheapGrain, [=](long lo, long hi) { ReluSpan<T>(x, out, lo, hi); });
      return;
  }
}

namespace {

// f(a, b) of one binary op, rounded once to T. +, −, ×, ÷ of two floats rounded once equal the
// TypeScript double-then-float; the derivative kernels compute in double as TypeScript does
// (left to right, no contraction) and round once on store.
template <BinaryOp kOp, typename T>
inline T Apply(T a, T b) {
  if constexpr (kOp == BinaryOp::kAdd) return a + b;
  if constexpr (kOp == BinaryOp::kSub) return a - b;
  if constexpr (kOp == BinaryOp::kMul) return a * b;
  if constexpr (kOp == BinaryOp::kDiv) return a / b;
  if constexpr (kOp == BinaryOp::kTanhGrad) {
    const double y = b;
    return static_cast<T>(static_cast<double>(a) * (1 - y * y));
  }
  if constexpr (kOp == BinaryOp::kSigmoidGrad) {
    const double y = b;
    return static_cast<T>(static_cast<double>(a) * y * (1 - y));
  }
  if constexpr (kOp == BinaryOp::kReluGrad) return b > 0 ? a : T(0);
}

// out[i] = f(a[i], b[i]) for i in [lo, hi); out may be a (in place).
template <BinaryOp kOp, typename T>
NABLA_VECTOR_CLONES void SameSpan(const T* a, const T* b, T* out, long lo, long hi) {
  for (long i = lo; i < hi; i++) out[i] = Apply<kOp, T>(a[i], b[i]);
}

template <BinaryOp kOp, typename T>
void SameLoop(const T* a, const T* b, T* out, long n) {
  Chunked(n, kCheapGrain, [=](long lo, long hi) { SameSpan<kOp, T>(a, b, out, lo, hi); });
}

template <BinaryOp kOp, typename T>
void RowLoop(const T* a, const T* b, T* out, long rows, long cols) {
  Chunked(rows, std::max(1L, kCheapGrain / std::max(1L, cols)), [=](long lo, long hi) {
    for (long r = lo; r < hi; r++) SameSpan<kOp, T>(a + r * cols, b, out + r * cols, 0, cols);
  });
}

// Calls LOOP<op, T>(args...) for the run-time op.
#define NABLA_DISPATCH(op, LOOP, ...)                                                 \
  switch (op) {                                                                       \
    case BinaryOp::kAdd: return LOOP<BinaryOp::kAdd, T>(__VA_ARGS__);                 \
    case BinaryOp::kSub: return LOOP<BinaryOp::kSub, T>(__VA_ARGS__);                 \
    case BinaryOp::kMul: return LOOP<BinaryOp::kMul, T>(__VA_ARGS__);                 \
    case BinaryOp::kDiv: return LOOP<BinaryOp::kDiv, T>(__VA_ARGS__);                 \
    case BinaryOp::kTanhGrad: return LOOP<BinaryOp::kTanhGrad, T>(__VA_ARGS__);       \
    case BinaryOp::kSigmoidGrad: return LOOP<BinaryOp::kSigmoidGrad, T>(__VA_ARGS__); \
    case BinaryOp::kReluGrad: return LOOP<BinaryOp::kReluGrad, T>(__VA_ARGS__);       \
  }

}  // namespace

template <typename T>
void BinarySame(BinaryOp op, const T* a, const T* b, T* out, long n) {
  NABLA_DISPATCH(op, SameLoop, a, b, out, n)
}

template <typename T>
void BinaryRow(BinaryOp op, const T* a, const T* b, T* out, long rows, long cols) {
  NABLA_DISPATCH(op, RowLoop, a, b, out, rows, cols)
}

#undef NABLA_DISPATCH

template <typename T>
void SumRows(const T* x, long rows, long cols, T* out) {
  Chunked(rows, std::max(1L, kCheapGrain / std::max(1L, cols)), [=](long lo, long hi) {
    for (long r = lo; r < hi; r++) {
      const T* row = x + r * cols;
      double s = 0;
      for (long c = 0; c < cols; c++) s += row[c];
      out[r] = static_cast<T>(s);
    }
  });
}

namespace {

// out[c] = Σ_r x[r·cols + c] for c in [lo, hi), each sum in double and in the order of r.
template <typename T>
NABLA_VECTOR_CLONES void SumColumns(const T* x, long rows, long cols, T* out, long lo, long hi) {
  constexpr long kBlock = 256;
  double acc[kBlock];
  for (long c0 = lo; c0 < hi; c0 += kBlock) {
    const long w = std::min(kBlock, hi - c0);
    std::fill(acc, acc + w, 0.0);
    for (long r = 0; r < rows; r++) {
      const T* row = x + r * cols + c0;
      for (long c = 0; c < w; c++) acc[c] += row[c];
    }
    for (long c = 0; c < w; c++) out[c0 + c] = static_cast<T>(acc[c]);
  }
}

}  // namespace

template <typename T>
void SumAxis0(const T* x, long rows, long cols, T* out) {
  Chunked(cols, std::max(1L, kCheapGrain / std::max(1L, rows)),
          [=](long lo, long hi) { SumColumns<T>(x, rows, cols, out, lo, hi); });
}

template <typename T>
void LogSoftmaxRows(const T* x, long rows, long cols, T* out) {
  if (cols == 0) return;
  Chunked(rows, std::max(1L, kCostlyGrain / cols), [=](long lo, long hi) {
    for (long r = lo; r < hi; r++) {
      const T* xr = x + r * cols;
      T* orow = out + r * cols;
      double m = -INFINITY;
      for (long c = 0; c < cols; c++) {
        const double v = xr[c];
        if (v > m || v != v) m = v;
      }
      if (m - m != 0) m = 0;  // ±Infinity or NaN: no shift
      double s = 0;
      for (long c = 0; c < cols; c++) s += std::exp(xr[c] - m);
      const double shift = m + std::log(s);
      for (long c = 0; c < cols; c++) orow[c] = static_cast<T>(xr[c] - shift);
    }
  });
}

#define NABLA_INSTANTIATE(T)                                                \
  template void Unary<T>(UnaryOp, const T*, T*, long);                      \
  template void BinarySame<T>(BinaryOp, const T*, const T*, T*, long);      \
  template void BinaryRow<T>(BinaryOp, const T*, const T*, T*, long, long); \
  template void SumRows<T>(const T*, long, long, T*);                       \
  template void SumAxis0<T>(const T*, long, long, T*);                      \
  template void LogSoftmaxRows<T>(const T*, long, long, T*);
NABLA_INSTANTIATE(float)
NABLA_INSTANTIATE(double)

}  // namespace nabla
