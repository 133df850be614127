// Portable micro-kernels in plain C++ (the compiler vectorizes them for the baseline ISA, e.g.
// SSE2 on x86-64 or NEON on arm64). Used when the CPU has neither AVX-512 nor AVX2+FMA, and on
// other architectures.
#include "kernels.h"

namespace {

constexpr int kMr = 4;
constexpr int kNr = 8;

template <typename T>
void Kernel(long kc, const T* a, const T* b, long ldb, T* c, long ldc, int accumulate) {
  T acc[kMr][kNr] = {};
  for (long p = 0; p < kc; p++) {
    for (int i = 0; i < kMr; i++) {
      const T ai = a[i];
      for (int j = 0; j < kNr; j++) acc[i][j] += ai * b[j];
    }
    a += kMr;
    b += ldb;
  }
  for (int i = 0; i < kMr; i++) {
    T* ci = c + i * ldc;
    for (int j = 0; j < kNr; j++) ci[j] = accumulate ? ci[j] + acc[i][j] : acc[i][j];
  }
}

void SgemmKernel(long kc, const float* a, const float* b, long ldb, float* c, long ldc,
                 int accumulate) {
  Kernel<float>(kc, a, b, ldb, c, ldc, accumulate);
}

void DgemmKernel(long kc, const double* a, const double* b, long ldb, double* c, long ldc,
                 int accumulate) {
  Kernel<double>(kc, a, b, ldb, c, ldc, accumulate);
}

// Dot products in blocks of 2 × 4, each summed in order of t, then p.
template <typename T>
void Dot(long batch, long k, const T* const* a, long as, const T* const* b, long bs, T* out) {
  T acc[2][4] = {};
  for (long t = 0; t < batch; t++)
    for (long p = 0; p < k; p++)
      for (int i = 0; i < 2; i++)
        for (int j = 0; j < 4; j++) acc[i][j] += a[i][t * as + p] * b[j][t * bs + p];
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 4; j++) out[i * 4 + j] = acc[i][j];
}

const nabla::KernelSet kSet = {
    "generic",
    {SgemmKernel, kMr, kNr, 256, 128, 4096, {}, {}, Dot<float>, 2, 4},
    {DgemmKernel, kMr, kNr, 256, 64, 2048, {}, {}, Dot<double>, 2, 4},
};

}  // namespace

const nabla::KernelSet* nabla::KernelsGeneric() { return &kSet; }
