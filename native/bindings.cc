// The argument checks the Node-API bindings share (see bindings.h).
#include "bindings.h"

namespace nabla::bindings {

// The data pointer of a typed array (its buffer + byte offset): used in place, never copied.
bool Fail(const Napi::Env& env, const std::string& message, bool range) {
  const std::string text = "nabla native: " + message;
  if (range) Napi::RangeError::New(env, text).ThrowAsJavaScriptException();
  else Napi::TypeError::New(env, text).ThrowAsJavaScriptException();
  return false;
}

// Arguments [first, first + count) are typed arrays, all Float32Array or all Float64Array, each
// with at least `length` elements (-1: all as long as the first). Sets *type; throws otherwise.
bool FloatArrays(const Napi::CallbackInfo& info, const char* fn, size_t first, size_t count,
                 double length, napi_typedarray_type* type) {
  const Napi::Env env = info.Env();
  for (size_t i = first; i < first + count; i++) {
    if (!info[i].IsTypedArray())
      return Fail(env,
                  std::string(fn) + ": argument " + std::to_string(i) + " must be a typed array");
    const Napi::TypedArray x = info[i].As<Napi::TypedArray>();
    const napi_typedarray_type t = x.TypedArrayType();
    if (i == first) {
      *type = t;
      if (t != napi_float32_array && t != napi_float64_array)
        return Fail(env, std::string(fn) + " supports only Float32Array and Float64Array");
      if (length < 0) length = static_cast<double>(x.ElementLength());
    } else if (t != *type) {
      return Fail(env, std::string(fn) + ": all arrays must have the same type");
    }
    if (static_cast<double>(x.ElementLength()) < length)
      return Fail(env,
                  std::string(fn) + ": argument " + std::to_string(i) + " has " +
                      std::to_string(x.ElementLength()) + " elements, needs " +
                      std::to_string(static_cast<long>(length)),
                  true);
  }
  return true;
}

// A number or boolean field of the step scalars `h`, or a thrown TypeError naming it.
bool Field(const Napi::Object& h, const char* fn, const char* key, double* out) {
  const Napi::Value v = h.Get(key);
  if (!v.IsNumber()) return Fail(h.Env(), std::string(fn) + ": h." + key + " must be a number");
  *out = v.As<Napi::Number>().DoubleValue();
  return true;
}

// Argument i is a typed array of `type` (the first float array's) with at least `length`
// elements; false with a thrown error otherwise.
bool SameFloat(const Napi::CallbackInfo& info, const char* fn, size_t i, double length,
               napi_typedarray_type type) {
  napi_typedarray_type t;
  if (!FloatArrays(info, fn, i, 1, length, &t)) return false;
  if (t != type) return Fail(info.Env(), std::string(fn) + ": all arrays must have the same type");
  return true;
}

}  // namespace nabla::bindings
