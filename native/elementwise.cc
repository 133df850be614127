#include "elementwise.h"

#include <algorithm>
#include <cmath>

#include "pool.h"  // Chunked

namespace nabla {
namespace {

constexpr long kCheapGrain = 1L << 18;  // memory-bound loops
constexpr long kCostlyGrain = 1L << 14;  // exp, tanh

}  // namespace

template <typename T>
void Unary(UnaryOp op, const T* x, T* out, long n) {
  switch (op) {
    case UnaryOp::kTanh:
      Chunked(n, kCostlyGrain, [=](long lo, long hi) {
        for (long i = lo; i < hi; i++) out[i] = static_cast<T>(std::tanh(static_cast<double>(x[i])));
      });
      return;
    case UnaryOp::kExp:
      Chunked(n, kCostlyGrain, [=](long lo, long hi) {
        for (long i = lo; i < hi; i++) out[i] = static_cast<T>(std::exp(static_cast<double>(x[i])));
      });
      return;
    case UnaryOp::kSigmoid:
      Chunked(n, kCostlyGrain, [=](long lo, long hi) {
        for (long i = lo; i < hi; i++) {
          const double v = x[i];
          if (v >= 0) {
            out[i] = static_cast<T>(1 / (1 + std::exp(-v)));
          } else {
            const double e = std::exp(v);  // also NaN → NaN
            out[i] = static_cast<T>(e / (1 + e));
          }
        }
      });
      return;
    case UnaryOp::kRelu:
      // relu(NaN) = NaN, relu(-0) = 0.
      Chunked(n, kCheapGrain, [=](long lo, long hi) {
        for (long i = lo; i < hi; i++) {
          const T v = x[i];
          out[i] = v > 0 ? v : (v == v ? T(0) : v);
        }
      });
      return;
  }
}

template <typename T>
void BinarySame(BinaryOp op, const T* a, const T* b, T* out, long n) {
  // One rounding of an exact +, −, ×, ÷ of two floats equals the TypeScript double-then-float.
  Chunked(n, kCheapGrain, [=](long lo, long hi) {
    switch (op) {
      case BinaryOp::kAdd:
        for (long i = lo; i < hi; i++) out[i] = a[i] + b[i];
        break;
      case BinaryOp::kSub:
        for (long i = lo; i < hi; i++) out[i] = a[i] - b[i];
        break;
      case BinaryOp::kMul:
        for (long i = lo; i < hi; i++) out[i] = a[i] * b[i];
        break;
      case BinaryOp::kDiv:
        for (long i = lo; i < hi; i++) out[i] = a[i] / b[i];
        break;
    }
  });
}

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

template <typename T>
void SumAxis0(const T* x, long rows, long cols, T* out) {
  Chunked(cols, std::max(1L, kCheapGrain / std::max(1L, rows)), [=](long lo, long hi) {
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
  });
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

#define NABLA_INSTANTIATE(T)                                                    \
  template void Unary<T>(UnaryOp, const T*, T*, long);                          \
  template void BinarySame<T>(BinaryOp, const T*, const T*, T*, long);          \
  template void SumRows<T>(const T*, long, long, T*);                           \
  template void SumAxis0<T>(const T*, long, long, T*);                          \
  template void LogSoftmaxRows<T>(const T*, long, long, T*);
NABLA_INSTANTIATE(float)
NABLA_INSTANTIATE(double)

}  // namespace nabla
