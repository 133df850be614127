// The packing of the blocked GEMM (gemm.cc): blocks of op(A) and op(B) copied into the panels
// the micro-kernel reads, zero-padded at the edges; transposes are absorbed here. Data movement
// only. Internal linkage, as for micro_kernel.h: only gemm.cc includes it.
#ifndef NABLA_NATIVE_PACK_H
#define NABLA_NATIVE_PACK_H

#include <algorithm>

#include "kernels.h"

namespace nabla {
namespace {

// op(X)[i][j] = p[i·rs + j·cs].
template <typename T>
struct View {
  const T* p;
  long rs, cs;
};

// dst[p·width + r] = src[r·stride + p] for r < h and 0 for h ≤ r < width, p < kc: a panel from h
// lines contiguous along p, written in order. In blocks of 8 steps: each line is read 8
// contiguous values at a time.
template <typename T>
void Gather(const T* src, long stride, long h, int width, long kc, T* dst) {
  long p = 0;
  for (; p + 8 <= kc; p += 8) {
    T* d = dst + p * width;
    for (long r = 0; r < h; r++) {
      const T* s = src + r * stride + p;
      for (long q = 0; q < 8; q++) d[q * width + r] = s[q];
    }
    for (long r = h; r < width; r++)
      for (long q = 0; q < 8; q++) d[q * width + r] = 0;
  }
  for (; p < kc; p++) {
    T* d = dst + p * width;
    long r = 0;
    for (; r < h; r++) d[r] = src[r * stride + p];
    for (; r < width; r++) d[r] = 0;
  }
}

// Packs rows [i0, i0+mc) × columns [p0, p0+kc) of op(A) into mr-row panels, p-major within a
// panel; a last panel of fewer rows is tailMr rows wide (its register tile's), zero-padded.
template <typename T>
void PackA(View<T> a, long i0, long p0, long mc, long kc, int mr, int tailMr,
           GatherKernel<T> gather, T* dst) {
  for (long ir = 0; ir < mc; ir += mr) {
    const long h = std::min<long>(mr, mc - ir);
    const int width = h < mr ? tailMr : mr;
    if (a.cs == 1) {  // rows contiguous along p
      gather(a.p + (i0 + ir) * a.rs + p0, a.rs, h, width, kc, dst);
    } else {
      for (long p = 0; p < kc; p++) {
        const T* src = a.p + (i0 + ir) * a.rs + (p0 + p) * a.cs;
        T* d = dst + p * width;
        long r = 0;
        for (; r < h; r++) d[r] = src[r * a.rs];
        for (; r < width; r++) d[r] = 0;
      }
    }
    dst += width * kc;
  }
}

// Packs rows [p0, p0+kc) × columns [j0, j0+nc) of op(B) into nr-column panels, p-major within a
// panel, zero-padding past the last column.
template <typename T>
void PackB(View<T> b, long p0, long j0, long kc, long nc, int nr, GatherKernel<T> gather, T* dst) {
  if (b.cs == 1) {
    // Row by row of op(B), each read once in order and spread over the panels: one stream to
    // read (panel by panel read a little of every row in turn; 256×784×128: about 5% faster).
    for (long p = 0; p < kc; p++) {
      const T* src = b.p + (p0 + p) * b.rs + j0;
      for (long jr = 0; jr < nc; jr += nr) {
        const long w = std::min<long>(nr, nc - jr);
        T* d = dst + jr * kc + p * nr;
        long j = 0;
        for (; j < w; j++) d[j] = src[jr + j];
        for (; j < nr; j++) d[j] = 0;
      }
    }
    return;
  }
  for (long jr = 0; jr < nc; jr += nr, dst += nr * kc) {
    const long w = std::min<long>(nr, nc - jr);
    if (b.rs == 1) {  // columns of op(B) contiguous along p (B transposed)
      gather(b.p + (j0 + jr) * b.cs + p0, b.cs, w, nr, kc, dst);
    } else {
      for (long j = 0; j < w; j++) {
        const T* src = b.p + (j0 + jr + j) * b.cs + p0 * b.rs;
        for (long p = 0; p < kc; p++) dst[p * nr + j] = src[p * b.rs];
      }
      for (long j = w; j < nr; j++)
        for (long p = 0; p < kc; p++) dst[p * nr + j] = 0;
    }
  }
}

}  // namespace
}  // namespace nabla

#endif
