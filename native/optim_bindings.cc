// The optimizer steps' bindings: sgdStep, adamStep, adagradStep and rmspropStep update a
// parameter and its state buffers in place (optim.cc).
#include <napi.h>

#include <string>

#include "bindings.h"
#include "optim.h"

namespace nabla::bindings {
namespace {

bool Flag(const Napi::Object& h, const char* fn, const char* key, bool* out) {
  const Napi::Value v = h.Get(key);
  if (!v.IsBoolean()) return Fail(h.Env(), std::string(fn) + ": h." + key + " must be a boolean");
  *out = v.As<Napi::Boolean>().Value();
  return true;
}

// The state buffers of an optimizer step: arguments [0, count) (null or undefined where
// `optional` allows), all of one float type and at least as long as w. Returns pointers.
template <typename T>
T* Buffer(const Napi::CallbackInfo& info, size_t i) {
  return info[i].IsTypedArray() ? Data<T>(info[i].As<Napi::TypedArray>()) : nullptr;
}

bool StepArrays(const Napi::CallbackInfo& info, const char* fn, size_t count, unsigned optional,
                napi_typedarray_type* type, long* n) {
  const Napi::Env env = info.Env();
  if (!FloatArrays(info, fn, 0, 1, -1, type)) return false;
  const double length = static_cast<double>(info[0].As<Napi::TypedArray>().ElementLength());
  for (size_t i = 1; i < count; i++) {
    if ((optional >> i & 1) && (info[i].IsNull() || info[i].IsUndefined())) continue;
    if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != *type)
      return Fail(env, std::string(fn) + ": argument " + std::to_string(i) +
                           " must be a typed array of the same type as w");
    if (!FloatArrays(info, fn, i, 1, length, type)) return false;
  }
  if (!info[count].IsObject()) return Fail(env, std::string(fn) + ": expected the step scalars h");
  *n = static_cast<long>(length);
  return true;
}

// sgdStep(w, g, momentumBuffer | null, h: { lr, momentum, dampening, weightDecay, nesterov,
// maximize, first })
Napi::Value SgdStep(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  napi_typedarray_type type;
  long n;
  nabla::SgdStepArgs a{};
  if (!StepArrays(info, "sgdStep", 3, 0b100, &type, &n)) return env.Undefined();
  const Napi::Object h = info[3].As<Napi::Object>();
  const char* fn = "sgdStep";
  if (!Field(h, fn, "lr", &a.lr) || !Field(h, fn, "momentum", &a.momentum) ||
      !Field(h, fn, "dampening", &a.dampening) || !Field(h, fn, "weightDecay", &a.weightDecay) ||
      !Flag(h, fn, "nesterov", &a.nesterov) || !Flag(h, fn, "maximize", &a.maximize) ||
      !Flag(h, fn, "first", &a.first))
    return env.Undefined();
  if (type == napi_float32_array)
    nabla::SgdStep<float>(Buffer<float>(info, 0), Buffer<float>(info, 1), Buffer<float>(info, 2), n,
                          a);
  else
    nabla::SgdStep<double>(Buffer<double>(info, 0), Buffer<double>(info, 1),
                           Buffer<double>(info, 2), n, a);
  return env.Undefined();
}

// adamStep(w, g, expAvg, expAvgSq, maxExpAvgSq | null, h: { beta1, beta2, eps, stepSize,
// bc2Sqrt, decay, l2, maximize })
Napi::Value AdamStep(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  napi_typedarray_type type;
  long n;
  nabla::AdamStepArgs a{};
  if (!StepArrays(info, "adamStep", 5, 0b10000, &type, &n)) return env.Undefined();
  const Napi::Object h = info[5].As<Napi::Object>();
  const char* fn = "adamStep";
  if (!Field(h, fn, "beta1", &a.beta1) || !Field(h, fn, "beta2", &a.beta2) ||
      !Field(h, fn, "eps", &a.eps) || !Field(h, fn, "stepSize", &a.stepSize) ||
      !Field(h, fn, "bc2Sqrt", &a.bc2Sqrt) || !Field(h, fn, "decay", &a.decay) ||
      !Field(h, fn, "l2", &a.l2) || !Flag(h, fn, "maximize", &a.maximize))
    return env.Undefined();
  if (type == napi_float32_array)
    nabla::AdamStep<float>(Buffer<float>(info, 0), Buffer<float>(info, 1), Buffer<float>(info, 2),
                           Buffer<float>(info, 3), Buffer<float>(info, 4), n, a);
  else
    nabla::AdamStep<double>(Buffer<double>(info, 0), Buffer<double>(info, 1),
                            Buffer<double>(info, 2), Buffer<double>(info, 3),
                            Buffer<double>(info, 4), n, a);
  return env.Undefined();
}

// adagradStep(w, g, sum, h: { clr, weightDecay, eps, maximize })
Napi::Value AdagradStep(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  napi_typedarray_type type;
  long n;
  nabla::AdagradStepArgs a{};
  if (!StepArrays(info, "adagradStep", 3, 0, &type, &n)) return env.Undefined();
  const Napi::Object h = info[3].As<Napi::Object>();
  const char* fn = "adagradStep";
  if (!Field(h, fn, "clr", &a.clr) || !Field(h, fn, "weightDecay", &a.weightDecay) ||
      !Field(h, fn, "eps", &a.eps) || !Flag(h, fn, "maximize", &a.maximize))
    return env.Undefined();
  if (type == napi_float32_array)
    nabla::AdagradStep<float>(Buffer<float>(info, 0), Buffer<float>(info, 1),
                              Buffer<float>(info, 2), n, a);
  else
    nabla::AdagradStep<double>(Buffer<double>(info, 0), Buffer<double>(info, 1),
                               Buffer<double>(info, 2), n, a);
  return env.Undefined();
}

// rmspropStep(w, g, squareAvg, momentumBuffer | null, gradAvg | null, h: { lr, alpha, eps,
// weightDecay, momentum, maximize })
Napi::Value RmspropStep(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  napi_typedarray_type type;
  long n;
  nabla::RmspropStepArgs a{};
  if (!StepArrays(info, "rmspropStep", 5, 0b11000, &type, &n)) return env.Undefined();
  const Napi::Object h = info[5].As<Napi::Object>();
  const char* fn = "rmspropStep";
  if (!Field(h, fn, "lr", &a.lr) || !Field(h, fn, "alpha", &a.alpha) ||
      !Field(h, fn, "eps", &a.eps) || !Field(h, fn, "weightDecay", &a.weightDecay) ||
      !Field(h, fn, "momentum", &a.momentum) || !Flag(h, fn, "maximize", &a.maximize))
    return env.Undefined();
  if (type == napi_float32_array)
    nabla::RmspropStep<float>(Buffer<float>(info, 0), Buffer<float>(info, 1),
                              Buffer<float>(info, 2), Buffer<float>(info, 3),
                              Buffer<float>(info, 4), n, a);
  else
    nabla::RmspropStep<double>(Buffer<double>(info, 0), Buffer<double>(info, 1),
                               Buffer<double>(info, 2), Buffer<double>(info, 3),
                               Buffer<double>(info, 4), n, a);
  return env.Undefined();
}

}  // namespace

void RegisterOptimizers(Napi::Env env, Napi::Object exports) {
  exports.Set("sgdStep", Napi::Function::New(env, SgdStep, "sgdStep"));
  exports.Set("adamStep", Napi::Function::New(env, AdamStep, "adamStep"));
  exports.Set("adagradStep", Napi::Function::New(env, AdagradStep, "adagradStep"));
  exports.Set("rmspropStep", Napi::Function::New(env, RmspropStep, "rmspropStep"));
}

}  // namespace nabla::bindings
