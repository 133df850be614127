// What the Node-API bindings share: argument checks that throw a JavaScript error naming the
// function and argument, the data pointer of a typed array, and the registration of the bindings
// kept in files of their own (window_bindings.cc: convolution, pooling and normalization;
// optim_bindings.cc: the optimizer steps).
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

namespace nabla::bindings {

// The data pointer of a typed array (its buffer + byte offset): used in place, never copied.
template <typename T>
T* Data(const Napi::TypedArray& x) {
  return reinterpret_cast<T*>(static_cast<uint8_t*>(x.ArrayBuffer().Data()) + x.ByteOffset());
}
template <typename T>
T* Data(const Napi::Value& v) {
  return Data<T>(v.As<Napi::TypedArray>());
}

// Throws "nabla native: <message>" (a RangeError when `range`, else a TypeError); returns false.
bool Fail(const Napi::Env& env, const std::string& message, bool range = false);

// Arguments [first, first + count) are typed arrays, all Float32Array or all Float64Array, each
// with at least `length` elements (-1: all as long as the first). Sets *type; throws otherwise.
bool FloatArrays(const Napi::CallbackInfo& info, const char* fn, size_t first, size_t count,
                 double length, napi_typedarray_type* type);

// Argument i is a typed array of `type` with at least `length` elements; throws otherwise.
bool SameFloat(const Napi::CallbackInfo& info, const char* fn, size_t i, double length,
               napi_typedarray_type type);

// A number field `key` of the object h, or a thrown TypeError naming it.
bool Field(const Napi::Object& h, const char* fn, const char* key, double* out);

// im2col, col2im, maxPool2d, normalize and normalizeBackward (window_bindings.cc).
void RegisterWindows(Napi::Env env, Napi::Object exports);

// sgdStep, adamStep, adagradStep and rmspropStep (optim_bindings.cc).
void RegisterOptimizers(Napi::Env env, Napi::Object exports);

}  // namespace nabla::bindings
