// The packing routines of the blocked GEMM (gemm.cc): blocks of op(A) and op(B) copied into
// the panels the micro-kernels read, and the scratch memory they are packed into.
#ifndef NABLA_NATIVE_GEMM_PACK_H
#define NABLA_NATIVE_GEMM_PACK_H

#include <algorithm>
#include <cstddef>
#include <cstdlib>

namespace nabla {
namespace pack {

// op(X)[i][j] = p[i·rs + j·cs].
template <typename T>
struct View {
  const T* p;
  long rs, cs;
};

// Grow-only, 64-byte aligned scratch, one per thread.
struct Scratch {
  void* ptr = nullptr;
  size_t size = 0;
  void* Get(size_t bytes) {
    if (bytes > size) {
      std::free(ptr);
      size = std::max(bytes, size * 2);
      size = (size + 63) / 64 * 64;
      ptr = std::aligned_alloc(64, size);
    }
    return ptr;
  }
  ~Scratch() { std::free(ptr); }
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
// panel, zero-padding past the last row.
template <typename T>
void PackA(View<T> a, long i0, long p0, long mc, long kc, int mr, T* dst) {
  for (long ir = 0; ir < mc; ir += mr, dst += mr * kc) {
    const long h = std::min<long>(mr, mc - ir);
    if (a.cs == 1) {  // rows contiguous along p
      Gather(a.p + (i0 + ir) * a.rs + p0, a.rs, h, mr, kc, dst);
      continue;
    }
    for (long p = 0; p < kc; p++) {
      const T* src = a.p + (i0 + ir) * a.rs + (p0 + p) * a.cs;
      T* d = dst + p * mr;
      long r = 0;
      for (; r < h; r++) d[r] = src[r * a.rs];
      for (; r < mr; r++) d[r] = 0;
    }
  }
}

// Packs rows [p0, p0+kc) × columns [j0, j0+nc) of op(B) into nr-column panels, p-major within a
// panel, zero-padding past the last column.
template <typename T>
void PackB(View<T> b, long p0, long j0, long kc, long nc, int nr, T* dst) {
  for (long jr = 0; jr < nc; jr += nr, dst += nr * kc) {
    const long w = std::min<long>(nr, nc - jr);
    if (b.cs == 1) {
      for (long p = 0; p < kc; p++) {
        const T* src = b.p + (p0 + p) * b.rs + j0 + jr;
        T* d = dst + p * nr;
        long j = 0;
        for (; j < w; j++) d[j] = src[j];
        for (; j < nr; j++) d[j] = 0;
      }
    } else if (b.rs == 1) {  // columns of op(B) contiguous along p (B transposed)
      Gather(b.p + (j0 + jr) * b.cs + p0, b.cs, w, nr, kc, dst);
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

}  // namespace pack
}  // namespace nabla

#endif
