// Fused optimizer updates: one pass over a parameter, its gradient and its state buffers, with the
// rules of src/backend/js/optim.ts (PyTorch's). Values are computed in double and rounded once
// when stored, and stored values are read back, exactly as the TypeScript code does: the results
// are bit-identical to it in float32 and float64.
#ifndef NABLA_NATIVE_OPTIM_H
#define NABLA_NATIVE_OPTIM_H

namespace nabla {

struct SgdStepArgs {
  double lr, momentum, dampening, weightDecay;
  bool nesterov, maximize, first;
};
struct AdamStepArgs {
  double beta1, beta2, eps, stepSize, bc2Sqrt, decay, l2;
  bool maximize;
};
struct AdagradStepArgs {
  double clr, weightDecay, eps;
  bool maximize;
};
struct RmspropStepArgs {
  double lr, alpha, eps, weightDecay, momentum;
  bool maximize;
};

// Null buffers are absent (no momentum, no amsgrad, not centered).
template <typename T>
void SgdStep(T* w, const T* g, T* buf, long n, const SgdStepArgs& h);
template <typename T>
void AdamStep(T* w, const T* g, T* m, T* v, T* vmax, long n, const AdamStepArgs& h);
template <typename T>
void AdagradStep(T* w, const T* g, T* sum, long n, const AdagradStepArgs& h);
template <typename T>
void RmspropStep(T* w, const T* g, T* v, T* buf, T* gradAvg, long n, const RmspropStepArgs& h);

}  // namespace nabla

#endif
