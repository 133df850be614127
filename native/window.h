// The sliding-window kernels of convolution and pooling: im2col, its adjoint col2im, and max
// pooling with the position of each maximum. The semantics (and, for col2im, the order of the
// sums) are those of the reference kernels in src/backend/js/window.ts; the contracts are in
// src/backend/backend.ts (`Backend.im2col`, `col2im`, `maxPool2d`, `Window2d`).
#ifndef NABLA_NATIVE_WINDOW_H
#define NABLA_NATIVE_WINDOW_H

#include <cstdint>

namespace nabla {

// Input [n, c, h, w]; kernel kh×kw, stride sh×sw, zero padding ph×pw, dilation dh×dw; output
// oh×ow per plane. The kernels read only inside each input plane whatever oh and ow are.
struct Window2d {
  long n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow;
};

// out [n, c·kh·kw, oh·ow]: row (ci·kh + ki)·kw + kj, column oy·ow + ox holds
// x[ci, oy·sh − ph + ki·dh, ox·sw − pw + kj·dw], or 0 in the padding.
template <typename T>
void Im2col(const T* x, const Window2d& g, T* out);
// out [n, c, h, w] = Σ of the column entries at the positions they were read from, added in the
// reference's order (by ki, then kj), so bit-identical to it.
template <typename T>
void Col2im(const T* cols, const Window2d& g, T* out);
// out [n, c, oh, ow] the window maxima, argmax the flat index iy·w + ix of each in its plane
// (first wins ties, a NaN wins, the last NaN if several; −∞ and −1 for a window in the padding).
template <typename T>
void MaxPool2d(const T* x, const Window2d& g, T* out, int32_t* argmax);

}  // namespace nabla

#endif
