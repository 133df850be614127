#include "optim.h"

#include <cmath>

#include "clones.h"
#include "pool.h"

namespace nabla {
namespace {

// 2¹⁷: a 784×256 weight's step runs in two halves, one per thread (measured in the MLP's step on
// 2 threads: 48–66 µs in the three chunks 2¹⁶ gave, 29–32 in halves; 32 on 1 thread). Its
// gradient's product is split by columns, so the halves do not follow what each thread wrote.
constexpr long kGrain = 1L << 17;

// w < 0.5 ? a + w(b − a) : b − (b − a)(1 − w), as src/backend/js/lerp.ts.
inline double Lerp(double a, double b, double w) {
  return w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
}

}  // namespace

// SGD's common cases (no weight decay, minimizing; with or without momentum, not Nesterov's),
// branch-free over arrays that do not overlap, so that the compiler vectorizes them: the same
// operations in double as the general loop, so the same bits (measured on 784×256 weights, one
// thread: 60 → 24 µs, with momentum 251 → 56).
template <bool kMomentum, typename T>
NABLA_VECTOR_CLONES void SgdPlain(T* __restrict w, const T* __restrict g, T* __restrict buf,
                                  long lo, long hi, double lr, double momentum, double keep) {
  for (long i = lo; i < hi; i++) {
    double d = g[i];
    if (kMomentum) {
      buf[i] = static_cast<T>(momentum * buf[i] + keep * d);
      d = buf[i];
    }
    w[i] = static_cast<T>(w[i] - lr * d);
  }
}

template <typename T>
bool Apart(const T* x, const T* y, long n) {
  return x == nullptr || y == nullptr || x + n <= y || y + n <= x;
}

template <typename T>
void SgdStep(T* w, const T* g, T* buf, long n, const SgdStepArgs& h) {
  const double lr = h.lr, momentum = h.momentum, wd = h.weightDecay, keep = 1 - h.dampening;
  const bool nesterov = h.nesterov, maximize = h.maximize, first = h.first;
  const bool plainMomentum = buf != nullptr && !first && !nesterov;
  if (wd == 0 && !maximize && (buf == nullptr || plainMomentum) && Apart<T>(w, g, n) &&
      Apart<T>(w, buf, n) && Apart<T>(g, buf, n)) {
    Chunked(n, kGrain, [=](long lo, long hi) {
      if (buf == nullptr) SgdPlain<false, T>(w, g, buf, lo, hi, lr, momentum, keep);
      else SgdPlain<true, T>(w, g, buf, lo, hi, lr, momentum, keep);
    });
    return;
  }
  Chunked(n, kGrain, [=](long lo, long hi) {
    for (long i = lo; i < hi; i++) {
      double d = maximize ? -static_cast<double>(g[i]) : g[i];
      if (wd != 0) d += wd * w[i];
      if (buf != nullptr) {
        buf[i] = static_cast<T>(first ? d : momentum * buf[i] + keep * d);
        d = nesterov ? d + momentum * buf[i] : static_cast<double>(buf[i]);
      }
      w[i] = static_cast<T>(w[i] - lr * d);
    }
  });
}

// Adam's common case (no decay, no L2, no AMSGrad, minimizing) without a branch in the loop,
// over arrays that do not overlap, so that the compiler vectorizes it (sqrt and ÷ in double are
// correctly rounded in vector form too: the same bits as the general loop). The double sqrt and
// two divisions bound it, so GCC builds it for AVX-512 and AVX2 as well and picks one when the
// addon loads (an ifunc): 8 lanes instead of SSE2's 2.
template <bool kLowWeight, typename T>
NABLA_VECTOR_CLONES void AdamPlain(T* __restrict w, const T* __restrict g, T* __restrict m,
                                   T* __restrict v, long lo, long hi, double beta2, double w1,
                                   double w2, double eps, double stepSize, double bc2Sqrt) {
  for (long i = lo; i < hi; i++) {
    const double d = g[i];
    const double mi = m[i];
    const T mNew = static_cast<T>(kLowWeight ? mi + w1 * (d - mi) : d - (d - mi) * (1 - w1));
    const T vNew = static_cast<T>(beta2 * v[i] + w2 * d * d);
    m[i] = mNew;
    v[i] = vNew;
    const double denom = std::sqrt(static_cast<double>(vNew)) / bc2Sqrt + eps;
    w[i] = static_cast<T>(w[i] - (stepSize * static_cast<double>(mNew)) / denom);
  }
}

template <typename T>
void AdamStep(T* w, const T* g, T* m, T* v, T* vmax, long n, const AdamStepArgs& h) {
  const double beta1 = h.beta1, beta2 = h.beta2, eps = h.eps, stepSize = h.stepSize;
  const double bc2Sqrt = h.bc2Sqrt, decay = h.decay, l2 = h.l2;
  const double w1 = 1 - beta1, w2 = 1 - beta2;
  const bool maximize = h.maximize;
  auto apart = [n](const T* x, const T* y) { return x + n <= y || y + n <= x; };
  if (decay == 1 && l2 == 0 && vmax == nullptr && !maximize && apart(w, g) && apart(w, m) &&
      apart(w, v) && apart(g, m) && apart(g, v) && apart(m, v)) {
    Chunked(n, kGrain, [=](long lo, long hi) {
      if (w1 < 0.5) AdamPlain<true, T>(w, g, m, v, lo, hi, beta2, w1, w2, eps, stepSize, bc2Sqrt);
      else AdamPlain<false, T>(w, g, m, v, lo, hi, beta2, w1, w2, eps, stepSize, bc2Sqrt);
    });
    return;
  }
  Chunked(n, kGrain, [=](long lo, long hi) {
    for (long i = lo; i < hi; i++) {
      double d = maximize ? -static_cast<double>(g[i]) : g[i];
      if (decay != 1) w[i] = static_cast<T>(w[i] * decay);
      if (l2 != 0) d += l2 * w[i];
      m[i] = static_cast<T>(Lerp(m[i], d, w1));
      v[i] = static_cast<T>(beta2 * v[i] + w2 * d * d);
      double second = v[i];
      if (vmax != nullptr) {
        if (v[i] > vmax[i] || std::isnan(v[i])) vmax[i] = v[i];
        second = vmax[i];
      }
      const double denom = std::sqrt(second) / bc2Sqrt + eps;
      w[i] = static_cast<T>(w[i] - (stepSize * m[i]) / denom);
    }
  });
}

template <typename T>
void AdagradStep(T* w, const T* g, T* sum, long n, const AdagradStepArgs& h) {
  const double clr = h.clr, wd = h.weightDecay, eps = h.eps;
  const bool maximize = h.maximize;
  Chunked(n, kGrain, [=](long lo, long hi) {
    for (long i = lo; i < hi; i++) {
      double d = maximize ? -static_cast<double>(g[i]) : g[i];
      if (wd != 0) d += wd * w[i];
      sum[i] = static_cast<T>(sum[i] + d * d);
      w[i] = static_cast<T>(w[i] - (clr * d) / (std::sqrt(static_cast<double>(sum[i])) + eps));
    }
  });
}

template <typename T>
void RmspropStep(T* w, const T* g, T* v, T* buf, T* gradAvg, long n, const RmspropStepArgs& h) {
  const double lr = h.lr, alpha = h.alpha, eps = h.eps, wd = h.weightDecay;
  const double momentum = h.momentum, keep = 1 - alpha;
  const bool maximize = h.maximize;
  Chunked(n, kGrain, [=](long lo, long hi) {
    for (long i = lo; i < hi; i++) {
      double d = maximize ? -static_cast<double>(g[i]) : g[i];
      if (wd != 0) d += wd * w[i];
      v[i] = static_cast<T>(alpha * v[i] + keep * d * d);
      double denom;
      if (gradAvg != nullptr) {
        gradAvg[i] = static_cast<T>(Lerp(gradAvg[i], d, keep));
        const double ga = gradAvg[i];
        denom = std::sqrt(v[i] - ga * ga) + eps;
      } else {
        denom = std::sqrt(static_cast<double>(v[i])) + eps;
      }
      if (buf != nullptr) {
        buf[i] = static_cast<T>(momentum * buf[i] + d / denom);
        w[i] = static_cast<T>(w[i] - lr * buf[i]);
      } else {
        w[i] = static_cast<T>(w[i] - (lr * d) / denom);
      }
    }
  });
}

#define NABLA_INSTANTIATE(T)                                                      \
  template void SgdStep<T>(T*, const T*, T*, long, const SgdStepArgs&);           \
  template void AdamStep<T>(T*, const T*, T*, T*, T*, long, const AdamStepArgs&); \
  template void AdagradStep<T>(T*, const T*, T*, long, const AdagradStepArgs&);   \
  template void RmspropStep<T>(T*, const T*, T*, T*, T*, long, const RmspropStepArgs&);
NABLA_INSTANTIATE(float)
NABLA_INSTANTIATE(double)

}  // namespace nabla
