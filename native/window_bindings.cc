// The bindings of the sliding-window kernels (window.h: im2col, col2im, maxPool2d) and of
// normalization (norm.h): their geometry and layout objects checked, then the kernels.
#include <cmath>
#include <string>

#include "bindings.h"
#include "norm.h"
#include "window.h"

namespace nabla::bindings {

namespace {

// The geometry `g` (a Window2d object) of a window kernel, argument i: 14 integer fields below
// 2³¹, kernel, stride and dilation ≥ 1, planes under 2³¹ elements (argmax is int32). False with a
// thrown error otherwise.
bool Geometry(const Napi::CallbackInfo& info, size_t i, const std::string& fn, nabla::Window2d* g) {
  const Napi::Env env = info.Env();
  if (!info[i].IsObject()) return Fail(env, fn + ": g must be a Window2d object");
  const Napi::Object o = info[i].As<Napi::Object>();
  static const char* const kKeys[] = {"n",  "c",  "h",  "w",  "kh", "kw", "sh",
                                      "sw", "ph", "pw", "dh", "dw", "oh", "ow"};
  long* const fields[] = {&g->n,  &g->c,  &g->h,  &g->w,  &g->kh, &g->kw, &g->sh,
                          &g->sw, &g->ph, &g->pw, &g->dh, &g->dw, &g->oh, &g->ow};
  constexpr double kMax = 2147483647;
  for (size_t k = 0; k < 14; k++) {
    const Napi::Value v = o.Get(kKeys[k]);
    if (!v.IsNumber()) return Fail(env, fn + ": g." + kKeys[k] + " must be a number");
    const double d = v.As<Napi::Number>().DoubleValue();
    if (!(d >= 0 && d <= kMax && std::floor(d) == d))
      return Fail(
          env,
          fn + ": g." + kKeys[k] + " must be an integer in [0, 2^31), got " + std::to_string(d),
          true);
    *fields[k] = static_cast<long>(d);
  }
  if (g->kh < 1 || g->kw < 1 || g->sh < 1 || g->sw < 1 || g->dh < 1 || g->dw < 1)
    return Fail(env, fn + ": g.kh, kw, sh, sw, dh and dw must be at least 1", true);
  if (static_cast<double>(g->h) * g->w > kMax)
    return Fail(env, fn + ": a plane of g.h × g.w must have under 2^31 elements", true);
  return true;
}

// im2col(x, g, out) and col2im(cols, g, out): x [n, c, h, w] ↔ cols [n, c·kh·kw, oh·ow].
template <bool kToColumns>
Napi::Value Window(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const char* fn = kToColumns ? "im2col" : "col2im";
  nabla::Window2d g;
  if (!Geometry(info, 1, fn, &g)) return env.Undefined();
  const double image = static_cast<double>(g.n) * g.c * g.h * g.w;
  const double columns = static_cast<double>(g.n) * g.c * g.kh * g.kw * g.oh * g.ow;
  napi_typedarray_type type;
  if (!FloatArrays(info, fn, 0, 1, kToColumns ? image : columns, &type) ||
      !SameFloat(info, fn, 2, kToColumns ? columns : image, type))
    return env.Undefined();
  const Napi::TypedArray in = info[0].As<Napi::TypedArray>(), out = info[2].As<Napi::TypedArray>();
  if (type == napi_float32_array) {
    if (kToColumns) nabla::Im2col<float>(Data<float>(in), g, Data<float>(out));
    else nabla::Col2im<float>(Data<float>(in), g, Data<float>(out));
  } else {
    if (kToColumns) nabla::Im2col<double>(Data<double>(in), g, Data<double>(out));
    else nabla::Col2im<double>(Data<double>(in), g, Data<double>(out));
  }
  return env.Undefined();
}

// maxPool2d(x, g, out, argmax): x [n, c, h, w], out [n, c, oh, ow], argmax an Int32Array as long.
Napi::Value MaxPool2d(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const char* fn = "maxPool2d";
  nabla::Window2d g;
  if (!Geometry(info, 1, fn, &g)) return env.Undefined();
  const double outputs = static_cast<double>(g.n) * g.c * g.oh * g.ow;
  napi_typedarray_type type;
  if (!FloatArrays(info, fn, 0, 1, static_cast<double>(g.n) * g.c * g.h * g.w, &type) ||
      !SameFloat(info, fn, 2, outputs, type))
    return env.Undefined();
  if (!info[3].IsTypedArray() ||
      info[3].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    Fail(env, "maxPool2d: argmax must be an Int32Array");
    return env.Undefined();
  }
  const Napi::TypedArray x = info[0].As<Napi::TypedArray>(), out = info[2].As<Napi::TypedArray>(),
                         argmax = info[3].As<Napi::TypedArray>();
  if (static_cast<double>(argmax.ElementLength()) < outputs) {
    Fail(env, "maxPool2d: argmax is too short", true);
    return env.Undefined();
  }
  if (outputs == 0) return env.Undefined();
  int32_t* at = Data<int32_t>(argmax);
  if (type == napi_float32_array) nabla::MaxPool2d<float>(Data<float>(x), g, Data<float>(out), at);
  else nabla::MaxPool2d<double>(Data<double>(x), g, Data<double>(out), at);
  return env.Undefined();
}

// The NormLayout `l`, argument i: integers outer, channels, inner and a number eps.
bool Layout(const Napi::CallbackInfo& info, size_t i, const std::string& fn, nabla::NormLayout* l) {
  const Napi::Env env = info.Env();
  if (!info[i].IsObject()) return Fail(env, fn + ": l must be a NormLayout object");
  const Napi::Object o = info[i].As<Napi::Object>();
  static const char* const kKeys[] = {"outer", "channels", "inner"};
  long* const fields[] = {&l->outer, &l->channels, &l->inner};
  for (size_t k = 0; k < 3; k++) {
    const Napi::Value v = o.Get(kKeys[k]);
    const double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
    if (!(d >= 0 && d <= 1099511627776.0 && std::floor(d) == d))
      return Fail(env, fn + ": l." + kKeys[k] + " must be an integer in [0, 2^40]", true);
    *fields[k] = static_cast<long>(d);
  }
  return Field(o, fn.c_str(), "eps", &l->eps);
}

// Argument i: null or undefined (nullptr), or a float array of `type` with `length` elements.
template <typename T>
bool Optional(const Napi::CallbackInfo& info, const char* fn, size_t i, double length,
              napi_typedarray_type type, const T** out) {
  *out = nullptr;
  if (info[i].IsNull() || info[i].IsUndefined()) return true;
  if (!SameFloat(info, fn, i, length, type)) return false;
  *out = Data<T>(info[i].As<Napi::TypedArray>());
  return true;
}

template <typename T>
Napi::Value RunNormalize(const Napi::CallbackInfo& info, const nabla::NormLayout& l,
                         napi_typedarray_type type) {
  const T *weight, *bias;
  const double c = static_cast<double>(l.channels);
  if (!Optional<T>(info, "normalize", 2, c, type, &weight) ||
      !Optional<T>(info, "normalize", 3, c, type, &bias))
    return info.Env().Undefined();
  auto at = [&](size_t i) { return Data<T>(info[i].As<Napi::TypedArray>()); };
  nabla::Normalize<T>(at(0), l, weight, bias, at(4), at(5), at(6));
  return info.Env().Undefined();
}

// normalize(x, l, weight | null, bias | null, out, mean, variance)
Napi::Value Normalize(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const char* fn = "normalize";
  nabla::NormLayout l;
  if (!Layout(info, 1, fn, &l)) return env.Undefined();
  const double size = static_cast<double>(l.outer) * l.channels * l.inner;
  const double c = static_cast<double>(l.channels);
  napi_typedarray_type type;
  if (!FloatArrays(info, fn, 0, 1, size, &type) || !SameFloat(info, fn, 4, size, type) ||
      !SameFloat(info, fn, 5, c, type) || !SameFloat(info, fn, 6, c, type))
    return env.Undefined();
  return type == napi_float32_array ? RunNormalize<float>(info, l, type)
                                    : RunNormalize<double>(info, l, type);
}

template <typename T>
Napi::Value RunNormalizeBackward(const Napi::CallbackInfo& info, const nabla::NormLayout& l,
                                 napi_typedarray_type type) {
  const T* weight;
  if (!Optional<T>(info, "normalizeBackward", 5, static_cast<double>(l.channels), type, &weight))
    return info.Env().Undefined();
  auto at = [&](size_t i) { return Data<T>(info[i].As<Napi::TypedArray>()); };
  nabla::NormalizeBackward<T>(at(0), at(1), l, at(3), at(4), weight, at(6), at(7), at(8));
  return info.Env().Undefined();
}

// normalizeBackward(x, g, l, mean, variance, weight | null, gradInput, gradWeight, gradBias)
Napi::Value NormalizeBackward(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const char* fn = "normalizeBackward";
  nabla::NormLayout l;
  if (!Layout(info, 2, fn, &l)) return env.Undefined();
  const double size = static_cast<double>(l.outer) * l.channels * l.inner;
  const double c = static_cast<double>(l.channels);
  napi_typedarray_type type;
  if (!FloatArrays(info, fn, 0, 1, size, &type) || !SameFloat(info, fn, 1, size, type) ||
      !SameFloat(info, fn, 3, c, type) || !SameFloat(info, fn, 4, c, type) ||
      !SameFloat(info, fn, 6, size, type) || !SameFloat(info, fn, 7, c, type) ||
      !SameFloat(info, fn, 8, c, type))
    return env.Undefined();
  return type == napi_float32_array ? RunNormalizeBackward<float>(info, l, type)
                                    : RunNormalizeBackward<double>(info, l, type);
}

}  // namespace

void RegisterWindows(Napi::Env env, Napi::Object exports) {
  exports.Set("im2col", Napi::Function::New(env, Window<true>, "im2col"));
  exports.Set("col2im", Napi::Function::New(env, Window<false>, "col2im"));
  exports.Set("maxPool2d", Napi::Function::New(env, MaxPool2d, "maxPool2d"));
  exports.Set("normalize", Napi::Function::New(env, Normalize, "normalize"));
  exports.Set("normalizeBackward",
              Napi::Function::New(env, NormalizeBackward, "normalizeBackward"));
}

}  // namespace nabla::bindings
